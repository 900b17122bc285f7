//! Checkpoints of an import's WAL on a thread and connection of their own.
//!
//! A checkpoint copies the pages committed to the WAL back into the database file. Left to
//! the writer (SQLite's automatic checkpoint runs inside the `COMMIT` that crosses the
//! interval), a million-row import spent about 1.6 s of its 12.5 s copying pages on the
//! writer's thread while the other core had time to spare. A passive checkpoint on another
//! connection runs beside the writer: it copies what was committed before it began and
//! leaves the rest to the next one. The writer's own automatic checkpoint stays as the
//! bound on the WAL's size should this thread fall behind.

use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};

use crate::priority::Helper;
use crate::Result;

/// The checkpointing thread, asked to run after each commit of import batches. Dropping it
/// finishes the checkpoint asked for last, then stops the thread.
pub(super) struct Checkpointer {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    /// Wakes the thread: a checkpoint was asked for, or it is to stop.
    asked: Condvar,
    /// Wakes those waiting for a checkpoint to finish.
    finished: Condvar,
}

/// Checkpoints are numbered as they are asked for; `finished` is the number of the last
/// one asked for when the latest run began, so every request up to it is served.
#[derive(Default)]
struct State {
    asked: u64,
    finished: u64,
    stopping: bool,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // The lock guards only counters and no code panics while holding it.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Checkpointer {
    /// Opens a connection to the database at `path` and starts the thread.
    pub(super) fn start(path: &Path) -> Result<Self> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        super::pool::configure(&conn)?;
        let shared = Arc::new(Shared::default());
        let thread = std::thread::Builder::new()
            .name("rapport-checkpoint".into())
            .spawn({
                let shared = shared.clone();
                move || run(&conn, &shared)
            })
            .map_err(|e| crate::StoreError::Task(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Self {
            shared,
            thread: Some(thread),
        })
    }

    /// Asks for a checkpoint of everything committed so far, without waiting for it.
    pub(super) fn ask(&self) -> u64 {
        let mut state = self.shared.state();
        state.asked += 1;
        self.shared.asked.notify_one();
        state.asked
    }

    /// Asks for a checkpoint and waits until it has run.
    pub(super) fn checkpoint(&self) {
        let ticket = self.ask();
        let mut state = self.shared.state();
        while state.finished < ticket {
            state = self.shared.finished.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.shared.state().stopping = true;
        self.shared.asked.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The thread: one passive checkpoint for all the requests that came in while the last
/// one ran. A failed checkpoint is only logged: the pages stay in the WAL, where readers
/// find them, and the next checkpoint copies them.
fn run(conn: &Connection, shared: &Shared) {
    crate::priority::lower_this_thread(Helper::Background);
    loop {
        let ticket = {
            let mut state = shared.state();
            while state.asked == state.finished && !state.stopping {
                state = shared.asked.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if state.asked == state.finished {
                return;
            }
            state.asked
        };
        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(error = %e, "checkpoint of the WAL failed; the next one copies its pages");
        }
        shared.state().finished = ticket;
        shared.finished.notify_all();
    }
}
