//! SQLite connections: one writer, several readers.
//!
//! WAL lets readers run beside the writer; funnelling every write through one connection
//! under a mutex (and `BEGIN IMMEDIATE`) means concurrent writers queue instead of failing
//! with SQLITE_BUSY.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::{Result, StoreError};

/// Readers kept open; more are opened on demand under load and dropped afterwards.
const IDLE_READERS: usize = 16;

pub(crate) struct Pool {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
}

/// Settings every connection gets.
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
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

/// The writer keeps a large private page cache instead: a bulk import dirties index pages
/// all over the file, and a page changed many times within a transaction is then written
/// to the WAL once at commit instead of spilling on every change. A larger checkpoint
/// interval likewise copies each hot page back once per interval, not once per batch: at
/// a million imported rows a 20,000-row batch commits up to ~130 MB of index pages, so a 64 MB
/// interval checkpointed (and synced) after every batch; 512 MB lets each checkpoint
/// cover several. The journal size limit gives the disk back once a checkpoint has reset
/// the WAL. Both are bounded, so memory does not grow with the size of an import.
fn configure_writer(conn: &Connection) -> Result<()> {
    configure(conn)?;
    conn.execute_batch(
        "PRAGMA cache_size = -524288; PRAGMA mmap_size = 0; PRAGMA wal_autocheckpoint = 131072; PRAGMA journal_size_limit = 67108864;",
    )?;
    Ok(())
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
        let writer = Connection::open(path)?;
        configure_writer(&writer)?;
        Ok(Arc::new(Self {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
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

    /// Runs a read on tokio's blocking pool.
    pub(crate) async fn read<T: Send + 'static>(self: &Arc<Self>, f: impl FnOnce(&Connection) -> Result<T> + Send + 'static) -> Result<T> {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || pool.read_now(f))
            .await
            .map_err(|e| StoreError::Task(e.to_string()))?
    }

    /// Runs `f` in an immediate transaction on the single writer; commits if it succeeds.
    pub(crate) fn write_now<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        in_transaction(&mut conn, f)
    }

    /// Like [`Pool::write_now`], without foreign-key checks, for bulk loads whose rows
    /// reference only ids that the same transaction just read or created. SQLite checks
    /// each reference with an index probe; an import batch makes millions of them.
    /// (The pragma has no effect inside a transaction, so it is switched around it.)
    pub(crate) fn write_bulk_now<T>(&self, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let mut conn = self.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let out = in_transaction(&mut conn, f);
        conn.execute_batch("PRAGMA foreign_keys = ON")?;
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
            let conn = pool.writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
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
