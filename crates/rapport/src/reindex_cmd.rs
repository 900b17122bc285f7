//! `rapport reindex`: every live profile's identity and search keys made again from its
//! stored document, page by page, each page in one transaction.
//!
//! Keys are written with a profile, so a change to how they are made (Han characters read
//! as in names, so that `shen wei` finds `沈伟`) reaches a stored profile only when it is
//! next written. Running this once after such an upgrade brings the whole base in line;
//! the server can keep running meanwhile.

use std::io::IsTerminal;
use std::sync::Arc;

use rapport_dedupe::base::{bar, PAGE};
use rapport_store::Store;

/// Rebuilds the keys of every live profile; returns how many.
pub async fn run(store: Arc<dyn Store>) -> anyhow::Result<u64> {
    let total = store.counts().await?.guests.max(0) as u64;
    let progress = bar(std::io::stderr().is_terminal(), total, "profiles reindexed");
    let (mut after, mut done) = (0, 0u64);
    while let Some((last, count)) = store.rebuild_keys(after, PAGE).await? {
        (after, done) = (last, done + count as u64);
        progress.set_position(done);
    }
    progress.finish_and_clear();
    Ok(done)
}
