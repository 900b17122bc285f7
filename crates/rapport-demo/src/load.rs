//! Loading a generated data set into a store, through the same import path as a file.
//!
//! Generation runs on its own thread and hands batches over a bounded channel, so
//! producing the next batch overlaps writing the last one and memory stays at a few
//! batches whatever the size.

use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use rapport_domain::hotel::Hotel;
use rapport_domain::ingest::KeyedBatch;
use rapport_store::Store;
use serde::Serialize;

use crate::config::DemoConfig;
use crate::error::DemoError;
use crate::hotels::{demo_hotels, Site};
use crate::stream::GuestStream;

/// Rows per `import_batch` call: large enough to amortise a transaction, small enough to
/// keep memory flat.
pub const BATCH_ROWS: usize = 5_000;
/// Batches generated ahead of the writer.
const BATCHES_AHEAD: usize = 3;

/// What a load did. On a second load of the same config everything is `unchanged`.
#[derive(Debug, Clone, Serialize)]
pub struct LoadSummary {
    /// Guests and stays in the data set.
    pub guests: u64,
    pub stays: u64,
    /// What was new to the database.
    pub hotels_created: u64,
    pub guests_created: u64,
    pub stays_created: u64,
    /// Rows that changed nothing already stored.
    pub unchanged: u64,
    pub elapsed: Duration,
}

/// One line for a person at a terminal: what was created, what was already there.
impl std::fmt::Display for LoadSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} guests and {} stays created, {} hotels created",
            self.guests_created, self.stays_created, self.hotels_created
        )?;
        if self.unchanged > 0 {
            write!(f, ", {} rows already stored", self.unchanged)?;
        }
        write!(f, " ({:.1} s)", self.elapsed.as_secs_f64())
    }
}

/// Creates the demo hotels that are missing (by code) and returns the stored ones in
/// the group's order, with how many were created.
pub async fn ensure_hotels(store: &dyn Store) -> Result<(Vec<Hotel>, u64), DemoError> {
    let existing = store.hotels().await?;
    let mut hotels = Vec::new();
    let mut created = 0;
    for new in demo_hotels() {
        match existing.iter().find(|h| h.code.eq_ignore_ascii_case(&new.code)) {
            Some(h) => hotels.push(h.clone()),
            None => {
                hotels.push(store.create_hotel(new).await?);
                created += 1;
            }
        }
    }
    Ok((hotels, created))
}

/// Generates the data set `config` describes and imports it into `store`. Idempotent:
/// guests carry PMS ids and stays `DEMO-<n>` references, so a second run adds nothing.
pub async fn load(store: Arc<dyn Store>, config: &DemoConfig, progress: bool) -> Result<LoadSummary, DemoError> {
    let started = Instant::now();
    let (hotels, hotels_created) = ensure_hotels(store.as_ref()).await?;
    let sites: Arc<[Site]> = Site::from_hotels(&hotels).into();
    let total = config.total_stays();
    let bar = if progress { ProgressBar::new(total) } else { ProgressBar::hidden() };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {human_pos}/{human_len} stays ({per_sec}, {eta} left)")
            .expect("a valid progress template")
            .progress_chars("=> "),
    );
    bar.set_message("loading demo group");

    let (tx, mut rx) = tokio::sync::mpsc::channel::<KeyedBatch>(BATCHES_AHEAD);
    let generator = {
        let config = config.clone();
        std::thread::Builder::new().name("demo-generator".into()).spawn(move || {
            let mut batch = KeyedBatch::with_capacity(BATCH_ROWS);
            for guest in GuestStream::new(&config, sites.clone()) {
                batch.extend(guest.into_bookings(&sites));
                if batch.len() >= BATCH_ROWS
                    && tx
                        .blocking_send(std::mem::replace(&mut batch, KeyedBatch::with_capacity(BATCH_ROWS)))
                        .is_err()
                {
                    return; // the loader stopped (an error); nothing more to do
                }
            }
            if !batch.is_empty() {
                let _ = tx.blocking_send(batch);
            }
        })?
    };

    let mut summary = LoadSummary {
        guests: config.guests,
        stays: 0,
        hotels_created,
        guests_created: 0,
        stays_created: 0,
        unchanged: 0,
        elapsed: Duration::ZERO,
    };
    let loaded = async {
        while let Some(batch) = rapport_store::staging::next_batch(store.as_ref(), &mut rx).await? {
            let rows = batch.len() as u64;
            let outcome = store.stage_import_batch(batch).await?;
            for row in &outcome.rows {
                summary.guests_created += u64::from(row.guest_created);
                summary.stays_created += u64::from(row.stay_created);
                summary.unchanged += u64::from(row.unchanged);
            }
            summary.stays += rows;
            bar.inc(rows);
        }
        Ok::<_, DemoError>(())
    }
    .await;
    // After a generator error the staged batches are stored; after a storage error they were
    // rolled back with the failed batch, and nothing is left to commit.
    let committed = store.commit_import().await;
    loaded?;
    committed?;
    generator.join().map_err(|_| DemoError::Generator)?;
    bar.finish_and_clear();
    summary.elapsed = started.elapsed();
    tracing::info!(
        guests = summary.guests,
        stays = summary.stays,
        guests_created = summary.guests_created,
        stays_created = summary.stays_created,
        elapsed_ms = summary.elapsed.as_millis() as u64,
        "demo group loaded"
    );
    Ok(summary)
}
