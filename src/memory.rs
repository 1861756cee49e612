//! Giving the pages a finished load freed back to the system.
//!
//! mimalloc keeps the pages a thread freed for that thread's next
//! allocations. After a corpus is loaded, what loading alone needed (the
//! cache's manifest, decoding buffers, the corpus-wide step) is free but
//! still resident: at 1 GB, some 400 MB more than the analysis holds.
#![allow(unsafe_code, reason = "one call into mimalloc that takes no pointers: see `collect`")]

/// Asks mimalloc, on every thread of the global pool and on this one, to
/// give the pages it holds free back to the system. Costs a few
/// milliseconds; for after a load, not for every frame.
pub fn give_back_freed() {
    rayon::broadcast(|_| collect());
    collect();
}

/// `mi_collect(true)` on the calling thread's heap.
fn collect() {
    // SAFETY: `mi_collect` takes a flag, no pointers, and may be called on
    // any thread at any time; when mimalloc is not the global allocator (the
    // tests) its heaps are empty and it does nothing.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn giving_back_keeps_what_is_held() {
        let held: Vec<String> = (0..10_000).map(|i| i.to_string()).collect();
        drop((0..10_000).map(|i| vec![i; 64]).collect::<Vec<_>>());
        super::give_back_freed();
        assert_eq!(held[9_999], "9999");
    }
}
