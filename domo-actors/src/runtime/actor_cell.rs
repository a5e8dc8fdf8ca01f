//! `ActorCell`: everything about one actor that outlives a single activation, shared by its
//! proxies: identity, mailbox, place in the hierarchy.

use std::any::Any;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::ActorHandle;
use crate::answer::promise::{self, Reply};
use crate::base::logger::{ACTOR_SPAN, LIFECYCLE};
use crate::base::message_trace;
use crate::base::metrics::Live;
use crate::base::panic_site::panic_event;
use crate::contained::call_contained;
use crate::ledger::{Ledger, LedgerOwner};
use crate::mailbox::{
    self, Activity, Carries, Control, Eviction, ForcedClose, Mailbox, Refusal, Sent, Task,
    TaskFuture, Wake,
};
use crate::runtime::actor_ref::ActorControl;
use crate::runtime::children::Children;
use crate::runtime::names::{self, HeldNames};
use crate::runtime::root_actors::{PRIVATE_ROOT_TYPE, PUBLIC_ROOT_TYPE};
use crate::runtime::stage::StageRef;
use crate::runtime::supervision::SiblingDirective;
use crate::runtime::watch::{self, Watches};
use crate::{
    ActorError, ActorRef, Address, DeadLetter, DeadLetterReason, DeferredPromise, ExecutionContext,
    Logger, MailboxConfig, MailboxStats, Message, OverflowPolicy, SupervisionDirective,
    SupervisionStrategy, TerminationReason,
};

/// The part of an actor that does not depend on its protocol.
pub(crate) struct ActorCore {
    pub(crate) address: Address,
    pub(crate) type_name: Arc<str>,
    pub(crate) stage: StageRef,
    pub(crate) parent: Option<ActorRef>,
    pub(crate) supervisor: Option<Arc<str>>,
    pub(crate) logger: Logger,
    family: Mutex<Family>,
    /// This actor's key in its parent's children (set when the parent adopts it).
    key_in_parent: AtomicU64,
    stopping: Mutex<Stopping>,
    /// Whether the stage's linger slots hold this actor (see `linger.rs`).
    pub(crate) has_linger_slot: AtomicBool,
    /// The actor asked, in its own task, to stop after the current message. Only that task
    /// sets and takes it; an atomic rather than a task-local, because the actor task checks it
    /// after every message.
    stop_requested: AtomicBool,
    /// The strategy this actor supervises with, given by its current instance; `None` for the
    /// default one (most actors), which then costs no allocation.
    supervision: Mutex<Option<Arc<SupervisionStrategy>>>,
    /// What its task counts, for introspection (`introspection/counters.rs`): fields of their
    /// own rather than a struct, so that the `u32` fills the padding after the flags.
    pub(crate) handled: AtomicU64,
    pub(crate) restarts: AtomicU32,
    /// Whether it counts among the live actors of the metrics (zero-sized without the
    /// `metrics` feature).
    pub(crate) live: Live,
}

#[derive(Default)]
struct Family {
    /// Allocated by the first child: most actors have none, and every idle actor's bytes count.
    children: Option<Box<Children>>,
    /// Set when the actor starts stopping: no child may be added after its children were taken.
    closed: bool,
}

/// The actor's stop as others wait for it: callers waiting for a stop that another request
/// already started, and what the stop settles besides (see [`Ties`]).
#[derive(Default)]
struct Stopping {
    /// Why the actor stopped, once it has stopped completely.
    stopped: Option<TerminationReason>,
    /// Its supervisor stopped it after a failure: the reason it will stop with.
    failed: bool,
    /// The first caller waiting: most stops have exactly one (the caller's or the parent's), which
    /// so costs no allocation.
    waiter: Option<Reply<()>>,
    /// Allocated by the first tie: most actors have none, and every idle actor's bytes count
    /// (this and `waiter` take the place of the vector of waiters there was before watches and
    /// names, so an idle actor is no larger for them).
    ties: Option<Box<Ties>>,
}

/// What an actor's stop settles beyond its first waiter: more waiters, the actors and futures
/// that watch it and the actors it watches (`watch.rs`), and the names it has (`names.rs`).
#[derive(Default)]
pub(crate) struct Ties {
    waiters: Vec<Reply<()>>,
    pub(crate) watches: Watches,
    pub(crate) names: HeldNames,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // No user code runs under these locks, so a poisoned one still guards consistent data.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The span an actor's own span is a child of: its parent actor's, so that a child's events
/// carry its ancestors; none for a top-level actor (a child of a root). Never the span the
/// actor happens to be created in (a handler's message span, a caller's request span): that
/// one would be held open for as long as the actor lives; messages link to their senders'
/// spans instead (`message_trace.rs`).
fn parent_span(parent: Option<&ActorRef>) -> Option<tracing::Id> {
    let parent = parent?;
    if matches!(parent.type_name(), PRIVATE_ROOT_TYPE | PUBLIC_ROOT_TYPE) {
        return None;
    }
    parent.core().logger.span().id()
}

impl ActorCore {
    pub(crate) fn new(
        address: Address,
        type_name: Arc<str>,
        stage: StageRef,
        parent: Option<ActorRef>,
        supervisor: Option<Arc<str>>,
    ) -> Self {
        // Every event of the actor is inside this span: the short form of its address there,
        // the full one once, here. (An explicit parent rather than entering the span: with a
        // subscriber that leaves debug off, creating an actor stays a level check.)
        let span = tracing::info_span!(
            target: ACTOR_SPAN,
            parent: parent_span(parent.as_ref()),
            "actor",
            r#type = %type_name,
            id = %address.short()
        );
        tracing::debug!(
            target: LIFECYCLE,
            parent: &span,
            %address,
            parent = parent.as_ref().map(|parent| tracing::field::display(parent.address().short())),
            supervisor = supervisor.as_deref(),
            "actor created"
        );
        Self {
            address,
            type_name,
            stage,
            parent,
            supervisor,
            logger: Logger::new(span),
            family: Mutex::default(),
            key_in_parent: AtomicU64::new(0),
            has_linger_slot: AtomicBool::new(false),
            stop_requested: AtomicBool::new(false),
            stopping: Mutex::default(),
            supervision: Mutex::default(),
            handled: AtomicU64::new(0),
            restarts: AtomicU32::new(0),
            live: Live::new(),
        }
    }

    /// Asks the actor task to stop the actor after the current message (from its own task).
    pub(crate) fn request_stop(&self) {
        self.stop_requested.store(true, Ordering::Relaxed);
    }

    /// Whether the actor asked to stop after the current message; clears the request.
    #[inline]
    pub(crate) fn take_stop_request(&self) -> bool {
        // The load first: the common answer costs no atomic write.
        self.stop_requested.load(Ordering::Relaxed)
            && self.stop_requested.swap(false, Ordering::Relaxed)
    }

    /// How many ancestors this actor has (the private root has none).
    pub(crate) fn depth(&self) -> usize {
        std::iter::successors(self.parent.as_ref(), |parent| parent.core().parent.as_ref()).count()
    }

    /// Adds a child; `false` if this actor is already stopping.
    pub(crate) fn add_child(&self, child: ActorRef) -> bool {
        let mut family = lock(&self.family);
        if family.closed {
            return false;
        }
        let children = family.children.get_or_insert_with(Box::default);
        let key = children.next_key();
        child.core().key_in_parent.store(key, Ordering::Relaxed);
        children.add(child);
        true
    }

    /// Forgets a child that stopped.
    pub(crate) fn remove_child(&self, child: &ActorCore) {
        let key = child.key_in_parent.load(Ordering::Relaxed);
        let removed = lock(&self.family)
            .children
            .as_mut()
            .and_then(|children| children.remove(key));
        // Dropped outside the lock: it may be the last handle to the child.
        drop(removed);
    }

    /// The current children, in creation order.
    pub(crate) fn children(&self) -> Vec<ActorRef> {
        lock(&self.family)
            .children
            .as_ref()
            .map_or_else(Vec::new, |children| children.to_vec())
    }

    /// Takes the children for stopping and refuses new ones from now on.
    pub(crate) fn close_children(&self) -> Vec<ActorRef> {
        let mut family = lock(&self.family);
        family.closed = true;
        family
            .children
            .as_ref()
            .map_or_else(Vec::new, |children| children.to_vec())
    }

    /// Registers a caller to be told when a stop already under way completes. Returns the reply
    /// back if the actor has already stopped completely.
    pub(crate) fn await_stopped(&self, reply: Reply<()>) -> Result<(), Reply<()>> {
        let mut stopping = lock(&self.stopping);
        if stopping.stopped.is_some() {
            return Err(reply);
        }
        if stopping.waiter.is_none() {
            stopping.waiter = Some(reply);
        } else {
            stopping.ties.get_or_insert_default().waiters.push(reply);
        }
        Ok(())
    }

    /// Records that the actor's supervisor stopped it after a failure: it stops with
    /// [`TerminationReason::Failed`].
    pub(crate) fn stopping_after_failure(&self) {
        lock(&self.stopping).failed = true;
    }

    /// Why the actor stopped, if it has stopped completely.
    pub(crate) fn termination(&self) -> Option<TerminationReason> {
        lock(&self.stopping).stopped
    }

    /// Runs `f` on the actor's ties (made if it has none), unless it has stopped completely:
    /// then `Err` says why. `f` runs under the actor's stop lock: it must not call user code
    /// nor drop what may hold an actor (return it instead, to be dropped outside), and may take
    /// no other lock than the stage's names (nothing takes a stop lock while holding that one).
    pub(crate) fn tie<R>(&self, f: impl FnOnce(&mut Ties) -> R) -> Result<R, TerminationReason> {
        let mut stopping = lock(&self.stopping);
        match stopping.stopped {
            Some(reason) => Err(reason),
            None => Ok(f(stopping.ties.get_or_insert_default())),
        }
    }

    /// Runs `f` on the actor's ties if it has any (to take something out of them): `None` if it
    /// has none, as once it has stopped. The same rules as for [`tie`](Self::tie) apply.
    pub(crate) fn untie<R>(&self, f: impl FnOnce(&mut Ties) -> R) -> Option<R> {
        lock(&self.stopping).ties.as_deref_mut().map(f)
    }

    /// Marks the actor stopped (once: a stop that timed out and force-closed the actor, then
    /// finished in the background, reports it once), releases its names, tells its watchers why
    /// it stopped, forgets what it watched, and answers every caller that waited for it.
    pub(crate) fn finish_stopping(&self) {
        let (reason, waiter, ties) = {
            let mut stopping = lock(&self.stopping);
            if stopping.stopped.is_some() {
                return;
            }
            let reason = if stopping.failed {
                TerminationReason::Failed
            } else if self.stage.is_closed() {
                TerminationReason::StageClosed
            } else {
                TerminationReason::Stopped
            };
            stopping.stopped = Some(reason);
            (reason, stopping.waiter.take(), stopping.ties.take())
        };
        self.live.stopped(&self.type_name, reason.metric_label());
        let Ties {
            waiters,
            watches,
            names,
        } = ties.map(|ties| *ties).unwrap_or_default();
        // Before the waiters: a caller that awaited the stop finds the names free.
        names::release(self, names);
        watch::settle(self, reason, watches);
        for waiter in waiter.into_iter().chain(waiters) {
            waiter.resolve(());
        }
    }

    /// Records the strategy the actor's current instance supervises with.
    pub(crate) fn set_supervision_strategy(&self, strategy: SupervisionStrategy) {
        let strategy = (strategy != SupervisionStrategy::default()).then(|| Arc::new(strategy));
        *lock(&self.supervision) = strategy;
    }

    /// The strategy this actor supervises with.
    pub(crate) fn supervision_strategy(&self) -> SupervisionStrategy {
        lock(&self.supervision)
            .as_deref()
            .cloned()
            .unwrap_or_default()
    }

    /// The dead-letter reason and the promise's failure for a message of `method` that will
    /// not be delivered.
    pub(crate) fn refusal(
        &self,
        method: &'static str,
        refusal: Refusal,
    ) -> (DeadLetterReason, ActorError) {
        let address = self.address;
        let type_name = Arc::clone(&self.type_name);
        match refusal {
            Refusal::Closed if self.stage.runtime_is_gone() => (
                DeadLetterReason::RuntimeShutdown,
                ActorError::RuntimeShutdown,
            ),
            Refusal::Closed => (
                self.dead_letter_reason(),
                ActorError::Stopped {
                    address,
                    type_name: Arc::clone(&type_name),
                    method,
                },
            ),
            Refusal::Overflow(OverflowPolicy::Reject) => (
                DeadLetterReason::MailboxFull,
                ActorError::MailboxFull {
                    address,
                    type_name: Arc::clone(&type_name),
                    method,
                },
            ),
            Refusal::Overflow(policy) => (
                if policy == OverflowPolicy::DropOldest {
                    DeadLetterReason::DroppedOldest
                } else {
                    DeadLetterReason::DroppedNewest
                },
                ActorError::DroppedByOverflow {
                    address,
                    type_name: Arc::clone(&type_name),
                    method,
                    policy,
                },
            ),
        }
    }

    pub(crate) fn dead_letter_reason(&self) -> DeadLetterReason {
        if self.stage.is_closed() {
            DeadLetterReason::StageClosed
        } else {
            DeadLetterReason::ActorStopped
        }
    }
}

/// One actor: its core and its mailbox of `M` messages.
pub(crate) struct ActorCell<M> {
    pub(crate) core: ActorCore,
    pub(crate) mailbox: Mailbox<M, Self>,
}

/// What an actor's mailbox carries for it: its execution context and its supervisor's
/// directives, which name actors and so belong here rather than to the mailbox.
impl<M> Carries for ActorCell<M> {
    type Context = ExecutionContext;
    type Directive = SiblingDirective;
    type Link = Box<tracing::Span>;

    fn linked(context: &ExecutionContext, sender: Box<tracing::Span>) -> ExecutionContext {
        context.linked_to(sender)
    }
}

/// What an actor's mailbox holds.
pub(crate) type Envelope<M> = mailbox::Envelope<M, ActorCell<M>>;

/// The messages an actor task took from its mailbox in one go.
pub(crate) type Batch<M> = mailbox::Batch<M, ActorCell<M>>;

impl<M: Message> ActorCell<M> {
    pub(crate) fn new(core: ActorCore, mailbox: MailboxConfig) -> Self {
        Self {
            core,
            mailbox: Mailbox::new(mailbox),
        }
    }

    /// Enqueues a protocol message and activates the actor if it was idle. Returns the
    /// message's sequence number, or why it will not be delivered (it is then dead-lettered
    /// and its reply, if it has one, failed). `ticketed`: the caller makes the message's promise
    /// a ledger ticket, which the mailbox counts as it queues the message.
    pub(crate) fn send(self: &Arc<Self>, message: M, ticketed: bool) -> Result<u64, ActorError> {
        if let Some(sender) = message_trace::sender_span() {
            return self.send_linked(message, ticketed, sender);
        }
        let sent = self
            .mailbox
            .send_message(message, ticketed, &|evicted| self.evicted(evicted));
        self.after_send(sent)
    }

    /// [`send`](Self::send) while message spans are enabled: the message carries the sender's
    /// span, which its span will follow from (see `message_trace.rs`).
    #[cold]
    fn send_linked(
        self: &Arc<Self>,
        message: M,
        ticketed: bool,
        sender: Box<tracing::Span>,
    ) -> Result<u64, ActorError> {
        let sent = self
            .mailbox
            .send_linked_message(message, ticketed, sender, &|evicted| self.evicted(evicted));
        self.after_send(sent)
    }

    /// The failure of a message that drop-oldest evicts for a newer one.
    fn evicted(&self, evicted: &M) -> ActorError {
        let refusal = Refusal::Overflow(OverflowPolicy::DropOldest);
        self.core.refusal(evicted.method_name(), refusal).1
    }

    /// Activates the actor if the send found it idle, and returns the message's sequence
    /// number; or rejects what the send refused or evicted.
    #[inline]
    fn after_send(self: &Arc<Self>, sent: Sent<M, Self>) -> Result<u64, ActorError> {
        match sent {
            Sent::Queued { seq, wake } => {
                wake.run(self);
                Ok(seq)
            }
            refused => self.refused(refused),
        }
    }

    /// A send that did not queue its message, or evicted another one for it: the loser is
    /// rejected after the mailbox lock was released (dead-letter listeners are user code).
    #[cold]
    fn refused(self: &Arc<Self>, sent: Sent<M, Self>) -> Result<u64, ActorError> {
        match sent {
            Sent::Queued { .. } => unreachable!("`send` handles a queued message itself"),
            Sent::Refused((message, refusal)) => Err(self.reject(message, refusal)),
            Sent::Evicted(eviction) => {
                let Eviction { seq, wake, evicted } = *eviction;
                wake.run(self);
                let (message, refusal) = evicted;
                self.reject(message, refusal);
                Ok(seq)
            }
        }
    }

    /// A message that will not be delivered, for the reason `refusal`: record it as a dead
    /// letter, then fail its reply (in that order, so a caller that saw the failure finds the
    /// dead letter recorded). Returns the failure. Never called under the mailbox lock:
    /// listeners are user code.
    ///
    /// The message's rendering (its arguments' `Debug`) and its destruction (their `Drop`) are
    /// user code, run here in the sender's or the actor's task: a panic in them is contained
    /// and logged, and the dead letter and the failure are recorded all the same.
    pub(crate) fn reject(&self, message: M, refusal: Refusal) -> ActorError {
        let method = message.method_name();
        let (reason, error) = self.core.refusal(method, refusal);
        let representation = call_contained(|| message.representation()).unwrap_or_else(|cause| {
            panic_event!(in self.core.logger, &cause, { method, } "rendering a dead letter panicked");
            format!("{method}(<rendering panicked>)")
        });
        let dead_letter = DeadLetter::new(
            self.core.address,
            Arc::clone(&self.core.type_name),
            method,
            representation,
            reason,
        );
        self.core.stage.dead_letters().failed_delivery(dead_letter);
        let failed = error.clone();
        if let Err(cause) = call_contained(move || message.fail(failed)) {
            panic_event!(in self.core.logger, &cause, { method, } "dropping an undelivered message panicked");
        }
        error
    }

    /// Fails and dead-letters every message that was still queued at close; answers queued
    /// stop requests once the stop completes.
    pub(crate) fn reject_all(&self, pending: impl IntoIterator<Item = Envelope<M>>) {
        for envelope in pending {
            match envelope {
                Envelope::Message { message, seq, .. } => {
                    let error = self.reject(message, Refusal::Closed);
                    self.mailbox.ledger.fail(seq, error);
                }
                Envelope::Stop { reply } => {
                    if let Err(reply) = self.core.await_stopped(reply) {
                        reply.resolve(());
                    }
                }
                Envelope::Directive(_) => {}
                Envelope::Control(control, reply) => {
                    reply.fail(self.core.refusal(control.method(), Refusal::Closed).1);
                }
            }
        }
    }

    /// Closes the mailbox at once, failing and dead-lettering what is queued (and the batch
    /// numbers its task will not deliver), removes the actor from the directory and its parent,
    /// and reports it stopped: a stop that timed out, or a task that ended abnormally.
    pub(crate) fn force_close(&self) {
        let ForcedClose {
            pending,
            wake,
            undelivered,
        } = self.mailbox.force_close();
        match wake {
            // A lingering task wakes up to find the mailbox closed, and ends.
            Wake::Notify(waker) => waker.wake(),
            // No task will take a parked task again.
            wake => drop(wake),
        }
        self.reject_all(pending);
        if let Some((first, last)) = undelivered {
            // Named by each ticket; the rest of the error is the actor's.
            let (_, error) = self.core.refusal("", Refusal::Closed);
            self.mailbox.ledger.abandon(first, last, error);
        }
        self.core.stage.directory().remove(&self.core.address);
        if let Some(parent) = &self.core.parent {
            parent.core().remove_child(&self.core);
        }
        self.core.finish_stopping();
    }

    /// The actor's task ended abnormally (a panic outside every guard, or its runtime shut
    /// down): closes the actor as [`force_close`](Self::force_close) does, rejects the batch the
    /// task held, and asks its children to stop (their stops are not awaited: they may run on
    /// the same dead runtime).
    pub(crate) fn abort(&self, batch: Batch<M>) {
        // Its watchers learn that it failed.
        self.core.stopping_after_failure();
        self.force_close();
        self.reject_all(batch);
        for child in self.core.close_children() {
            drop(child.stop());
        }
    }

    /// Asks the actor's task to suspend or resume delivery; the promise resolves once it has.
    pub(crate) fn control(self: &Arc<Self>, control: Control) -> DeferredPromise<()> {
        let (reply, promise) = promise::promise();
        if let Err(envelope) = self.send_system(Envelope::Control(control, reply)) {
            self.reject_all([envelope]);
        }
        promise
    }

    /// Sends a system envelope; activates the task if it was parked.
    fn send_system(self: &Arc<Self>, envelope: Envelope<M>) -> Result<(), Envelope<M>> {
        self.mailbox
            .send_system(envelope)
            .map(|wake| wake.run(self))
    }

    /// Sends a stop request (queued behind earlier messages) and returns its promise.
    pub(crate) fn stop(self: &Arc<Self>) -> DeferredPromise<()> {
        let (promise, parked) = self.queue_stop();
        if let Some(task) = parked {
            task.activate(Arc::clone(self));
        }
        promise
    }

    /// [`stop`](Self::stop), but if the actor was idle (parked, no task), its task's future is
    /// handed back for the caller to run in its own task rather than spawned: the stop is
    /// complete once it has run.
    pub(crate) fn stop_here(self: &Arc<Self>) -> (DeferredPromise<()>, Option<TaskFuture>) {
        let (promise, parked) = self.queue_stop();
        let task = parked.map(|task| task.into_task_future(Arc::clone(self)));
        (promise, task)
    }

    /// Queues a stop request; hands back the task if the actor was parked (the caller
    /// activates it or runs it).
    fn queue_stop(self: &Arc<Self>) -> (DeferredPromise<()>, Option<Box<dyn Task<Self>>>) {
        let (reply, promise) = promise::promise();
        let parked = match self.mailbox.send_stop(reply) {
            Ok(Wake::Activate(task)) => Some(task),
            Ok(wake) => {
                wake.run(self);
                None
            }
            // Closed: a stop is under way or done; answer when it is done.
            Err(reply) => {
                if let Err(reply) = self.core.await_stopped(reply) {
                    reply.resolve(());
                }
                None
            }
        };
        (promise, parked)
    }
}

impl<M: Message> LedgerOwner for ActorCell<M> {
    fn ledger(&self) -> &Ledger {
        &self.mailbox.ledger
    }
}

impl<M: Message> ActorHandle for ActorCell<M> {
    fn address(&self) -> Address {
        self.core.address
    }

    fn type_name(&self) -> &str {
        &self.core.type_name
    }

    fn is_stopped(&self) -> bool {
        self.mailbox.is_closed()
    }

    fn stop(self: Arc<Self>) -> DeferredPromise<()> {
        ActorCell::stop(&self)
    }

    fn execution_context(&self) -> ExecutionContext {
        self.mailbox.context()
    }

    fn replace_execution_context(&self, context: ExecutionContext) {
        // Takes `context`'s values as the persistent context's, keeping its own collaborators.
        self.mailbox
            .update_context(|current| current.with_values_of(&context));
    }

    fn mailbox_stats(&self) -> MailboxStats {
        self.mailbox.stats()
    }

    fn local(&self) -> Option<&dyn ActorControl> {
        Some(self)
    }

    fn into_local(self: Arc<Self>) -> Option<Arc<dyn ActorControl>> {
        Some(self)
    }
}

impl<M: Message> ActorControl for ActorCell<M> {
    fn core(&self) -> &ActorCore {
        &self.core
    }

    fn stop_here(self: Arc<Self>) -> (DeferredPromise<()>, Option<TaskFuture>) {
        ActorCell::stop_here(&self)
    }

    fn force_close(&self) {
        ActorCell::force_close(self);
    }

    fn direct(
        self: Arc<Self>,
        directive: SupervisionDirective,
        strategy: SupervisionStrategy,
        reason: ActorError,
    ) {
        // A stopped sibling needs no directive.
        let _ = self.send_system(Envelope::Directive(Box::new(SiblingDirective {
            directive,
            strategy,
            reason,
        })));
    }

    fn control(self: Arc<Self>, control: Control) -> DeferredPromise<()> {
        ActorCell::control(&self, control)
    }

    fn is_suspended(&self) -> bool {
        self.mailbox.is_suspended()
    }

    fn activity(&self) -> Activity {
        self.mailbox.activity()
    }

    fn stop_lingering(&self) {
        if let Some(waker) = self.mailbox.stop_waiting() {
            waker.wake();
        }
    }

    fn find_handle(self: Arc<Self>, out: &mut dyn Any) {
        M::find_handle(&(self as Arc<dyn Any + Send + Sync>), out);
    }
}

#[cfg(test)]
mod tests {
    use super::Stopping;

    /// Watches and names live in a box made by the first of them, and the first stop waiter
    /// in place of the vector of waiters there was before them: an idle actor is no larger
    /// for them (its stop state was 32 bytes).
    #[test]
    fn an_idle_actor_holds_no_more_for_watches_and_names() {
        assert!(std::mem::size_of::<Stopping>() <= 24);
    }
}
