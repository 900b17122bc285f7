//! Scheduling priority for the threads that serve an import's one writer.
//!
//! SQLite takes one writer at a time, so an import goes as fast as its writer thread. The
//! threads around it (the file reader, the planner, the look-ahead, the checkpointer and
//! the threads that free written batches) together need about as much CPU as the writer,
//! and on a two-core machine they took turns with it on its core. At a lower priority
//! they run whenever the writer leaves a core to them, and do not preempt it: a million
//! rows took 10.3–10.9 s with them lowered against 10.6–11.9 s without, in three rounds
//! (`docs/benchmarks.md`).
//!
//! How far each steps back follows how soon the writer waits for it. The planner, which
//! the writer waits on within a batch, is not lowered at all; the look-ahead is needed one
//! batch later; the reader fills a queue of batches and only has to keep up on average.
//! With the planner lowered like the reader (nice 5 for all three), the writer sat waiting
//! for its stays; graded this way a million rows took a median 11.6 s against 12.35 s
//! (four alternated rounds, faster in each).

/// How far a thread steps back.
#[derive(Debug, Clone, Copy)]
pub enum Helper {
    /// Looks the next batch up while the writer writes this one.
    LookingAhead,
    /// Reads and parses the file into batches, which queue up for the writer.
    Reading,
    /// Work nothing waits for (freeing memory, checkpoints).
    Background,
}

/// Lowers the calling thread's priority for the rest of its life. Only for threads of
/// their own: an unprivileged thread cannot take its priority back, so a pooled thread
/// must never call this. Does nothing where the priority is per process rather than per
/// thread (everywhere but Linux), or where the system refuses.
pub fn lower_this_thread(helper: Helper) {
    #[cfg(target_os = "linux")]
    {
        let nice = match helper {
            Helper::LookingAhead => 10,
            Helper::Reading => 15,
            Helper::Background => 19,
        };
        // SAFETY: setpriority takes no pointers. On Linux the nice value belongs to the
        // thread (`who` 0 is the caller), not to the whole process.
        let _ = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, nice) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = helper;
}

/// Frees what a written import batch leaves behind on a thread of its own: a batch's
/// stays, profiles and keys are a few hundred thousand allocations, made on the reader
/// thread, and freeing them was about a fifteenth of the SQLite writer's time (what
/// planning read, see `Spent`, a further fortieth); on PostgreSQL it held up the next
/// batch's profiles. Should no thread start, the value is freed here as the spawn gives it
/// back.
pub(crate) fn free_elsewhere<T: Send + 'static>(spent: T) {
    let _ = std::thread::Builder::new().name("rapport-import-free".into()).spawn(move || {
        lower_this_thread(Helper::Background);
        drop(spent)
    });
}
