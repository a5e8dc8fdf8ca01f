//! The atomics and the lock that the ledger and the mailbox (with its batch) synchronise with:
//! std's, or loom's under `--cfg loom`, so that the loom models (`loom_tests` in `ledger.rs`
//! and `mailbox/batch.rs`; see docs/ARCHITECTURE.md, *Model checking*) check the code that
//! runs, not a copy of it.
//!
//! loom only in the crate's own test build (`cfg(test)` too): under `--cfg loom` the crate is
//! also built as a plain library, for the testkit it dev-depends on, which has no loom.

#[cfg(not(all(test, loom)))]
pub(crate) use std::sync::{Mutex, MutexGuard, atomic};

#[cfg(all(test, loom))]
pub(crate) use loom::sync::{Mutex, MutexGuard};

/// loom's atomics, with a `SeqCst` fence before every `SeqCst` access that reads.
///
/// loom treats a `SeqCst` access as `AcqRel`: it explores executions that the single total
/// order of `SeqCst` accesses forbids, and reports the ledger's and the batch's store-then-load
/// pairings (the settled mark against a waiter's registration, a settle against the closing
/// store) as broken: without these fences the ledger's model "deadlocks", a waiter never
/// woken. It models `SeqCst` fences exactly: with one between each thread's store and its
/// later load, one of the two loads sees the other thread's store, which is all those pairings
/// rely on. Only `SeqCst` reads get the fence, so that the model stays close to the code; a
/// pattern that needs more of `SeqCst` than that (none does here) would not be checked.
#[cfg(all(test, loom))]
pub(crate) mod atomic {
    pub(crate) use loom::sync::atomic::Ordering;

    /// Runs `read` after a `SeqCst` fence if it is `SeqCst`.
    fn ordered<R>(order: Ordering, read: impl FnOnce() -> R) -> R {
        if order == Ordering::SeqCst {
            loom::sync::atomic::fence(Ordering::SeqCst);
        }
        read()
    }

    macro_rules! fenced {
        ($($name:ident($int:ty)),*) => {$(
            /// loom's, with `SeqCst` reads fenced (see the module).
            pub(crate) struct $name(loom::sync::atomic::$name);

            // One impl for the three types: each uses only some of these.
            #[allow(dead_code)]
            impl $name {
                pub(crate) fn new(value: $int) -> Self {
                    Self(loom::sync::atomic::$name::new(value))
                }

                pub(crate) fn load(&self, order: Ordering) -> $int {
                    ordered(order, || self.0.load(order))
                }

                pub(crate) fn store(&self, value: $int, order: Ordering) {
                    self.0.store(value, order)
                }

                pub(crate) fn fetch_add(&self, value: $int, order: Ordering) -> $int {
                    ordered(order, || self.0.fetch_add(value, order))
                }

                pub(crate) fn fetch_and(&self, value: $int, order: Ordering) -> $int {
                    ordered(order, || self.0.fetch_and(value, order))
                }

                pub(crate) fn fetch_or(&self, value: $int, order: Ordering) -> $int {
                    ordered(order, || self.0.fetch_or(value, order))
                }
            }
        )*};
    }

    fenced!(AtomicU8(u8), AtomicU32(u32), AtomicU64(u64));
}
