//! The actor's drain task: builds the actor, runs its hooks, delivers its messages one at a
//! time, and runs the stop sequence.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures::FutureExt as _;
use tracing::Instrument as _;

use crate::actor_cell::ActorCell;
use crate::environment::{self, CurrentActor};
use crate::error::panic_message;
use crate::mailbox::{Envelope, Runner};
use crate::{Actor, ActorRef, Definition, Dispatch};

/// An actor's run state: parked in its mailbox while idle, owned by its drain task otherwise.
pub(crate) struct ActorRunner<A> {
    /// `None` until the first activation builds the instance inside the actor's task.
    actor: Option<A>,
    definition: Arc<Definition<A>>,
}

impl<A: Actor> ActorRunner<A> {
    pub(crate) fn new(definition: Definition<A>) -> Self {
        Self {
            actor: None,
            definition: Arc::new(definition),
        }
    }
}

impl<A, M> Runner<M> for ActorRunner<A>
where
    A: Actor,
    M: Dispatch<A>,
{
    fn activate(self: Box<Self>, cell: Arc<ActorCell<M>>) {
        let current = CurrentActor::new(
            ActorRef::new(Arc::clone(&cell) as _),
            Arc::clone(&self.definition) as Arc<dyn Any + Send + Sync>,
        );
        let span = cell.core.logger.span().clone();
        let runtime = cell.core.stage.runtime().clone();
        runtime.spawn(environment::scope(current, drain(self, cell)).instrument(span));
    }
}

/// Runs a lifecycle hook, containing a panic (logged; the lifecycle goes on).
async fn hook<M>(cell: &ActorCell<M>, name: &str, hook: impl Future<Output = ()>) {
    if let Err(payload) = AssertUnwindSafe(hook).catch_unwind().await {
        cell.core.logger.error(format_args!(
            "Actor {name}() failed: {}",
            panic_message(&*payload)
        ));
    }
}

async fn drain<A, M>(mut runner: Box<ActorRunner<A>>, cell: Arc<ActorCell<M>>)
where
    A: Actor,
    M: Dispatch<A>,
{
    if runner.actor.is_none() && !start(&mut runner, &cell).await {
        return;
    }
    // Whether the current-message context is non-empty, so that empty contexts (the common
    // case) cost no task-local access.
    let mut context_installed = false;
    loop {
        let Some((envelope, returned)) = cell.mailbox.receive_or_park(runner) else {
            return;
        };
        runner = returned;
        let actor = runner
            .actor
            .as_mut()
            .expect("a started runner holds its actor");
        match envelope {
            Envelope::Message { message, context } => {
                if context_installed || !context.is_unset() {
                    context.propagate();
                    context_installed = !context.is_unset();
                    environment::set_message_context(context);
                }
                if let Err(failure) = message.dispatch(actor).await {
                    // Until supervision decides otherwise, a failed actor keeps its state and
                    // goes on with the next message (DomoActors' default supervisor restarts the
                    // same instance, which amounts to the same).
                    cell.core.logger.error(format_args!(
                        "Message processing failed: `{}` panicked: {}",
                        failure.method(),
                        failure.cause()
                    ));
                }
                if context_installed {
                    environment::set_message_context(Default::default());
                    context_installed = false;
                }
                if environment::take_stop_request() {
                    stop(actor, &cell).await;
                    return;
                }
                // Yield to other tasks once the cooperative budget is spent, so a busy actor
                // cannot hold a worker thread.
                tokio::task::consume_budget().await;
            }
            Envelope::Stop { reply } => {
                // Answered with the others once the stop is complete.
                if let Err(reply) = cell.core.await_stopped(reply) {
                    reply.resolve(());
                }
                stop(actor, &cell).await;
                return;
            }
        }
    }
}

/// Builds the instance and runs the start hooks. `false` if the instance could not be built
/// (the actor is then stopped).
async fn start<A, M>(runner: &mut ActorRunner<A>, cell: &Arc<ActorCell<M>>) -> bool
where
    A: Actor,
    M: Dispatch<A>,
{
    let definition = Arc::clone(&runner.definition);
    match std::panic::catch_unwind(AssertUnwindSafe(|| definition.instantiate())) {
        Ok(actor) => {
            let actor = runner.actor.insert(actor);
            hook(cell, "beforeStart", actor.before_start()).await;
            hook(cell, "start", actor.start()).await;
            true
        }
        Err(payload) => {
            cell.core.logger.error(format_args!(
                "Actor could not be built, stopping it: {}",
                panic_message(&*payload)
            ));
            cell.core.close_children();
            let pending = cell.mailbox.close();
            cell.reject_all(pending);
            leave(cell);
            cell.core.finish_stopping();
            false
        }
    }
}

/// The stop sequence (see [`Actor`]'s lifecycle).
async fn stop<A, M>(actor: &mut A, cell: &Arc<ActorCell<M>>)
where
    A: Actor,
    M: Dispatch<A>,
{
    hook(cell, "beforeStop", actor.before_stop()).await;
    // Close first, so that a child awaiting an answer from this actor fails fast instead of
    // waiting for a parent that is itself waiting for the child to stop.
    let pending = cell.mailbox.close();
    cell.reject_all(pending);
    for child in cell.core.close_children() {
        if let Err(error) = child.stop().result().await {
            cell.core
                .logger
                .warn(format_args!("Failed to stop child actor: {error}"));
        }
    }
    leave(cell);
    cell.core.logger.debug("stop()");
    hook(cell, "afterStop", actor.after_stop()).await;
    cell.core.finish_stopping();
}

/// Removes the actor from its parent's children and from the directory.
fn leave<M>(cell: &ActorCell<M>) {
    if let Some(parent) = &cell.core.parent {
        parent.core().remove_child(&cell.core);
    }
    cell.core.stage.directory().remove(&cell.core.address);
}
