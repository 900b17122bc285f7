//! `rapport import FILE --mapping NAME|PATH.toml`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rapport_store::Store;

/// Exit status when some rows were rejected (the good ones are stored).
pub const EXIT_REJECTED: i32 = 2;

/// Imports the file; returns whether every row was accepted.
pub async fn run(store: Arc<dyn Store>, file: &Path, mapping: &str, rejects: Option<PathBuf>, json: bool) -> anyhow::Result<bool> {
    let mapping = rapport_import::Mapping::resolve(mapping).with_context(|| format!("mapping '{mapping}'"))?;
    let options = rapport_import::ImportOptions {
        progress: !json && std::io::stdout().is_terminal(),
        rejects_path: rejects,
        ..Default::default()
    };
    let summary = rapport_import::import_file(store, file, &mapping, options)
        .await
        .with_context(|| format!("importing {}", file.display()))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        print_summary(&summary);
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
