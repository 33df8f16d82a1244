//! mimalloc, the allocator the `folio` and `folio-bench` binaries use, and its tuning.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// mimalloc through its plain entry points whenever a layout asks for no more alignment than
/// every mimalloc block has (a machine word), as Rust's own system allocator does with
/// malloc. The `mimalloc` crate always takes the aligned entry points, which do more per call;
/// the reader makes about a thousand allocations per page, so it shows (callgrind).
pub struct Mimalloc;

/// Every mimalloc block is aligned to the word size at least.
const WORD: usize = std::mem::size_of::<usize>();

fn plain(align: usize, size: usize) -> bool {
    align <= WORD && align <= size
}

// SAFETY: each method forwards to the mimalloc function with the same contract; the plain
// ones are used only for alignments every mimalloc block already has, and `mi_free` and
// `mi_realloc` accept blocks from either family.
unsafe impl GlobalAlloc for Mimalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            libmimalloc_sys::mi_malloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if plain(layout.align(), layout.size()) {
            libmimalloc_sys::mi_zalloc(layout.size()).cast()
        } else {
            libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        libmimalloc_sys::mi_free(ptr.cast::<c_void>());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if plain(layout.align(), new_size) {
            libmimalloc_sys::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
        } else {
            libmimalloc_sys::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
        }
    }
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (v2 and v3 alike: it comes just
/// before `mi_option_use_numa_nodes`); libmimalloc-sys names its neighbours but not it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// How long mimalloc keeps a freed page before giving it back to the system, when folio does
/// not keep it for the whole run (milliseconds; mimalloc's own default is 1,000).
const RELEASE_DELAY_MS: std::ffi::c_long = 100;

/// Whether freed memory is kept for reuse until the process exits (`true`, the default set by
/// `tune`) or given back to the system after `RELEASE_DELAY_MS` (`false`).
///
/// Keep it when the PDF is built: genpdf frees each chunk's pages at once, and the next chunk
/// would otherwise fault the same memory back in as freshly zeroed pages.
///
/// Give it back otherwise: the other exporters run side by side, each thread keeping what it
/// freed, which raises the peak for no gain in time (BENCHMARKS.md).
pub fn keep_freed_memory(keep: bool) {
    let delay = if keep { -1 } else { RELEASE_DELAY_MS };
    // SAFETY: setting an option is allowed at any time; this one only changes when mimalloc
    // decommits free pages, and mimalloc reads it at each decision.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, delay) }
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
    use std::alloc::{GlobalAlloc, Layout};

    #[test]
    fn blocks_have_the_alignment_asked_for_through_either_entry_point() {
        for (size, align) in [(1, 1), (3, 2), (8, 8), (24, 8), (24, 16), (40, 32), (5000, 8), (5000, 4096)] {
            let layout = Layout::from_size_align(size, align).expect("layout");
            // SAFETY: the layout has a non-zero size; each block is freed with its layout.
            unsafe {
                let p = super::Mimalloc.alloc(layout);
                assert!(!p.is_null() && (p as usize).is_multiple_of(align), "{size} {align}");
                p.write_bytes(7, size);
                let q = super::Mimalloc.realloc(p, layout, size * 3);
                assert!(!q.is_null() && (q as usize).is_multiple_of(align) && *q == 7, "{size} {align}");
                super::Mimalloc.dealloc(q, Layout::from_size_align(size * 3, align).expect("layout"));
                let z = super::Mimalloc.alloc_zeroed(layout);
                assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                super::Mimalloc.dealloc(z, layout);
            }
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_process_refuses_transparent_huge_pages_once_tuned() {
        // Not `tune()`: the purge test beside this one changes that option meanwhile.
        super::refuse_huge_pages();
        // SAFETY: PR_GET_THP_DISABLE takes no argument and reads a flag of this process.
        assert_eq!(unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) }, 1);
    }
}
