//! Lingering: an actor that just ran out of messages keeps its actor task for a while, waiting
//! for the next message, instead of parking at once.
//!
//! Parking costs nothing while the actor stays idle, but the next message then spawns a new
//! actor task; when a message comes soon (the next ask of a caller just answered, the next hop
//! of a ping-pong, the next tell of a burst), waking a waiting task is much cheaper. A waiting
//! task costs memory, though, so a stage lets only [`LingerSlots::CAPACITY`] actors linger at
//! once: the one that has waited longest is sent to park when another needs its slot, once it
//! has held it for [`LingerSlots::KEPT_FOR`]. And each actor keeps lingering only while it pays
//! off ([`Linger`]): with many actors each receiving now and then, lingering would only evict
//! the others.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

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
    lingering: Mutex<Slots<ActorRef>>,
}

impl LingerSlots {
    /// How many actors of a stage may linger at once: a waiting actor task holds about a
    /// kilobyte, so at most this many kilobytes per stage.
    pub(crate) const CAPACITY: usize = 128;

    /// How long an actor keeps its slot against actors that want one: a wait that short may
    /// still pay off, and sending the actor to park costs its mailbox's lock and a poll of its
    /// task. Without it, a burst of probes over many actors (each of which lingers from its
    /// second time idle, then every 16 parks) had each probe send the previous one to park,
    /// which doubled the cost of that round of activations.
    pub(crate) const KEPT_FOR: Duration = Duration::from_millis(1);

    pub(crate) fn new() -> Self {
        Self {
            lingering: Mutex::new(Slots::new(Self::CAPACITY, Self::KEPT_FOR)),
        }
    }

    /// Whether the actor of `core` may linger now: it holds a slot, one is free, or the actor
    /// that has held one longest has held it for [`KEPT_FOR`](Self::KEPT_FOR). Asked before a
    /// probe: a probe that would only displace an actor that has just begun to wait parks at
    /// once instead.
    pub(crate) fn has_room(&self, core: &ActorCore) -> bool {
        core.has_linger_slot.load(Ordering::Relaxed) || self.lock().has_room(Instant::now())
    }

    /// Gives the actor of `core` a slot (it keeps its own if it has one), sending the actor
    /// that has held one longest to park if none is free. `actor` makes the handle kept in the
    /// slot. (A probe asked [`has_room`](Self::has_room) first; another probe may have taken
    /// the room since, and then this one displaces a fresh holder: rare, and only slower.)
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
            let evicted = lingering.admit(Instant::now(), actor());
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
            let actors = lingering.take();
            for actor in &actors {
                actor.core().has_linger_slot.store(false, Ordering::Relaxed);
            }
            actors
        };
        // Dropped outside the lock: they may be the last handles to their actors.
        drop(lingering);
    }

    fn lock(&self) -> MutexGuard<'_, Slots<ActorRef>> {
        // No user code runs under this lock, so a poisoned one still guards consistent data.
        self.lingering
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The rule of the linger slots, apart from actors and clocks: at most `capacity` holders,
/// oldest first, and a holder keeps its slot for `kept_for` before a newcomer may take it.
struct Slots<T> {
    holders: VecDeque<(T, Instant)>,
    capacity: usize,
    kept_for: Duration,
}

impl<T> Slots<T> {
    fn new(capacity: usize, kept_for: Duration) -> Self {
        Self {
            holders: VecDeque::new(),
            capacity,
            kept_for,
        }
    }

    /// Whether a newcomer would get a slot at `now`.
    fn has_room(&self, now: Instant) -> bool {
        match self.holders.front() {
            Some((_, since)) if self.holders.len() >= self.capacity => {
                now.saturating_duration_since(*since) >= self.kept_for
            }
            _ => true,
        }
    }

    /// Gives `holder` a slot at `now`, displacing the oldest holder if none is free: returns
    /// it.
    fn admit(&mut self, now: Instant, holder: T) -> Option<T> {
        let evicted = if self.holders.len() >= self.capacity {
            self.holders.pop_front().map(|(evicted, _)| evicted)
        } else {
            None
        };
        self.holders.push_back((holder, now));
        evicted
    }

    /// Empties the slots.
    fn take(&mut self) -> Vec<T> {
        self.holders.drain(..).map(|(holder, _)| holder).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEPT_FOR: Duration = Duration::from_millis(1);

    #[test]
    fn newcomers_fill_the_free_slots_first() {
        let mut slots = Slots::new(2, KEPT_FOR);
        let now = Instant::now();
        assert!(slots.has_room(now));
        assert_eq!(slots.admit(now, 1), None);
        assert!(slots.has_room(now));
        assert_eq!(slots.admit(now, 2), None);
        assert!(!slots.has_room(now));
    }

    #[test]
    fn a_holder_keeps_its_slot_for_a_while_then_the_oldest_goes_first() {
        let mut slots = Slots::new(2, KEPT_FOR);
        let start = Instant::now();
        slots.admit(start, 1);
        slots.admit(start + KEPT_FOR / 2, 2);
        // Full, and the oldest has not held its slot for long: no room.
        assert!(!slots.has_room(start + KEPT_FOR / 2));
        assert!(!slots.has_room(start + KEPT_FOR - Duration::from_nanos(1)));
        // The oldest has held it long enough: it goes, the newer one stays.
        assert!(slots.has_room(start + KEPT_FOR));
        assert_eq!(slots.admit(start + KEPT_FOR, 3), Some(1));
        assert!(!slots.has_room(start + KEPT_FOR));
        assert!(slots.has_room(start + KEPT_FOR / 2 + KEPT_FOR));
        assert_eq!(slots.admit(start + KEPT_FOR * 2, 4), Some(2));
        assert_eq!(slots.take(), vec![3, 4]);
        assert!(slots.has_room(start));
    }
}
