//! The import pipeline: a blocking thread reads and converts rows into batches and sends
//! them through a bounded channel while the async side writes the previous batch, so
//! parsing and storage overlap and memory holds at most a few batches, whatever the
//! file's size.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use csv::ByteRecord;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rapport_domain::ingest::KeyedBatch;
use rapport_store::{ImportBatch, Store};
use tokio::sync::mpsc;

use crate::card::is_card_header;
use crate::error::ImportError;
use crate::mapping::Mapping;
use crate::rejects::RejectsFile;
use crate::rows::RowReader;
use crate::summary::{ImportOptions, ImportSummary, ParseStats};

/// Batches in flight between the reader and the writer: one being written, one ready.
const CHANNEL_BATCHES: usize = 2;

/// Imports a CSV file through `mapping`; see the crate docs for what is stored and skipped.
pub async fn import_file(
    store: Arc<dyn Store>,
    path: &Path,
    mapping: &Mapping,
    options: ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let started = Instant::now();
    let read_err = |e: std::io::Error| ImportError::Read {
        path: path.to_path_buf(),
        source: e,
    };
    let rejects = RejectsFile::new(options.rejects_path.clone().unwrap_or_else(|| RejectsFile::default_path(path)));
    rejects.refuse_input(path)?;
    let file = File::open(path).map_err(read_err)?;
    let size = file.metadata().map_err(read_err)?.len();

    let progress = options.progress.then(|| progress_bar(size));
    let counted = CountingReader {
        inner: file,
        progress: progress.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(mapping.source.delimiter as u8)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(BufReader::with_capacity(1 << 16, counted));
    let headers = read_headers(&mut reader, path)?;

    let mut summary = ImportSummary {
        file: path.to_path_buf(),
        mapping: mapping.label.clone(),
        ..ImportSummary::default()
    };
    for h in headers.iter().filter(|h| is_card_header(h)) {
        summary
            .warnings
            .push(format!("column '{h}' looks like payment-card data and was not read"));
    }
    let (hotels, created) = crate::hotels::prepare(store.as_ref(), mapping).await?;
    summary.hotels_created = created;
    let rows = RowReader::new(mapping, headers, hotels).map_err(|message| ImportError::Header {
        path: path.to_path_buf(),
        message,
    })?;

    let (tx, mut rx) = mpsc::channel::<KeyedBatch>(CHANNEL_BATCHES);
    let batch_size = options.batch_size.max(1);
    // A thread of its own rather than the blocking pool: it runs for the whole import, and
    // a name makes it easy to find in a profiler.
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("rapport-import-reader".into())
        .spawn(move || {
            rapport_store::priority::lower_this_thread(rapport_store::priority::Helper::Reading);
            let _ = done_tx.send(parse_rows(reader, rows, rejects, batch_size, tx));
        })
        .map_err(|e| ImportError::Reader(format!("cannot start the reader thread: {e}")))?;

    let mut stored: Result<(), ImportError> = Ok(());
    // Each batch is looked up ahead while the one before it is staged (see
    // `Store::look_ahead`).
    let mut next = look_ahead(store.as_ref(), &mut rx).await;
    loop {
        let batch = match next {
            Ok(Some(batch)) => batch,
            Ok(None) => break,
            Err(e) => {
                stored = Err(e.into());
                break;
            }
        };
        let (staged, ahead) = tokio::join!(store.stage_ahead(batch), look_ahead(store.as_ref(), &mut rx));
        next = ahead;
        match staged {
            Ok(outcome) => {
                for o in &outcome.rows {
                    if o.unchanged {
                        summary.unchanged += 1;
                    } else {
                        summary.imported += 1;
                    }
                    if o.guest_created {
                        summary.guests_created += 1;
                    } else {
                        summary.guests_matched += 1;
                    }
                    summary.stays_created += u64::from(o.stay_created);
                }
                summary.new_guests.extend_from_slice(&outcome.new_guest_ids);
                if let Some(p) = &progress {
                    p.set_message(format!("{} rows stored", summary.imported + summary.unchanged));
                }
            }
            Err(e) => {
                // Dropping the receiver stops the reader at its next batch.
                stored = Err(e.into());
                break;
            }
        }
    }
    drop(rx);
    // After a reader error the staged batches are stored; after a storage error they were
    // rolled back with the failed batch, and nothing is left to commit.
    let committed = store.commit_import().await;
    let parsed = done_rx
        .await
        .map_err(|_| ImportError::Reader("the reader thread panicked".into()))?;
    stored?;
    committed?;
    let (stats, rejects_file) = parsed?;
    if let Some(p) = &progress {
        p.finish_and_clear();
    }

    summary.rows = stats.rows;
    summary.rejected = stats.rejected;
    summary.flagged_contacts = stats.flagged_contacts;
    summary.card_values_dropped = stats.card_values_dropped;
    summary.fields_ignored = stats.fields_ignored;
    summary.fields_flagged = stats.fields_flagged;
    if stats.card_values_dropped > 0 {
        summary.warnings.push(format!(
            "{} value(s) looked like payment-card numbers and were not stored",
            stats.card_values_dropped
        ));
    }
    summary.warnings.extend(stats.warnings);
    summary.rejects_file = rejects_file;
    let elapsed = started.elapsed();
    summary.elapsed_ms = elapsed.as_millis() as u64;
    summary.rows_per_second = if elapsed.as_secs_f64() > 0.0 {
        (stats.rows as f64 / elapsed.as_secs_f64()).round()
    } else {
        0.0
    };
    tracing::info!(
        rows = summary.rows,
        imported = summary.imported,
        rejected = summary.rejected,
        ms = summary.elapsed_ms,
        "import finished"
    );
    Ok(summary)
}

/// The importer's next batch, looked up ahead (`None` once the reader is done).
async fn look_ahead(store: &dyn Store, rx: &mut mpsc::Receiver<KeyedBatch>) -> rapport_store::Result<Option<ImportBatch>> {
    match rapport_store::staging::next_batch(store, rx).await? {
        Some(batch) => store.look_ahead(batch).await.map(Some),
        None => Ok(None),
    }
}

fn read_headers<R: Read>(reader: &mut csv::Reader<R>, path: &Path) -> Result<Vec<String>, ImportError> {
    let header_err = |message: String| ImportError::Header {
        path: path.to_path_buf(),
        message,
    };
    let raw = reader
        .byte_headers()
        .map_err(|e| header_err(format!("cannot read the header: {e}")))?
        .clone();
    if raw.is_empty() {
        return Err(header_err("the file is empty; it needs a header row".into()));
    }
    raw.iter()
        .enumerate()
        .map(|(i, h)| {
            let h = if i == 0 { h.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(h) } else { h };
            std::str::from_utf8(h)
                .map(|s| s.trim().to_string())
                .map_err(|_| header_err(format!("header column {} is not valid UTF-8", i + 1)))
        })
        .collect()
}

/// The reader thread: records → bookings in batches, with their identity keys (worked
/// out here, off the storage writer); bad rows → the rejects file.
fn parse_rows<R: Read>(
    mut reader: csv::Reader<R>,
    rows: RowReader,
    mut rejects: RejectsFile,
    batch_size: usize,
    tx: mpsc::Sender<KeyedBatch>,
) -> Result<(ParseStats, Option<std::path::PathBuf>), ImportError> {
    let mut stats = ParseStats::default();
    let mut record = ByteRecord::new();
    let mut batch = KeyedBatch::with_capacity(batch_size);
    let width = rows.width();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(ImportError::Reader(e.to_string())),
        }
        let line = record.position().map_or(0, |p| p.line());
        stats.rows += 1;
        let result = if record.len() != width {
            Err(crate::rows::Reject {
                column: String::new(),
                reason: format!("expected {width} fields, found {}", record.len()),
            })
        } else {
            rows.read(&record, line, &mut stats)
        };
        match result {
            Ok(booking) => batch.push(booking),
            Err(reject) => {
                stats.rejected += 1;
                rejects.write(line, &reject.column, &reject.reason, &record, |i| rows.is_card_column(i))?;
            }
        }
        if batch.len() >= batch_size {
            let full = std::mem::replace(&mut batch, KeyedBatch::with_capacity(batch_size));
            if tx.blocking_send(full).is_err() {
                // The writer stopped (a storage error); it reports why.
                return Ok((stats, rejects.finish()?));
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.blocking_send(batch);
    }
    Ok((stats, rejects.finish()?))
}

fn progress_bar(size: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(size), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, eta {eta}) {msg}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}

/// Counts bytes as the CSV reader pulls them, for the progress bar.
struct CountingReader {
    inner: File,
    progress: Option<ProgressBar>,
}

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = &self.progress {
            p.inc(n as u64);
        }
        Ok(n)
    }
}
