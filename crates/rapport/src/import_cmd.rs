//! `rapport import FILE --mapping NAME|PATH.toml`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rapport_store::Store;

/// Exit status when some rows were rejected (the good ones are stored).
pub const EXIT_REJECTED: i32 = 2;

/// Imports the file, then (given `duplicates`) checks the profiles it created against the
/// base; returns whether every row was accepted.
pub async fn run(
    store: Arc<dyn Store>,
    file: &Path,
    mapping: &str,
    rejects: Option<PathBuf>,
    json: bool,
    duplicates: Option<rapport_match::MatchSettings>,
) -> anyhow::Result<bool> {
    let mapping = rapport_import::Mapping::resolve(mapping).with_context(|| format!("mapping '{mapping}'"))?;
    let options = rapport_import::ImportOptions {
        progress: !json && std::io::stdout().is_terminal(),
        rejects_path: rejects,
        ..Default::default()
    };
    let progress = options.progress;
    let summary = rapport_import::import_file(store.clone(), file, &mapping, options)
        .await
        .with_context(|| format!("importing {}", file.display()))?;
    // The rows are stored whatever the check finds: its failure is reported, not undone.
    let checked = match duplicates {
        Some(settings) => Some(
            rapport_dedupe::check_arrivals(store, settings, &summary.new_guests, progress)
                .await
                .context("checking the new profiles for duplicates (the import itself is stored)")?,
        ),
        None => None,
    };
    if json {
        let mut out = serde_json::to_value(&summary)?;
        out["duplicates"] = serde_json::to_value(&checked)?;
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_summary(&summary);
        match &checked {
            Some(c) => println!(
                "  duplicates {:>9}  new profiles checked: {} merged, {} queued for review ({:.1} s)",
                c.checked, c.filed.merged, c.filed.queued, c.seconds
            ),
            None => println!("  duplicates: not checked (run `rapport dedupe`)"),
        }
    }
    Ok(summary.rejected == 0)
}

fn print_summary(s: &rapport_import::ImportSummary) {
    println!("{}: {} rows with mapping {}", s.file.display(), s.rows, s.mapping);
    println!(
        "  imported   {:>9}  (guests created {}, matched {}, stays created {})",
        s.imported, s.guests_created, s.guests_matched, s.stays_created
    );
    println!("  unchanged  {:>9}", s.unchanged);
    println!(
        "  rejected   {:>9}{}",
        s.rejected,
        s.rejects_file.as_ref().map(|p| format!("  → {}", p.display())).unwrap_or_default()
    );
    if s.flagged_contacts > 0 {
        println!(
            "  {} emails/phones kept as entered but flagged (they do not normalise)",
            s.flagged_contacts
        );
    }
    if s.card_values_dropped > 0 {
        println!(
            "  {} values that looked like payment-card numbers were not stored",
            s.card_values_dropped
        );
    }
    if !s.hotels_created.is_empty() {
        println!("  hotels created: {}", s.hotels_created.join(", "));
    }
    for w in &s.warnings {
        println!("  warning: {w}");
    }
    println!("  {:.1} s, {:.0} rows/s", s.elapsed_ms as f64 / 1000.0, s.rows_per_second);
}
