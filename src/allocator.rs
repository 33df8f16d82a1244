//! Tuning of mimalloc, the allocator the `folio` and `folio-bench` binaries use.

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (v2 and v3 alike: it comes just
/// before `mi_option_use_numa_nodes`); libmimalloc-sys names its neighbours but not it.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = libmimalloc_sys::mi_option_use_numa_nodes - 1;

/// Keeps freed memory for reuse instead of returning it to the system after 10 ms.
///
/// genpdf builds every page of a chunk in memory and frees it at once; with purging on, the
/// next chunk gets the same memory back from the kernel as fresh zeroed pages, and zeroing
/// them was 25–40 % of the PDF exporter's time in `perf`. A batch tool gains nothing from
/// giving memory back before it exits, and its peak resident size is unchanged.
pub fn keep_freed_memory() {
    // SAFETY: setting an option is allowed at any time; this one only changes when mimalloc
    // decommits free pages.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_reads_back_as_set() {
        super::keep_freed_memory();
        // SAFETY: reading an option has no precondition.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) }, -1);
    }
}
