//! The actor task's batch: messages taken from an unbounded mailbox in one go, which the task
//! delivers from its own memory (one lock round trip for a burst instead of one per message,
//! which was a fifth of a tell's cost; the queue's buffer changes hands instead of each
//! message).
//!
//! Every rule about batches lives here, because every one of them concerns a batch meeting the
//! mailbox around it, and most bugs were there (a batch meeting a closed mailbox):
//!
//! * **What it may hold.** Only ticketed messages (`()`-methods, whose promises the
//!   [`Ledger`](crate::ledger::Ledger) settles), queued right behind a ticketed message (the
//!   *leader*, delivered first), of an unbounded mailbox (a bounded one keeps every message
//!   where its capacity counts it). So a stop that times out while a handler hangs can fail
//!   every batched message in the ledger without holding them: no reply rides in a batch. A
//!   few messages of other kinds may end the queue (the ask that follows a burst of tells):
//!   they stay queued, for the lock.
//! * **Its sequence range** ([`Span`]), kept in the mailbox's state for
//!   [`Mailbox::force_close`], which runs on another thread and cannot see the batch: the
//!   batched messages past the one that may be in delivery are failed there.
//! * **Taking the next message** ([`Batch::next`]) without the lock, reading the mailbox's
//!   `signals` between messages: a system envelope waiting sends the task back to the lock,
//!   which hands that over first; a closed mailbox makes it deliver nothing more.
//! * **Giving messages back** ([`Batch::give_back`]) to the front of the queue, before the
//!   task does anything but deliver (supervision, a directive, the stop sequence), where
//!   suspending, closing and the supervisor's decisions find them.
//! * **Rejecting them** ([`Batch::take_rejected`]): a closed mailbox takes nothing back, so
//!   what a forced close left in the batch is the task's to reject (their promises were
//!   failed by the close already; they become dead letters).

use std::collections::VecDeque;

use super::{Carries, Envelope, Mailbox, State};
use crate::base::sync::atomic::Ordering;
use crate::ledger;

/// The largest buffer (in envelopes) a drained batch hands back to the senders: a bigger one
/// (after a burst) is freed, so that a busy actor does not keep two of its largest queues.
const BUFFER_KEPT: usize = 1024;

/// How many messages that may not be batched may end the queue that becomes a batch: each is
/// looked at.
const TRAILING: usize = 4;

/// An actor task's batch: ticketed messages taken from the queue in one go, in queue order.
/// Owned by the task (its guard), never shared.
pub(crate) struct Batch<M, C: Carries> {
    messages: VecDeque<Envelope<M, C>>,
}

/// The counts (see `ledger::sequence`) of the first and last messages of the actor task's
/// latest batch, kept under the mailbox lock for a forced close. Not cleared when the batch
/// runs out: the settled mark has passed every delivered message by then, so a stale span names
/// nothing undelivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    /// `0` for none: counts start at 1.
    first: u64,
    last: u64,
}

impl Span {
    /// No batch (or one given back).
    pub(super) const NONE: Span = Span { first: 0, last: 0 };

    /// The first and last sequence numbers of the batched messages that the actor task will
    /// not deliver once the mailbox is closed, given the settled mark read after closing.
    ///
    /// A batch follows the ticketed leader taken with it, and every ticketed message moves
    /// the settled mark past itself when it is done, so the message after the mark (or the
    /// leader, if the mark is behind it) may be in delivery: it is left to the task. Every
    /// later one is undelivered: the task settles a message before it reads the signals to
    /// start the next (both sequentially consistent, as the closing store and the read of
    /// the mark), so either the close sees the settle, or the task sees the mailbox closed and
    /// delivers nothing more.
    pub(super) fn undelivered(self, settled: u64) -> Option<(u64, u64)> {
        // With no batch, `last` is 0 and nothing is undelivered.
        let leader = self.first.saturating_sub(1);
        let in_delivery = (ledger::count_of(settled) + 1).max(leader);
        (in_delivery < self.last).then(|| {
            (
                ledger::sequence(in_delivery + 1, true),
                ledger::sequence(self.last, true),
            )
        })
    }
}

impl<M, C: Carries> Default for Batch<M, C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<M, C: Carries> Batch<M, C> {
    pub(crate) fn new() -> Self {
        Self {
            messages: VecDeque::new(),
        }
    }

    /// Drops an empty batch: forgotten if it never held a buffer, so that the common case
    /// costs no call of `VecDeque`'s drop (nothing to drop, nothing to free).
    #[inline]
    pub(crate) fn discard(self) {
        debug_assert!(self.is_empty(), "only an empty batch is discarded");
        if self.messages.capacity() == 0 {
            std::mem::forget(self);
        }
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Takes the next batched message without the lock, if nothing asks for the lock (`None`
    /// otherwise, or when the batch is empty): a system envelope waiting goes first (through
    /// the lock), and a closed mailbox delivers nothing more.
    ///
    /// Reads the signals after the actor task settled the previous message: sequentially
    /// consistent, paired with the closing store and the read of the settled mark in
    /// [`Mailbox::force_close`] (see [`Span::undelivered`]).
    #[inline]
    pub(crate) fn next(&mut self, mailbox: &Mailbox<M, C>) -> Option<Envelope<M, C>> {
        if self.messages.is_empty() || mailbox.signals.load(Ordering::SeqCst) != 0 {
            return None;
        }
        self.pop(mailbox)
    }

    /// Gives the batch's messages back to the front of the queue, where they were: before
    /// the actor task does anything but deliver (supervision may suspend the mailbox, a stop
    /// closes it). A closed mailbox takes nothing back: they stay here, for
    /// [`take_rejected`](Self::take_rejected).
    pub(crate) fn give_back(&mut self, mailbox: &Mailbox<M, C>) {
        if self.messages.is_empty() {
            return;
        }
        let mut state = mailbox.lock();
        if state.closed {
            return;
        }
        let mut queue = std::mem::take(&mut self.messages);
        queue.append(&mut state.queue);
        state.queue = queue;
        state.batch = Span::NONE;
        self.publish(mailbox);
    }

    /// Takes what a closed mailbox left in the batch, for the task to reject (empty unless a
    /// forced close came first: a batch is otherwise delivered or given back).
    pub(crate) fn take_rejected(&mut self, mailbox: &Mailbox<M, C>) -> VecDeque<Envelope<M, C>> {
        debug_assert!(
            self.messages.is_empty() || mailbox.lock().closed,
            "only a closed mailbox leaves a batch to reject"
        );
        let taken = std::mem::take(&mut self.messages);
        self.publish(mailbox);
        taken
    }

    /// The batch's next message, under the mailbox lock or without it.
    #[inline]
    pub(super) fn pop(&mut self, mailbox: &Mailbox<M, C>) -> Option<Envelope<M, C>> {
        let envelope = self.messages.pop_front();
        self.publish(mailbox);
        envelope
    }

    /// Called under the mailbox lock with `leader` just taken from the queue: makes the
    /// (empty) batch of the messages queued behind it if they may be batched. The common case
    /// of a lingering actor, answering one message at a time, stops at the first test.
    #[inline(always)]
    pub(super) fn follow(
        &mut self,
        mailbox: &Mailbox<M, C>,
        state: &mut State<M, C>,
        leader: &Envelope<M, C>,
    ) {
        // Only a ticketed message leads a batch: it moves the settled mark when it is done,
        // which `Span::undelivered` reads to tell which batched message may be in delivery.
        if !state.queue.is_empty() && state.capacity.is_none() && is_ticketed(leader) {
            self.fill(mailbox, state);
        }
    }

    /// Moves the queue's ticketed messages to the batch if they are all at its front, followed
    /// by no more than a few others (the ask that ends a burst of tells, say): the queue's
    /// buffer changes hands, and those few go back to the queue, which gets the batch's empty
    /// buffer. Otherwise the messages stay where they are, to be taken one at a time.
    #[cold]
    fn fill(&mut self, mailbox: &Mailbox<M, C>, state: &mut State<M, C>) {
        debug_assert!(
            self.messages.is_empty(),
            "a batch is filled once it ran out"
        );
        let others = (state.unticketed + state.stops) as usize;
        if state.queue.len() <= others
            || others > TRAILING
            || state.queue.iter().rev().take(others).any(is_ticketed)
        {
            return;
        }
        if self.messages.capacity() > BUFFER_KEPT {
            self.messages = VecDeque::new();
        }
        std::mem::swap(&mut self.messages, &mut state.queue);
        for _ in 0..others {
            let other = self.messages.pop_back().expect("counted");
            state.queue.push_front(other);
        }
        let count = |envelope: Option<&Envelope<M, C>>| match envelope {
            Some(Envelope::Message { seq, .. }) => ledger::count_of(*seq),
            _ => unreachable!("a batch holds ticketed messages only"),
        };
        state.batch = Span {
            first: count(self.messages.front()),
            last: count(self.messages.back()),
        };
        self.publish(mailbox);
    }

    /// Publishes the batch's size for [`Mailbox::stats`].
    #[inline]
    fn publish(&self, mailbox: &Mailbox<M, C>) {
        let len = u32::try_from(self.messages.len()).unwrap_or(u32::MAX);
        mailbox.batched.store(len, Ordering::Relaxed);
    }
}

/// What a task that ended abnormally rejects: the batch, whatever the mailbox's state.
impl<M, C: Carries> IntoIterator for Batch<M, C> {
    type Item = Envelope<M, C>;
    type IntoIter = std::collections::vec_deque::IntoIter<Envelope<M, C>>;

    fn into_iter(self) -> Self::IntoIter {
        self.messages.into_iter()
    }
}

/// Whether `envelope` is a message whose promise is a ledger ticket.
pub(super) fn is_ticketed<M, C: Carries>(envelope: &Envelope<M, C>) -> bool {
    matches!(envelope, Envelope::Message { seq, .. } if ledger::is_ticketed(*seq))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OverflowPolicy;
    use crate::mailbox::Wake;
    use crate::mailbox::tests::{NoCell, bounded, message, queued, send, unbounded};

    fn messages(batch: &Batch<u32, NoCell>) -> Vec<u32> {
        batch
            .messages
            .iter()
            .map(|envelope| match envelope {
                Envelope::Message { message, .. } => *message,
                _ => unreachable!("a batch holds messages"),
            })
            .collect()
    }

    #[test]
    fn tickets_queued_behind_a_ticketed_message_become_its_batch() {
        // Tells 1 to 4, then an ask (5): the tells behind the first are batched, the ask
        // stays queued for the lock.
        let mailbox = unbounded(&[(1, true), (2, true), (3, true), (4, true), (5, false)]);
        let batch = &mut Batch::new();
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        assert_eq!(messages(batch), [2, 3, 4]);
        assert_eq!(queued(&mailbox), [Some(5)]);
        assert_eq!(mailbox.stats().queued(), 4, "the batch counts as queued");
        for expected in [2, 3, 4] {
            assert_eq!(message(batch.next(&mailbox)), Some(expected));
        }
        assert!(batch.next(&mailbox).is_none());
        assert_eq!(message(mailbox.receive(batch)), Some(5));
        assert_eq!(mailbox.stats().queued(), 0);
    }

    #[test]
    fn no_batch_behind_an_ask_nor_around_one_in_the_middle_nor_when_bounded() {
        let batch = &mut Batch::new();
        // Behind an ask: not until a tell leads.
        let mailbox = unbounded(&[(1, false), (2, true), (3, true)]);
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        assert!(batch.is_empty());
        assert_eq!(message(mailbox.receive(batch)), Some(2));
        assert_eq!(messages(batch), [3]);

        // An ask between tells: taken one at a time.
        let mailbox = unbounded(&[(1, true), (2, false), (3, true)]);
        *batch = Batch::new();
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        assert!(batch.is_empty());
        assert_eq!(queued(&mailbox), [Some(2), Some(3)]);

        // A bounded mailbox keeps every message where capacity counts it.
        let mailbox = bounded(8, OverflowPolicy::Reject);
        send(&mailbox, &[(1, true), (2, true), (3, true)]);
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        assert!(batch.is_empty());
        assert_eq!(queued(&mailbox), [Some(2), Some(3)]);
    }

    #[test]
    fn a_system_envelope_goes_before_the_rest_of_the_batch() {
        let mailbox = unbounded(&[(1, true), (2, true), (3, true)]);
        let batch = &mut Batch::new();
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        let directive = Envelope::Directive(Box::new("resume"));
        assert!(matches!(mailbox.send_system(directive), Ok(Wake::Nothing)));
        assert!(
            batch.next(&mailbox).is_none(),
            "the signal sends the task to the lock"
        );
        assert!(matches!(
            mailbox.receive(batch),
            Some(Envelope::Directive(_))
        ));
        assert_eq!(message(batch.next(&mailbox)), Some(2));
        assert_eq!(message(batch.next(&mailbox)), Some(3));
    }

    #[test]
    fn unbatching_puts_the_batch_back_in_front_in_order() {
        let mailbox = unbounded(&[(1, true), (2, true), (3, true)]);
        let batch = &mut Batch::new();
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        send(&mailbox, &[(4, true)]);
        batch.give_back(&mailbox);
        assert!(batch.is_empty());
        assert_eq!(queued(&mailbox), [Some(2), Some(3), Some(4)]);
        assert_eq!(mailbox.stats().queued(), 3);
        let closed = mailbox.force_close();
        assert_eq!(closed.pending.len(), 3, "closing finds them all");
        assert_eq!(closed.undelivered, None, "nothing is left in a batch");
    }

    #[test]
    fn a_forced_close_names_the_batched_messages_not_in_delivery() {
        let seq = |count| ledger::sequence(count, true);
        // The leader (1) in delivery: the whole batch is undelivered.
        let mailbox = unbounded(&[(1, true), (2, true), (3, true), (4, true)]);
        let batch = &mut Batch::new();
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        let closed = mailbox.force_close();
        assert!(closed.pending.is_empty());
        assert_eq!(closed.undelivered, Some((seq(2), seq(4))));

        // The leader done and 2 in delivery: 3 and 4 are.
        let mailbox = unbounded(&[(1, true), (2, true), (3, true), (4, true)]);
        *batch = Batch::new();
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        mailbox.ledger.settle(seq(1));
        assert_eq!(message(batch.next(&mailbox)), Some(2));
        assert_eq!(mailbox.force_close().undelivered, Some((seq(3), seq(4))));
        assert!(
            batch.next(&mailbox).is_none(),
            "a closed mailbox delivers nothing more"
        );
        assert!(mailbox.receive(batch).is_none(), "nor through the lock");
        batch.give_back(&mailbox);
        assert_eq!(messages(batch), [3, 4], "left to the task to reject");
        assert!(
            queued(&mailbox).is_empty(),
            "a closed mailbox takes nothing back"
        );

        // The last one in delivery: nothing is.
        let mailbox = unbounded(&[(1, true), (2, true)]);
        *batch = Batch::new();
        assert_eq!(message(mailbox.receive(batch)), Some(1));
        mailbox.ledger.settle(seq(1));
        assert_eq!(message(batch.next(&mailbox)), Some(2));
        assert_eq!(mailbox.force_close().undelivered, None);
    }
}

/// A loom model of a forced close racing a batch (see docs/ARCHITECTURE.md, *Model
/// checking*): the actor task delivers from its batch while another thread force-closes the
/// mailbox, as a stop that timed out does. loom runs it in every interleaving (and every
/// allowed reordering) of the two threads.
#[cfg(all(test, loom))]
mod loom_tests {
    use std::sync::Arc;

    use super::*;
    use crate::ActorError;
    use crate::ledger::{Ledger, LedgerOwner, Ticket};
    use crate::mailbox::tests::{NoCell, send};
    use crate::mailbox::{ForcedClose, Mailbox};

    /// The actor cell, as far as the model needs it.
    struct Cell(Mailbox<u32, NoCell>);

    impl LedgerOwner for Cell {
        fn ledger(&self) -> &Ledger {
            &self.0.ledger
        }
    }

    /// Fails the promise of a message that will not be delivered, as `ActorCell::reject_all`
    /// does; returns the message.
    fn reject(mailbox: &Mailbox<u32, NoCell>, envelope: Envelope<u32, NoCell>) -> u32 {
        let Envelope::Message { message, seq, .. } = envelope else {
            unreachable!("only messages are sent")
        };
        mailbox.ledger.fail(seq, ActorError::NoReply);
        message
    }

    /// The actor task's loop, as far as a batch goes: the batch's next message, else the lock's;
    /// each delivered message settled; what a closed mailbox leaves in the batch rejected.
    fn run_task(mailbox: &Mailbox<u32, NoCell>) -> (Vec<u32>, Vec<u32>) {
        let mut batch = Batch::new();
        let mut delivered = Vec::new();
        while let Some(envelope) = batch.next(mailbox).or_else(|| mailbox.receive(&mut batch)) {
            let Envelope::Message { message, seq, .. } = envelope else {
                unreachable!("only messages are sent")
            };
            delivered.push(message);
            mailbox.ledger.settle(seq);
        }
        let rejected = batch.take_rejected(mailbox);
        let rejected = rejected.into_iter().map(|e| reject(mailbox, e)).collect();
        (delivered, rejected)
    }

    /// Every message is delivered or rejected exactly once (by the task, from its batch, or by
    /// the close, from the queue), and a promise is failed exactly when its message is not
    /// delivered: the close never fails a message the task delivers, nor leaves one that the
    /// task will not deliver unfailed.
    #[test]
    fn loom_a_forced_close_racing_a_batch_loses_no_message() {
        loom::model(|| {
            let cell = Arc::new(Cell(Mailbox::new(crate::MailboxConfig::Unbounded)));
            // Three tells, whose tickets stay alive (their promises are held), then an ask:
            // the tells behind the first become its batch, the ask stays queued.
            send(&cell.0, &[(1, true), (2, true), (3, true), (4, false)]);
            let task = {
                let cell = Arc::clone(&cell);
                loom::thread::spawn(move || run_task(&cell.0))
            };
            // A stop that timed out: `ActorCell::force_close`.
            let ForcedClose {
                pending,
                undelivered,
                ..
            } = cell.0.force_close();
            if let Some((first, last)) = undelivered {
                cell.0.ledger.abandon(first, last, ActorError::NoReply);
            }
            let pending: Vec<u32> = pending.into_iter().map(|e| reject(&cell.0, e)).collect();
            let (delivered, rejected) = task.join().unwrap();

            let mut all: Vec<u32> = [&delivered, &rejected, &pending]
                .into_iter()
                .flatten()
                .copied()
                .collect();
            all.sort_unstable();
            assert_eq!(all, [1, 2, 3, 4], "{delivered:?} {rejected:?} {pending:?}");
            for count in 1..=3 {
                let owner = Arc::clone(&cell) as Arc<dyn LedgerOwner>;
                let ticket = Ticket::new(owner, ledger::sequence(count, true), "m");
                let expected = if delivered.contains(&(count as u32)) {
                    Some(Ok(()))
                } else {
                    Some(Err(ActorError::NoReply))
                };
                assert_eq!(ticket.try_take(), expected, "message {count}");
            }
        });
    }
}
