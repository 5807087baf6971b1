//! The global allocator of `mlc` and `mlc-lsp`: mimalloc (v2).
//!
//! Evaluation makes millions of small, short-lived allocations, and glibc's malloc spent
//! about 40% of `mlc eval`'s time on them (issue 13; `bench/nix-yardstick.sh`). The
//! binaries choose the allocator, never the library: each declares
//! `#[global_allocator] static ALLOCATOR: mlc_alloc::MiMalloc = mlc_alloc::MiMalloc;`.
//!
//! Why not the `mimalloc` crate's own `MiMalloc`: it calls mimalloc's `_aligned` entry
//! points for every allocation, which check the alignment again before taking the same
//! path as the plain ones. Almost every allocation of a Rust program asks for an alignment
//! that the plain `mi_malloc` gives anyway, so this allocator calls the aligned entry
//! points only when the plain ones cannot guarantee it; the build of 100 deployments ran
//! 0.96x the instructions (`docs/performance.md`, session 14).
//!
//! `huge_pages_beyond` lets a binary back a large heap with transparent huge pages while a
//! small one keeps 4 KiB pages (`huge_pages`).

#[cfg(target_os = "linux")]
mod huge_pages;

#[cfg(target_os = "linux")]
pub use huge_pages::huge_pages_beyond;

/// Does nothing: transparent huge pages are Linux's (`huge_pages`).
#[cfg(not(target_os = "linux"))]
pub fn huge_pages_beyond(_small: usize) {}

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use libmimalloc_sys as ffi;

/// mimalloc's guaranteed alignment of every block at least this large (`MI_MAX_ALIGN_SIZE`,
/// `sizeof(max_align_t)` on the platforms we build for).
const MAX_NATURAL_ALIGN: usize = 16;

/// Whether mimalloc's plain entry points return memory aligned as `layout` asks: blocks
/// are aligned to `MAX_NATURAL_ALIGN` or to their size, whichever is smaller. The same rule
/// as mimalloc's `mi_malloc_is_naturally_aligned` and Rust's `System` allocator on Unix.
fn naturally_aligned(align: usize, size: usize) -> bool {
    align <= MAX_NATURAL_ALIGN && align <= size
}

/// mimalloc as the global allocator (see the module's comment).
pub struct MiMalloc;

// SAFETY: every method forwards to mimalloc, which returns null or a block of
// at least the requested size with the requested alignment (the plain entry points only
// when `naturally_aligned` says they guarantee it), and frees or resizes only blocks it
// returned: the pointers the caller passes back were all allocated by these methods.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if naturally_aligned(layout.align(), layout.size()) {
            // SAFETY: plain allocation; the alignment is guaranteed (`naturally_aligned`).
            unsafe { ffi::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: `Layout` guarantees a power-of-two alignment, as mimalloc requires.
            unsafe { ffi::mi_malloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if naturally_aligned(layout.align(), layout.size()) {
            // SAFETY: as in `alloc`.
            unsafe { ffi::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: as in `alloc`.
            unsafe { ffi::mi_zalloc_aligned(layout.size(), layout.align()).cast() }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from one of this allocator's methods (GlobalAlloc's contract).
        unsafe { ffi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if naturally_aligned(layout.align(), new_size) {
            // SAFETY: `ptr` came from this allocator; the new block's alignment is
            // guaranteed for its size (`naturally_aligned`).
            unsafe { ffi::mi_realloc(ptr.cast::<c_void>(), new_size).cast() }
        } else {
            // SAFETY: `ptr` came from this allocator; the alignment is a power of two.
            unsafe {
                ffi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align()).cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size up to a few pages with every alignment up to a page: the pointer is
    /// aligned, usable over its whole size, zeroed when asked, and keeps its contents
    /// through a realloc that grows it.
    #[test]
    fn blocks_are_aligned_usable_and_keep_their_contents() {
        let sizes = (1..=300).chain([1000, 4096, 5000, 70_000, 1 << 20]);
        for size in sizes {
            for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
                let layout = match Layout::from_size_align(size, align) {
                    Ok(layout) => layout,
                    Err(error) => panic!("layout {size}/{align}: {error}"),
                };
                // SAFETY: the layout has a non-zero size; every pointer is checked for
                // null, written only within its size, and freed once with its layout.
                unsafe {
                    let zeroed = MiMalloc.alloc_zeroed(layout);
                    assert!(!zeroed.is_null());
                    assert_eq!(zeroed as usize % align, 0, "zeroed {size}/{align}");
                    assert!(std::slice::from_raw_parts(zeroed, size)
                        .iter()
                        .all(|&b| b == 0));
                    MiMalloc.dealloc(zeroed, layout);

                    let block = MiMalloc.alloc(layout);
                    assert!(!block.is_null());
                    assert_eq!(block as usize % align, 0, "alloc {size}/{align}");
                    for i in 0..size {
                        *block.add(i) = (i % 251) as u8;
                    }
                    let grown = MiMalloc.realloc(block, layout, size * 2 + 1);
                    assert!(!grown.is_null());
                    assert_eq!(grown as usize % align, 0, "realloc {size}/{align}");
                    for i in 0..size {
                        assert_eq!(*grown.add(i), (i % 251) as u8);
                    }
                    let grown_layout = Layout::from_size_align_unchecked(size * 2 + 1, align);
                    MiMalloc.dealloc(grown, grown_layout);
                }
            }
        }
    }

    #[test]
    fn natural_alignment_follows_mimalloc() {
        assert!(naturally_aligned(8, 8));
        assert!(naturally_aligned(16, 24));
        assert!(
            !naturally_aligned(16, 8),
            "a block of 8 bytes is only 8-aligned"
        );
        assert!(!naturally_aligned(32, 64), "beyond max_align_t");
    }
}
