//! The allocator on Linux: the system's, with large blocks aligned to huge pages and
//! advised to use them.
//!
//! A cache hit fills tens of megabytes of fresh tables, and a cold load hundreds. In 4 KiB
//! pages that is tens of thousands of page faults, each zeroing one page; in 2 MiB pages, a
//! few dozen. The kernel backs memory with transparent huge pages only where a program asks
//! for them (`madvise`, the usual setting), and only for whole, aligned 2 MiB ranges: so a
//! large block is aligned to 2 MiB and its whole huge pages advised. Where transparent huge
//! pages are off, the advice does nothing. (The README's Performance section has the
//! figures.)

use std::alloc::{GlobalAlloc, Layout, System};

/// The size of a huge page on x86-64 and aarch64; blocks from this size on are aligned to
/// it and advised.
const HUGE: usize = 2 << 20;

/// The system allocator, backing large blocks with transparent huge pages.
pub struct Huge;

/// The layout a block of `layout` is allocated with: a large block aligned to a huge page
/// (the layout as it is if that alignment cannot be had).
fn aligned(layout: Layout) -> Layout {
    if layout.size() < HUGE {
        return layout;
    }
    Layout::from_size_align(layout.size(), layout.align().max(HUGE)).unwrap_or(layout)
}

/// Asks the kernel to back the whole huge pages of a block just allocated with huge pages.
fn advise(p: *mut u8, len: usize) {
    let start = (p as usize).next_multiple_of(HUGE);
    let end = (p as usize).saturating_add(len) / HUGE * HUGE;
    if end > start {
        // SAFETY: advice only, on a range inside a block this allocator just gave out:
        // MADV_HUGEPAGE changes how its pages are backed, never what they hold. A failure
        // (an old kernel) leaves the block in small pages.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

// SAFETY: every block is allocated and freed by the system allocator with one layout,
// `aligned` of the caller's (a pure function of it, so the same at both ends), which has
// the caller's size and an alignment at least the caller's; `advise` never changes what a
// block holds.
unsafe impl GlobalAlloc for Huge {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: `aligned` keeps the caller's non-zero size, with a valid alignment.
        let p = unsafe { System.alloc(aligned(layout)) };
        if layout.size() >= HUGE && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let p = unsafe { System.alloc_zeroed(aligned(layout)) };
        if layout.size() >= HUGE && !p.is_null() {
            advise(p, layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        // SAFETY: `p` was allocated by this allocator with `aligned(layout)`.
        unsafe { System.dealloc(p, aligned(layout)) }
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        if layout.size() < HUGE && new < HUGE {
            // SAFETY: a small block stays small: the caller's layouts are the system's.
            return unsafe { System.realloc(p, layout, new) };
        }
        let Ok(resized) = Layout::from_size_align(new, layout.align()) else {
            return std::ptr::null_mut();
        };
        // SAFETY: a new block of the new layout; the old one holds `layout.size()` bytes, of
        // which those that fit are copied before it is freed with its own layout. This is
        // what the system allocator does itself for any alignment above its own.
        unsafe {
            let q = self.alloc(resized);
            if !q.is_null() {
                std::ptr::copy_nonoverlapping(p, q, layout.size().min(new));
                self.dealloc(p, layout);
            }
            q
        }
    }
}

#[cfg(test)]
mod tests {
    use super::HUGE;

    #[test]
    fn a_large_block_starts_on_a_huge_page_and_keeps_its_bytes_as_it_grows_and_shrinks() {
        let mut v: Vec<u32> = (0..(3 * HUGE / 4) as u32).collect();
        assert_eq!(v.as_ptr() as usize % HUGE, 0, "aligned to a huge page");
        v.extend(0..HUGE as u32);
        assert_eq!(v.as_ptr() as usize % HUGE, 0);
        assert!(
            v.iter()
                .take(3 * HUGE / 4)
                .enumerate()
                .all(|(i, &x)| x as usize == i)
        );
        v.truncate(1000);
        v.shrink_to_fit();
        assert!(v.iter().enumerate().all(|(i, &x)| x as usize == i));
        let zeroed = vec![0u64; HUGE];
        assert_eq!(zeroed.as_ptr() as usize % HUGE, 0);
        assert!(zeroed.iter().all(|&x| x == 0));
        let small: Vec<u8> = vec![7; 100];
        assert_eq!(small.iter().map(|&x| usize::from(x)).sum::<usize>(), 700);
    }
}
