//! The `Actor` trait: lifecycle hooks, and what an actor can reach of its runtime.

use std::future::Future;

use crate::{
    ActorError, ActorRef, Address, Definition, Deliver, Environment, ExecutionContext, Logger,
    Protocol, Protocols, Stage, SupervisionStrategy, TerminationReason,
};

/// An actor: a value owned by the runtime that handles one message at a time.
///
/// Implement it with `#[derive(Actor)]` when the default hooks do, or by hand to override hooks.
/// An actor also implements one protocol trait (see
/// [`actor_protocol`](crate::actor_protocol)); its messages arrive through that trait's methods.
///
/// # Lifecycle
///
/// Hooks run inside the actor's own task, never concurrently with a handler, in DomoActors'
/// order:
///
/// 1. the instance is built from its [`Definition`];
/// 2. [`before_start`](Actor::before_start), then [`start`](Actor::start), before any message;
/// 3. messages, one at a time, in the order they were sent;
/// 4. on stop: [`before_stop`](Actor::before_stop); the mailbox closes (what is still queued
///    fails with [`ActorError::Stopped`] and becomes a dead letter); the children stop, each
///    completely, in creation order; the actor leaves its parent and the directory;
///    [`after_stop`](Actor::after_stop).
///
/// `before_restart`, `after_restart` and `before_resume` are called by supervision. A restart
/// runs `before_restart` on the failed instance and stops its children, then takes a fresh
/// instance from the [`Definition`] through `before_start`, `start` and `after_restart`; the
/// mailbox (and every message in it), the address and every proxy stay.
///
/// A panic in `before_start` or `start` is a failure handed to the actor's supervisor, like a
/// panicking handler; a panic in any other hook is caught and logged, and the lifecycle goes on.
///
/// # Supervising
///
/// Every actor supervises the actors whose supervisor it is (its children, unless they name
/// another supervisor): when one fails, the runtime asks the
/// [`supervision_strategy`](Actor::supervision_strategy) this actor gave when it was built.
/// The default restarts the failed actor, at most once within five seconds (DomoActors'
/// `DefaultSupervisionStrategy`); beyond that it stops. Top-level actors are supervised by the
/// public root, which restarts them forever.
///
/// # Reaching the runtime
///
/// The provided methods (`self.address()`, `self.stage()`, `self.child_actor_for(..)`,
/// `self.self_as::<P>()`, ...) read the [`Environment`] of the running actor. They work inside
/// handlers and hooks; called anywhere else they panic (clone `self.environment()` into tasks
/// the actor spawns).
pub trait Actor: Send + Sized + 'static {
    /// Whether the actor is started (`before_start`, `start`, in a task of its own) as soon as
    /// it is created, or only when its first message (or stop) arrives. The default, `true`, is
    /// DomoActors' behaviour and what an actor that does work in its start hooks needs.
    /// `#[derive(Actor)]` sets `false`: with the default hooks there is nothing to run, so the
    /// creation costs no task. Either way the instance is built (its `Definition`'s instantiator
    /// runs) as the actor is created, in the creator's call: its
    /// [`supervision_strategy`](Actor::supervision_strategy) is known from the moment the actor
    /// can be named as a supervisor.
    const STARTS_EAGERLY: bool = true;

    /// Runs first, before any message.
    fn before_start(&mut self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Runs after [`before_start`](Actor::before_start), before any message.
    fn start(&mut self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Runs first when the actor stops, while its children are still running.
    fn before_stop(&mut self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Runs last when the actor stops, after its children have stopped.
    fn after_stop(&mut self) -> impl Future<Output = ()> + Send {
        async {}
    }

    /// Runs on the failed instance before supervision restarts the actor.
    fn before_restart(&mut self, reason: &ActorError) -> impl Future<Output = ()> + Send {
        let _ = reason;
        async {}
    }

    /// Runs on the fresh instance after supervision restarted the actor, after its
    /// `before_start` and `start`.
    fn after_restart(&mut self, reason: &ActorError) -> impl Future<Output = ()> + Send {
        let _ = reason;
        async {}
    }

    /// Runs before supervision resumes the actor after a failure.
    fn before_resume(&mut self, reason: &ActorError) -> impl Future<Output = ()> + Send {
        let _ = reason;
        async {}
    }

    /// How this actor supervises the actors whose supervisor it is: its decider, intensity,
    /// period and scope (see [`SupervisionStrategy::deciding`]). Called once for each instance,
    /// right after it is built, in its own task (so `self.logger()` and the like work here and
    /// may be captured by the decider).
    fn supervision_strategy(&self) -> SupervisionStrategy {
        SupervisionStrategy::default()
    }

    /// The running actor's [`Environment`].
    #[track_caller]
    fn environment(&self) -> Environment {
        Environment::current()
    }

    /// The actor's address.
    #[track_caller]
    fn address(&self) -> Address {
        Environment::current().address()
    }

    /// The stage the actor lives on. Use it and let it go: a `Stage` kept in the actor's own
    /// state keeps the stage open until someone calls [`Stage::close`] (see [`Stage`]'s
    /// "Lifetime").
    #[track_caller]
    fn stage(&self) -> Stage {
        Environment::current().stage()
    }

    /// The actor's logger (events with the target `domo_actors::logger`, in the actor's span).
    /// `tracing`'s own macros work too, inside handlers and hooks, with your module as the
    /// target: see [`Logger`].
    #[track_caller]
    fn logger(&self) -> Logger {
        Environment::current().logger()
    }

    /// The actor's parent.
    #[track_caller]
    fn parent(&self) -> Option<ActorRef> {
        Environment::current().parent()
    }

    /// The actor's live children, in creation order.
    #[track_caller]
    fn children(&self) -> Vec<ActorRef> {
        Environment::current().children()
    }

    /// The execution context of the message being handled.
    #[track_caller]
    fn execution_context(&self) -> ExecutionContext {
        Environment::current().execution_context().clone()
    }

    /// The definition this actor was built from.
    #[track_caller]
    fn definition(&self) -> Definition<Self> {
        Environment::current().definition::<Self>()
    }

    /// A proxy onto this actor's own mailbox, for ordered self-sends. See
    /// [`Environment::self_as`].
    #[track_caller]
    fn self_as<P: Protocol>(&self) -> P {
        Environment::current().self_as::<P>()
    }

    /// Creates a child of this actor.
    #[track_caller]
    fn child_actor_for<P, C>(&self, definition: Definition<C>) -> Result<P, ActorError>
    where
        P: Protocols,
        C: Actor,
        P::Mailbox: Deliver<C>,
    {
        Environment::current().child_actor_for(definition)
    }

    /// Stops this actor right after the current message. See [`Environment::stop`].
    #[track_caller]
    fn stop(&self) {
        Environment::current().stop()
    }

    /// Watches `actor`: once it has stopped, `tell` sends this actor (through a proxy of its
    /// protocol `P`) a message saying who stopped and why. See [`Environment::watch`].
    #[track_caller]
    fn watch<P: Protocol>(
        &self,
        actor: &ActorRef,
        tell: impl FnOnce(&P, Address, TerminationReason) + Send + 'static,
    ) {
        Environment::current().watch(actor, tell)
    }

    /// Stops watching `actor`. See [`Environment::unwatch`].
    #[track_caller]
    fn unwatch(&self, actor: &ActorRef) -> bool {
        Environment::current().unwatch(actor)
    }
}
