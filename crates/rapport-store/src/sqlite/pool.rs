//! SQLite connections: one writer, several readers.
//!
//! WAL lets readers run beside the writer; funnelling every write through one connection
//! under a mutex (and `BEGIN IMMEDIATE`) means concurrent writers queue instead of failing
//! with SQLITE_BUSY.

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::ahead::{Marks, Written};
use super::checkpoint::Checkpointer;
use crate::{Result, StoreError};

/// Readers kept open; more are opened on demand under load and dropped afterwards.
const IDLE_READERS: usize = 16;

/// Import batches share a commit until they hold this many rows or their transaction has
/// been open this long. Every commit writes each page the batches dirtied to the WAL once,
/// and at a million imported rows a 20,000-row batch dirties most pages of the key
/// indexes: a dozen batches per commit write those pages once instead of a dozen times
/// (250,000 rows a commit against 100,000: 11.05 s against 11.35 s for a million rows,
/// medians of four alternated pairs, faster in each). The time bound, which a slower
/// machine reaches first, caps how long another process's writer (which waits up to the
/// busy timeout) and readers (which see staged rows only once committed) wait on an import.
const STAGED_ROWS: usize = 250_000;
const STAGED_FOR: Duration = Duration::from_secs(3);

pub(crate) struct Pool {
    path: PathBuf,
    writer: Mutex<Writer>,
    readers: Mutex<Vec<Connection>>,
    /// The writer's marks, for look-aheads (see [`Pool::read_ahead_now`]).
    marks: Arc<Marks>,
}

/// The one writing connection, and the import transaction it may hold open between batches.
struct Writer {
    conn: Connection,
    staged: Option<Staged>,
    /// Why staged batches were lost while their importer was not the caller (a commit
    /// run on another writer's behalf failed, or a batch panicked), kept for the
    /// importer's next call.
    lost: Option<String>,
    /// Copies committed import batches from the WAL into the database file beside the
    /// writer (declared after `conn`, so it is dropped, and finishes, last).
    checkpoints: Checkpointer,
    /// What staged import batches wrote lately, for batches looked up ahead.
    written: Written,
    /// The database's data version as this connection last saw it: it changes when
    /// another connection, in any process, commits.
    data_version: i64,
}

/// Staged batches were reported written to their importer: a store dropped before the
/// importer committed them (a caller that forgot, a task cancelled) commits them still.
impl Drop for Writer {
    fn drop(&mut self) {
        if let Err(e) = self.settle() {
            tracing::error!(error = %e, "staged import batches could not be committed on close");
        }
    }
}

/// An open transaction of import batches.
struct Staged {
    begun: Instant,
    rows: usize,
}

impl Writer {
    /// Commits the staged import batches, if any. Foreign-key checks, off for them, come
    /// back on (the pragma is ignored inside a transaction, so it is switched around it).
    fn settle(&mut self) -> Result<()> {
        let Some(staged) = self.staged.take() else {
            return Ok(());
        };
        let committed = self.conn.execute_batch("COMMIT");
        if committed.is_err() && !self.conn.is_autocommit() {
            // A failed commit may leave the transaction open (SQLITE_BUSY does).
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        if committed.is_ok() {
            self.written.committed();
            self.checkpoints.ask();
        } else {
            self.written.new_generation();
        }
        self.foreign_keys_on();
        committed.map_err(|e| StoreError::ImportNotCommitted(format!("{} rows: {e}", staged.rows)))
    }

    /// Foreign-key checks back on after staged batches. Logged, not returned: the caller's
    /// own outcome (rows stored or lost) is what it must report.
    fn foreign_keys_on(&self) {
        if let Err(e) = self.conn.execute_batch("PRAGMA foreign_keys = ON") {
            tracing::error!(error = %e, "cannot switch SQLite foreign keys back on");
        }
    }

    /// Settles staged batches before a write of its own: that write then runs in its own
    /// transaction. A failed commit is kept for the importer, whose rows it lost; the
    /// write itself goes ahead.
    fn settle_for_other(&mut self) -> Result<()> {
        match self.settle() {
            Err(StoreError::ImportNotCommitted(why)) => {
                tracing::error!(error = %why, "staged import batches could not be committed");
                self.lost = Some(why);
                Ok(())
            }
            other => other,
        }
    }
}

/// The page size of a database Rapport creates. Larger than SQLite's 4 KiB default: a bulk
/// import keeps twelve b-trees growing at once (six tables and their indexes), and with
/// 16 KiB pages each splits a quarter as often and commits a quarter as many WAL frames.
/// Copying an imported million rows into fresh tables took 9.6–10.2 s with 16 KiB pages
/// against 12.9–13.0 s with 4 KiB (`bench/import_floor.sh`); 32 KiB gained nothing more
/// and 64 KiB lost some. A database created with another page size keeps it.
const PAGE_SIZE: i64 = 16 * 1024;

/// Settings every connection gets. The page size first: it only takes effect while the
/// file is still empty, and switching to WAL writes the file's first page.
pub(super) fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;",
    )?;
    conn.set_prepared_statement_cache_capacity(128);
    Ok(())
}

/// Readers map the file: primary-key reads then cost no copy into a private cache.
fn configure_reader(conn: &Connection) -> Result<()> {
    configure(conn)?;
    conn.execute_batch("PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824;")?;
    Ok(())
}

/// The writer keeps a larger private page cache instead: a bulk import dirties index pages
/// all over the file, and a page changed many times within a transaction is then written
/// to the WAL once at commit instead of spilling on every change. Not much larger: every
/// page of the cache is memory the kernel must hand out and zero once per process, which
/// on our virtual machines costs about what the spills it saves do. With 128 MiB instead
/// of 512 MiB a 1M-row bench import took a median 10.9 s against 11.3 s (six alternated
/// pairs, faster in five) and a 2M-row one 26.4 s against 26.0 s, peaking at 750–900 MiB
/// instead of 1,150–1,300 MiB. Import commits are checkpointed beside the writer (see
/// [`Checkpointer`]); the writer's own automatic checkpoint is the bound for other writes
/// and should that thread fall behind. A larger interval copies each hot page back once
/// per interval, not once per commit: at a million imported rows a 20,000-row batch
/// commits up to ~130 MB of index pages, so a 64 MB interval checkpointed (and synced)
/// after every batch; 512 MB lets each checkpoint cover several. The journal size limit gives the disk back once a checkpoint has reset
/// the WAL. Both are bounded, so memory does not grow with the size of an import.
fn configure_writer(conn: &Connection) -> Result<()> {
    configure(conn)?;
    conn.execute_batch("PRAGMA cache_size = -131072; PRAGMA mmap_size = 0; PRAGMA journal_size_limit = 67108864;")?;
    // The interval counts pages, whose size depends on when the file was created.
    let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
    conn.pragma_update(None, "wal_autocheckpoint", CHECKPOINT_BYTES / page_size.max(512))?;
    Ok(())
}

/// How much WAL the writer lets build up before checkpointing (see [`configure_writer`]).
const CHECKPOINT_BYTES: i64 = 512 * 1024 * 1024;

/// See [`Writer::data_version`].
fn data_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
}

/// The writer held for a write other than an import batch's. What that write changes is
/// unknown to batches looked up ahead, so releasing it starts a new generation (after the
/// write has committed: a look-ahead that began before then is then refused).
struct OtherWrite<'p>(MutexGuard<'p, Writer>);

impl Deref for OtherWrite<'_> {
    type Target = Writer;

    fn deref(&self) -> &Writer {
        &self.0
    }
}

impl DerefMut for OtherWrite<'_> {
    fn deref_mut(&mut self) -> &mut Writer {
        &mut self.0
    }
}

impl Drop for OtherWrite<'_> {
    fn drop(&mut self) {
        self.0.written.new_generation();
    }
}

/// Runs `f` in an immediate transaction; commits if it succeeds, rolls back otherwise.
fn in_transaction<T>(conn: &mut Connection, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

impl Pool {
    pub(crate) fn open(path: &Path) -> Result<Arc<Self>> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Task(format!("cannot create {}: {e}", dir.display())))?;
        }
        let conn = Connection::open(path)?;
        configure_writer(&conn)?;
        let data_version = data_version(&conn)?;
        let written = Written::default();
        Ok(Arc::new(Self {
            path: path.to_path_buf(),
            marks: written.marks(),
            writer: Mutex::new(Writer {
                conn,
                staged: None,
                lost: None,
                checkpoints: Checkpointer::start(path)?,
                written,
                data_version,
            }),
            readers: Mutex::new(Vec::new()),
        }))
    }

    fn reader(&self) -> Result<Connection> {
        if let Some(c) = self.readers.lock().expect("reader pool poisoned").pop() {
            return Ok(c);
        }
        let c = Connection::open_with_flags(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        configure_reader(&c)?;
        Ok(c)
    }

    /// Runs a read on the calling thread. Meant for short indexed reads (a primary-key
    /// lookup takes microseconds), where handing off to a blocking thread would cost more
    /// than the query.
    pub(crate) fn read_now<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = self.reader()?;
        let out = f(&conn);
        let mut idle = self.readers.lock().expect("reader pool poisoned");
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        out
    }

    /// Runs `f` in one read transaction, with the writer's marks as they stood before it
    /// began: what an import batch looked up ahead needs (see `ahead`).
    pub(crate) fn read_ahead_now<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<(T, (u64, u64))> {
        self.read_now(|c| {
            let marks = self.marks.now();
            c.execute_batch("BEGIN")?;
            let out = f(c);
            // Ends the snapshot; a read-only transaction has nothing to lose.
            let ended = c.execute_batch("COMMIT");
            let out = out?;
            ended?;
            Ok((out, marks))
        })
    }

    /// Runs a read on tokio's blocking pool.
    pub(crate) async fn read<T: Send + 'static>(self: &Arc<Self>, f: impl FnOnce(&Connection) -> Result<T> + Send + 'static) -> Result<T> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.read_now(f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// The writer. After a panic while it was held, a transaction the panic left open
    /// (only an import batch can: every other write's transaction rolls back as it
    /// unwinds) is rolled back, never committed half-written, and the importer told.
    fn lock_writer(&self) -> MutexGuard<'_, Writer> {
        self.writer.lock().unwrap_or_else(|poisoned| {
            let mut w = poisoned.into_inner();
            w.written.new_generation();
            w.staged = None;
            if !w.conn.is_autocommit() {
                let _ = w.conn.execute_batch("ROLLBACK");
                w.lost = Some("an import batch panicked; the batches staged with it were rolled back".into());
            }
            w.foreign_keys_on();
            self.writer.clear_poison();
            w
        })
    }

    /// The writer, with any staged import batches committed: every write but the staging
    /// itself runs in a transaction of its own.
    fn writer(&self) -> Result<OtherWrite<'_>> {
        let mut w = self.lock_writer();
        w.settle_for_other()?;
        Ok(OtherWrite(w))
    }

    /// Runs `f` in an immediate transaction on the single writer; commits if it succeeds.
    pub(crate) fn write_now<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        in_transaction(&mut self.writer()?.conn, f)
    }

    /// Writes one import batch of `rows` rows in the writer's open import transaction
    /// (begun if none is), without foreign-key checks (see [`Pool::write_bulk_now`]). The
    /// transaction commits once it holds [`STAGED_ROWS`] rows or has been open for
    /// [`STAGED_FOR`], before any other write, or on [`Pool::commit_staged`].
    ///
    /// A batch that fails rolls back the whole transaction, the batches staged before it
    /// too: the error says so. A savepoint per batch would keep them, but SQLite then
    /// truncates the in-memory sub-journal, walking its chunk list, at the end of every
    /// statement, and a few batches in, each insert took longer than the batch had.
    pub(crate) fn stage_now<T>(&self, rows: usize, f: impl FnOnce(&Connection, &mut Written) -> Result<T>) -> Result<T> {
        let mut w = self.lock_writer();
        if let Some(why) = w.lost.take() {
            return Err(StoreError::ImportNotCommitted(why));
        }
        let staged = match w.staged.take() {
            Some(staged) => staged,
            None => {
                w.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
                if let Err(e) = w.conn.execute_batch("BEGIN IMMEDIATE") {
                    w.foreign_keys_on();
                    return Err(e.into());
                }
                // Another process may have written since this connection last held the
                // lock; nothing can now until the transaction ends.
                let seen = match data_version(&w.conn) {
                    Ok(v) => v,
                    Err(e) => {
                        let _ = w.conn.execute_batch("ROLLBACK");
                        w.foreign_keys_on();
                        return Err(e);
                    }
                };
                if seen != w.data_version {
                    w.data_version = seen;
                    w.written.new_generation();
                }
                Staged {
                    begun: Instant::now(),
                    rows: 0,
                }
            }
        };
        let w = &mut *w;
        match f(&w.conn, &mut w.written) {
            Ok(out) => {
                let rows = staged.rows + rows;
                let full = rows >= STAGED_ROWS || staged.begun.elapsed() >= STAGED_FOR;
                w.staged = Some(Staged { rows, ..staged });
                if full {
                    w.settle()?;
                }
                Ok(out)
            }
            Err(e) => {
                let _ = w.conn.execute_batch("ROLLBACK");
                w.written.new_generation();
                w.foreign_keys_on();
                Err(if staged.rows == 0 {
                    e
                } else {
                    StoreError::ImportNotCommitted(format!("{} rows staged before a batch that failed: {e}", staged.rows))
                })
            }
        }
    }

    pub(crate) async fn stage<T: Send + 'static>(
        self: &Arc<Self>,
        rows: usize,
        f: impl FnOnce(&Connection, &mut Written) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.stage_now(rows, f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Commits the staged import batches; an error says they, or earlier ones whose
    /// commit another write set off, were not stored.
    pub(crate) async fn commit_staged(self: &Arc<Self>) -> Result<()> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.commit_staged_now())
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    fn commit_staged_now(&self) -> Result<()> {
        let mut w = self.lock_writer();
        if let Some(why) = w.lost.take() {
            return Err(StoreError::ImportNotCommitted(why));
        }
        w.settle()?;
        // What the import left in the WAL goes into the database file now, as part of
        // the import (and of its measured time), not onto the next process that opens
        // it. Passive: a reader in the way only leaves the rest for the next checkpoint.
        // The rows are committed either way, so a failure there is only logged.
        w.checkpoints.checkpoint();
        Ok(())
    }

    /// Like [`Pool::write_now`], without foreign-key checks, for bulk loads whose rows
    /// reference only ids that the same transaction just read or created. SQLite checks
    /// each reference with an index probe; an import batch makes millions of them.
    /// (The pragma has no effect inside a transaction, so it is switched around it.)
    pub(crate) fn write_bulk_now<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut w = self.writer()?;
        w.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let out = in_transaction(&mut w.conn, f);
        w.conn.execute_batch("PRAGMA foreign_keys = ON")?;
        out
    }

    pub(crate) async fn write_bulk<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Transaction) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.write_bulk_now(f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Like [`Pool::write_bulk`], then empties the WAL into the database file. For writes of
    /// hundreds of megabytes at once (the nightly scores): a WAL left that large is searched
    /// by every later read, and a process that ends without closing its connections (the CLI)
    /// leaves the next one to scan all of it on opening and copy it back again. Waits for
    /// readers (the busy timeout) and gives up quietly if they stay: the commit stands either way.
    pub(crate) async fn write_bulk_and_checkpoint<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Transaction) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let out = pool.write_bulk_now(f)?;
            pool.writer()?.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(out)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }

    pub(crate) async fn write<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&Transaction) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.write_now(f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(pool: &Pool) -> i64 {
        pool.read_now(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
            .unwrap()
    }

    fn insert(c: &Connection, v: i64) -> Result<()> {
        c.execute("INSERT INTO t (v) VALUES (?1)", [v])?;
        Ok(())
    }

    #[test]
    fn a_panicking_batch_is_rolled_back_with_its_staged_batches_and_the_importer_told() {
        let dir = tempfile::tempdir().unwrap();
        let pool = Pool::open(&dir.path().join("t.db")).unwrap();
        pool.write_now(|tx| Ok(tx.execute_batch("CREATE TABLE t (v INTEGER)")?)).unwrap();
        pool.write_now(|tx| insert(tx, 1)).unwrap();
        pool.stage_now(1, |c, _| insert(c, 2)).unwrap();

        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.stage_now(1, |c, _| -> Result<()> {
                insert(c, 3).unwrap();
                panic!("a bug in the middle of a batch")
            })
        }));
        assert!(panicked.is_err());

        // The next write runs in a transaction of its own; neither the batch staged before
        // the panic nor the half-written one is committed with it.
        pool.write_now(|tx| insert(tx, 4)).unwrap();
        assert_eq!(count(&pool), 2);
        // The importer hears of it once, then stages and commits normally again.
        let err = pool.stage_now(1, |c, _| insert(c, 5)).unwrap_err();
        assert!(
            matches!(err, StoreError::ImportNotCommitted(ref why) if why.contains("panicked")),
            "{err}"
        );
        pool.stage_now(1, |c, _| insert(c, 5)).unwrap();
        let w = pool.lock_writer();
        assert!(w.staged.is_some());
        drop(w);
        pool.write_now(|tx| insert(tx, 6)).unwrap();
        assert_eq!(count(&pool), 4);
    }

    /// Rows in the database file itself, WAL aside: `immutable` reads the file as it is.
    fn in_file(path: &Path) -> i64 {
        let uri = format!("file:{}?immutable=1", path.display());
        let c = Connection::open_with_flags(&uri, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI).unwrap();
        c.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn an_import_is_in_the_database_file_once_committed_not_only_in_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        let pool = Pool::open(&path).unwrap();
        pool.write_now(|tx| Ok(tx.execute_batch("CREATE TABLE t (v INTEGER)")?)).unwrap();
        pool.commit_staged_now().unwrap();
        for v in 0..1000 {
            pool.stage_now(1, |c, _| insert(c, v)).unwrap();
        }
        // Staged rows are neither visible nor in the file before the commit.
        assert_eq!((count(&pool), in_file(&path)), (0, 0));
        pool.commit_staged_now().unwrap();
        assert_eq!((count(&pool), in_file(&path)), (1000, 1000));

        // A commit the staging makes on its own (the batches reached their bound) is
        // copied into the file too, by the checkpoint thread, without waiting for the end.
        // Nothing reads through the pool meanwhile: a passive checkpoint leaves the pages a
        // reader may still need for the next one, and no commit here would ask for it.
        pool.stage_now(STAGED_ROWS, |c, _| insert(c, 1000)).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while in_file(&path) < 1001 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(in_file(&path), 1001);
        assert_eq!(count(&pool), 1001);
    }

    /// The options `.cargo/config.toml` gives the bundled SQLite are in the build: a build
    /// without them (another workspace, a changed `libsqlite3-sys`) would be slower without
    /// any test failing otherwise.
    #[test]
    fn sqlite_is_built_without_global_memory_statistics_and_shared_page_cache_group() {
        let dir = tempfile::tempdir().unwrap();
        let pool = Pool::open(&dir.path().join("t.db")).unwrap();
        let options: Vec<String> = pool
            .read_now(|c| crate::sqlite::query_all(c, "PRAGMA compile_options", [], |r| Ok(r.get(0)?)))
            .unwrap();
        assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
        assert!(!options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"), "{options:?}");
    }
}
