//! The ledger: how the promise of a method returning `()` learns its outcome without a reply
//! channel, so that a tell allocates nothing.
//!
//! Every protocol message queued in a mailbox gets a sequence number, in queue order, and the
//! actor task delivers messages in that order. A message whose method returns `()` carries no
//! reply: its promise holds the actor and the sequence number (a [`Ticket`]), and is settled
//! when the actor task's *settled* mark reaches that number. The rare outcomes that are not
//! "done" (a panicking handler, a message dropped by an overflow policy or by a stop) are
//! recorded per sequence number, and only while some ticket of this actor is alive (more
//! tickets `issued` than `released`): when none is, nobody can ever ask.
//!
//! A ticket is counted issued under the mailbox lock, as its message is queued: before the run
//! loop can take the message, so it cannot finish the message, find no live ticket and skip a
//! failure the ticket will later ask about. Only the mailbox (under its lock) writes `issued`,
//! so counting a tell costs a plain store; tickets are released from any thread, by an atomic
//! increment of their own counter.
//!
//! Failures whose tickets were dropped unread are forgotten as soon as no ticket of the actor
//! is alive; until then they are kept (a few dozen bytes each).
//!
//! Tickets polled before their message is settled wait in a map keyed by sequence number, so
//! that n waiters of one actor cost O(n log n) in all however they come and go: a settle takes
//! every waiter up to the mark in one split, a failure or a dropped ticket removes its own.
//!
//! Only the failures of ticketed messages are recorded: a message with a reply channel learns
//! of its failure through the channel, and a record of it would stay until no ticket of the
//! actor is alive (for ever, with a ticket always held). The mailbox marks a sequence number
//! as ticketed in its lowest bit (see [`sequence`]), which keeps the numbers in queue order.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

// The one item of the crate the ledger names: the failures it records. The ledger's owner
// comes in through `LedgerOwner`, so that the ledger can be modelled alone (see `loom_tests`).
use crate::ActorError;
use crate::base::sync::atomic::{AtomicU8, AtomicU64, Ordering};
use crate::base::sync::{Mutex, MutexGuard};

/// `watched` bit: some ticket waits with a waker.
const WAITERS: u8 = 1;
/// `watched` bit: some failure is recorded.
const FAILURES: u8 = 2;

/// The sequence number of the `count`th message queued in a mailbox, marking whether its
/// promise is a [`Ticket`]. Numbers still order as the counts do.
pub(crate) fn sequence(count: u64, ticketed: bool) -> u64 {
    (count << 1) | u64::from(ticketed)
}

/// The count that sequence number `seq` was made from (see [`sequence`]).
pub(crate) fn count_of(seq: u64) -> u64 {
    seq >> 1
}

/// Whether message `seq`'s promise is a [`Ticket`] (see [`sequence`]).
pub(crate) fn is_ticketed(seq: u64) -> bool {
    seq & 1 == 1
}

/// An actor's record of which messages are settled, and how the failed ones failed.
pub(crate) struct Ledger {
    /// Every message up to this sequence number has been delivered (or will never be, and its
    /// failure is recorded). Only grows.
    settled: AtomicU64,
    /// Tickets issued: written only under the mailbox lock (see [`issue`](Self::issue)).
    issued: AtomicU64,
    /// Tickets dropped: any thread.
    released: AtomicU64,
    /// `WAITERS | FAILURES`: lets the hot paths skip the lock when both are clear.
    watched: AtomicU8,
    /// Allocated by the first waiter or failure: most actors never need it.
    watch: Mutex<Option<Box<Watch>>>,
}

#[derive(Default)]
struct Watch {
    /// Tickets that were polled before their message was settled, by sequence number (one
    /// waker each: a ticket is the only one with its number). A map, not a list: a settle
    /// takes a prefix of it, a failure or a release one entry, each in logarithmic time
    /// (a list searched on every poll, settle and release made n concurrent waiters cost
    /// O(n²): issue 13).
    waiters: BTreeMap<u64, Waker>,
    failures: BTreeMap<u64, ActorError>,
    /// Ticketed messages, first and last sequence numbers, that a stop which timed out left in
    /// the actor task's batch (see `Mailbox::force_close`), with their failure (its method
    /// is each ticket's own). At most one: a mailbox closes once.
    abandoned: Option<(u64, u64, ActorError)>,
}

impl Watch {
    /// `FAILURES` if some failure is recorded.
    fn failures_bit(&self) -> u8 {
        if self.failures.is_empty() && self.abandoned.is_none() {
            0
        } else {
            FAILURES
        }
    }
}

impl Ledger {
    pub(crate) fn new() -> Self {
        Self {
            settled: AtomicU64::new(0),
            issued: AtomicU64::new(0),
            released: AtomicU64::new(0),
            watched: AtomicU8::new(0),
            watch: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Box<Watch>>> {
        // No user code runs under this lock (wakers are woken after it is released).
        self.watch
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Counts a ticket for a message being queued. Call only under the mailbox lock (the only
    /// writer), before the message can be taken.
    pub(crate) fn issue(&self) {
        // Not an atomic increment: the lock orders the writers. Nor a sequentially consistent
        // store (an `xchg` on x86, 4% of a tell): every reader that must see it is ordered
        // after it already. The actor task takes the mailbox lock to receive the message; and
        // `any_live` reads `released` first, whose increments each come after the issue of the
        // ticket they release.
        let issued = self.issued.load(Ordering::Relaxed);
        self.issued.store(issued + 1, Ordering::Release);
    }

    /// Whether some ticket is alive.
    fn any_live(&self) -> bool {
        // `released` first: it only grows, and never passes `issued`, so a stale `issued`
        // read after it can only make this answer `true`.
        let released = self.released.load(Ordering::SeqCst);
        self.issued.load(Ordering::SeqCst) != released
    }

    /// The settled mark (sequentially consistent: see `Mailbox::force_close`).
    pub(crate) fn settled(&self) -> u64 {
        self.settled.load(Ordering::SeqCst)
    }

    /// Marks every message up to `seq` settled (the actor task, after delivering `seq`). Only
    /// a ticketed message moves the mark: only tickets read it, and each ticketed message
    /// moves it past itself when it is delivered. (An ask is answered through its reply and
    /// so skips the store, a locked `xchg` on x86.)
    #[inline]
    pub(crate) fn settle(&self, seq: u64) {
        if !is_ticketed(seq) {
            return;
        }
        // SeqCst, paired with `poll`: either the poller sees the new mark, or this sees its
        // `WAITERS` bit. A plain store: the actor task is the only writer, in queue order.
        self.settled.store(seq, Ordering::SeqCst);
        if self.watched.load(Ordering::SeqCst) & WAITERS != 0 {
            self.wake_settled();
        }
    }

    #[cold]
    fn wake_settled(&self) {
        let settled = self.settled.load(Ordering::SeqCst);
        let woken = {
            let mut guard = self.lock();
            let Some(watch) = guard.as_deref_mut() else {
                return;
            };
            // Every waiter up to the mark, read after the `WAITERS` bit (see `settle`): a
            // waiter registered after this read sees the mark itself (see `poll`).
            let woken = match settled.checked_add(1) {
                Some(after) => {
                    let later = watch.waiters.split_off(&after);
                    std::mem::replace(&mut watch.waiters, later)
                }
                None => std::mem::take(&mut watch.waiters),
            };
            self.waiters_taken(watch);
            woken
        };
        woken.into_values().for_each(Waker::wake);
    }

    /// Clears the `WAITERS` bit if no waiter is left (call under the lock, after taking some).
    fn waiters_taken(&self, watch: &Watch) {
        if watch.waiters.is_empty() {
            self.watched.fetch_and(!WAITERS, Ordering::SeqCst);
        }
    }

    /// Records that message `seq` failed with `error` (call before settling it, if it is ever
    /// settled). Skipped when no ticket is alive, or when the message has no ticket: nobody
    /// could ask.
    pub(crate) fn fail(&self, seq: u64, error: ActorError) {
        if !is_ticketed(seq) {
            return;
        }
        self.record_failure(|watch| {
            watch.failures.insert(seq, error);
            let woken = watch.waiters.remove(&seq);
            self.waiters_taken(watch);
            woken
        });
    }

    /// Records that the ticketed messages `first..=last` will never be delivered, failing with
    /// `error` (an [`ActorError::Stopped`], whose method each ticket names). Skipped when no
    /// ticket is alive.
    pub(crate) fn abandon(&self, first: u64, last: u64, error: ActorError) {
        self.record_failure(|watch| {
            watch.abandoned = Some((first, last, error));
            // The waiters in the range, one removal each: a stop abandons messages once.
            let waiting: Vec<u64> = watch
                .waiters
                .range(first..=last)
                .map(|(seq, _)| *seq)
                .collect();
            let woken: Vec<Waker> = waiting
                .iter()
                .filter_map(|seq| watch.waiters.remove(seq))
                .collect();
            self.waiters_taken(watch);
            woken
        });
    }

    /// Records a failure with `record`, which takes the wakers of the waiters it concerns, if
    /// some ticket is alive (nobody could ask otherwise); wakes them once the lock is released.
    fn record_failure<W: IntoIterator<Item = Waker>>(&self, record: impl FnOnce(&mut Watch) -> W) {
        if !self.any_live() {
            return;
        }
        let woken = {
            let mut guard = self.lock();
            // Again under the lock: the last ticket may have gone (and cleared the failures)
            // since the check above.
            if !self.any_live() {
                return;
            }
            let watch = guard.get_or_insert_with(Box::default);
            self.watched.fetch_or(FAILURES, Ordering::SeqCst);
            let woken = record(watch);
            // Once more, after raising `FAILURES` (sequentially consistent, paired with
            // `release`, which raises `released` and then reads `watched`): the last ticket may
            // have been dropped since the check above and found no failure to forget. Then
            // nobody can ask, and the records go now rather than with some later ticket (a loom
            // model found this: `loom_the_failure_of_a_dropped_tell_is_not_kept`).
            if !self.any_live() {
                watch.failures.clear();
                watch.abandoned = None;
                self.watched.fetch_and(!FAILURES, Ordering::SeqCst);
            }
            woken
        };
        woken.into_iter().for_each(Waker::wake);
    }

    /// The outcome of message `seq` (of protocol method `method`), if it is known; registers
    /// `cx`'s waker otherwise.
    fn poll(
        &self,
        seq: u64,
        method: &'static str,
        cx: Option<&mut Context<'_>>,
    ) -> Poll<Result<(), ActorError>> {
        // The mark first: a failure is recorded before the mark passes it, so having seen the
        // mark, this load sees the `FAILURES` bit too.
        if self.settled.load(Ordering::SeqCst) >= seq
            && self.watched.load(Ordering::SeqCst) & FAILURES == 0
        {
            return Poll::Ready(Ok(()));
        }
        let mut guard = self.lock();
        if let Some(watch) = guard.as_deref_mut() {
            if let Some(error) = watch.failures.remove(&seq) {
                if watch.failures_bit() == 0 {
                    self.watched.fetch_and(!FAILURES, Ordering::SeqCst);
                }
                return Poll::Ready(Err(error));
            }
            if let Some((first, last, error)) = &watch.abandoned {
                if (*first..=*last).contains(&seq) && is_ticketed(seq) {
                    let mut error = error.clone();
                    if let ActorError::Stopped { method: named, .. } = &mut error {
                        *named = method;
                    }
                    return Poll::Ready(Err(error));
                }
            }
        }
        if self.settled.load(Ordering::SeqCst) >= seq {
            return Poll::Ready(Ok(()));
        }
        let Some(cx) = cx else {
            return Poll::Pending;
        };
        let watch = guard.get_or_insert_with(Box::default);
        match watch.waiters.entry(seq) {
            Entry::Occupied(mut waiting) => waiting.get_mut().clone_from(cx.waker()),
            Entry::Vacant(waiting) => {
                waiting.insert(cx.waker().clone());
            }
        }
        self.watched.fetch_or(WAITERS, Ordering::SeqCst);
        // Paired with `settle`: the mark may have passed since it was read above, and the
        // settle that moved it may have found no `WAITERS` bit (or taken the waiters before
        // this one was added, under the lock).
        if self.settled.load(Ordering::SeqCst) >= seq {
            watch.waiters.remove(&seq);
            self.waiters_taken(watch);
            return Poll::Ready(Ok(()));
        }
        Poll::Pending
    }

    /// A ticket is gone: forgets its waker and failure, and every failure once no ticket is
    /// left.
    #[inline]
    fn release(&self, seq: u64) {
        let released = self.released.fetch_add(1, Ordering::SeqCst) + 1;
        if self.watched.load(Ordering::SeqCst) != 0 {
            self.forget(seq, released);
        }
    }

    /// [`release`](Self::release) when a waiter or a failure is recorded: forgets the ticket's,
    /// and every failure once no ticket is left.
    #[cold]
    fn forget(&self, seq: u64, released: u64) {
        let last = self.issued.load(Ordering::SeqCst) == released;
        let mut guard = self.lock();
        let Some(watch) = guard.as_deref_mut() else {
            return;
        };
        // Usually gone already: taken by the settle or failure that woke it.
        watch.waiters.remove(&seq);
        watch.failures.remove(&seq);
        // Under the lock, no live ticket means none can ask about a recorded failure: a new
        // ticket is counted as its message is queued, so before it can fail.
        if last && !self.any_live() {
            watch.failures.clear();
            watch.abandoned = None;
        }
        let mut watched = watch.failures_bit();
        if !watch.waiters.is_empty() {
            watched |= WAITERS;
        }
        self.watched.store(watched, Ordering::SeqCst);
        if watched == 0 {
            // Back to the common state: no memory held.
            *guard = None;
        }
    }
}

/// What holds a ledger for its tickets: the actor's cell, which a ticket keeps alive.
pub(crate) trait LedgerOwner: Send + Sync {
    fn ledger(&self) -> &Ledger;
}

/// What the promise of a `()`-returning method holds: the actor and its message's sequence
/// number. Dropping it tells the ledger that nobody will ask.
pub(crate) struct Ticket {
    actor: Arc<dyn LedgerOwner>,
    seq: u64,
    /// The protocol method the message calls, for the error if it is never delivered.
    method: &'static str,
}

impl Ticket {
    /// A ticket for message `seq` (calling `method`) of `actor`, counted by
    /// [`Ledger::issue`] as it was queued.
    pub(crate) fn new(actor: Arc<dyn LedgerOwner>, seq: u64, method: &'static str) -> Self {
        Self { actor, seq, method }
    }

    pub(crate) fn poll(&self, cx: &mut Context<'_>) -> Poll<Result<(), ActorError>> {
        self.actor.ledger().poll(self.seq, self.method, Some(cx))
    }

    pub(crate) fn try_take(&self) -> Option<Result<(), ActorError>> {
        match self.actor.ledger().poll(self.seq, self.method, None) {
            Poll::Ready(outcome) => Some(outcome),
            Poll::Pending => None,
        }
    }
}

impl Drop for Ticket {
    #[inline]
    fn drop(&mut self) {
        self.actor.ledger().release(self.seq);
    }
}

impl fmt::Debug for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ticket").field("seq", &self.seq).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holds_memory(ledger: &Ledger) -> bool {
        ledger.lock().is_some()
    }

    #[test]
    fn a_failure_nobody_can_ask_about_is_not_recorded() {
        let ledger = Ledger::new();
        let first = sequence(1, true);
        ledger.fail(first, ActorError::NoReply);
        assert!(!holds_memory(&ledger), "no ticket is alive");
        ledger.settle(first);
        assert_eq!(ledger.poll(first, "m", None), Poll::Ready(Ok(())));

        // A live ticket, and a failed message of another kind (with a reply channel).
        ledger.issue();
        let replied = sequence(2, false);
        ledger.fail(replied, ActorError::NoReply);
        assert!(!holds_memory(&ledger), "the reply channel tells its caller");
        let ticketed = sequence(3, true);
        ledger.fail(ticketed, ActorError::NoReply);
        assert!(holds_memory(&ledger));
        assert!(
            replied < ticketed && first < replied,
            "numbers keep queue order"
        );
    }

    #[test]
    fn failures_are_forgotten_once_no_ticket_is_left() {
        let ledger = Ledger::new();
        let (first, second) = (sequence(1, true), sequence(2, true));
        // Two tickets: the first is dropped (a tell) before its message fails.
        ledger.issue();
        ledger.issue();
        ledger.release(first);
        ledger.fail(first, ActorError::NoReply);
        ledger.settle(first);
        ledger.fail(second, ActorError::NoReply);
        ledger.settle(second);
        assert!(holds_memory(&ledger), "a live ticket may still ask");
        assert_eq!(
            ledger.poll(second, "m", None),
            Poll::Ready(Err(ActorError::NoReply))
        );
        ledger.release(second);
        assert!(
            !holds_memory(&ledger),
            "the failure of the dropped ticket went too"
        );
        assert_eq!(ledger.watched.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_waiter_is_woken_when_its_message_settles_and_forgotten_when_dropped() {
        let ledger = Ledger::new();
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        // Both ticketed, as a ticket's number always is: only those move the mark.
        let (first, second) = (sequence(1, true), sequence(2, true));
        ledger.issue();
        ledger.issue();
        assert_eq!(ledger.poll(first, "m", Some(&mut cx)), Poll::Pending);
        assert_eq!(ledger.poll(second, "m", Some(&mut cx)), Poll::Pending);
        ledger.settle(first);
        assert_eq!(ledger.poll(first, "m", Some(&mut cx)), Poll::Ready(Ok(())));
        ledger.release(first);
        assert!(holds_memory(&ledger), "ticket 2 still waits");
        ledger.release(second);
        assert!(!holds_memory(&ledger));
    }

    /// A waker that records, when woken, its ticket's number and which of its wakers it was.
    struct Recorder {
        seq: u64,
        generation: u32,
        woken: Arc<Mutex<Vec<(u64, u32)>>>,
    }

    impl std::task::Wake for Recorder {
        fn wake(self: Arc<Self>) {
            self.woken.lock().unwrap().push((self.seq, self.generation));
        }
    }

    #[test]
    fn many_waiters_are_woken_exactly_when_their_message_settles_or_fails() {
        let ledger = Ledger::new();
        let woken = Arc::new(Mutex::new(Vec::new()));
        let waker = |seq, generation| {
            Waker::from(Arc::new(Recorder {
                seq,
                generation,
                woken: Arc::clone(&woken),
            }))
        };
        // Every woken (number, waker) since the last call, in order of number.
        let take_woken = || {
            let mut taken = std::mem::take(&mut *woken.lock().unwrap());
            taken.sort_unstable();
            taken
        };
        let seq = |count: u64| sequence(count, true);
        let counts = |range: std::ops::RangeInclusive<u64>, skipped: &[u64]| -> Vec<(u64, u32)> {
            range
                .filter(|count| !skipped.contains(count))
                .map(|count| (seq(count), 1))
                .collect()
        };
        let waiting = |ledger: &Ledger| ledger.lock().as_ref().map_or(0, |w| w.waiters.len());

        // 100 tickets wait, each with its own waker.
        (1..=100).for_each(|_| ledger.issue());
        for count in 1..=100 {
            let waker = waker(seq(count), 1);
            let mut cx = Context::from_waker(&waker);
            assert_eq!(ledger.poll(seq(count), "m", Some(&mut cx)), Poll::Pending);
        }
        assert_eq!(waiting(&ledger), 100);
        // 10 is polled again with another waker: only that one is kept.
        let again = waker(seq(10), 2);
        let mut cx = Context::from_waker(&again);
        assert_eq!(ledger.poll(seq(10), "m", Some(&mut cx)), Poll::Pending);
        assert_eq!(waiting(&ledger), 100);
        // 20 and 21 are dropped while waiting: their wakers are forgotten.
        ledger.release(seq(20));
        ledger.release(seq(21));
        assert_eq!(waiting(&ledger), 98);
        assert!(take_woken().is_empty(), "nothing settled yet");

        // The mark moves in steps: exactly the waiters it passes are woken, once each.
        ledger.settle(seq(30));
        let mut expected = counts(1..=30, &[10, 20, 21]);
        expected.push((seq(10), 2));
        expected.sort_unstable();
        assert_eq!(take_woken(), expected);
        assert_eq!(waiting(&ledger), 70);
        ledger.settle(seq(30));
        assert!(
            take_woken().is_empty(),
            "a mark that does not move wakes nobody"
        );

        // A failure wakes its own waiter only; the settle after it, the rest up to it.
        ledger.fail(seq(50), ActorError::NoReply);
        assert_eq!(take_woken(), vec![(seq(50), 1)]);
        ledger.settle(seq(50));
        assert_eq!(take_woken(), counts(31..=49, &[]));
        ledger.settle(seq(75));
        assert_eq!(take_woken(), counts(51..=75, &[]));
        assert_eq!(waiting(&ledger), 25);

        // A stop abandons the tail: its waiters are woken, the ones before it wait on.
        let stopped = ActorError::Stopped {
            address: crate::Address::numeric(),
            type_name: "T".into(),
            method: "",
        };
        ledger.abandon(seq(91), seq(100), stopped);
        assert_eq!(take_woken(), counts(91..=100, &[]));
        assert_eq!(waiting(&ledger), 15);
        assert_ne!(ledger.watched.load(Ordering::SeqCst) & WAITERS, 0);
        ledger.settle(seq(90));
        assert_eq!(take_woken(), counts(76..=90, &[]));
        assert_eq!(waiting(&ledger), 0);
        assert_eq!(
            ledger.watched.load(Ordering::SeqCst) & WAITERS,
            0,
            "no waiter is left"
        );

        // Each ticket reads its own outcome.
        assert_eq!(ledger.poll(seq(49), "m", None), Poll::Ready(Ok(())));
        assert_eq!(
            ledger.poll(seq(50), "m", None),
            Poll::Ready(Err(ActorError::NoReply))
        );
        assert!(matches!(
            ledger.poll(seq(95), "e", None),
            Poll::Ready(Err(ActorError::Stopped { method: "e", .. }))
        ));
        (1..=100)
            .filter(|count| ![20, 21].contains(count))
            .for_each(|count| ledger.release(seq(count)));
        assert!(!holds_memory(&ledger));
        assert!(take_woken().is_empty(), "no waker is woken twice");
    }

    #[test]
    fn abandoned_messages_fail_naming_each_ticket_s_method_until_no_ticket_is_left() {
        let ledger = Ledger::new();
        let waker = futures::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let address = crate::Address::numeric();
        let stopped = |method| ActorError::Stopped {
            address,
            type_name: "T".into(),
            method,
        };
        let seqs: Vec<u64> = (1..=4).map(|count| sequence(count, true)).collect();
        ledger.abandon(seqs[1], seqs[3], stopped(""));
        assert!(!holds_memory(&ledger), "no ticket is alive");

        seqs.iter().for_each(|_| ledger.issue());
        // A waiter for 3 is woken, and learns why.
        assert_eq!(ledger.poll(seqs[2], "c", Some(&mut cx)), Poll::Pending);
        ledger.abandon(seqs[1], seqs[3], stopped(""));
        assert!(ledger.lock().as_ref().unwrap().waiters.is_empty());
        assert_eq!(
            ledger.poll(seqs[2], "c", Some(&mut cx)),
            Poll::Ready(Err(stopped("c")))
        );
        assert_eq!(
            ledger.poll(seqs[3], "d", None),
            Poll::Ready(Err(stopped("d")))
        );
        // 1 is not in the range: settled as usual; 2 asks twice and gets the same answer.
        ledger.settle(seqs[0]);
        assert_eq!(ledger.poll(seqs[0], "a", None), Poll::Ready(Ok(())));
        assert_eq!(
            ledger.poll(seqs[1], "b", None),
            Poll::Ready(Err(stopped("b")))
        );
        assert_eq!(
            ledger.poll(seqs[1], "b", None),
            Poll::Ready(Err(stopped("b")))
        );

        seqs.iter().for_each(|seq| ledger.release(*seq));
        assert!(!holds_memory(&ledger), "forgotten with the last ticket");
        assert_eq!(ledger.watched.load(Ordering::SeqCst), 0);
    }
}

/// Loom models of the claims above (see docs/ARCHITECTURE.md, *Model checking*): a ticket
/// waiting while the actor task settles and records failures always wakes, to its own outcome;
/// and a failure nobody can ask about is not kept. loom runs each model in every interleaving
/// (and every allowed reordering) of its threads; a waiter that is never woken is reported as
/// a deadlock.
#[cfg(all(test, loom))]
mod loom_tests {
    use super::*;

    /// The actor cell, as far as its tickets need it.
    struct Owner(Ledger);

    impl LedgerOwner for Owner {
        fn ledger(&self) -> &Ledger {
            &self.0
        }
    }

    /// A ledger with `tickets` tickets for its first messages, counted as the mailbox counts
    /// them: before the actor task can take the messages (there under the mailbox lock, here
    /// before the actor task's thread is spawned, which orders them the same way).
    fn issued(tickets: u64) -> (Arc<Owner>, Vec<Ticket>) {
        let owner = Arc::new(Owner(Ledger::new()));
        let tickets = (1..=tickets)
            .map(|count| {
                owner.0.issue();
                let owner = Arc::clone(&owner) as Arc<dyn LedgerOwner>;
                Ticket::new(owner, sequence(count, true), "m")
            })
            .collect();
        (owner, tickets)
    }

    /// Awaits `ticket` as its promise does.
    fn wait(ticket: &Ticket) -> Result<(), ActorError> {
        loom::future::block_on(std::future::poll_fn(|cx| ticket.poll(cx)))
    }

    /// What a failed handler's message records: `handler_failed` fails it, then settles it.
    fn panicked(ledger: &Ledger, seq: u64) {
        ledger.fail(seq, ActorError::NoReply);
        ledger.settle(seq);
    }

    /// Whether the ledger keeps no failure and no waiter.
    fn forgotten(ledger: &Ledger) -> bool {
        let watch = ledger.lock();
        watch
            .as_deref()
            .is_none_or(|watch| watch.failures.is_empty() && watch.waiters.is_empty())
    }

    /// The mark's store against a waiter's registration (both sequentially consistent: one
    /// sees the other), and a failure recorded before the mark passes it: each of two waiters
    /// wakes, to its own message's outcome.
    #[test]
    fn loom_a_waiting_ticket_wakes_to_its_own_outcome() {
        loom::model(|| {
            let (owner, tickets) = issued(2);
            let actor_task = {
                let owner = Arc::clone(&owner);
                loom::thread::spawn(move || {
                    panicked(&owner.0, sequence(1, true));
                    owner.0.settle(sequence(2, true));
                })
            };
            assert_eq!(wait(&tickets[0]), Err(ActorError::NoReply));
            assert_eq!(wait(&tickets[1]), Ok(()));
            drop(tickets);
            actor_task.join().unwrap();
            assert!(forgotten(&owner.0));
            assert_eq!(owner.0.watched.load(Ordering::SeqCst), 0);
        });
    }

    /// A tell's ticket dropped (at once, by its caller) while its handler fails: the failure
    /// is not kept, since nobody can ask about it, whichever comes first.
    #[test]
    fn loom_the_failure_of_a_dropped_tell_is_not_kept() {
        loom::model(|| {
            let (owner, tickets) = issued(1);
            let actor_task = {
                let owner = Arc::clone(&owner);
                loom::thread::spawn(move || panicked(&owner.0, sequence(1, true)))
            };
            drop(tickets);
            actor_task.join().unwrap();
            assert!(forgotten(&owner.0), "no ticket is left to ask");
        });
    }
}
