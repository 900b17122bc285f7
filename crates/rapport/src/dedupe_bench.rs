//! `rapport dedupe bench-incremental`: how long scoring one arriving profile takes against
//! an index of a whole base (issue 5: at most a few milliseconds at 1,000,000 profiles).
//!
//! The base and the arrivals are generated people (hard setting); the arrivals come from
//! another seed, so some share common names, households and switchboard-like keys with the
//! base and most are strangers, as at a real front desk.

use std::time::Instant;

use clap::Args;
use rapport_demo::duplicates::{people_with_duplicates, Setting};
use rapport_match::{fit, MatchIndex, MatchSettings};
use serde_json::json;

#[derive(Args)]
pub struct BenchIncrementalArgs {
    /// Profiles in the index.
    #[arg(long, default_value_t = 1_000_000)]
    people: usize,
    /// Arriving profiles scored one by one.
    #[arg(long, default_value_t = 1_000)]
    probes: usize,
    #[arg(long, default_value_t = 7)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

pub fn run(args: &BenchIncrementalArgs) -> anyhow::Result<()> {
    let base: Vec<_> = people_with_duplicates(args.people, Setting::Hard, args.seed)
        .into_iter()
        .map(|g| g.person)
        .collect();
    let start = Instant::now();
    let model = fit(&base, &MatchSettings::default(), &|_| {});
    let fit_seconds = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let index = MatchIndex::build(model, &base);
    let build_seconds = start.elapsed().as_secs_f64();
    let offset = base.len() as i64 + 1;
    drop(base);
    let arrivals = people_with_duplicates(args.probes, Setting::Hard, args.seed.wrapping_add(1));
    let mut micros: Vec<f64> = Vec::with_capacity(arrivals.len());
    let mut candidates = 0usize;
    for g in &arrivals {
        let mut p = g.person.clone();
        p.id += offset;
        let start = Instant::now();
        let scored = index.score(&p);
        micros.push(start.elapsed().as_secs_f64() * 1e6);
        candidates += scored.len();
    }
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    let (median, p99, max) = (at(0.5), at(0.99), micros[micros.len() - 1]);
    let mean_candidates = candidates as f64 / arrivals.len().max(1) as f64;
    if args.json {
        let out = json!({
            "indexed": index.len(),
            "probes": arrivals.len(),
            "fit_seconds": fit_seconds,
            "build_seconds": build_seconds,
            "median_us": median,
            "p99_us": p99,
            "max_us": max,
            "mean_candidates": mean_candidates,
        });
        println!("{}", serde_json::to_string(&out)?);
    } else {
        println!(
            "{} arrivals scored against {} profiles (fit {fit_seconds:.1} s, index {build_seconds:.1} s): \
             median {median:.0} µs, p99 {p99:.0} µs, max {max:.0} µs, {mean_candidates:.1} candidates each",
            arrivals.len(),
            index.len()
        );
    }
    Ok(())
}
