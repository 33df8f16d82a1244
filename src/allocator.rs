//! The tuning of mimalloc, the allocator the `folio` and `folio-bench` binaries use (the
//! `mimalloc` crate's `MiMalloc`, declared in each binary).

/// `mi_option_purge_delay`, by its number in mimalloc's `mi_option_e` of the libmimalloc-sys
/// release pinned in Cargo.toml, which names its neighbours but not it; a test holds that this
/// number is the option whose default is the purge delay's.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long mimalloc keeps a freed page before giving it back to the system, when folio does
/// not keep it for reuse (milliseconds; mimalloc's own default is 1,000).
const RELEASE_DELAY_MS: std::ffi::c_long = 5;

/// How long freed memory is kept for reuse while the PDF is drawn: long enough for the next
/// chunk to take over what the last one freed, short enough that a long guide's peak does not
/// grow with what no chunk takes back.
const KEEP_DELAY_MS: std::ffi::c_long = 1_000;

/// Whether freed memory is kept for reuse (`true`, the default set by `tune`: for
/// `KEEP_DELAY_MS`) or given back to the system after `RELEASE_DELAY_MS` (`false`).
///
/// Keep it when the PDF is built: genpdf frees each chunk's pages at once, and the next chunk
/// would otherwise fault the same memory back in as freshly zeroed pages.
///
/// Give it back otherwise: the other exporters run side by side, each thread keeping what it
/// freed, which raises the peak for no gain in time (BENCHMARKS.md).
pub fn keep_freed_memory(keep: bool) {
    KEEPING.store(keep, std::sync::atomic::Ordering::Relaxed);
    let delay = if keep { KEEP_DELAY_MS } else { RELEASE_DELAY_MS };
    // SAFETY: setting an option is allowed at any time; this one only changes when mimalloc
    // decommits free pages, and mimalloc reads it at each decision.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, delay) }
}

static KEEPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);

/// Gives the memory this thread freed back to the system now, unless freed memory is kept:
/// called where a stage of the build ends.
///
/// mimalloc gives freed memory back after its delay only when a later allocation or free
/// looks at it; in some runs that hardly happened and the build's peak grew by a quarter.
pub fn give_back_freed_memory() {
    if !KEEPING.load(std::sync::atomic::Ordering::Relaxed) {
        // SAFETY: collecting has no precondition; it frees nothing still in use.
        unsafe { libmimalloc_sys::mi_collect(true) }
    }
}

/// Tunes the process's memory for a batch run: freed memory is kept for reuse (until
/// `keep_freed_memory(false)`), and pages come in the base size (4 KiB), not as transparent
/// huge pages. Called first thing in `main`.
pub fn tune() {
    keep_freed_memory(true);
    refuse_huge_pages();
}

/// Asks the kernel for no transparent huge pages in this process.
///
/// mimalloc advises huge pages for its arenas, and the kernel then zeroes a whole huge page at
/// the first touch, much of which a run never uses: every stage was slower and larger with them
/// (BENCHMARKS.md). `PR_SET_THP_DISABLE` holds whether the system gives huge pages always or
/// only where advised.
fn refuse_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and sets a flag of this process;
    // it touches no memory of ours. A kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_with_mimallocs_documented_default() {
        // Nothing in this test process sets it: its value is mimalloc's default, one second,
        // which neither option beside it has.
        // SAFETY: reading an option has no precondition.
        let (before, delay, after) = unsafe {
            use libmimalloc_sys::mi_option_get;
            (
                mi_option_get(super::PURGE_DELAY - 1),
                mi_option_get(super::PURGE_DELAY),
                mi_option_get(super::PURGE_DELAY + 1),
            )
        };
        assert_eq!(delay, 1000);
        assert!(before != 1000 && after != 1000, "{before} {after}");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_process_refuses_transparent_huge_pages_once_tuned() {
        // Not `tune()`: it sets the purge delay, whose default the test beside this one reads.
        super::refuse_huge_pages();
        // SAFETY: PR_GET_THP_DISABLE takes no argument and reads a flag of this process.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1);
    }
}
