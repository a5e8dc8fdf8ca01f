//! `Environment`: what an actor can reach of the runtime while it runs: its address, stage,
//! parent and children, the current message's execution context, a proxy to itself.
//!
//! Protocol methods take only `&mut self`, so the runtime cannot pass a context argument.
//! Instead, the actor task carries the environment in a tokio task-local, which the
//! [`Actor`](crate::Actor) trait's provided methods read.

use std::any::Any;
use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;

use crate::base::error::HandlerFailure;
use crate::{
    Actor, ActorError, ActorOptions, ActorRef, Address, Definition, Deliver, ExecutionContext,
    Logger, Protocol, Protocols, Stage,
};

/// The task-local state of the actor whose actor task is running.
pub(crate) struct CurrentActor {
    actor: ActorRef,
    definition: Arc<dyn Any + Send + Sync>,
    message_context: RefCell<ExecutionContext>,
}

tokio::task_local! {
    static CURRENT: CurrentActor;
}

impl CurrentActor {
    pub(crate) fn new(actor: ActorRef, definition: Arc<dyn Any + Send + Sync>) -> Self {
        Self {
            actor,
            definition,
            message_context: RefCell::default(),
        }
    }
}

/// Runs `future` (an actor task) with `current` as the current actor.
pub(crate) fn scope<F: Future>(
    current: CurrentActor,
    future: F,
) -> impl Future<Output = F::Output> {
    CURRENT.scope(current, future)
}

/// Runs `f` (an actor's instantiator, called when the actor is created) with `current` as the
/// current actor.
pub(crate) fn sync_scope<R>(current: CurrentActor, f: impl FnOnce() -> R) -> R {
    CURRENT.sync_scope(current, f)
}

/// The actor whose task is running, if any.
pub(crate) fn current_actor() -> Option<ActorRef> {
    CURRENT.try_with(|current| current.actor.clone()).ok()
}

/// Whether the running code is an actor's (its handlers, hooks, and what its task calls): what
/// the panic hook of `install_panic_reporting` asks, only when something panics.
pub(crate) fn in_actor() -> bool {
    CURRENT.try_with(|_| ()).is_ok()
}

/// Installs the execution context of the message about to be delivered.
pub(crate) fn set_message_context(context: ExecutionContext) {
    let _ = CURRENT.try_with(|current| *current.message_context.borrow_mut() = context);
}

/// The error a caller sees when the current actor's handler panicked.
pub(crate) fn handler_panicked(failure: &HandlerFailure) -> ActorError {
    match CURRENT.try_with(|current| {
        (
            current.actor.address(),
            Arc::clone(current.actor.type_name_arc()),
        )
    }) {
        Ok((address, type_name)) => ActorError::HandlerPanicked {
            address,
            type_name,
            method: failure.method(),
            cause: failure.cause().to_owned(),
        },
        Err(_) => ActorError::HandlerPanicked {
            address: Address::from_number(0),
            type_name: Arc::from("<unknown>"),
            method: failure.method(),
            cause: failure.cause().to_owned(),
        },
    }
}

/// What an actor can reach of the runtime: a cheap handle (clone it into tasks the actor spawns).
///
/// Inside an actor, the [`Actor`] trait's provided methods (`self.address()`,
/// `self.child_actor_for(..)`, ...) are shortcuts for `Environment::current()`.
#[derive(Clone)]
pub struct Environment {
    actor: ActorRef,
    definition: Arc<dyn Any + Send + Sync>,
    message_context: ExecutionContext,
}

impl Environment {
    /// The environment of the actor whose handler or lifecycle hook is running.
    ///
    /// # Panics
    ///
    /// When called outside an actor's own task (for example from a task the actor spawned:
    /// capture `Environment::current()` before spawning instead).
    #[track_caller]
    pub fn current() -> Self {
        Self::try_current().expect(
            "domo-actors: the actor environment is only available inside the actor's own \
             handlers and lifecycle hooks",
        )
    }

    /// The environment of the running actor, or `None` outside an actor's task.
    pub fn try_current() -> Option<Self> {
        CURRENT
            .try_with(|current| Self {
                actor: current.actor.clone(),
                definition: Arc::clone(&current.definition),
                message_context: current.message_context.borrow().clone(),
            })
            .ok()
    }

    /// The actor's address.
    pub fn address(&self) -> Address {
        self.actor.address()
    }

    /// The actor's type name.
    pub fn type_name(&self) -> &str {
        self.actor.type_name()
    }

    /// The stage the actor lives on: a handle like the one [`Stage::new`] returned, which keeps
    /// the stage from closing on its own while it lives (see [`Stage`]'s "Lifetime"). Use it and
    /// drop it; an actor that keeps it in its own state keeps its stage open until someone calls
    /// [`Stage::close`].
    pub fn stage(&self) -> Stage {
        self.actor.core().stage.to_stage()
    }

    /// The actor's logger: `tracing` events (target `domo_actors::logger`) inside the actor's
    /// span, which carries its type and the short form of its address (see [`Logger`]).
    pub fn logger(&self) -> Logger {
        self.actor.core().logger.clone()
    }

    /// A type-erased handle to the actor itself.
    pub fn actor_ref(&self) -> ActorRef {
        self.actor.clone()
    }

    /// The actor's parent (the public root for top-level actors).
    pub fn parent(&self) -> Option<ActorRef> {
        self.actor.parent()
    }

    /// The actor's live children, in creation order.
    pub fn children(&self) -> Vec<ActorRef> {
        self.actor.children()
    }

    /// The execution context of the message being handled (empty in lifecycle hooks and for
    /// messages sent without context).
    pub fn execution_context(&self) -> &ExecutionContext {
        &self.message_context
    }

    /// The actor's persistent execution context, as its proxies see it.
    pub fn persistent_execution_context(&self) -> ExecutionContext {
        self.actor.execution_context()
    }

    /// The definition this actor was built from.
    ///
    /// # Panics
    ///
    /// If `A` is not the running actor's type.
    #[track_caller]
    pub fn definition<A: 'static>(&self) -> Definition<A> {
        self.definition
            .downcast_ref::<Definition<A>>()
            .expect("domo-actors: `definition::<A>()` asked for another actor type")
            .clone()
    }

    /// A new proxy onto this actor's own mailbox: messages sent through it are queued behind the
    /// current one, in order.
    ///
    /// Awaiting the answer of a self-send *inside* a handler can never complete (the answer
    /// needs the current handler to finish first); send and forget, or await it elsewhere.
    ///
    /// # Panics
    ///
    /// If the actor was not created with protocol `P`.
    #[track_caller]
    pub fn self_as<P: Protocol>(&self) -> P {
        self.actor.downcast::<P>().expect(
            "domo-actors: `self_as::<P>()` names a protocol this actor was not created with",
        )
    }

    /// Creates a child actor (its parent is this actor), with a fresh address.
    pub fn child_actor_for<P, C>(&self, definition: Definition<C>) -> Result<P, ActorError>
    where
        P: Protocols,
        C: Actor,
        P::Mailbox: Deliver<C>,
    {
        self.child_actor_for_with(definition, ActorOptions::new())
    }

    /// Creates a child actor with options (the parent is always this actor).
    pub fn child_actor_for_with<P, C>(
        &self,
        definition: Definition<C>,
        options: ActorOptions,
    ) -> Result<P, ActorError>
    where
        P: Protocols,
        C: Actor,
        P::Mailbox: Deliver<C>,
    {
        self.stage()
            .actor_for_with(definition, options.with_parent(self.actor.clone()))
    }

    /// Stops the actor. From inside its own handler the actor stops right after the current
    /// message (messages still queued then fail and become dead letters); from anywhere else
    /// (a task the actor spawned) this queues a stop behind the messages already sent.
    pub fn stop(&self) {
        let own_task = CURRENT
            .try_with(|current| {
                let own = current.actor == self.actor;
                if own {
                    self.actor.core().request_stop();
                }
                own
            })
            .unwrap_or(false);
        if !own_task {
            drop(self.actor.stop());
        }
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("actor", &self.actor)
            .finish_non_exhaustive()
    }
}
