//! `RecentDeadLetters`: the last few dead letters a registry recorded, for introspection.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use crate::DeadLetter;

/// A ring of the last [`DeadLetters::RECENT`](crate::DeadLetters::RECENT) dead letters, oldest
/// first. Kept always: dead letters are the rare path, and recording one already logs it and
/// calls every listener, so keeping it (a move under an uncontended lock; the oldest dropped)
/// adds little, and a dashboard opened after a failure still sees what led to it.
#[derive(Default)]
pub(crate) struct RecentDeadLetters {
    ring: Mutex<VecDeque<DeadLetter>>,
}

impl RecentDeadLetters {
    /// Keeps `dead_letter`, forgetting the oldest kept if there are `kept` already.
    pub(crate) fn record(&self, dead_letter: DeadLetter, kept: usize) {
        let mut ring = self.lock();
        let oldest = if ring.len() >= kept {
            ring.pop_front()
        } else {
            None
        };
        ring.push_back(dead_letter);
        drop(ring);
        // Dropped outside the lock (no user code: a dead letter holds text and a name).
        drop(oldest);
    }

    /// The dead letters kept, oldest first.
    pub(crate) fn to_vec(&self) -> Vec<DeadLetter> {
        self.lock().iter().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<DeadLetter>> {
        // Nothing that can panic runs under the lock: a poisoned ring is still a valid ring.
        self.ring.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
