//! The mailbox: a FIFO queue with one consumer, scheduled onto the runtime only while it holds
//! messages.
//!
//! An idle actor owns no tokio task. Its *actor task* (the actor value, its definition, its run
//! state) is *parked* in the mailbox as a boxed [`Task`]. A send that finds it parked takes it
//! out and activates it (spawns it on the runtime); the actor task takes messages one at a time
//! and, when it finds the queue empty, parks itself again. Taking a message and parking happen
//! under the same lock as pushing and un-parking, so a message can never be stranded in an idle
//! mailbox, and since the actor task is moved out while it runs, there is exactly one consumer.
//!
//! An unbounded mailbox hands the actor task the ticketed messages queued behind the one it
//! takes in one go, as a *batch* that the task delivers from its own memory; [`Batch`] (in
//! `mailbox/batch.rs`) owns every rule about batches: what one may hold, its sequence range,
//! taking its next message between signals, giving it back and rejecting it at close.
//!
//! Before parking, the actor task may linger (see `linger.rs`): it leaves its waker here
//! ([`RunState::Waiting`]) and waits; a send then wakes it instead of spawning a new task.
//!
//! System envelopes (supervision directives, and stops sent to a suspended mailbox) have a
//! queue of their own, taken before user messages and even while the mailbox is suspended, so
//! they never wait behind user messages.
//!
//! A bounded mailbox ([`MailboxConfig::Bounded`]) caps the protocol messages in the user queue;
//! a send that finds it full applies the [`OverflowPolicy`] under the lock and hands the losing
//! message back, so that the caller dead-letters it and fails its promise outside the lock
//! (listeners and promise continuations are user code). Stop requests share the user queue,
//! to keep their place behind earlier messages, but are counted apart (`stops`) so that they
//! never take room from messages nor are evicted.

use std::collections::VecDeque;
use std::future::Future;
use std::num::NonZeroUsize;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

mod activity;
mod batch;
pub(crate) mod config;
pub(crate) mod stats;

pub(crate) use activity::{Activity, Run};
pub(crate) use batch::Batch;
use batch::Span;

use crate::answer::promise::Reply;
use crate::base::metrics::Stamp;
use crate::base::sync::atomic::{AtomicU8, AtomicU32, Ordering};
use crate::base::sync::{Mutex, MutexGuard};
use crate::ledger::{self, Ledger};
use crate::{ActorError, MailboxConfig, MailboxStats, OverflowPolicy};

/// What a mailbox carries for its actor without looking inside: the execution context
/// snapshotted into every message, and a supervisor's directive. Named by the actor's cell type
/// `C`: the runtime says what they are. (Both name actors, so they live above the mailbox,
/// which therefore imports nothing of the runtime.)
pub(crate) trait Carries {
    /// The actor's persistent execution context, a snapshot of which travels with each message.
    type Context: Clone + Default + Send;
    /// A supervisor's directive for a sibling of a failed actor.
    type Directive: Send;
    /// What a sender may add to a message's snapshot of the context (for an actor, the
    /// sender's span, which the message's span follows from).
    type Link: Send;

    /// The snapshot of `context` that carries `link`.
    fn linked(context: &Self::Context, link: Self::Link) -> Self::Context;
}

/// What travels through a mailbox.
pub(crate) enum Envelope<M, C: Carries> {
    /// A protocol message with the sender's execution-context snapshot, and its sequence
    /// number in this mailbox (see [`Ledger`]); `enqueued` is for the metrics (zero-sized
    /// without the `metrics` feature).
    Message {
        message: M,
        context: C::Context,
        seq: u64,
        enqueued: Stamp,
    },
    /// A request to stop, queued behind the messages already sent.
    Stop { reply: Reply<()> },
    /// System: apply a supervisor's directive to this actor (a sibling of a failed actor, under
    /// scope All). Boxed: directives are rare, and every queue slot is as large as the largest
    /// variant.
    Directive(Box<C::Directive>),
    /// System: suspend or resume the delivery of user messages
    /// ([`ActorRef::suspend`](crate::ActorRef::suspend) and `resume`); answered once applied.
    Control(Control, Reply<()>),
}

/// What an [`Envelope::Control`] asks of the actor's task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Control {
    /// Deliver no user message until resumed.
    Suspend,
    /// Deliver user messages again, in order.
    Resume,
}

impl Control {
    /// The name of the call, for errors and dead letters.
    pub(crate) fn method(self) -> &'static str {
        match self {
            Control::Suspend => "suspend",
            Control::Resume => "resume",
        }
    }
}

/// An actor task as its mailbox sees it: parked in the mailbox while the actor is idle. `C` is the
/// actor's cell, which owns the mailbox: a parameter, so that the mailbox needs nothing of the
/// cell (and can be modelled alone, see `loom_tests`).
pub(crate) trait Task<C>: Send {
    /// Starts the actor task on the runtime (spawns it).
    fn activate(self: Box<Self>, cell: Arc<C>);

    /// The actor task's future, for a caller to run in its own task instead of spawning it
    /// (a parent stopping its parked children one at a time, see `ActorCell::stop_here`).
    fn into_task_future(self: Box<Self>, cell: Arc<C>) -> TaskFuture;
}

/// `Mailbox::signals` bit: the mailbox is closed.
const CLOSED: u8 = 1;
/// `Mailbox::signals` bit: a system envelope waits.
const SYSTEM: u8 = 2;

/// An actor task's future, run by another task.
pub(crate) type TaskFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Who runs the actor at the moment.
enum RunState<C> {
    /// The actor task runs and delivers.
    Active,
    /// The actor task runs and waits for a message (it lingers, see `linger.rs`).
    Waiting(Waker),
    /// The actor task is parked here: nothing runs it.
    Parked(Box<dyn Task<C>>),
}

/// What a send must do, once the lock is released, to get its message delivered.
#[must_use = "a woken mailbox needs its actor task activated or woken"]
pub(crate) enum Wake<C> {
    /// Nothing: the actor task is running, or the mailbox is suspended.
    Nothing,
    /// Activate the actor task that was parked (spawn it).
    Activate(Box<dyn Task<C>>),
    /// Wake the lingering actor task.
    Notify(Waker),
}

impl<C> Wake<C> {
    /// Does it, for the actor of `cell`.
    pub(crate) fn run(self, cell: &Arc<C>) {
        match self {
            Wake::Nothing => {}
            Wake::Activate(task) => task.activate(Arc::clone(cell)),
            Wake::Notify(waker) => waker.wake(),
        }
    }
}

/// Why a send handed a protocol message back: it will not be delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The mailbox is closed: the actor has stopped (or is stopping).
    Closed,
    /// A full bounded mailbox applied this policy: the message is the incoming one (`Reject`,
    /// `DropNewest`) or the oldest queued one, evicted for it (`DropOldest`).
    Overflow(OverflowPolicy),
}

/// A protocol message that a send did not queue (or evicted), and why. The caller
/// dead-letters it and fails its promise, outside the mailbox lock.
pub(crate) type Refused<M> = (M, Refusal);

/// What a send did. The common case, `Queued`, is kept small: it is returned on every send.
pub(crate) enum Sent<M, C> {
    /// Queued with this sequence number; `wake` says how to get it delivered.
    Queued { seq: u64, wake: Wake<C> },
    /// Not queued: the message is handed back.
    Refused(Refused<M>),
    /// Queued, but a full drop-oldest mailbox evicted its oldest message for it: the evicted
    /// one is handed back. (Rare; boxed so that it does not make every `Sent` larger.)
    Evicted(Box<Eviction<M, C>>),
}

/// The outcome of a send that evicted the oldest message (see [`Sent::Evicted`]).
pub(crate) struct Eviction<M, C> {
    pub(crate) seq: u64,
    pub(crate) wake: Wake<C>,
    pub(crate) evicted: Refused<M>,
}

/// What closing a mailbox from outside the actor leaves to the caller (see
/// [`Mailbox::force_close`]).
pub(crate) struct ForcedClose<M, C: Carries> {
    /// What was queued, to fail and dead-letter.
    pub(crate) pending: VecDeque<Envelope<M, C>>,
    /// The parked task (never to run) or the lingering task's waker (to wake).
    pub(crate) wake: Wake<C>,
    /// The first and last sequence numbers of the batched messages the actor task will not
    /// deliver, to fail in the ledger.
    pub(crate) undelivered: Option<(u64, u64)>,
}

/// The mailbox of an actor whose cell is a `C` (see [`Task`]).
pub(crate) struct Mailbox<M, C: Carries> {
    state: Mutex<State<M, C>>,
    /// `CLOSED | SYSTEM`, mirrored from `state` (and written only under its lock), so that
    /// `is_stopped` and an actor task delivering a batch need no lock.
    signals: AtomicU8,
    /// Messages in the actor task's batch, for [`stats`](Self::stats). Written by the actor
    /// task alone.
    batched: AtomicU32,
    /// Which messages are settled: answers the promises of `()`-returning messages.
    pub(crate) ledger: Ledger,
}

struct State<M, C: Carries> {
    queue: VecDeque<Envelope<M, C>>,
    /// System envelopes, allocated by the first one: most mailboxes never see one, and an
    /// idle actor should cost as little as possible.
    // Boxed for the header's size (one word instead of four), not the elements'.
    #[allow(clippy::box_collection)]
    system: Option<Box<VecDeque<Envelope<M, C>>>>,
    run: RunState<C>,
    suspended: bool,
    closed: bool,
    /// The actor's persistent execution context, snapshotted into every message sent.
    context: C::Context,
    /// How many protocol messages `queue` may hold; `None` for an unbounded mailbox, so the
    /// send path tests one field. (`Option<NonZeroUsize>` is one word.)
    capacity: Option<NonZeroUsize>,
    /// What a full bounded mailbox does; unused when unbounded. Kept apart from `capacity` so
    /// that it fits in the padding after the flags instead of costing another word.
    overflow: OverflowPolicy,
    /// Stop requests in `queue`, which do not count toward `capacity`. A `u32` fits in the
    /// padding too; each stop request holds an allocated reply, so memory runs out long before
    /// four billion of them.
    stops: u32,
    /// Protocol messages in `queue` whose promise is not a ticket (see `Batch::fill`). A
    /// `u32`, as `stops`, for the same reason: each such message holds an allocated reply or
    /// is at least a few dozen bytes queued.
    unticketed: u32,
    /// Messages the overflow policy dropped or refused.
    dropped: u64,
    /// How many protocol messages were ever queued: numbers them (see `ledger::sequence`).
    queued_count: u64,
    /// The actor task's latest batch, for [`Mailbox::force_close`].
    batch: Span,
}

impl<M, C: Carries> Mailbox<M, C> {
    /// A mailbox of the kind `config` names, whose task is active (the creator activates it
    /// at once).
    pub(crate) fn new(config: MailboxConfig) -> Self {
        Self {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                system: None,
                run: RunState::Active,
                suspended: false,
                closed: false,
                context: C::Context::default(),
                capacity: config.capacity(),
                overflow: config
                    .overflow_policy()
                    .unwrap_or(OverflowPolicy::DropNewest),
                stops: 0,
                unticketed: 0,
                dropped: 0,
                queued_count: 0,
                batch: Span::NONE,
            }),
            signals: AtomicU8::new(0),
            batched: AtomicU32::new(0),
            ledger: Ledger::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<M, C>> {
        // A panic never happens while the lock is held (no user code runs under it), so a
        // poisoned lock still guards consistent data.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Enqueues a protocol message, snapshotting the persistent execution context into it.
    /// `ticketed`: the message's promise is a ledger [`Ticket`](crate::ledger::Ticket), counted
    /// here as the message is queued.
    ///
    /// `evicted` names the failure of a message that drop-oldest evicts for this one: it is
    /// recorded in the ledger before the lock is released, so that the actor task cannot settle
    /// past the evicted message before its failure is known.
    pub(crate) fn send_message(
        &self,
        message: M,
        ticketed: bool,
        evicted: &dyn Fn(&M) -> ActorError,
    ) -> Sent<M, C> {
        self.enqueue(message, ticketed, None, evicted)
    }

    /// [`send_message`](Self::send_message) with a snapshot that carries `link` (see
    /// [`Carries::linked`]).
    pub(crate) fn send_linked_message(
        &self,
        message: M,
        ticketed: bool,
        link: C::Link,
        evicted: &dyn Fn(&M) -> ActorError,
    ) -> Sent<M, C> {
        self.enqueue(message, ticketed, Some(link), evicted)
    }

    // Always inlined: in `send_message`, `link` is a constant `None` and costs nothing.
    #[inline(always)]
    fn enqueue(
        &self,
        message: M,
        ticketed: bool,
        link: Option<C::Link>,
        evicted: &dyn Fn(&M) -> ActorError,
    ) -> Sent<M, C> {
        // Before the lock, so as not to hold it longer (nothing without the `metrics` feature).
        let stamp = Stamp::now();
        let mut state = self.lock();
        if state.closed {
            return Sent::Refused((message, Refusal::Closed));
        }
        // The only test an unbounded mailbox pays for bounding.
        if let Some(capacity) = state.capacity {
            if state.queued() >= capacity.get() {
                return self.overflow(state, (message, stamp), ticketed, link, evicted);
            }
        }
        let seq = state.push((message, stamp), ticketed, link, &self.ledger);
        Sent::Queued {
            seq,
            wake: state.wake(),
        }
    }

    /// A send to a full bounded mailbox: applies its policy.
    #[cold]
    fn overflow(
        &self,
        mut state: MutexGuard<'_, State<M, C>>,
        (message, stamp): (M, Stamp),
        ticketed: bool,
        link: Option<C::Link>,
        evicted_error: &dyn Fn(&M) -> ActorError,
    ) -> Sent<M, C> {
        let policy = state.overflow;
        state.dropped += 1;
        if policy != OverflowPolicy::DropOldest {
            return Sent::Refused((message, Refusal::Overflow(policy)));
        }
        // The oldest protocol message: stop requests keep their place.
        let oldest = state
            .queue
            .iter()
            .position(|envelope| matches!(envelope, Envelope::Message { .. }));
        let evicted = oldest.and_then(|index| state.queue.remove(index));
        if let Some(Envelope::Message { message, seq, .. }) = &evicted {
            state.unticketed -= u32::from(!ledger::is_ticketed(*seq));
            self.ledger.fail(*seq, evicted_error(message));
        }
        let seq = state.push((message, stamp), ticketed, link, &self.ledger);
        let wake = state.wake();
        drop(state);
        match evicted {
            // Its context is dropped here, after unlocking: it may hold the last handle to user
            // values, whose destructors must not run under the lock.
            Some(Envelope::Message { message, .. }) => Sent::Evicted(Box::new(Eviction {
                seq,
                wake,
                evicted: (message, Refusal::Overflow(policy)),
            })),
            // Unreachable: a full mailbox holds `capacity` (at least one) messages.
            _ => Sent::Queued { seq, wake },
        }
    }

    /// Enqueues a stop request behind the messages already sent (or, in a suspended mailbox,
    /// as a system envelope, so that it is not held by the suspension). `Err` gives the reply
    /// back if the mailbox is closed.
    pub(crate) fn send_stop(&self, reply: Reply<()>) -> Result<Wake<C>, Reply<()>> {
        let mut state = self.lock();
        if state.closed {
            return Err(reply);
        }
        if state.suspended {
            self.push_system(&mut state, Envelope::Stop { reply });
            return Ok(state.take_task());
        }
        state.queue.push_back(Envelope::Stop { reply });
        state.stops += 1;
        Ok(state.wake())
    }

    /// Enqueues a system envelope, taken before user messages even while suspended. `Err`
    /// gives it back if the mailbox is closed.
    pub(crate) fn send_system(&self, envelope: Envelope<M, C>) -> Result<Wake<C>, Envelope<M, C>> {
        let mut state = self.lock();
        if state.closed {
            return Err(envelope);
        }
        self.push_system(&mut state, envelope);
        Ok(state.take_task())
    }

    /// The next envelope with the actor task handed back, or `None` after parking it
    /// because there is nothing to deliver (the queue is empty, or the mailbox is suspended).
    pub(crate) fn receive_or_park<R>(
        &self,
        task: Box<R>,
        batch: &mut Batch<M, C>,
    ) -> Option<(Envelope<M, C>, Box<R>)>
    where
        R: Task<C> + 'static,
    {
        let mut state = self.lock();
        match self.take(&mut state, batch) {
            Some(envelope) => Some((envelope, task)),
            None => {
                // An idle actor should cost as little as possible, but allocating a buffer at
                // every activation (on the sender's thread, freed on the actor's) cost a third
                // of a one-message activation: keep room for one message.
                if state.queue.is_empty() && state.queue.capacity() > 1 {
                    state.queue.shrink_to(1);
                }
                state.run = RunState::Parked(task);
                None
            }
        }
    }

    /// The next envelope to deliver, waiting for one (the running actor task)
    /// if there is none: taken in the same lock that finds it. `None` if the mailbox closed or
    /// [`stop_waiting`](Self::stop_waiting) ended the wait. `registered` starts `false`, and
    /// says afterwards whether the task waited.
    pub(crate) fn poll_wait(
        &self,
        cx: &mut Context<'_>,
        registered: &mut bool,
        batch: &mut Batch<M, C>,
    ) -> Poll<Option<Envelope<M, C>>> {
        let mut state = self.lock();
        if let Some(envelope) = self.take(&mut state, batch) {
            state.run = RunState::Active;
            return Poll::Ready(Some(envelope));
        }
        if state.closed {
            state.run = RunState::Active;
            return Poll::Ready(None);
        }
        match &mut state.run {
            RunState::Waiting(waker) => {
                waker.clone_from(cx.waker());
                Poll::Pending
            }
            RunState::Active if !*registered => {
                *registered = true;
                state.run = RunState::Waiting(cx.waker().clone());
                Poll::Pending
            }
            // `stop_waiting` took the waker (a send would have left an envelope).
            RunState::Active | RunState::Parked(_) => Poll::Ready(None),
        }
    }

    /// Ends a lingering actor task's wait: returns its waker, to wake outside the lock.
    pub(crate) fn stop_waiting(&self) -> Option<Waker> {
        let mut state = self.lock();
        match std::mem::replace(&mut state.run, RunState::Active) {
            RunState::Waiting(waker) => Some(waker),
            other => {
                state.run = other;
                None
            }
        }
    }

    /// Parks an actor task that has not been activated yet (an actor that starts lazily). The actor
    /// may already be reachable (through the directory): if something was sent meanwhile, the
    /// task is handed back for the caller to activate instead.
    pub(crate) fn park(&self, task: Box<dyn Task<C>>) -> Wake<C> {
        let mut state = self.lock();
        if state.queue.is_empty() && state.system.is_none() {
            state.run = RunState::Parked(task);
            Wake::Nothing
        } else {
            Wake::Activate(task)
        }
    }

    /// The next envelope, if there is one to deliver now; never parks.
    pub(crate) fn receive(&self, batch: &mut Batch<M, C>) -> Option<Envelope<M, C>> {
        self.take(&mut self.lock(), batch)
    }

    /// The next envelope to deliver, under the lock: a system one first, then the batch's
    /// next, then the queue's next, which may bring a batch with it (see [`Batch::follow`]).
    #[inline(always)]
    fn take(&self, state: &mut State<M, C>, batch: &mut Batch<M, C>) -> Option<Envelope<M, C>> {
        // A closed mailbox holds nothing, but the batch may: `force_close` has failed its
        // messages' promises, and they must not be delivered.
        if state.closed {
            return None;
        }
        if state.system.is_some() {
            return self.take_system(state);
        }
        if state.suspended {
            return None;
        }
        if !batch.is_empty() {
            return batch.pop(self);
        }
        let envelope = state.take_user()?;
        batch.follow(self, state, &envelope);
        Some(envelope)
    }

    /// The next system envelope; clears the signal with the last one.
    #[cold]
    fn take_system(&self, state: &mut State<M, C>) -> Option<Envelope<M, C>> {
        let envelope = state.pop_system();
        if state.system.is_none() {
            self.signals.store(state.signals(), Ordering::Release);
        }
        envelope
    }

    /// Queues a system envelope (the lock is held), and signals it.
    fn push_system(&self, state: &mut State<M, C>, envelope: Envelope<M, C>) {
        state.push_system(envelope);
        self.signals.store(state.signals(), Ordering::Release);
    }

    /// Holds user messages (they keep queueing) until [`resume`](Self::resume). Called by the
    /// actor's own actor task.
    ///
    /// Stop requests already queued move to the system queue, as a stop sent to a suspended
    /// mailbox does: a suspended actor can always be stopped, even when the stop was sent while
    /// its supervisor was still deciding.
    ///
    /// The actor task has given its batch back (see [`Batch::give_back`]).
    pub(crate) fn suspend(&self) {
        let mut state = self.lock();
        state.suspended = true;
        if state.stops > 0 {
            let queue = std::mem::take(&mut state.queue);
            for envelope in queue {
                match envelope {
                    Envelope::Stop { .. } => self.push_system(&mut state, envelope),
                    _ => state.queue.push_back(envelope),
                }
            }
            state.stops = 0;
        }
    }

    /// Delivers user messages again. Called by the actor's own actor task.
    pub(crate) fn resume(&self) {
        self.lock().suspended = false;
    }

    /// Whether user messages are held (see [`suspend`](Self::suspend)).
    pub(crate) fn is_suspended(&self) -> bool {
        self.lock().suspended
    }

    /// Closes the mailbox: later sends are refused. Returns what was still queued, for the
    /// caller to fail and dead-letter.
    pub(crate) fn close(&self) -> VecDeque<Envelope<M, C>> {
        self.close_locked(&mut self.lock())
    }

    /// Closes the mailbox from outside the actor (a stop that timed out). Also takes the parked
    /// actor task (nothing will ever run it again) or the lingering task's waker (to wake it, so
    /// that it finds the mailbox closed and ends).
    ///
    /// Also returns the sequence numbers, first and last, of the batched messages the actor
    /// task will not deliver, for the caller to fail in the ledger: the task may be stuck in
    /// a handler for ever, and their promises must not wait for it (see
    /// [`Span::undelivered`]).
    pub(crate) fn force_close(&self) -> ForcedClose<M, C> {
        let mut state = self.lock();
        let pending = self.close_locked(&mut state);
        // The mark is read after the closing store: see `Span::undelivered`.
        let undelivered = state.batch.undelivered(self.ledger.settled());
        ForcedClose {
            pending,
            wake: state.take_task(),
            undelivered,
        }
    }

    /// Marks the mailbox closed and takes everything queued: system envelopes first.
    fn close_locked(&self, state: &mut State<M, C>) -> VecDeque<Envelope<M, C>> {
        state.closed = true;
        // Sequentially consistent: paired with `Batch::next` (see `Span::undelivered`).
        self.signals.store(state.signals(), Ordering::SeqCst);
        let mut pending = state
            .system
            .take()
            .map(|system| *system)
            .unwrap_or_default();
        pending.append(&mut state.queue);
        state.stops = 0;
        state.unticketed = 0;
        pending
    }

    /// A snapshot of the queue's size (the actor task's batch included), the capacity and the
    /// dropped count.
    pub(crate) fn stats(&self) -> MailboxStats {
        let state = self.lock();
        let batched = self.batched.load(Ordering::Relaxed) as usize;
        MailboxStats::new(state.queued() + batched, state.capacity, state.dropped)
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.signals.load(Ordering::Acquire) & CLOSED != 0
    }

    /// A snapshot of the persistent execution context.
    pub(crate) fn context(&self) -> C::Context {
        self.lock().context.clone()
    }

    /// Runs `f` on the persistent execution context.
    pub(crate) fn with_context<R>(&self, f: impl FnOnce(&mut C::Context) -> R) -> R {
        // `f` is user code: run it on a copy so that a panic cannot poison the mailbox lock.
        let mut context = self.context();
        let result = f(&mut context);
        self.lock().context = context;
        result
    }

    /// Replaces the persistent execution context with `f` of it, under the lock: for the
    /// runtime's own `f` (no user code, which could poison the lock).
    pub(crate) fn update_context(&self, f: impl FnOnce(&C::Context) -> C::Context) {
        let mut state = self.lock();
        state.context = f(&state.context);
    }
}

impl<M, C: Carries> State<M, C> {
    /// The `Mailbox::signals` this state calls for.
    fn signals(&self) -> u8 {
        let mut signals = 0;
        if self.closed {
            signals |= CLOSED;
        }
        if self.system.is_some() {
            signals |= SYSTEM;
        }
        signals
    }

    fn push_system(&mut self, envelope: Envelope<M, C>) {
        self.system.get_or_insert_default().push_back(envelope);
    }

    /// The next system envelope; the queue goes when it is empty, so `system` is `Some` only
    /// while it holds an envelope.
    fn pop_system(&mut self) -> Option<Envelope<M, C>> {
        let system = self.system.as_mut()?;
        let envelope = system.pop_front();
        if system.is_empty() {
            self.system = None;
        }
        envelope
    }

    /// Queues a protocol message with a snapshot of the persistent context, counting its
    /// ticket in `ledger` if its promise is one (the mailbox lock is held: see
    /// [`Ledger::issue`]); returns its sequence number, which says whether it is ticketed.
    #[inline(always)]
    fn push(
        &mut self,
        (message, stamp): (M, Stamp),
        ticketed: bool,
        link: Option<C::Link>,
        ledger: &Ledger,
    ) -> u64 {
        if ticketed {
            ledger.issue();
        }
        self.queued_count += 1;
        self.unticketed += u32::from(!ticketed);
        let seq = ledger::sequence(self.queued_count, ticketed);
        let context = match link {
            None => self.context.clone(),
            Some(link) => C::linked(&self.context, link),
        };
        self.queue.push_back(Envelope::Message {
            message,
            context,
            seq,
            enqueued: stamp.behind(self.queue.len()),
        });
        seq
    }

    /// The next user envelope of the queue.
    fn take_user(&mut self) -> Option<Envelope<M, C>> {
        let envelope = self.queue.pop_front()?;
        match &envelope {
            Envelope::Message { seq, .. } => {
                self.unticketed -= u32::from(!ledger::is_ticketed(*seq));
            }
            Envelope::Stop { .. } => self.stops -= 1,
            Envelope::Directive(_) | Envelope::Control(..) => {}
        }
        Some(envelope)
    }

    /// The protocol messages in the user queue: what counts toward capacity.
    fn queued(&self) -> usize {
        self.queue.len() - self.stops as usize
    }

    /// What a send of a user message must do: nothing while suspended.
    fn wake(&mut self) -> Wake<C> {
        if self.suspended {
            Wake::Nothing
        } else {
            self.take_task()
        }
    }

    /// Takes the parked task or the lingering task's waker; the actor task is active from now.
    fn take_task(&mut self) -> Wake<C> {
        match std::mem::replace(&mut self.run, RunState::Active) {
            RunState::Active => Wake::Nothing,
            RunState::Waiting(waker) => Wake::Notify(waker),
            RunState::Parked(task) => Wake::Activate(task),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::promise::promise;

    /// A mailbox of plain numbers: the policies need no actor and no runtime.
    pub(super) fn bounded(capacity: usize, overflow: OverflowPolicy) -> Mailbox<u32, NoCell> {
        Mailbox::new(MailboxConfig::bounded(capacity, overflow))
    }

    pub(super) fn refused(mailbox: &Mailbox<u32, NoCell>, message: u32) -> Option<(u32, Refusal)> {
        let (wake, refused) = match mailbox.send_message(message, false, &|_| ActorError::NoReply) {
            Sent::Queued { wake, .. } => (wake, None),
            Sent::Refused(refused) => (Wake::Nothing, Some(refused)),
            Sent::Evicted(eviction) => (eviction.wake, Some(eviction.evicted)),
        };
        assert!(
            matches!(wake, Wake::Nothing),
            "no task is parked in these tests"
        );
        refused
    }

    pub(super) fn queued(mailbox: &Mailbox<u32, NoCell>) -> Vec<Option<u32>> {
        // `Some(n)` for message n, `None` for a stop request.
        mailbox
            .lock()
            .queue
            .iter()
            .map(|envelope| match envelope {
                Envelope::Message { message, .. } => Some(*message),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn unbounded_never_refuses() {
        let mailbox = Mailbox::<u32, NoCell>::new(MailboxConfig::Unbounded);
        for n in 0..1_000 {
            assert_eq!(refused(&mailbox, n), None);
        }
        assert_eq!(
            mailbox.stats(),
            MailboxStats::new(1_000, None, 0),
            "all queued, none dropped"
        );
    }

    #[test]
    fn each_policy_picks_its_loser() {
        use OverflowPolicy::*;
        for (policy, loser, kept) in [
            (DropOldest, 1, [Some(2), Some(3)]),
            (DropNewest, 3, [Some(1), Some(2)]),
            (Reject, 3, [Some(1), Some(2)]),
        ] {
            let mailbox = bounded(2, policy);
            assert_eq!(refused(&mailbox, 1), None);
            assert_eq!(refused(&mailbox, 2), None);
            assert_eq!(
                refused(&mailbox, 3),
                Some((loser, Refusal::Overflow(policy))),
                "{policy}"
            );
            assert_eq!(queued(&mailbox), kept, "{policy}");
            let stats = mailbox.stats();
            assert_eq!((stats.queued(), stats.dropped_count()), (2, 1));
            assert!(stats.is_full());
        }
    }

    #[test]
    fn stop_requests_take_no_room_and_are_never_evicted() {
        let mailbox = bounded(2, OverflowPolicy::DropOldest);
        let (stop, _promise) = promise::<(), crate::PanicOnFailure>();
        assert!(mailbox.send_stop(stop).is_ok(), "a stop first...");
        assert_eq!(refused(&mailbox, 1), None);
        assert_eq!(
            refused(&mailbox, 2),
            None,
            "...leaves room for two messages"
        );
        let (stop, _promise) = promise::<(), crate::PanicOnFailure>();
        assert!(
            mailbox.send_stop(stop).is_ok(),
            "a full mailbox takes a stop"
        );
        assert_eq!(mailbox.stats().queued(), 2);
        assert_eq!(
            refused(&mailbox, 3),
            Some((1, Refusal::Overflow(OverflowPolicy::DropOldest))),
            "the oldest message goes, not the stop before it"
        );
        assert_eq!(queued(&mailbox), [None, Some(2), None, Some(3)]);

        // Taking the first stop frees no room; taking message 2 does.
        let task = Box::new(NoTask);
        let batch = &mut Batch::new();
        let (envelope, task) = mailbox.receive_or_park(task, batch).expect("queued");
        assert!(matches!(envelope, Envelope::Stop { .. }));
        assert_eq!(mailbox.stats().queued(), 2);
        let (envelope, _task) = mailbox.receive_or_park(task, batch).expect("queued");
        assert!(matches!(envelope, Envelope::Message { message: 2, .. }));
        assert_eq!(mailbox.stats().queued(), 1);
        assert_eq!(refused(&mailbox, 4), None);
        assert_eq!(
            mailbox.stats(),
            MailboxStats::new(2, NonZeroUsize::new(2), 1)
        );
    }

    #[test]
    fn sequence_numbers_follow_queue_order_and_tell_tickets_apart() {
        let mailbox = Mailbox::<u32, NoCell>::new(MailboxConfig::Unbounded);
        for (message, ticketed) in [(1, true), (2, false), (3, false), (4, true)] {
            let sent = mailbox.send_message(message, ticketed, &|_| ActorError::NoReply);
            assert!(matches!(sent, Sent::Queued { .. }));
        }
        let numbers: Vec<u64> = mailbox
            .lock()
            .queue
            .iter()
            .map(|envelope| match envelope {
                Envelope::Message { seq, .. } => *seq,
                _ => unreachable!("only messages were sent"),
            })
            .collect();
        assert!(numbers.is_sorted(), "{numbers:?}");
        let ticketed: Vec<bool> = numbers
            .iter()
            .map(|seq| ledger::is_ticketed(*seq))
            .collect();
        assert_eq!(ticketed, [true, false, false, true]);
    }

    #[test]
    fn a_closed_mailbox_refuses_as_closed_and_counts_no_drop() {
        let mailbox = bounded(1, OverflowPolicy::Reject);
        assert_eq!(refused(&mailbox, 1), None);
        assert_eq!(mailbox.close().len(), 1);
        assert_eq!(refused(&mailbox, 2), Some((2, Refusal::Closed)));
        assert_eq!(mailbox.stats().dropped_count(), 0);
        assert_eq!(mailbox.stats().queued(), 0);
    }

    /// Sends `messages`, each ticketed or not, to an unbounded mailbox.
    pub(super) fn unbounded(messages: &[(u32, bool)]) -> Mailbox<u32, NoCell> {
        let mailbox = Mailbox::new(MailboxConfig::Unbounded);
        send(&mailbox, messages);
        mailbox
    }

    pub(super) fn send(mailbox: &Mailbox<u32, NoCell>, messages: &[(u32, bool)]) {
        for &(message, ticketed) in messages {
            let sent = mailbox.send_message(message, ticketed, &|_| ActorError::NoReply);
            assert!(matches!(sent, Sent::Queued { .. }));
        }
    }

    /// The message an envelope carries (`None` for anything else).
    pub(super) fn message(envelope: Option<Envelope<u32, NoCell>>) -> Option<u32> {
        match envelope {
            Some(Envelope::Message { message, .. }) => Some(message),
            _ => None,
        }
    }

    /// The cell of the mailboxes under test: they need no actor.
    pub(super) struct NoCell;

    /// No context; a directive is its name.
    impl Carries for NoCell {
        type Context = ();
        type Directive = &'static str;
        type Link = ();

        fn linked(_context: &(), _link: ()) {}
    }

    pub(super) struct NoTask;

    impl Task<NoCell> for NoTask {
        fn activate(self: Box<Self>, _cell: Arc<NoCell>) {
            unreachable!("never activated")
        }

        fn into_task_future(self: Box<Self>, _cell: Arc<NoCell>) -> TaskFuture {
            unreachable!("never activated")
        }
    }
}
