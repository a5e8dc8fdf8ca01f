//! `Children`: an actor's children, in creation order.
//!
//! The public root is the parent of every top-level actor, so adding and removing a child is on
//! the path of creating and stopping every actor. Children get increasing keys and are appended
//! to a vector; a removal leaves a hole (found by binary search), and the holes are squeezed out
//! once they are half the vector. Adding costs a push, removing a search, and an entry one key
//! and one handle (a `BTreeMap` cost a descent through its nodes per insertion, and more memory
//! per child).

use crate::ActorRef;

#[derive(Default)]
pub(crate) struct Children {
    /// Keys increase along the vector; `None` marks a removed child.
    entries: Vec<(u64, Option<ActorRef>)>,
    /// The `None` entries.
    holes: usize,
    next_key: u64,
}

impl Children {
    /// The key the next child added will get.
    pub(crate) fn next_key(&self) -> u64 {
        self.next_key
    }

    /// Adds `child` after every other, under [`next_key`](Self::next_key).
    pub(crate) fn add(&mut self, child: ActorRef) {
        self.entries.push((self.next_key, Some(child)));
        self.next_key += 1;
    }

    /// Removes the child with `key`, if it is still here.
    pub(crate) fn remove(&mut self, key: u64) -> Option<ActorRef> {
        let index = self.entries.binary_search_by_key(&key, |(k, _)| *k).ok()?;
        let removed = self.entries[index].1.take()?;
        self.holes += 1;
        if self.holes * 2 >= self.entries.len() {
            self.entries.retain(|(_, child)| child.is_some());
            self.holes = 0;
            // A parent whose children came and went should not keep the peak's memory.
            if self.entries.capacity() > 4 * self.entries.len().max(4) {
                self.entries.shrink_to(2 * self.entries.len());
            }
        }
        Some(removed)
    }

    /// The children, in creation order.
    pub(crate) fn to_vec(&self) -> Vec<ActorRef> {
        self.entries
            .iter()
            .filter_map(|(_, child)| child.clone())
            .collect()
    }

    /// How many children there are.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.len() - self.holes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Address;

    #[test]
    fn keeps_creation_order_through_removals_and_compaction() {
        let all: Vec<ActorRef> = (0..100)
            .map(|n| ActorRef::for_test(Address::from_number(n), "Child"))
            .collect();
        let mut children = Children::default();
        let keys: Vec<u64> = all
            .iter()
            .map(|a| {
                let key = children.next_key();
                children.add(a.clone());
                key
            })
            .collect();
        // Remove every key not divisible by 3, out of order, with repeats that find nothing.
        for &key in keys.iter().rev().filter(|k| *k % 3 != 0) {
            assert!(children.remove(key).is_some());
            assert!(children.remove(key).is_none(), "removed once");
        }
        let kept: Vec<ActorRef> = all.iter().step_by(3).cloned().collect();
        assert_eq!(children.to_vec(), kept);
        assert_eq!(children.len(), kept.len());
        assert!(
            children.entries.len() < 2 * kept.len() + 1,
            "holes squeezed out"
        );
        let late = children.next_key();
        children.add(all[1].clone());
        assert_eq!(children.to_vec().last(), Some(&all[1]));
        assert_eq!(children.remove(late), Some(all[1].clone()));
    }
}
