//! One shared `Arc<str>` per actor type name, instead of one allocation per actor.
//!
//! An actor created without [`Definition::with_type`](crate::Definition::with_type) is named by
//! `std::any::type_name` of its type: a `&'static str`, while the actor, its errors and the
//! directory's type index hold an `Arc<str>`. Allocating that `Arc` per actor cost every actor a
//! heap block of about 64 bytes and a copy of the name; each thread now keeps the `Arc` of every
//! name it has seen, and actors share it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use foldhash::fast::RandomState;

thread_local! {
    /// Keyed by the name's address and length: a `'static` name is one string in the binary, so
    /// the address tells names apart without hashing the text. (The same text at two
    /// addresses just gets two entries.)
    static SHARED: RefCell<HashMap<(usize, usize), Arc<str>, RandomState>> =
        RefCell::new(HashMap::with_hasher(RandomState::default()));
}

/// The shared `Arc<str>` holding `name` (a fresh one on a thread whose locals are being
/// destroyed).
pub(crate) fn shared(name: &'static str) -> Arc<str> {
    SHARED
        .try_with(|shared| {
            Arc::clone(
                shared
                    .borrow_mut()
                    .entry((name.as_ptr() as usize, name.len()))
                    .or_insert_with(|| Arc::from(name)),
            )
        })
        .unwrap_or_else(|_| Arc::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_name_one_allocation() {
        let name = std::any::type_name::<RandomState>();
        let first = shared(name);
        let second = shared(name);
        assert_eq!(&*first, name);
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(&*shared("other"), "other");
    }
}
