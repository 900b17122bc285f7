//! Feeding an import's batches to [`Store::stage_import_batch`](crate::Store::stage_import_batch).

use std::time::Duration;

use tokio::sync::mpsc;

use crate::{Result, Store};

/// How long an importer waits for its next batch before committing what it has staged.
/// An open import transaction holds SQLite's write lock, and a writer in another process
/// (a running server) gives up after its 10-second busy timeout; a reader held up by
/// rejected rows or a slow disk must not keep the lock that long.
pub const IDLE_COMMIT: Duration = Duration::from_secs(1);

/// The next batch from `rx` (`None` once the sender is done), committing the staged
/// batches each time none has come for [`IDLE_COMMIT`].
pub async fn next_batch<T>(store: &dyn Store, rx: &mut mpsc::Receiver<T>) -> Result<Option<T>> {
    loop {
        match tokio::time::timeout(IDLE_COMMIT, rx.recv()).await {
            Ok(next) => return Ok(next),
            Err(_) => store.commit_import().await?,
        }
    }
}
