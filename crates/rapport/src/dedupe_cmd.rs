//! `rapport dedupe`: the stored base as a batch (`rapport_dedupe::dedupe_base`).
//!
//! `rapport dedupe --input FILE.csv`, `dedupe generate` and `dedupe evaluate`: identity
//! matching on files alone, no database opened.
//!
//! The CSV has an `id` column and any of `given_name, family_name, birth_date, email,
//! phone, street, city, postcode, region, country, company, id_document`. A row that does
//! not read (wrong number of fields, bad UTF-8) is skipped and counted, never fatal; a
//! value that does not parse (`19560431`) is compared as text.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use rapport_demo::duplicates::{people_with_duplicates, Setting};
use rapport_match::{dedupe, BirthDate, Dedupe, MatchSettings, Person};
use rapport_store::Store;
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DedupeArgs {
    #[command(subcommand)]
    pub command: Option<DedupeCommand>,
    /// A CSV of people to match instead of the database; prints the groups found.
    #[arg(long)]
    pub input: Option<PathBuf>,
    #[command(flatten)]
    pub thresholds: ThresholdArgs,
    /// Print `{"clusters": [[id, …], …]}` (and the run's figures) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Clone, Copy)]
pub struct ThresholdArgs {
    /// Match probability from which a pair is merged (default 0.98).
    #[arg(long)]
    auto_merge: Option<f64>,
    /// Match probability from which a pair is put to a person (default 0.8).
    #[arg(long)]
    review: Option<f64>,
}

impl ThresholdArgs {
    fn settings(self) -> MatchSettings {
        self.over(MatchSettings::default())
    }

    /// The flags over `base` (the configuration's thresholds).
    fn over(self, base: MatchSettings) -> MatchSettings {
        let mut s = base;
        if let Some(t) = self.auto_merge {
            s.thresholds.auto_merge = t;
        }
        if let Some(t) = self.review {
            s.thresholds.review = t;
        }
        s
    }
}

#[derive(Subcommand)]
pub enum DedupeCommand {
    /// Write generated people with known duplicates (and the truth: which real person each
    /// row is).
    Generate(GenerateArgs),
    /// Match a CSV and report pairwise precision, recall and F1 against the truth.
    Evaluate(EvaluateArgs),
    /// Time scoring arriving profiles one by one against an index of generated people.
    BenchIncremental(crate::dedupe_bench::BenchIncrementalArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum SettingArg {
    Easy,
    Hard,
}

#[derive(Args)]
pub struct GenerateArgs {
    #[arg(long, default_value_t = 10_000)]
    people: usize,
    #[arg(long, value_enum, default_value_t = SettingArg::Hard)]
    setting: SettingArg,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
    /// Where to write `id,entity`.
    #[arg(long)]
    truth: Option<PathBuf>,
}

#[derive(Args)]
pub struct EvaluateArgs {
    #[arg(long)]
    input: PathBuf,
    /// CSV `id,entity`: rows with the same entity are the same person.
    #[arg(long)]
    truth: PathBuf,
    #[command(flatten)]
    thresholds: ThresholdArgs,
    #[arg(long)]
    json: bool,
}

/// True when the command works on files and must not open the database.
pub fn is_file_only(args: &DedupeArgs) -> bool {
    args.command.is_some() || args.input.is_some()
}

pub fn run(args: &DedupeArgs) -> anyhow::Result<()> {
    match (&args.command, &args.input) {
        (Some(DedupeCommand::Generate(g)), _) => generate(g),
        (Some(DedupeCommand::Evaluate(e)), _) => evaluate(e),
        (Some(DedupeCommand::BenchIncremental(b)), _) => crate::dedupe_bench::run(b),
        (None, Some(input)) => match_file(input, args.thresholds.settings(), args.json),
        (None, None) => unreachable!("the stored base is matched by run_base"),
    }
}

/// `rapport dedupe [--json]`: every live profile of the database matched as one batch; sure
/// duplicates merged (decided by `auto`), likely ones queued for review.
pub async fn run_base(store: Arc<dyn Store>, args: &DedupeArgs, configured: MatchSettings) -> anyhow::Result<()> {
    let settings = args.thresholds.over(configured);
    let progress = !args.json && std::io::stderr().is_terminal();
    let report = rapport_dedupe::dedupe_base(store, settings, progress).await?;
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!("{} profiles matched", report.profiles);
        println!(
            "  candidate pairs   {:>9}  (of {} compared; probability at least {})",
            report.candidate_pairs, report.compared_pairs, settings.thresholds.review
        );
        println!(
            "  merged            {:>9}  (automatically, at least {})",
            report.merged, settings.thresholds.auto_merge
        );
        println!("  queued for review {:>9}", report.queued);
        println!(
            "  skipped           {:>9}  ({} marked never to merge, the rest already decided)",
            report.skipped, report.never_merge
        );
        println!(
            "  {:.1} s reading, {:.1} s matching, {:.1} s filing",
            report.seconds_reading, report.seconds_matching, report.seconds_filing
        );
        if !report.learnt_nothing_for.is_empty() {
            println!(
                "  the base showed no duplicates to learn {} from: scored with the reference model (docs/dedupe.md)",
                report.learnt_nothing_for.join(", ")
            );
        }
    }
    Ok(())
}

const COLUMNS: [&str; 13] = [
    "id",
    "given_name",
    "family_name",
    "birth_date",
    "email",
    "phone",
    "street",
    "city",
    "postcode",
    "region",
    "country",
    "company",
    "id_document",
];

/// People of a CSV, with their ids as written (the `Person` ids are row positions).
struct PeopleFile {
    people: Vec<Person>,
    ids: Vec<String>,
    skipped_rows: usize,
}

fn read_people(path: &Path) -> anyhow::Result<PeopleFile> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader.headers()?.clone();
    let column: HashMap<String, usize> = headers.iter().enumerate().map(|(i, h)| (h.trim().to_lowercase(), i)).collect();
    let id_column = *column.get("id").with_context(|| format!("{} has no `id` column", path.display()))?;
    let mut file = PeopleFile {
        people: Vec::new(),
        ids: Vec::new(),
        skipped_rows: 0,
    };
    for row in reader.records() {
        let Ok(row) = row else {
            file.skipped_rows += 1;
            continue;
        };
        let get = |name: &str| column.get(name).and_then(|&i| row.get(i)).map(str::trim).unwrap_or("").to_string();
        let Some(id) = row.get(id_column).map(str::trim).filter(|s| !s.is_empty()) else {
            file.skipped_rows += 1;
            continue;
        };
        let listed = |name: &str| {
            get(name)
                .split([';', '|'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        };
        file.people.push(Person {
            id: file.people.len() as i64,
            given_name: get("given_name"),
            family_name: get("family_name"),
            native_name: String::new(),
            birth_date: BirthDate::parse(&get("birth_date")),
            emails: listed("email"),
            phones: listed("phone"),
            street: get("street"),
            city: get("city"),
            postcode: get("postcode"),
            region: get("region"),
            country: get("country"),
            company: get("company"),
            id_document: get("id_document"),
        });
        file.ids.push(id.to_string());
    }
    Ok(file)
}

/// An id as JSON: a number when it is one, else the text.
fn id_value(id: &str) -> Value {
    id.parse::<i64>().map_or_else(|_| Value::String(id.to_string()), Value::from)
}

fn run_matcher(file: &PeopleFile, settings: &MatchSettings) -> (Dedupe, f64) {
    let start = Instant::now();
    let result = dedupe(&file.people, settings, &|_| {});
    (result, start.elapsed().as_secs_f64())
}

fn match_file(input: &Path, settings: MatchSettings, json: bool) -> anyhow::Result<()> {
    let file = read_people(input)?;
    let (result, seconds) = run_matcher(&file, &settings);
    let clusters: Vec<Vec<Value>> = result
        .clusters
        .iter()
        .map(|g| g.iter().map(|&i| id_value(&file.ids[i as usize])).collect())
        .collect();
    if json {
        let out = json!({
            "clusters": clusters,
            "persons": file.people.len(),
            "skipped_rows": file.skipped_rows,
            "review_pairs": result.stats.review_pairs,
            "seconds": seconds,
        });
        println!("{}", serde_json::to_string(&out)?);
    } else {
        for g in &clusters {
            println!("{}", g.iter().map(Value::to_string).collect::<Vec<_>>().join(" "));
        }
        eprintln!(
            "{} people ({} rows skipped): {} groups, {} pairs for review, {:.1} s",
            file.people.len(),
            file.skipped_rows,
            clusters.len(),
            result.stats.review_pairs - result.stats.merge_pairs,
            seconds
        );
    }
    Ok(())
}

fn generate(args: &GenerateArgs) -> anyhow::Result<()> {
    let setting = match args.setting {
        SettingArg::Easy => Setting::Easy,
        SettingArg::Hard => Setting::Hard,
    };
    let people = people_with_duplicates(args.people, setting, args.seed);
    let mut out = csv::Writer::from_path(&args.out).with_context(|| format!("cannot write {}", args.out.display()))?;
    out.write_record(COLUMNS)?;
    for g in &people {
        let p = &g.person;
        let birth = match &p.birth_date {
            Some(BirthDate::Date(d)) => d.format("%Y-%m-%d").to_string(),
            Some(BirthDate::Text(t)) => t.clone(),
            None => String::new(),
        };
        out.write_record([
            &p.id.to_string(),
            &p.given_name,
            &p.family_name,
            &birth,
            &p.emails.join(";"),
            &p.phones.join(";"),
            &p.street,
            &p.city,
            &p.postcode,
            &p.region,
            &p.country,
            &p.company,
            &p.id_document,
        ])?;
    }
    out.flush()?;
    if let Some(path) = &args.truth {
        let mut truth = csv::Writer::from_path(path).with_context(|| format!("cannot write {}", path.display()))?;
        truth.write_record(["id", "entity"])?;
        for g in &people {
            truth.write_record([g.person.id.to_string(), g.entity.to_string()])?;
        }
        truth.flush()?;
    }
    Ok(())
}

/// Pairwise agreement of found groups with the truth.
#[derive(Debug, Serialize)]
struct PairScores {
    threshold: f64,
    precision: f64,
    recall: f64,
    f1: f64,
    found_pairs: u64,
    correct_pairs: u64,
    true_pairs: u64,
}

fn pairs_in(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn pair_scores(threshold: f64, groups: &[Vec<i64>], entity_of: &[Option<String>], true_pairs: u64) -> PairScores {
    let (mut found, mut correct) = (0, 0);
    for g in groups {
        found += pairs_in(g.len() as u64);
        let mut by_entity: HashMap<&str, u64> = HashMap::new();
        for &i in g {
            if let Some(e) = &entity_of[i as usize] {
                *by_entity.entry(e).or_default() += 1;
            }
        }
        correct += by_entity.values().map(|&c| pairs_in(c)).sum::<u64>();
    }
    let precision = if found == 0 { 1.0 } else { correct as f64 / found as f64 };
    let recall = if true_pairs == 0 { 1.0 } else { correct as f64 / true_pairs as f64 };
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    PairScores {
        threshold,
        precision,
        recall,
        f1,
        found_pairs: found,
        correct_pairs: correct,
        true_pairs,
    }
}

fn evaluate(args: &EvaluateArgs) -> anyhow::Result<()> {
    let settings = args.thresholds.settings();
    let file = read_people(&args.input)?;
    let mut truth: HashMap<String, String> = HashMap::new();
    let mut reader = csv::Reader::from_path(&args.truth).with_context(|| format!("cannot read {}", args.truth.display()))?;
    for row in reader.records().flatten() {
        if let (Some(id), Some(entity)) = (row.get(0), row.get(1)) {
            truth.insert(id.trim().to_string(), entity.trim().to_string());
        }
    }
    let entity_of: Vec<Option<String>> = file.ids.iter().map(|id| truth.get(id).cloned()).collect();
    let mut sizes: HashMap<&str, u64> = HashMap::new();
    for e in entity_of.iter().flatten() {
        *sizes.entry(e).or_default() += 1;
    }
    let true_pairs: u64 = sizes.values().map(|&c| pairs_in(c)).sum();
    let (result, seconds) = run_matcher(&file, &settings);
    let at_merge = pair_scores(settings.thresholds.auto_merge, &result.clusters, &entity_of, true_pairs);
    let at_review = pair_scores(
        settings.thresholds.review,
        &result.clusters_at(settings.thresholds.review),
        &entity_of,
        true_pairs,
    );
    if args.json {
        let out = json!({
            "persons": file.people.len(),
            "skipped_rows": file.skipped_rows,
            "seconds": seconds,
            "stats": result.stats,
            "auto_merge": at_merge,
            "review": at_review,
            "model": result.model,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{} people, {} true duplicate pairs, matched in {:.1} s",
            file.people.len(),
            true_pairs,
            seconds
        );
        for (name, s) in [("auto-merge", &at_merge), ("review", &at_review)] {
            println!(
                "at {name} threshold {}: precision {:.4}, recall {:.4}, F1 {:.4} ({} of {} found pairs correct)",
                s.threshold, s.precision, s.recall, s.f1, s.correct_pairs, s.found_pairs
            );
        }
    }
    Ok(())
}
