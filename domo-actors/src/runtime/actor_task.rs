//! The actor task: builds the actor, runs its hooks, delivers its messages one at a
//! time, hands failures to supervision and applies the directives, and runs the stop sequence.

use std::any::Any;
use std::collections::VecDeque;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures::FutureExt as _;
use tokio::time::Instant;
use tracing::Instrument as _;
use tracing::{Level, Span};

use crate::base::error::panic_message;
use crate::base::in_span::InSpan;
use crate::base::logger::{LIFECYCLE, PANIC, SUPERVISION, actor_event};
use crate::base::message_trace;
use crate::base::metrics;
use crate::base::panic_site::{self, panic_event};
use crate::contained::{call_contained, drop_contained};
use crate::mailbox::{Control, Task, TaskFuture};
use crate::runtime::actor_cell::{ActorCell, ActorCore};
use crate::runtime::actor_cell::{Batch, Envelope};
use crate::runtime::actor_ref::ActorControl;
use crate::runtime::environment::{self, CurrentActor};
use crate::runtime::linger::Linger;
use crate::runtime::runners::Runners;
use crate::runtime::supervision;
use crate::runtime::supervision::SiblingDirective;
use crate::{
    Actor, ActorError, ActorRef, Definition, Deliver, ExecutionContext, HandlerFailure, Message,
    Supervised, SupervisionDirective, SupervisionScope, SupervisionStrategy,
};

/// An actor task: the actor's run state, parked in its mailbox while the actor is idle, run by a
/// runner of its type (see `runners.rs`; or in a parent's task, see `into_task_future`) while it
/// has messages.
pub(crate) struct ActorTask<A, M> {
    /// The current instance: built when the actor is created, so that its supervision strategy
    /// is known from the moment the actor can be named (see `build`). `None` if it could not
    /// be built (at creation or at a restart): the actor then stops.
    actor: Option<A>,
    /// Whether the start hooks have run (the first activation runs them).
    started: bool,
    definition: Arc<Definition<A>>,
    /// When supervision restarted this actor, for the strategy's intensity and period.
    /// Allocated by the first restart: most actors never restart, and a parked task should
    /// be small.
    // Boxed for the header's size (one word instead of four), not the elements'.
    #[allow(clippy::box_collection)]
    restarts: Option<Box<VecDeque<Instant>>>,
    /// How many instances have been built: tells the start sequence that a restart happened.
    instances: u64,
    /// Whether lingering before parking has been paying off for this actor.
    linger: Linger,
    /// The runners of this actor's type on its stage: what runs it when it is activated.
    runners: Arc<Runners<A, M>>,
}

impl<A: Actor, M: Deliver<A>> ActorTask<A, M> {
    /// The actor task of the actor behind `cell`, which is being created: builds its first
    /// instance now, in the creator's call, as the actor's own task would (the actor is the
    /// current one for `Environment::current()` inside the instantiator). Its start hooks run
    /// in its task, at the first activation.
    /// The runners of this actor's type on its stage.
    pub(crate) fn runners(&self) -> &Arc<Runners<A, M>> {
        &self.runners
    }

    pub(crate) fn new(definition: Definition<A>, cell: &Arc<ActorCell<M>>) -> Self {
        let mut task = Self {
            runners: cell.core.stage.runners::<A, M>(),
            actor: None,
            started: false,
            definition: Arc::new(definition),
            restarts: None,
            instances: 0,
            linger: Linger::default(),
        };
        let current = CurrentActor::new(
            ActorRef::new(Arc::clone(cell) as _),
            Arc::clone(&task.definition) as Arc<dyn Any + Send + Sync>,
        );
        environment::sync_scope(current, || build(&mut task, cell));
        task
    }
}

impl<A, M> Drop for ActorTask<A, M> {
    /// The instance's destructor is user code: a panic in it must not end the tokio task that
    /// drops the actor task (the actor's own, a parent's running its stop, or a sender's).
    fn drop(&mut self) {
        if let Some(actor) = self.actor.take() {
            drop_contained(actor, "an actor instance");
        }
    }
}

impl<A, M> Task<ActorCell<M>> for ActorTask<A, M>
where
    A: Actor,
    M: Deliver<A>,
{
    fn activate(self: Box<Self>, cell: Arc<ActorCell<M>>) {
        Runners::run(self, cell);
    }

    fn into_task_future(self: Box<Self>, cell: Arc<ActorCell<M>>) -> TaskFuture {
        // Run by the parent's task: a panic that escaped the child's loop must end the
        // child's task only (its guard then closes it), not unwind into the parent's.
        Box::pin(
            AssertUnwindSafe(task_future(self, cell))
                .catch_unwind()
                .map(drop),
        )
    }
}

/// The actor task's future: its loop in the actor's environment (the current actor, for
/// `self.stop()` and the like, and its logging span), wherever it is polled: an activation
/// on a task of its own, or in a parent's task (see `into_task_future`).
pub(crate) fn task_future<A, M>(
    task: Box<ActorTask<A, M>>,
    cell: Arc<ActorCell<M>>,
) -> impl Future<Output = ()> + Send + 'static
where
    A: Actor,
    M: Deliver<A>,
{
    let span = cell.core.logger.span().clone();
    // Made here, outside the async block: a task dropped before its first poll (spawned onto
    // a runtime that has shut down) settles its actor too.
    let mut unstarted = Unstarted {
        task: Some(task),
        cell,
    };
    // The runners' activation, so that its loop is compiled once, into one poll function.
    async move {
        let task = unstarted
            .task
            .take()
            .expect("an unstarted activation holds its task");
        activation(task, &unstarted.cell).await;
    }
    .instrument(span)
}

/// An activation of the actor task: its loop in the current-actor scope, to be polled in the
/// actor's span. It borrows the cell from what polls it: a runner, which enters the span from
/// the cell at each poll, or [`task_future`]. A runner's activation so has no
/// `tracing::Instrumented`, which cost a span clone, a move, and a drop that entered the span
/// even once the loop had returned.
pub(crate) fn activation<'a, A, M>(
    task: Box<ActorTask<A, M>>,
    cell: &'a Arc<ActorCell<M>>,
) -> impl Future<Output = ()> + Send + 'a
where
    A: Actor,
    M: Deliver<A>,
{
    let current = current_actor(&task, cell);
    // Made outside the async fn, so that an activation dropped before its first poll settles
    // its actor too (see `Unstarted`).
    let guard = TaskGuard::new(cell);
    environment::scope(current, guarded_run(task, guard))
}

/// The current actor of the activations of `task`.
#[inline]
fn current_actor<A, M>(task: &ActorTask<A, M>, cell: &Arc<ActorCell<M>>) -> CurrentActor
where
    A: Actor,
    M: Deliver<A>,
{
    CurrentActor::new(
        ActorRef::new(Arc::clone(cell) as _),
        Arc::clone(&task.definition) as Arc<dyn Any + Send + Sync>,
    )
}

/// An activation on a task of its own that has not been polled yet: dropped so (its runtime
/// had shut down when it was spawned), it settles its actor as a [`TaskGuard`] would.
struct Unstarted<A: Actor, M: Deliver<A>> {
    /// `Some` until the first poll takes it.
    task: Option<Box<ActorTask<A, M>>>,
    cell: Arc<ActorCell<M>>,
}

impl<A: Actor, M: Deliver<A>> Drop for Unstarted<A, M> {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            // Dropped unpolled, the activation drops the actor task and settles the actor in
            // the actor's environment, as a polled one that is dropped unfinished.
            drop(activation(task, &self.cell));
        }
    }
}

/// The actor task's loop, with the last line of defence around it: whatever ends it before it
/// returns (a panic that escaped every guard inside, which tokio catches before dropping the
/// task, or its future dropped because the runtime shut down), the actor is closed as a stop
/// that timed out closes it, so that nothing can hang on it (see [`TaskGuard`]). Dropped so,
/// it drops what the loop held (a handler's future, the actor's state) and settles the actor
/// in the actor's span, as the loop ran (see [`DroppedInSpan`]).
async fn guarded_run<A, M>(task: Box<ActorTask<A, M>>, mut guard: TaskGuard<'_, M>)
where
    A: Actor,
    M: Deliver<A>,
{
    let TaskGuard {
        cell,
        batch,
        in_span,
        ..
    } = &mut guard;
    let batch = batch
        .as_mut()
        .expect("a guard holds its batch until it drops");
    // A temporary of this statement: dropped unfinished before the guard, which is dropped
    // last.
    DroppedInSpan {
        enters: EnterSpanOnDrop {
            span: cell.core.logger.span(),
            entered: in_span,
            armed: true,
        },
        run: run(task, cell, batch),
    }
    .await;
    guard.finished = true;
}

pin_project_lite::pin_project! {
    /// The actor task's loop, which, dropped unfinished, is dropped in the actor's span: its
    /// fields drop in their order, `enters` first, which is disarmed once the loop returned.
    /// (A wrapper that dropped the loop itself, in the span, tested at each poll and at each
    /// drop whether the loop was still there: 17 instructions per activation, 3 per poll.)
    struct DroppedInSpan<'a, F> {
        enters: EnterSpanOnDrop<'a>,
        #[pin]
        run: F,
    }
}

impl<F: Future<Output = ()>> Future for DroppedInSpan<'_, F> {
    type Output = ();

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.project();
        let polled = this.run.poll(cx);
        if polled.is_ready() {
            this.enters.armed = false;
        }
        polled
    }
}

/// Enters its span when it is dropped armed, and leaves it entered, for the task guard that
/// is dropped after the loop to exit (see [`TaskGuard::drop`]).
struct EnterSpanOnDrop<'a> {
    span: &'a Span,
    /// Set when it entered the span.
    entered: &'a mut bool,
    armed: bool,
}

impl Drop for EnterSpanOnDrop<'_> {
    #[inline]
    fn drop(&mut self) {
        if self.armed {
            self.enter();
        }
    }
}

impl EnterSpanOnDrop<'_> {
    #[cold]
    fn enter(&mut self) {
        // What `Span::enter` does, without the guard that exits.
        self.span
            .with_subscriber(|(id, dispatch)| dispatch.enter(id));
        *self.entered = true;
    }
}

/// Owns what an actor's task holds outside its mailbox (the batch; the cell's handle is its
/// runner's or its [`Unstarted`]'s), and settles it all if the task ends before its loop
/// returned: the mailbox is closed, what it held and the batch are dead-lettered and their
/// promises failed, stop requests answered, the actor removed from the directory and its
/// parent, and its children asked to stop.
///
/// No `catch_unwind` per poll for this (it cost 35 instructions per poll, on every ask): a
/// panic that escapes the loop is caught by tokio, which then drops the task, or, for a child
/// whose stop runs in its parent's task, by the wrapper `into_task_future` puts around it.
struct TaskGuard<'a, M: Message> {
    cell: &'a Arc<ActorCell<M>>,
    /// `Some` until the guard drops (see `drop`).
    batch: Option<Batch<M>>,
    /// The actor task's loop returned: the actor parked or stopped.
    finished: bool,
    /// The loop, dropped unfinished, entered the actor's span for the guard to exit (see
    /// [`DroppedInSpan`]).
    in_span: bool,
}

impl<'a, M: Message> TaskGuard<'a, M> {
    fn new(cell: &'a Arc<ActorCell<M>>) -> Self {
        Self {
            cell,
            batch: Some(Batch::new()),
            finished: false,
            in_span: false,
        }
    }
}

impl<M: Message> Drop for TaskGuard<'_, M> {
    #[inline]
    fn drop(&mut self) {
        // The loop rejected its batch before returning: the common case ends here, with an
        // empty batch, which is forgotten rather than dropped when it never held a buffer (a
        // call of `VecDeque`'s drop per activation, to free nothing).
        match self.batch.take() {
            Some(batch) if self.finished && batch.is_empty() => batch.discard(),
            batch => self.settle(batch.unwrap_or_default()),
        }
    }
}

impl<M: Message> TaskGuard<'_, M> {
    #[cold]
    fn settle(&mut self, batch: Batch<M>) {
        let cell = self.cell;
        if self.finished {
            // Not reached: the loop rejects a batch left in a closed mailbox itself.
            cell.reject_all(batch);
            return;
        }
        // A task is dropped unfinished when a panic escaped it (tokio drops it once it has
        // caught the panic) or when its runtime shuts down: the stage tells which by a probe.
        cell.core.stage.runtime_dropped_a_task();
        task_ended_early(&cell.core, cell.core.stage.runtime_is_gone());
        cell.abort(batch);
        if self.in_span {
            // What the drop of `Span::enter`'s guard does (see `EnterSpanOnDrop`).
            cell.core
                .logger
                .span()
                .with_subscriber(|(id, dispatch)| dispatch.exit(id));
        }
    }
}

/// How many messages the actor task delivers before it yields to the runtime's other tasks, so
/// that a busy actor cannot hold a worker thread: tokio's cooperative budget per poll. Counted
/// here rather than with `tokio::task::consume_budget` after every message, which cost 40
/// instructions per message (a thread-local and a future per call); the budget of the tokio
/// resources a handler awaits is still enforced by tokio.
const DELIVERIES_PER_POLL: u32 = 128;

/// Down to which depth of the hierarchy (the private root is 0, the public root 1, top-level
/// actors 2) a stopping actor runs its idle children's stop in its own task (see `stop`).
const STOPS_HERE_BELOW_DEPTH: usize = 8;

/// What the actor task found when it looked for its next envelope.
enum Received<M> {
    /// An envelope, at once.
    Now(Envelope<M>),
    /// An envelope, after waiting for it (lingering).
    AfterWaiting(Envelope<M>),
    /// Not looked for (the actor does not linger this time): look, or park, under one lock.
    NotLingering,
    /// A wait that ended without an envelope: the mailbox closed, or the actor was sent to
    /// park to free its linger slot.
    WaitEnded,
}

/// Takes the next envelope, or waits for one holding a linger slot of the stage's.
async fn linger<M: Message>(cell: &Arc<ActorCell<M>>, batch: &mut Batch<M>) -> Received<M> {
    let mut registered = false;
    let mut admitted = false;
    let next = std::future::poll_fn(|cx| {
        let polled = cell.mailbox.poll_wait(cx, &mut registered, batch);
        if polled.is_pending() && !admitted {
            // After registering, outside the mailbox lock: admitting may send another actor
            // to park, which takes that actor's lock.
            admitted = true;
            cell.core.stage.linger_slots().admit(&cell.core, || {
                ActorRef::new(Arc::clone(cell) as Arc<dyn ActorControl>)
            });
        }
        polled
    })
    .await;
    match (next, registered) {
        (Some(envelope), false) => Received::Now(envelope),
        (Some(envelope), true) => Received::AfterWaiting(envelope),
        (None, _) => Received::WaitEnded,
    }
}

/// What the actor task does after an envelope.
enum Flow {
    Continue,
    Stop,
}

/// Runs a lifecycle hook, containing a panic: `Err` carries the panic message.
async fn contained(hook: impl Future<Output = ()>) -> Result<(), String> {
    AssertUnwindSafe(hook)
        .catch_unwind()
        .await
        .map_err(|payload| panic_message(&*payload))
}

/// Runs a hook whose panic is only logged (DomoActors logs `Actor <hook>() failed: ...`).
async fn logged<M>(cell: &ActorCell<M>, name: &str, hook: impl Future<Output = ()>) {
    if let Err(cause) = contained(hook).await {
        panicked(&cell.core, name, &cause, PanicIn::Hook);
    }
}

async fn run<A, M>(mut task: Box<ActorTask<A, M>>, cell: &Arc<ActorCell<M>>, batch: &mut Batch<M>)
where
    A: Actor,
    M: Deliver<A>,
{
    if !task.started {
        task.started = true;
        let flow = start(&mut task, cell).await;
        // A start hook may have asked to stop (`self.stop()`).
        if matches!(flow, Flow::Stop) || cell.core.take_stop_request() {
            stop(&mut task, cell).await;
            return;
        }
    }
    // Deliveries left before this task yields (see `DELIVERIES_PER_POLL`).
    let mut budget = DELIVERIES_PER_POLL;
    // Whether message spans are enabled: asked of `tracing` once per poll of this task rather
    // than once per message (a subscriber's level changes are seen at the next poll).
    let mut traced = message_trace::enabled();
    // `batch`: messages taken from the mailbox in one go (see the mailbox's module doc),
    // owned by the task's guard. Before anything but a delivery (supervision, a directive, the
    // stop sequence), they go back to the mailbox, where suspending, closing and the
    // supervisor's decisions find them.
    loop {
        let envelope = if let Some(envelope) = batch.next(&cell.mailbox) {
            envelope
        } else {
            // Before going idle, linger (wait for the next message, holding a slot of the
            // stage's) if that has been paying off, or as a probe now and then: a sender that
            // is about to send again (the next tell of a burst, the next ask of a caller just
            // answered) then wakes this task, which is much cheaper than spawning a new one. A
            // lingering actor takes its next message, or waits for it, under one lock.
            let received = if task.linger.pays_off() {
                linger(cell, batch).await
            } else if task.linger.probe_due() {
                if !task.runners.is_backlogged()
                    && cell.core.stage.linger_slots().has_room(&cell.core)
                {
                    match cell.mailbox.receive(batch) {
                        Some(envelope) => Received::Now(envelope),
                        None => {
                            task.linger.probed();
                            linger(cell, batch).await
                        }
                    }
                } else {
                    // Activations of this type wait for a runner, which a lingering actor
                    // would hold; or every slot is held by an actor that has only begun to
                    // wait: park at once rather than send one of them to park (see
                    // `LingerSlots::KEPT_FOR`).
                    task.linger.probed();
                    Received::NotLingering
                }
            } else {
                Received::NotLingering
            };
            match received {
                Received::Now(envelope) => envelope,
                Received::AfterWaiting(envelope) => {
                    task.linger.paid_off();
                    // Woken by a send: a fresh poll of this task.
                    budget = DELIVERIES_PER_POLL;
                    traced = message_trace::enabled();
                    envelope
                }
                Received::NotLingering | Received::WaitEnded => {
                    // Not lingering this time: a park that counts toward the next probe.
                    let counted = matches!(received, Received::NotLingering);
                    if counted {
                        task.linger.count_park();
                    } else {
                        task.linger.wasted();
                    }
                    // Looks for the next envelope and parks if there is none, under one lock.
                    let Some((envelope, mut returned)) = cell.mailbox.receive_or_park(task, batch)
                    else {
                        // The batch is not empty only if a stop that timed out closed the
                        // mailbox (and failed these messages' promises): nothing more is
                        // delivered, and they become dead letters.
                        if !batch.is_empty() {
                            cell.reject_all(batch.take_rejected(&cell.mailbox));
                        }
                        return;
                    };
                    if counted {
                        returned.linger.uncount_park();
                    }
                    task = returned;
                    envelope
                }
            }
        };
        let flow = match envelope {
            Envelope::Message {
                message,
                context,
                seq,
                enqueued,
            } => {
                // Delivered here rather than in a function of its own: an `async fn` per
                // message is one more state machine to build, move into and drop.
                let actor = task.actor.as_mut().expect("a started task holds its actor");
                let failing_context = enter_message_context(context);
                let span = if traced {
                    message_trace::message_span(message.method_name(), failing_context.caller())
                } else {
                    None
                };
                let delivery = metrics::Delivery::start(enqueued, || message.method_name());
                // The handler's future is awaited in this task's own state, inside one
                // `catch_unwind`, while the task holds the route of its answer.
                let (handler, route) = message.dispatch(actor);
                let handled = match span {
                    // Apart, so that the common case awaits the handler as if spans did not
                    // exist (a wrapper that tests for a span at every poll cost twice as much).
                    None => AssertUnwindSafe(handler).catch_unwind().await,
                    Some(span) => {
                        let handler = InSpan::new(handler, span);
                        AssertUnwindSafe(handler).catch_unwind().await
                    }
                };
                let outcome = answered::<A, M>(route, handled);
                delivery.finish(&cell.core.type_name, outcome.is_ok());
                if !failing_context.is_unset() {
                    environment::set_message_context(ExecutionContext::default());
                }
                let flow = match outcome {
                    Ok(()) => {
                        cell.mailbox.ledger.settle(seq);
                        Flow::Continue
                    }
                    // Boxed, as every path into supervision (see the directive below).
                    Err(failure) => {
                        batch.give_back(&cell.mailbox);
                        Box::pin(handler_failed(
                            &mut task,
                            cell,
                            seq,
                            failure,
                            failing_context,
                        ))
                        .await
                    }
                };
                cell.core.count_handled();
                if cell.core.take_stop_request() {
                    Flow::Stop
                } else {
                    flow
                }
            }
            Envelope::Stop { reply } => {
                // Answered with the other waiters once the stop is complete.
                if let Err(reply) = cell.core.await_stopped(reply) {
                    reply.resolve(());
                }
                Flow::Stop
            }
            Envelope::Control(control, reply) => {
                batch.give_back(&cell.mailbox);
                match control {
                    Control::Suspend => cell.mailbox.suspend(),
                    Control::Resume => cell.mailbox.resume(),
                }
                controlled(&cell.core, control);
                reply.resolve(());
                Flow::Continue
            }
            Envelope::Directive(directive) => {
                let SiblingDirective {
                    directive,
                    strategy,
                    reason,
                } = *directive;
                // Boxed, as every path into supervision: restarting holds the futures of four
                // hooks, which would make the actor task twice as large (1,032 bytes instead
                // of 424 for a small actor), copied at every spawn and held by every
                // lingering task, for a path most actors never take.
                batch.give_back(&cell.mailbox);
                Box::pin(apply(&mut task, cell, directive, strategy, &reason)).await
            }
        };
        match flow {
            Flow::Continue => {
                budget -= 1;
                if budget == 0 {
                    budget = DELIVERIES_PER_POLL;
                    tokio::task::yield_now().await;
                    traced = message_trace::enabled();
                }
            }
            Flow::Stop => {
                batch.give_back(&cell.mailbox);
                stop(&mut task, cell).await;
                // A stop that timed out may have closed the mailbox before the batch could go
                // back.
                cell.reject_all(batch.take_rejected(&cell.mailbox));
                return;
            }
        }
    }
}

/// The hooks an actor's first activation runs, whose failure goes to supervision.
#[derive(Clone, Copy)]
enum StartHook {
    BeforeStart,
    Start,
}

impl StartHook {
    /// The order they run in.
    const IN_ORDER: [StartHook; 2] = [StartHook::BeforeStart, StartHook::Start];

    /// The hook's name, as errors and logs report it (the method the failure names).
    fn name(self) -> &'static str {
        match self {
            StartHook::BeforeStart => "before_start",
            StartHook::Start => "start",
        }
    }
}

/// Runs the start hooks of the instance built at creation; a failure goes to supervision.
async fn start<A, M>(task: &mut ActorTask<A, M>, cell: &Arc<ActorCell<M>>) -> Flow
where
    A: Actor,
    M: Deliver<A>,
{
    if task.actor.is_none() {
        // It could not be built (logged then).
        cell.core.stopping_after_failure();
        return Flow::Stop;
    }
    for hook in StartHook::IN_ORDER {
        let actor = task.actor.as_mut().expect("just built");
        let outcome = match hook {
            StartHook::BeforeStart => contained(actor.before_start()).await,
            StartHook::Start => contained(actor.start()).await,
        };
        if let Err(cause) = outcome {
            let hook = hook.name();
            panicked(&cell.core, hook, &cause, PanicIn::Hook);
            let error = hook_failed(cell, hook, cause);
            let instance = task.instances;
            // Boxed: see `run`.
            let flow = Box::pin(fail(task, cell, error, ExecutionContext::default())).await;
            if matches!(flow, Flow::Stop) || task.instances != instance {
                // Stopped, or restarted: the fresh instance has run its own start hooks.
                return flow;
            }
        }
    }
    Flow::Continue
}

/// Builds a fresh instance from the definition and records the strategy it supervises with.
/// `false` (logged) if the instantiator or `supervision_strategy` panicked: the actor stops.
fn build<A: Actor, M>(task: &mut ActorTask<A, M>, cell: &ActorCell<M>) -> bool {
    let definition = Arc::clone(&task.definition);
    // `Err` names what panicked, as the report's method.
    let built = match call_contained(|| definition.instantiate()) {
        Err(cause) => Err(("instantiate", cause)),
        Ok(actor) => match call_contained(|| actor.supervision_strategy()) {
            Ok(strategy) => Ok((actor, strategy)),
            Err(cause) => {
                drop_contained(actor, "an actor instance that could not be built");
                Err(("supervision_strategy", cause))
            }
        },
    };
    match built {
        Ok((actor, strategy)) => {
            cell.core.set_supervision_strategy(strategy);
            task.actor = Some(actor);
            task.instances += 1;
            true
        }
        Err((method, cause)) => {
            panicked(&cell.core, method, &cause, PanicIn::Building);
            task.actor = None;
            false
        }
    }
}

fn hook_failed<M>(cell: &ActorCell<M>, hook: &'static str, cause: String) -> ActorError {
    ActorError::HandlerPanicked {
        address: cell.core.address,
        type_name: Arc::clone(&cell.core.type_name),
        method: hook,
        cause,
    }
}

/// Makes a message's execution context the current one while its handler runs (see
/// `Environment::execution_context`); returns the message's snapshot, for supervision if the
/// handler fails and for its span (the sender's span it may carry: see `message_trace.rs`).
/// Empty contexts (the common case) cost no task-local access, and no call.
#[inline]
fn enter_message_context(context: ExecutionContext) -> ExecutionContext {
    if context.is_unset() {
        return context;
    }
    entered_message_context(context)
}

#[cold]
fn entered_message_context(context: ExecutionContext) -> ExecutionContext {
    context.propagate();
    // The sender's span is not part of the context the handler sees.
    environment::set_message_context(context.without_caller());
    context
}

/// Answers a handler's caller, or fails it if the handler panicked.
#[inline]
fn answered<A, M: Deliver<A>>(
    route: M::Route,
    handled: Result<M::Answer, Box<dyn Any + Send>>,
) -> Result<(), HandlerFailure> {
    match handled {
        Ok(answer) => {
            M::answer(route, answer);
            Ok(())
        }
        Err(payload) => Err(M::panicked(route, payload)),
    }
}

/// A handler panicked: log it, fail its promise if the ledger settles it, and hand the failure
/// to supervision.
async fn handler_failed<A, M>(
    task: &mut ActorTask<A, M>,
    cell: &Arc<ActorCell<M>>,
    seq: u64,
    failure: HandlerFailure,
    context: ExecutionContext,
) -> Flow
where
    A: Actor,
    M: Deliver<A>,
{
    panicked(
        &cell.core,
        failure.method(),
        failure.cause(),
        PanicIn::Handler,
    );
    let error = ActorError::HandlerPanicked {
        address: cell.core.address,
        type_name: Arc::clone(&cell.core.type_name),
        method: failure.method(),
        cause: failure.cause().to_owned(),
    };
    // The promise learns of the failure (if it is settled by the ledger) before the
    // supervisor decides, as a reply would be failed by `Reply::complete`.
    cell.mailbox.ledger.fail(seq, error.clone());
    cell.mailbox.ledger.settle(seq);
    fail(task, cell, error, context).await
}

/// Hands a failure to the actor's supervisor and applies its decision (to the siblings too,
/// under scope All). Nothing else is delivered to the actor meanwhile: waiting here is what
/// suspends its mailbox.
async fn fail<A, M>(
    task: &mut ActorTask<A, M>,
    cell: &Arc<ActorCell<M>>,
    error: ActorError,
    context: ExecutionContext,
) -> Flow
where
    A: Actor,
    M: Deliver<A>,
{
    let this = ActorRef::new(Arc::clone(cell) as _);
    let supervised = Supervised::new(this.clone(), error.clone(), context);
    let (directive, strategy) = supervision::decide(&supervised);
    if strategy.scope() == SupervisionScope::All {
        if let Some(parent) = &cell.core.parent {
            for sibling in parent.children() {
                if sibling != this {
                    sibling.direct(directive, strategy.clone(), error.clone());
                }
            }
        }
    }
    apply(task, cell, directive, strategy, &error).await
}

/// Applies a supervisor's directive to this actor.
async fn apply<A, M>(
    task: &mut ActorTask<A, M>,
    cell: &Arc<ActorCell<M>>,
    directive: SupervisionDirective,
    strategy: SupervisionStrategy,
    reason: &ActorError,
) -> Flow
where
    A: Actor,
    M: Deliver<A>,
{
    match directive {
        SupervisionDirective::Resume => {
            if let Some(actor) = task.actor.as_mut() {
                logged(cell, "before_resume", actor.before_resume(reason)).await;
            }
            cell.mailbox.resume();
            metrics::resumed(&cell.core.type_name);
            directed(&cell.core, directive, reason, Directed::Resumed);
            Flow::Continue
        }
        SupervisionDirective::Restart => {
            if !restart_allowed(task.restarts.get_or_insert_default(), &strategy) {
                restarts_exceeded(&cell.core, reason, &strategy);
                cell.core.stopping_after_failure();
                return Flow::Stop;
            }
            restart(task, cell, reason).await
        }
        SupervisionDirective::Suspend => {
            cell.mailbox.suspend();
            metrics::suspended(&cell.core.type_name);
            directed(&cell.core, directive, reason, Directed::Suspended);
            Flow::Continue
        }
        // `decide` resolves escalations; one can only arrive here as a sibling's directive.
        SupervisionDirective::Stop | SupervisionDirective::Escalate => {
            directed(&cell.core, directive, reason, Directed::Stopping);
            cell.core.stopping_after_failure();
            Flow::Stop
        }
    }
}

/// Whether one more restart fits the strategy; records it if so.
fn restart_allowed(restarts: &mut VecDeque<Instant>, strategy: &SupervisionStrategy) -> bool {
    if strategy.is_forever() {
        return true;
    }
    let now = Instant::now();
    while let Some(&oldest) = restarts.front() {
        if now.saturating_duration_since(oldest) > strategy.period() {
            restarts.pop_front();
        } else {
            break;
        }
    }
    if restarts.len() as i64 >= strategy.intensity() {
        return false;
    }
    restarts.push_back(now);
    true
}

/// `before_restart` on the old instance; its children stopped; a fresh instance from the
/// definition, through `before_start`, `start` and `after_restart`. The mailbox, the address
/// and every proxy stay as they are.
async fn restart<A, M>(task: &mut ActorTask<A, M>, cell: &ActorCell<M>, reason: &ActorError) -> Flow
where
    A: Actor,
    M: Deliver<A>,
{
    if let Some(mut old) = task.actor.take() {
        logged(cell, "before_restart", old.before_restart(reason)).await;
        drop_contained(old, "an actor instance discarded by a restart");
    }
    // The old instance's children go with it (as in Erlang and Akka): the fresh instance builds
    // its own in its start hooks. Their stops are queued, not awaited: a child may be awaiting
    // an answer from this actor, which answers nothing until the restart is done.
    for child in cell.core.children() {
        drop(child.stop());
    }
    if !build(task, cell) {
        cell.core.stopping_after_failure();
        return Flow::Stop;
    }
    cell.core.count_restart();
    // The fresh instance starts as any instance does, then learns why it was restarted. (A
    // panic in these hooks is logged: a restart does not restart itself.)
    let actor = task.actor.as_mut().expect("just built");
    logged(cell, "before_start", actor.before_start()).await;
    logged(cell, "start", actor.start()).await;
    logged(cell, "after_restart", actor.after_restart(reason)).await;
    cell.mailbox.resume();
    metrics::restarted(&cell.core.type_name);
    directed(
        &cell.core,
        SupervisionDirective::Restart,
        reason,
        Directed::Restarted,
    );
    Flow::Continue
}

/// The stop sequence (see [`Actor`]'s lifecycle).
async fn stop<A, M>(task: &mut ActorTask<A, M>, cell: &Arc<ActorCell<M>>)
where
    A: Actor,
    M: Deliver<A>,
{
    if let Some(actor) = task.actor.as_mut() {
        logged(cell, "before_stop", actor.before_stop()).await;
    }
    // Close first, so that a child awaiting an answer from this actor fails fast instead of
    // waiting for a parent that is itself waiting for the child to stop.
    let pending = cell.mailbox.close();
    cell.reject_all(pending);
    // An idle child has no task: its stop runs here, in this one, instead of in a task
    // spawned for it and awaited, which made closing a stage a task spawn and a cross-thread
    // wake-up per actor. Each level of the hierarchy stopped this way nests a poll in this
    // task's stack, so below a few levels children get their own tasks again.
    let in_this_task = cell.core.depth() < STOPS_HERE_BELOW_DEPTH;
    // One at a time, in creation order (as DomoActors does).
    for child in cell.core.close_children() {
        let (stopped, parked) = if in_this_task {
            child.stop_here()
        } else {
            (child.stop_untimed(), None)
        };
        if let Some(child_task) = parked {
            child_task.await;
        }
        if let Err(error) = stopped.result().await {
            child_not_stopped(&cell.core, &error);
        }
    }
    if let Some(parent) = &cell.core.parent {
        parent.core().remove_child(&cell.core);
    }
    cell.core.stage.directory().remove(&cell.core.address);
    stopped(&cell.core);
    if let Some(actor) = task.actor.as_mut() {
        logged(cell, "after_stop", actor.after_stop()).await;
    }
    // The instance goes before the stop is reported complete (its destructor is contained).
    if let Some(actor) = task.actor.take() {
        drop_contained(actor, "a stopped actor instance");
    }
    cell.core.finish_stopping();
}

// The actor task's events, out of line (and cold, but for a stop): each is a callsite and a
// set of fields, and the code that emits them is polled by the delivery loop's future (the
// start and stop sequences are part of it, and the futures of supervision, boxed, are inlined
// into it). With `apply`'s events inline, an ask cost 27 instructions more, a tell 2
// (callgrind, `benches/instructions.rs`); out of line, an ask costs what it did before them,
// a tell still 2 more (the loop's code laid out differently; no work was added to it).

/// What a reported panic interrupted.
#[derive(Clone, Copy)]
enum PanicIn {
    Handler,
    Hook,
    /// The instantiator or `supervision_strategy`: the actor could not be built.
    Building,
}

/// Reports a panic in the actor's own code (a handler, a hook, its instantiator): the one
/// event of that panic (see `install_panic_reporting`).
#[cold]
#[inline(never)]
fn panicked(core: &ActorCore, method: &str, cause: &str, what: PanicIn) {
    macro_rules! report {
        ($message:literal) => {
            panic_event!(in core.logger, cause, {
                actor = %core.type_name,
                address = %core.address,
                method,
            } $message)
        };
    }
    match what {
        PanicIn::Handler => report!("handler panicked"),
        PanicIn::Hook => report!("lifecycle hook panicked"),
        PanicIn::Building => report!("the actor could not be built: stopping it"),
    }
}

/// The actor's task ended before its loop returned (see `TaskGuard`): its runtime shut down,
/// or a panic escaped, whose site the panic hook left if it is installed.
#[cold]
#[inline(never)]
fn task_ended_early(core: &ActorCore, runtime_is_gone: bool) {
    if runtime_is_gone {
        actor_event!(core.logger, target: LIFECYCLE, Level::WARN,
            "the actor's runtime has shut down: closing the actor");
    } else {
        let site = panic_site::take_any();
        actor_event!(core.logger, target: PANIC, Level::ERROR,
            actor = %core.type_name,
            address = %core.address,
            cause = site.as_ref().map(|site| site.cause()),
            location = site.as_ref().and_then(|site| site.location()),
            "the actor's task panicked outside any handler: closing the actor");
    }
}

/// What a supervisor's directive did to the actor.
#[derive(Clone, Copy)]
enum Directed {
    Resumed,
    Restarted,
    Suspended,
    Stopping,
}

/// A supervisor's directive applied to this actor.
#[cold]
#[inline(never)]
fn directed(
    core: &ActorCore,
    directive: SupervisionDirective,
    reason: &ActorError,
    what: Directed,
) {
    macro_rules! report {
        ($message:literal) => {
            actor_event!(core.logger, target: SUPERVISION, Level::INFO, ?directive, %reason, $message)
        };
    }
    match what {
        Directed::Resumed => report!("actor resumed after a failure"),
        Directed::Restarted => report!("actor restarted"),
        Directed::Suspended => report!("actor suspended after a failure"),
        Directed::Stopping => report!("actor stopping after a failure"),
    }
}

/// A restart that the strategy's intensity does not allow: the actor stops instead.
#[cold]
#[inline(never)]
fn restarts_exceeded(core: &ActorCore, reason: &ActorError, strategy: &SupervisionStrategy) {
    actor_event!(core.logger, target: SUPERVISION, Level::WARN,
        directive = ?SupervisionDirective::Restart, %reason,
        intensity = strategy.intensity(), period = ?strategy.period(),
        "restart intensity exceeded: stopping the actor");
}

/// `ActorRef::suspend` or `resume` applied.
#[cold]
#[inline(never)]
fn controlled(core: &ActorCore, control: Control) {
    match control {
        Control::Suspend => {
            actor_event!(core.logger, target: LIFECYCLE, Level::INFO, "actor suspended")
        }
        Control::Resume => {
            actor_event!(core.logger, target: LIFECYCLE, Level::INFO, "actor resumed")
        }
    }
}

/// A child of a stopping actor did not stop cleanly.
#[cold]
#[inline(never)]
fn child_not_stopped(core: &ActorCore, error: &ActorError) {
    actor_event!(core.logger, target: LIFECYCLE, Level::WARN,
        %error, "a child actor did not stop cleanly");
}

/// The actor has stopped (its `after_stop` is next).
#[inline(never)]
fn stopped(core: &ActorCore) {
    actor_event!(core.logger, target: LIFECYCLE, Level::DEBUG, "actor stopped");
}
