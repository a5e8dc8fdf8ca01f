//! `ActorRef`: a type-erased handle to any actor, whatever its protocol.

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Weak};

use std::time::Duration;

use crate::mailbox::{Activity, Control, TaskFuture};
use crate::runtime::actor_cell::ActorCore;
use crate::{
    ActorError, ActorHandle, Address, DeferredPromise, ExecutionContext, MailboxStats, Protocol,
    ProxyHandle, SupervisionDirective, SupervisionStrategy,
};

/// What the runtime can do with a local actor without knowing its protocols, beyond the public
/// [`ActorHandle`]: implemented by the actor's cell, whatever its mailbox type.
pub(crate) trait ActorControl: ActorHandle {
    fn core(&self) -> &ActorCore;
    /// `stop`, handing back an idle actor's task (its future) to run in the caller's task.
    fn stop_here(self: Arc<Self>) -> (DeferredPromise<()>, Option<TaskFuture>);
    /// Closes the mailbox at once, failing what is queued (a stop that timed out).
    fn force_close(&self);
    /// Applies a supervisor's directive to this actor (a sibling under scope All).
    fn direct(
        self: Arc<Self>,
        directive: SupervisionDirective,
        strategy: SupervisionStrategy,
        reason: ActorError,
    );
    /// Suspends or resumes the delivery of user messages.
    fn control(self: Arc<Self>, control: Control) -> DeferredPromise<()>;
    fn is_suspended(&self) -> bool;
    /// The mailbox's state at once, for introspection.
    fn activity(&self) -> Activity;
    /// Sends a lingering actor task to park (its linger slot went to another actor).
    fn stop_lingering(&self);
    /// If `out` is an `Option<ProxyHandle<C>>` for one of the actor's protocols, fills it.
    fn find_handle(self: Arc<Self>, out: &mut dyn Any);
}

/// A handle to an actor that does not name its protocol: what the [`Directory`](crate::Directory),
/// an actor's children and an [`ExecutionContext`]'s collaborators hold.
///
/// Turn it back into a typed proxy with [`ActorRef::downcast`]. Equality and hashing are by address.
///
/// It wraps the public [`ActorHandle`] interface. Every `ActorRef` the runtime makes today is a
/// local actor's (the runtime's hierarchy, directory and supervision need the cell behind it);
/// references to actors elsewhere come with remoting.
#[derive(Clone)]
pub struct ActorRef {
    handle: Arc<dyn ActorHandle>,
}

impl ActorRef {
    pub(crate) fn new(control: Arc<dyn ActorControl>) -> Self {
        Self { handle: control }
    }

    /// The runtime's view of the actor: every `ActorRef` the runtime makes is local.
    fn control(&self) -> &dyn ActorControl {
        self.handle
            .local()
            .expect("domo-actors: the runtime's references are to local actors")
    }

    fn control_arc(&self) -> Arc<dyn ActorControl> {
        Arc::clone(&self.handle)
            .into_local()
            .expect("domo-actors: the runtime's references are to local actors")
    }

    pub(crate) fn core(&self) -> &ActorCore {
        self.control().core()
    }

    /// A reference that does not keep the actor alive.
    pub(crate) fn downgrade(&self) -> WeakActorRef {
        WeakActorRef(Arc::downgrade(&self.control_arc()))
    }

    /// Whether this is the actor whose core is `core`: the same cell, not only the same address
    /// (an address is free for a new actor once the actor that had it has left the directory).
    pub(crate) fn is(&self, core: &ActorCore) -> bool {
        std::ptr::eq(self.core(), core)
    }

    /// The mailbox's state at once (see `Mailbox::activity`).
    pub(crate) fn activity(&self) -> Activity {
        self.control().activity()
    }

    /// Closes the mailbox at once (see `ActorControl::force_close`).
    pub(crate) fn force_close(&self) {
        self.control().force_close();
    }

    pub(crate) fn stop_lingering(&self) {
        self.control().stop_lingering();
    }

    /// [`stop`](Self::stop), handing back an idle actor's task (its future) for the caller to run
    /// (see `ActorCell::stop_here`).
    pub(crate) fn stop_here(&self) -> (DeferredPromise<()>, Option<TaskFuture>) {
        self.control_arc().stop_here()
    }

    /// The actor's address.
    pub fn address(&self) -> Address {
        self.handle.address()
    }

    /// The actor's type name: its `Definition`'s type, by default the protocol's name.
    pub fn type_name(&self) -> &str {
        self.handle.type_name()
    }

    pub(crate) fn type_name_arc(&self) -> &Arc<str> {
        &self.core().type_name
    }

    /// The actor's parent (`None` only for the private root).
    pub fn parent(&self) -> Option<ActorRef> {
        self.core().parent.clone()
    }

    /// The name of the supervisor given when the actor was created, if any.
    pub fn supervisor_name(&self) -> Option<&str> {
        self.core().supervisor.as_deref()
    }

    /// The actor's live children, in creation order.
    pub fn children(&self) -> Vec<ActorRef> {
        self.core().children()
    }

    /// A snapshot of the actor's persistent execution context: what its proxies copy into each
    /// message they send.
    pub fn execution_context(&self) -> ExecutionContext {
        self.handle.execution_context()
    }

    /// Changes the actor's persistent execution context (see
    /// [`ProxyHandle::with_execution_context`]).
    pub fn with_execution_context<R>(&self, f: impl FnOnce(&mut ExecutionContext) -> R) -> R {
        let mut context = self.handle.execution_context();
        let result = f(&mut context);
        self.handle.replace_execution_context(context);
        result
    }

    /// A snapshot of the actor's mailbox: how many messages wait, its capacity if bounded, and
    /// how many its overflow policy has dropped or refused.
    pub fn mailbox_stats(&self) -> MailboxStats {
        self.handle.mailbox_stats()
    }

    /// Suspends the actor: from the end of its current message on, it delivers no user
    /// message until [`resume`](Self::resume)d. Messages keep queueing meanwhile (a bounded
    /// mailbox still applies its overflow policy), and are delivered afterwards in the order
    /// they were sent. Stops and supervision are not held: a suspended actor can always be
    /// stopped. The promise resolves once the actor is suspended (it fails if the actor has
    /// stopped) and carries the stage's default ask timeout.
    ///
    /// Supervision suspends an actor too ([`SupervisionDirective::Suspend`]); `resume` is how
    /// its supervisor (or anyone holding a reference) lets it go on.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, Definition, Stage};
    ///
    /// #[actor_protocol]
    /// pub trait Tally {
    ///     async fn add(&mut self, n: u64);
    ///     async fn total(&self) -> u64;
    /// }
    ///
    /// #[derive(Actor)]
    /// struct TallyActor(u64);
    ///
    /// impl Tally for TallyActor {
    ///     async fn add(&mut self, n: u64) {
    ///         self.0 += n;
    ///     }
    ///     async fn total(&self) -> u64 {
    ///         self.0
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let tally: TallyProxy = stage.actor_for(Definition::new(|| TallyActor(0))).unwrap();
    /// let actor = tally.actor_ref();
    ///
    /// actor.suspend().await;
    /// assert!(actor.is_suspended());
    /// tally.add(2);
    /// let total = tally.total();
    /// assert_eq!(actor.mailbox_stats().queued(), 2, "held, in order");
    ///
    /// actor.resume().await;
    /// assert_eq!(total.await, 2);
    /// stage.close().await;
    /// # }
    /// ```
    pub fn suspend(&self) -> DeferredPromise<()> {
        self.send_control(Control::Suspend)
    }

    /// Resumes a suspended actor (see [`suspend`](Self::suspend)): it delivers what queued
    /// meanwhile, in order. Resuming an actor that is not suspended does nothing. The promise
    /// resolves once the actor has resumed.
    pub fn resume(&self) -> DeferredPromise<()> {
        self.send_control(Control::Resume)
    }

    fn send_control(&self, control: Control) -> DeferredPromise<()> {
        let promise = self.control_arc().control(control);
        self.core().stage.with_default_timeout(promise)
    }

    /// Whether the actor is suspended: by [`suspend`](Self::suspend), or by its supervisor's
    /// [`Suspend`](SupervisionDirective::Suspend) directive.
    pub fn is_suspended(&self) -> bool {
        self.control().is_suspended()
    }

    /// Whether the actor has stopped (its mailbox is closed).
    pub fn is_stopped(&self) -> bool {
        self.handle.is_stopped()
    }

    /// Asks the actor to stop. The stop is queued behind the messages already in its mailbox;
    /// the promise resolves once the actor (and its children) have stopped.
    ///
    /// Like any other promise, it carries the stage's
    /// [default ask timeout](crate::Stage::default_ask_timeout), if one is set: awaiting a stop
    /// that cannot finish (an actor awaiting its own stop inside a handler, say) then fails
    /// with [`ActorError::TimedOut`] instead of hanging. A timed-out wait leaves the stop
    /// queued; [`stop_within`](Self::stop_within) forces it instead.
    pub fn stop(&self) -> DeferredPromise<()> {
        self.core().stage.with_default_timeout(self.stop_untimed())
    }

    /// [`stop`](Self::stop) without the stage's default ask timeout: the runtime's own stops
    /// (a parent stopping its children, a stage closing) are bounded by their own deadlines.
    pub(crate) fn stop_untimed(&self) -> DeferredPromise<()> {
        Arc::clone(&self.handle).stop()
    }

    /// Stops the actor, waiting at most `timeout` for the graceful sequence. If it has not
    /// finished by then, the mailbox is closed at once (what is still queued fails and becomes
    /// dead letters), the actor is removed from the directory and its parent, and the result is
    /// [`ActorError::StopTimedOut`]; the graceful sequence may still finish in the background.
    /// The stage's default ask timeout does not apply: `timeout` is the only deadline.
    ///
    /// A zero `timeout` means no deadline, as in DomoActors: the same as awaiting
    /// [`stop`](Self::stop) without a timeout. (A deadline computed by subtraction that
    /// saturated to zero so never kills a healthy actor.)
    ///
    /// Tells (calls of `()`-methods) that the actor's task had already taken out of the mailbox
    /// in a batch, behind a handler that has not returned, fail at once too; they become dead
    /// letters when that handler returns, as its task does not deliver them.
    pub async fn stop_within(&self, timeout: Duration) -> Result<(), ActorError> {
        let stopped = self.stop_untimed().result();
        if timeout.is_zero() {
            return stopped.await;
        }
        match tokio::time::timeout(timeout, stopped).await {
            Ok(result) => result,
            Err(_) => {
                crate::base::logger::actor_event!(self.core().logger,
                    target: crate::base::logger::LIFECYCLE, tracing::Level::WARN,
                    ?timeout, "the actor did not stop in time: closing it");
                self.force_close();
                Err(ActorError::StopTimedOut {
                    address: self.address(),
                    type_name: Arc::clone(self.type_name_arc()),
                })
            }
        }
    }

    /// A typed proxy onto this actor, or `None` if the actor's protocol is not `P`.
    pub fn downcast<P: Protocol>(&self) -> Option<P> {
        let mut handle: Option<ProxyHandle<P::Call>> = None;
        self.control_arc().find_handle(&mut handle);
        handle.map(P::from_handle)
    }

    pub(crate) fn direct(
        &self,
        directive: SupervisionDirective,
        strategy: SupervisionStrategy,
        reason: ActorError,
    ) {
        self.control_arc().direct(directive, strategy, reason)
    }

    /// Replaces the values of the actor's persistent execution context (what its proxies snapshot
    /// into the next messages they send), keeping its collaborators: used by
    /// [`ExecutionContext::propagate`].
    pub(crate) fn replace_execution_context(&self, context: ExecutionContext) {
        self.handle.replace_execution_context(context)
    }
}

/// An [`ActorRef`] that does not keep its actor alive: what the stage keeps of its roots, so that
/// the roots (which hold the stage) do not hold it in a cycle.
pub(crate) struct WeakActorRef(Weak<dyn ActorControl>);

impl WeakActorRef {
    /// The actor, if anything still holds it.
    #[inline]
    pub(crate) fn upgrade(&self) -> Option<ActorRef> {
        self.0.upgrade().map(ActorRef::new)
    }
}

impl PartialEq for ActorRef {
    fn eq(&self, other: &Self) -> bool {
        self.address() == other.address()
    }
}

impl Eq for ActorRef {}

impl Hash for ActorRef {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.address().hash(state)
    }
}

impl fmt::Debug for ActorRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActorRef({} at {})", self.type_name(), self.address())
    }
}

#[cfg(test)]
impl ActorRef {
    /// A stand-alone actor that never runs (its mailbox is never activated), for unit tests of
    /// the services that hold `ActorRef`s.
    pub(crate) fn for_test(address: Address, type_name: &str) -> ActorRef {
        use crate::runtime::actor_cell::ActorCell;
        use crate::runtime::root_actors::RootMessage;

        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a test runtime");
        let _entered = runtime.enter();
        let core = ActorCore::new(
            address,
            Arc::from(type_name),
            // The stage is dropped unclosed: its close is spawned on `runtime`, which never runs.
            crate::Stage::new().handle(),
            None,
            None,
        );
        ActorRef::new(Arc::new(ActorCell::<RootMessage>::new(
            core,
            crate::MailboxConfig::Unbounded,
        )))
    }
}
