//! How the process's allocator reuses the memory its threads free.

use libmimalloc_sys::{mi_option_set, mi_option_t};

/// The version of mimalloc whose `mi_option_e` the options below were read from:
/// libmimalloc-sys builds mimalloc 3 by default and does not name these options. The test
/// below fails when another version is built, so their places are checked again.
#[cfg(test)]
const OPTIONS_READ_FROM: i32 = 30302;
/// `mi_option_purge_delay`.
const PURGE_DELAY: mi_option_t = 15;
/// `mi_option_page_reclaim_on_free`.
const PAGE_RECLAIM_ON_FREE: mi_option_t = 35;

/// Tunes mimalloc for a batch process that ends when its work does (`import`,
/// `bench import`). An import frees each batch's rows, profiles and keys and allocates the
/// next batch's moments later, and on our 2-core virtual machines memory the kernel hands
/// out fresh costs microseconds a page (touching 19 GiB once took 20–46 s of kernel time).
/// So:
/// - freed memory is kept for the next allocations instead of being handed back to the
///   system a second after (mimalloc's default), when it would have to be faulted in and
///   zeroed again. The 1M-row bench import was faster in each of nine alternated pairs
///   (medians 11.5 s against 11.85 s in the last four), for 50–100 MiB more peak RSS;
/// - a page left behind by a thread that has ended (each batch's planner) is taken over by
///   whichever thread frees into it, instead of staying reserved for its dead owner while
///   the next batch asks the system for fresh pages: faster in nine of ten alternated
///   pairs, median 11.2 s against 11.6 s.
///
/// Not for a server, which would keep its busiest moment's size for good.
pub fn tune_for_batches() {
    // SAFETY: `mi_option_set` only stores the value; mimalloc reads it when it purges or
    // frees.
    unsafe {
        mi_option_set(PURGE_DELAY, -1);
        mi_option_set(PAGE_RECLAIM_ON_FREE, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::{mi_option_get, mi_version};

    #[test]
    fn the_options_tuned_are_the_ones_meant() {
        // SAFETY: both only read.
        assert_eq!(
            unsafe { mi_version() },
            OPTIONS_READ_FROM,
            "another mimalloc is built: check the places of the options in its mimalloc.h"
        );
        // mimalloc reads MIMALLOC_PURGE_DELAY from the environment; without it the option
        // at that place must have the purge delay's documented default.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            // SAFETY: only reads.
            assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, 1000);
        }
        tune_for_batches();
        // SAFETY: only reads.
        unsafe {
            assert_eq!(mi_option_get(PURGE_DELAY), -1);
            assert_eq!(mi_option_get(PAGE_RECLAIM_ON_FREE), 1);
        }
    }
}
