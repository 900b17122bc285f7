//! Work spread over every core with scoped threads (no thread pool dependency: the
//! matcher's two hot loops, preparing and comparing, are plain maps over a slice).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::batch::{Progress, Stage};

/// `f` over `items` on every core, in order, reporting progress per chunk.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    stage: Stage,
    progress: &(dyn Fn(Progress) + Sync),
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    const CHUNK: usize = 16_384;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let total = items.len() as u64;
    let done = AtomicU64::new(0);
    let per_thread = items.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<R>> = std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(per_thread)
            .map(|part| {
                let (f, done) = (&f, &done);
                s.spawn(move || {
                    let mut out = Vec::with_capacity(part.len());
                    for chunk in part.chunks(CHUNK) {
                        out.extend(chunk.iter().map(f));
                        let d = done.fetch_add(chunk.len() as u64, Ordering::Relaxed) + chunk.len() as u64;
                        progress(Progress { stage, done: d, total });
                    }
                    out
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a matching worker panicked")).collect()
    });
    parts.into_iter().flatten().collect()
}
