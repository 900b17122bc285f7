//! How the process's allocator gives memory back to the system.

use libmimalloc_sys::{mi_option_set, mi_option_t};

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e` of mimalloc 3, the
/// version libmimalloc-sys builds by default, which the crate does not name. The test
/// below checks it is the option whose default is 1000 ms.
const PURGE_DELAY: mi_option_t = 15;

/// Keeps what the process frees for its next allocations instead of handing it back to
/// the system a second after (mimalloc's default). An import frees each batch's rows,
/// profiles and keys and allocates the next batch's moments later; memory handed back in
/// between has to be faulted in and zeroed again by the kernel, and on our 2-core virtual
/// machines a fresh page costs microseconds (touching 19 GiB once took 20–46 s of kernel
/// time). Kept, the 1M-row bench import was faster in each of nine alternated pairs
/// (medians 11.5 s against 11.85 s in the last four) for 50–100 MiB more peak RSS.
///
/// Only for commands that end when their work does (`import`, `bench import`): a server
/// that never gave memory back would keep its busiest moment's size for good.
pub fn keep_freed_memory() {
    // SAFETY: `mi_option_set` only stores the value; mimalloc reads it on its next purge.
    unsafe { mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The purge delay in effect, in milliseconds (-1: never).
    fn purge_delay() -> std::ffi::c_long {
        // SAFETY: `mi_option_get` only reads the option.
        unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
    }

    #[test]
    fn the_option_kept_is_mimallocs_purge_delay() {
        // mimalloc reads MIMALLOC_PURGE_DELAY from the environment; without it the
        // option at this place must have the purge delay's documented default.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(purge_delay(), 1000, "option {PURGE_DELAY} is not mimalloc's purge delay");
        }
        keep_freed_memory();
        assert_eq!(purge_delay(), -1);
    }
}
