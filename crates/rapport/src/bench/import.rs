//! Import throughput: a generated `rapport-stays` CSV imported with identity matching on.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use rapport_store::Store;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct ImportBench {
    pub backend: &'static str,
    pub rows: u64,
    pub file_bytes: u64,
    pub seconds: f64,
    pub rows_per_second: f64,
    /// Peak resident memory during the import alone, in MiB.
    pub peak_rss_mib: f64,
    /// CPU time this process used during the import, user and system, in seconds. Beside
    /// the wall time it shows how busy the cores were, and how fast the machine was that
    /// day. On PostgreSQL the server's own time is not in it.
    pub cpu_user_seconds: f64,
    pub cpu_system_seconds: f64,
    pub summary: serde_json::Value,
}

/// Peak resident set size of this process so far (VmHWM), in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time this process has used so far, user and system, in seconds. `/proc` counts it
/// in the kernel's user ticks, 100 a second on every architecture Linux runs Rapport on.
pub fn cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After the command name, which may hold spaces and parentheses: the state is the 3rd
    // field, user and system time the 14th and 15th.
    let mut fields = stat.rsplit_once(')')?.1.split_whitespace().skip(11);
    let mut seconds = || fields.next()?.parse::<u64>().ok().map(|ticks| ticks as f64 / 100.0);
    Some((seconds()?, seconds()?))
}

/// Resets the peak so the next reading covers only what follows (Linux ≥ 4.0).
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Writes `rows` generated stays to `path` unless a file with that many rows is there.
pub fn ensure_csv(path: &Path, rows: u64, seed: u64) -> anyhow::Result<()> {
    if path.exists() {
        println!("using existing {}", path.display());
        return Ok(());
    }
    let guests = (rows as f64 / 2.6).ceil() as u64;
    let config = rapport_demo::DemoConfig {
        guests,
        stays: Some(rows),
        seed,
        ..rapport_demo::DemoConfig::default()
    };
    let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let codes: Vec<String> = rapport_demo::demo_hotels().into_iter().map(|h| h.code).collect();
    let written = rapport_demo::write_stays_csv(&config, &codes, file)?;
    println!("wrote {written} rows to {}", path.display());
    Ok(())
}

pub async fn run(store: Arc<dyn Store>, csv: PathBuf, rows: u64, seed: u64) -> anyhow::Result<ImportBench> {
    ensure_csv(&csv, rows, seed)?;
    for hotel in rapport_demo::demo_hotels() {
        if store.hotel_by_code(&hotel.code).await.is_err() {
            store.create_hotel(hotel).await?;
        }
    }
    let mapping = rapport_import::Mapping::resolve("rapport-stays")?;
    reset_peak_rss();
    let cpu_before = cpu_seconds().unwrap_or_default();
    let started = std::time::Instant::now();
    let summary = rapport_import::import_file(
        store.clone(),
        &csv,
        &mapping,
        rapport_import::ImportOptions {
            progress: false,
            ..Default::default()
        },
    )
    .await
    .context("import")?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds().unwrap_or_default();
    let imported_rows = summary.rows;
    Ok(ImportBench {
        backend: store.backend(),
        rows: imported_rows,
        file_bytes: std::fs::metadata(&csv)?.len(),
        seconds,
        rows_per_second: imported_rows as f64 / seconds,
        peak_rss_mib: peak_rss_kib().unwrap_or(0) as f64 / 1024.0,
        cpu_user_seconds: cpu.0 - cpu_before.0,
        cpu_system_seconds: cpu.1 - cpu_before.1,
        summary: serde_json::to_value(&summary)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_grows_with_the_work_this_process_does() {
        let (user, system) = cpu_seconds().expect("read from /proc/self/stat");
        assert!(user >= 0.0 && system >= 0.0);
        let started = std::time::Instant::now();
        let mut sum = 0u64;
        while cpu_seconds().unwrap().0 < user + 0.05 {
            assert!(started.elapsed().as_secs() < 10, "50 ms of work never showed as user time");
            sum = (0..100_000u64).fold(sum, |a, x| a.wrapping_mul(31).wrapping_add(x));
        }
        std::hint::black_box(sum);
        // One thread's work in seconds, not some other counter: no more than the time it took
        // (other tests' threads may add a little).
        let spent = cpu_seconds().unwrap().0 - user;
        assert!(
            spent <= started.elapsed().as_secs_f64() * 2.0 + 0.02,
            "{spent} s of CPU in {:?}",
            started.elapsed()
        );
    }
}
