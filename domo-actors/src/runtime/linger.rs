//! Lingering: an actor that just ran out of messages keeps its actor task for a while, waiting
//! for the next message, instead of parking at once.
//!
//! Parking costs nothing while the actor stays idle, but the next message then spawns a new
//! actor task; when a message comes soon (the next ask of a caller just answered, the next hop
//! of a ping-pong, the next tell of a burst), waking a waiting task is much cheaper. A waiting
//! task costs memory, though, so a stage lets only [`LingerSlots::CAPACITY`] actors linger at
//! once: the one that has waited longest is sent to park when another needs its slot. And each
//! actor keeps lingering only while it pays off ([`Linger`]): with many actors each receiving
//! now and then, lingering would only evict the others.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard};

use crate::ActorRef;
use crate::runtime::actor_cell::ActorCore;

/// Whether lingering has been paying off for one actor. Keep lingering while a message comes
/// during the wait; after a wait that ended without one (the actor was sent to park), park at
/// once, but try again every `PROBE_EVERY` parks in case the traffic changed.
///
/// A new actor first parks without lingering, and lingers from its second time idle: many
/// actors receive one message and then nothing for long (an actor per request, per entity),
/// and would only take a slot from one that is busy.
pub(crate) struct Linger {
    /// Parks since the last wait that was tried, while waiting does not pay off.
    parks_without_trying: u8,
    failing: bool,
}

impl Default for Linger {
    fn default() -> Self {
        Self {
            // So that the second park is the first to try.
            parks_without_trying: Self::PROBE_EVERY - 2,
            failing: true,
        }
    }
}

impl Linger {
    const PROBE_EVERY: u8 = 16;

    /// Whether waiting has been paying off (no probe counted).
    pub(crate) fn pays_off(&self) -> bool {
        !self.failing
    }

    /// Whether the next park, if the actor finds nothing to deliver, is to wait first (a
    /// probe): then [`probed`](Self::probed) says it is tried. Otherwise the actor parks at
    /// once, counting the park ([`count_park`](Self::count_park)), and takes the count back
    /// if it found a message instead ([`uncount_park`](Self::uncount_park)): so it looks and
    /// parks under one lock of its mailbox.
    pub(crate) fn probe_due(&self) -> bool {
        self.parks_without_trying + 1 >= Self::PROBE_EVERY
    }

    /// The probe that was due is tried now.
    pub(crate) fn probed(&mut self) {
        self.parks_without_trying = 0;
    }

    /// Counts a park without a probe, before looking for a message.
    pub(crate) fn count_park(&mut self) {
        self.parks_without_trying += 1;
    }

    /// The actor found a message instead of parking: the park did not happen.
    pub(crate) fn uncount_park(&mut self) {
        self.parks_without_trying -= 1;
    }

    pub(crate) fn paid_off(&mut self) {
        self.failing = false;
    }

    pub(crate) fn wasted(&mut self) {
        self.failing = true;
    }
}

/// The actors of a stage whose actor tasks may wait for their next message, oldest first.
pub(crate) struct LingerSlots {
    lingering: Mutex<VecDeque<ActorRef>>,
}

impl LingerSlots {
    /// How many actors of a stage may linger at once: a waiting actor task holds about a
    /// kilobyte, so at most this many kilobytes per stage.
    pub(crate) const CAPACITY: usize = 128;

    pub(crate) fn new() -> Self {
        Self {
            lingering: Mutex::new(VecDeque::new()),
        }
    }

    /// Gives the actor of `core` a slot (it keeps its own if it has one), sending the actor
    /// that has held one longest to park if none is free. `actor` makes the handle kept in the
    /// slot.
    #[inline]
    pub(crate) fn admit(&self, core: &ActorCore, actor: impl FnOnce() -> ActorRef) {
        // The common case (the actor holds its slot from an earlier wait) without a call.
        if !core.has_linger_slot.load(Ordering::Relaxed) {
            self.take_slot(core, actor);
        }
    }

    /// [`admit`](Self::admit) for an actor without a slot.
    #[inline(never)]
    fn take_slot(&self, core: &ActorCore, actor: impl FnOnce() -> ActorRef) {
        let evicted = {
            let mut lingering = self.lock();
            // Set and cleared under the lock: the flag says whether `lingering` holds the actor.
            core.has_linger_slot.store(true, Ordering::Relaxed);
            lingering.push_back(actor());
            let evicted = if lingering.len() > Self::CAPACITY {
                lingering.pop_front()
            } else {
                None
            };
            if let Some(evicted) = &evicted {
                evicted
                    .core()
                    .has_linger_slot
                    .store(false, Ordering::Relaxed);
            }
            evicted
        };
        if let Some(evicted) = evicted {
            // Outside the lock: this takes the evicted actor's mailbox lock.
            evicted.stop_lingering();
        }
    }

    /// Forgets every actor (the stage is closed: their tasks are stopping anyway).
    pub(crate) fn clear(&self) {
        let lingering = {
            let mut lingering = self.lock();
            for actor in lingering.iter() {
                actor.core().has_linger_slot.store(false, Ordering::Relaxed);
            }
            std::mem::take(&mut *lingering)
        };
        // Dropped outside the lock: they may be the last handles to their actors.
        drop(lingering);
    }

    fn lock(&self) -> MutexGuard<'_, VecDeque<ActorRef>> {
        // No user code runs under this lock, so a poisoned one still guards consistent data.
        self.lingering
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
