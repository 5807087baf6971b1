//! Transparent huge pages for a large heap only.
//!
//! Every 4 KiB page the heap touches for the first time costs a page fault, about 2 µs on
//! the machines this project runs on (`docs/performance.md`, session 16): a quarter of the
//! yardstick's time. A 2 MiB huge page is one fault and is zeroed at memory speed, but it
//! is resident as a whole once touched, and a small run pays to zero pages it barely uses
//! (`mlc eval -E 1` was 1.1x slower with them). So the first `small` bytes of mimalloc's
//! first arena, where a small run's whole heap lives, stay in 4 KiB pages, and the rest of
//! its arenas may use huge pages: jemalloc's `metadata_thp:auto` makes the same trade.
//!
//! mimalloc is built with `no_thp`, which disables huge pages for the process at start
//! (`prctl(PR_SET_THP_DISABLE)`) and never asks for them; `huge_pages_beyond` lifts the
//! ban for advised memory only and advises (`madvise(MADV_HUGEPAGE)`) the memory of the
//! arenas reserved so far past the small part (mimalloc reserves 1 GiB at first: a heap
//! that outgrows it keeps 4 KiB pages for the rest). The rest of the process (the stack,
//! the binary) keeps 4 KiB pages.

use core::ffi::{c_int, c_void};

extern "C" {
    /// mimalloc's public `mi_arena_area` (`mimalloc.h`; `libmimalloc-sys` does not declare
    /// it): the start and size of the arena `arena_id`, null when there is none. Arena ids
    /// are the arenas' indices plus one, in the order mimalloc reserved them.
    fn mi_arena_area(arena_id: c_int, size: *mut usize) -> *mut c_void;
}

/// mimalloc v2's `MI_MAX_ARENAS`: no arena id is larger.
const MAX_ARENAS: c_int = 132;

/// Lets the heap beyond its first `small` bytes use transparent huge pages, where the
/// kernel offers them to memory that asks (`/sys/kernel/mm/transparent_hugepage/enabled`
/// of `madvise` or `always`). Call it once, early, from a binary whose runs may grow a
/// large heap. It changes only how memory is backed, never what a program computes, and
/// leaves everything as it was where the kernel does not allow it.
pub fn huge_pages_beyond(small: usize) {
    if !allow_advised_huge_pages() {
        return;
    }
    let mut skip = small;
    for arena_id in 1..=MAX_ARENAS {
        let mut size = 0usize;
        // SAFETY: `mi_arena_area` only reads mimalloc's arena table and writes `size`.
        let start = unsafe { mi_arena_area(arena_id, &mut size) };
        if start.is_null() {
            break;
        }
        let (start, end) = (start as usize, (start as usize).saturating_add(size));
        let huge = huge_page_aligned(start.saturating_add(skip), end);
        skip = 0;
        if let Some((from, to)) = huge {
            // SAFETY: advice on memory mimalloc reserved for the arena: `MADV_HUGEPAGE`
            // changes how it is backed, never its contents or its mapping.
            unsafe { libc::madvise(from as *mut c_void, to - from, libc::MADV_HUGEPAGE) };
        }
    }
}

/// `prctl`'s flag (Linux 6.18) that keeps huge pages disabled except for memory advised
/// with `MADV_HUGEPAGE` (`include/uapi/linux/prctl.h`; not yet in the `libc` crate).
const PR_THP_DISABLE_EXCEPT_ADVISED: libc::c_ulong = 1 << 1;

/// Lifts mimalloc's ban on huge pages for the memory `madvise` asks them for, and only
/// for it; false (and the ban kept) where that cannot be had.
fn allow_advised_huge_pages() -> bool {
    let (set, disable) = (libc::PR_SET_THP_DISABLE, 1 as libc::c_ulong);
    // SAFETY: `prctl(PR_SET_THP_DISABLE)` changes only the process's page policy.
    if unsafe { libc::prctl(set, disable, PR_THP_DISABLE_EXCEPT_ADVISED, 0, 0) } == 0 {
        return true;
    }
    // Before Linux 6.18 the ban is all or nothing: lifting it gives huge pages to advised
    // memory alone only when that is the kernel's policy, not under `always`.
    let policy = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled");
    if !policy.is_ok_and(|policy| policy.contains("[madvise]")) {
        return false;
    }
    // SAFETY: as above.
    unsafe { libc::prctl(set, 0 as libc::c_ulong, 0, 0, 0) == 0 }
}

/// A huge page's size on x86-64 and aarch64 with 4 KiB pages.
const HUGE_PAGE: usize = 2 << 20;

/// The huge-page-aligned part of `[from, to)`, if it has one.
fn huge_page_aligned(from: usize, to: usize) -> Option<(usize, usize)> {
    let from = from.checked_add(HUGE_PAGE - 1)? & !(HUGE_PAGE - 1);
    let to = to & !(HUGE_PAGE - 1);
    (from < to).then_some((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_huge_pages_are_advised() {
        assert_eq!(huge_page_aligned(0, HUGE_PAGE), Some((0, HUGE_PAGE)));
        assert_eq!(
            huge_page_aligned(1, 3 * HUGE_PAGE + 5),
            Some((HUGE_PAGE, 3 * HUGE_PAGE))
        );
        assert_eq!(huge_page_aligned(1, HUGE_PAGE + 5), None);
        assert_eq!(huge_page_aligned(usize::MAX - 3, usize::MAX), None);
    }

    /// The mapping's flags (`VmFlags` of `/proc/self/smaps`) at `address`.
    fn vm_flags(address: usize) -> Option<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split(' ').next().and_then(|r| r.split_once('-'));
            let bounds = range.and_then(|(from, to)| {
                Some((
                    usize::from_str_radix(from, 16).ok()?,
                    usize::from_str_radix(to, 16).ok()?,
                ))
            });
            if let Some((from, to)) = bounds {
                inside = (from..to).contains(&address);
            } else if let Some(flags) = line.strip_prefix("VmFlags:").filter(|_| inside) {
                return Some(flags.trim().to_owned());
            }
        }
        None
    }

    /// The arena's first `small` bytes keep the ban; the memory beyond is advised.
    #[test]
    fn only_the_heap_beyond_the_small_part_is_advised() {
        // SAFETY: a block from mimalloc, freed once below; it makes sure an arena exists.
        let block = unsafe { libmimalloc_sys::mi_malloc(64) };
        huge_pages_beyond(4 << 20);
        let mut size = 0;
        // SAFETY: as in `huge_pages_beyond`.
        let start = unsafe { mi_arena_area(1, &mut size) } as usize;
        assert!(start != 0 && size > 8 << 20, "mimalloc reserved an arena");
        // SAFETY: PR_GET_THP_DISABLE only reads the process's policy.
        let policy = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
        if policy == 1 {
            eprintln!("skipped: this kernel cannot give huge pages to advised memory alone");
        } else {
            let small = vm_flags(start).expect("the arena's start is mapped");
            let large = vm_flags(start + (6 << 20)).expect("the arena is mapped beyond");
            assert!(!small.split(' ').any(|f| f == "hg"), "small part: {small}");
            assert!(large.split(' ').any(|f| f == "hg"), "beyond it: {large}");
        }
        // SAFETY: `block` came from `mi_malloc` above.
        unsafe { libmimalloc_sys::mi_free(block) };
    }
}
