//! The mailbox: a FIFO queue with one consumer, scheduled onto the runtime only while it holds
//! messages.
//!
//! An idle actor owns no task. Its run state (the actor value and its definition) is *parked*
//! in the mailbox as a boxed [`Runner`]. A send that finds the runner parked takes it out and
//! activates it (spawns one drain task); the drain task takes messages one at a time and, when
//! it finds the queue empty, parks the runner again. Taking a message and parking happen under
//! the same lock as pushing and un-parking, so a message can never be stranded in an idle
//! mailbox, and since the runner is moved out while it runs, there is exactly one consumer.
//!
//! System envelopes (supervision requests and directives) have a queue of their own, taken
//! before user messages and even while the mailbox is suspended, so they never wait behind user
//! messages.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::actor_cell::ActorCell;
use crate::promise::Reply;
use crate::supervision::Decision;
use crate::{ActorError, ExecutionContext, Supervised, SupervisionDirective, SupervisionStrategy};

/// What travels through a mailbox.
pub(crate) enum Envelope<M> {
    /// A protocol message with the sender's execution-context snapshot.
    Message {
        message: M,
        context: ExecutionContext,
    },
    /// A request to stop, queued behind the messages already sent.
    Stop { reply: Reply<()> },
    /// System: decide, as a supervisor, what happens to an actor that failed.
    Supervise {
        supervised: Supervised,
        reply: Reply<Decision>,
    },
    /// System: apply a supervisor's directive to this actor (a sibling of a failed actor, under
    /// scope All).
    Directive {
        directive: SupervisionDirective,
        strategy: SupervisionStrategy,
        reason: ActorError,
    },
}

/// The run state of an actor, parked in its mailbox while the actor is idle.
pub(crate) trait Runner<M>: Send {
    /// Starts draining the mailbox on the runtime (spawns the actor's drain task).
    fn activate(self: Box<Self>, cell: Arc<ActorCell<M>>);
}

/// A parked runner handed back by a send that woke the mailbox: the caller must activate it.
pub(crate) type Wake<M> = Option<Box<dyn Runner<M>>>;

pub(crate) struct Mailbox<M> {
    state: Mutex<State<M>>,
    /// Mirrors `state.closed` so that `is_stopped` needs no lock.
    closed: AtomicBool,
}

struct State<M> {
    queue: VecDeque<Envelope<M>>,
    system: VecDeque<Envelope<M>>,
    parked: Option<Box<dyn Runner<M>>>,
    suspended: bool,
    closed: bool,
    /// The actor's persistent execution context, snapshotted into every message sent.
    context: ExecutionContext,
}

impl<M> Mailbox<M> {
    /// A mailbox whose runner is active (the creator activates it at once).
    pub(crate) fn new() -> Self {
        Self {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                system: VecDeque::new(),
                parked: None,
                suspended: false,
                closed: false,
                context: ExecutionContext::default(),
            }),
            closed: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<M>> {
        // A panic never happens while the lock is held (no user code runs under it), so a
        // poisoned lock still guards consistent data.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Enqueues a protocol message, snapshotting the persistent execution context into it.
    /// `Err` gives the message back if the mailbox is closed.
    pub(crate) fn send_message(&self, message: M) -> Result<Wake<M>, M> {
        let mut state = self.lock();
        if state.closed {
            return Err(message);
        }
        let context = state.context.clone();
        state
            .queue
            .push_back(Envelope::Message { message, context });
        Ok(state.wake())
    }

    /// Enqueues a stop request behind the messages already sent (or, in a suspended mailbox,
    /// as a system envelope, so that it is not held by the suspension). `Err` gives the reply
    /// back if the mailbox is closed.
    pub(crate) fn send_stop(&self, reply: Reply<()>) -> Result<Wake<M>, Reply<()>> {
        let mut state = self.lock();
        if state.closed {
            return Err(reply);
        }
        if state.suspended {
            state.system.push_back(Envelope::Stop { reply });
            return Ok(state.parked.take());
        }
        state.queue.push_back(Envelope::Stop { reply });
        Ok(state.wake())
    }

    /// Enqueues a system envelope, taken before user messages even while suspended. `Err`
    /// gives it back if the mailbox is closed.
    pub(crate) fn send_system(&self, envelope: Envelope<M>) -> Result<Wake<M>, Envelope<M>> {
        let mut state = self.lock();
        if state.closed {
            return Err(envelope);
        }
        state.system.push_back(envelope);
        Ok(state.parked.take())
    }

    /// The next envelope with the runner handed back, or `None` after parking the runner
    /// because there is nothing to deliver (the queue is empty, or the mailbox is suspended).
    pub(crate) fn receive_or_park<R>(&self, runner: Box<R>) -> Option<(Envelope<M>, Box<R>)>
    where
        R: Runner<M> + 'static,
    {
        let mut state = self.lock();
        if let Some(envelope) = state.system.pop_front() {
            return Some((envelope, runner));
        }
        if !state.suspended {
            if let Some(envelope) = state.queue.pop_front() {
                return Some((envelope, runner));
            }
        }
        state.parked = Some(runner);
        None
    }

    /// Holds user messages (they keep queueing) until [`resume`](Self::resume). Called by the
    /// actor's own run loop.
    pub(crate) fn suspend(&self) {
        self.lock().suspended = true;
    }

    /// Delivers user messages again. Called by the actor's own run loop.
    pub(crate) fn resume(&self) {
        self.lock().suspended = false;
    }

    /// Closes the mailbox: later sends are refused. Returns what was still queued, for the
    /// caller to fail and dead-letter.
    pub(crate) fn close(&self) -> VecDeque<Envelope<M>> {
        let mut state = self.lock();
        state.closed = true;
        self.closed.store(true, Ordering::Release);
        let mut pending = std::mem::take(&mut state.system);
        pending.append(&mut state.queue);
        pending
    }

    /// Closes the mailbox from outside the actor (a stop that timed out): also drops a parked
    /// runner, since no task will ever take it again.
    pub(crate) fn force_close(&self) -> (VecDeque<Envelope<M>>, Wake<M>) {
        let mut state = self.lock();
        state.closed = true;
        self.closed.store(true, Ordering::Release);
        let mut pending = std::mem::take(&mut state.system);
        pending.append(&mut state.queue);
        (pending, state.parked.take())
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// A snapshot of the persistent execution context.
    pub(crate) fn context(&self) -> ExecutionContext {
        self.lock().context.clone()
    }

    /// Runs `f` on the persistent execution context.
    pub(crate) fn with_context<R>(&self, f: impl FnOnce(&mut ExecutionContext) -> R) -> R {
        // `f` is user code: run it on a copy so that a panic cannot poison the mailbox lock.
        let mut context = self.context();
        let result = f(&mut context);
        self.lock().context = context;
        result
    }

    pub(crate) fn replace_context(&self, context: ExecutionContext) {
        self.lock().context = context;
    }
}

impl<M> State<M> {
    fn wake(&mut self) -> Wake<M> {
        if self.suspended {
            None
        } else {
            self.parked.take()
        }
    }
}
