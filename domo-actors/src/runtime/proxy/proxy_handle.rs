//! `ProxyHandle`: what a generated proxy holds: the destination of its calls.

use std::fmt;
use std::sync::Arc;

use crate::answer::answer_slot::AnswerSlot;
use crate::ledger::Ticket;
use crate::runtime::actor_cell::ActorCell;
use crate::runtime::proxy::destination::Embedded;
use crate::{
    ActorRef, Address, Call, DeferredPromise, Destination, ExecutionContext, MailboxStats, Message,
    ReplyRoute, Request,
};

/// The handle inside every generated proxy, typed by the protocol's call enum: where the
/// proxy's calls go. Cloning it clones one `Arc`.
///
/// Generated proxies forward to it; user code rarely needs it directly.
pub struct ProxyHandle<C: Call> {
    target: Target<C>,
}

/// An enum rather than a trait object, so that the common case, a local actor of one protocol,
/// sends without a virtual call (see BENCHMARKS.md, "Destinations").
enum Target<C: Call> {
    /// A local actor whose mailbox holds requests of exactly this protocol.
    Local(Arc<ActorCell<Request<C>>>),
    /// Anything else: one protocol of a multi-protocol actor, or an actor elsewhere.
    Elsewhere(Arc<dyn Destination<C>>),
}

impl<C: Call<Answer: Send> + Send> ProxyHandle<C> {
    pub(crate) fn local(cell: Arc<ActorCell<Request<C>>>) -> Self {
        Self {
            target: Target::Local(cell),
        }
    }

    /// A handle onto one protocol of the multi-protocol actor behind `cell`.
    pub(crate) fn embedded<M: Message>(
        cell: Arc<ActorCell<M>>,
        embed: fn(Request<C>) -> M,
    ) -> Self {
        Self::to(Arc::new(Embedded::new(cell, embed)))
    }

    /// A handle whose calls go to `destination`.
    pub fn to(destination: Arc<dyn Destination<C>>) -> Self {
        Self {
            target: Target::Elsewhere(destination),
        }
    }

    /// Sends `request`. If the actor has stopped, the request becomes a dead letter and its
    /// route fails with [`ActorError::Stopped`](crate::ActorError::Stopped). If the actor's
    /// bounded mailbox is full, its [`OverflowPolicy`](crate::OverflowPolicy) picks the message
    /// that loses (this one, or the oldest queued one): it becomes a dead letter and its route
    /// fails with [`ActorError::MailboxFull`](crate::ActorError::MailboxFull) or
    /// [`ActorError::DroppedByOverflow`](crate::ActorError::DroppedByOverflow).
    #[inline]
    pub fn send(&self, request: Request<C>) {
        match &self.target {
            // A refused message has been dead-lettered and its reply failed.
            Target::Local(cell) => drop(cell.send(request, false)),
            Target::Elsewhere(destination) => destination.send(request),
        }
    }

    /// Sends `call` and returns the promise of its answer, projected out of the protocol's
    /// answer enum by `project`, with the stage's default ask timeout if it has one. What
    /// generated proxy methods call.
    #[inline]
    pub fn ask<T: Send + 'static, F>(
        &self,
        call: C,
        project: fn(C::Answer) -> Option<T>,
    ) -> DeferredPromise<T, F> {
        let slot = AnswerSlot::new(project);
        let promise = DeferredPromise::from_slot(Arc::clone(&slot) as _);
        self.send(Request::new(call, ReplyRoute::local(slot)));
        self.with_default_timeout(promise)
    }

    /// Sends `call` and returns the promise of the whole answer enum: what serves a call that
    /// came from elsewhere.
    pub fn call(&self, call: C) -> DeferredPromise<C::Answer> {
        self.ask(call, Some)
    }

    /// Sends the call of a method that returns `()`, and returns its promise, with the stage's
    /// default ask timeout if it has one. What generated proxy methods returning `()` call.
    ///
    /// To a local actor, the promise is settled through the actor's ledger of sequence numbers
    /// instead of an answer slot: a tell (a promise dropped at once) allocates nothing.
    #[inline(always)]
    pub fn ask_unit(&self, call: C) -> DeferredPromise<()> {
        match &self.target {
            Target::Local(cell) => {
                // The mailbox counts the ticket as it queues the message: see `Ledger`.
                let method = call.method_name();
                let promise = match cell.send(Request::new(call, ReplyRoute::ledger()), true) {
                    Ok(seq) => DeferredPromise::from_ticket(Ticket::new(
                        Arc::clone(cell) as _,
                        seq,
                        method,
                    )),
                    Err(error) => DeferredPromise::settled(Err(error)),
                };
                cell.core.stage.with_default_timeout(promise)
            }
            Target::Elsewhere(destination) => {
                self.with_default_timeout(destination.send_unit(call))
            }
        }
    }

    #[inline]
    fn with_default_timeout<T, F>(&self, promise: DeferredPromise<T, F>) -> DeferredPromise<T, F> {
        match &self.target {
            Target::Local(cell) => cell.core.stage.with_default_timeout(promise),
            Target::Elsewhere(destination) => match destination.default_ask_timeout() {
                Some(after) => promise.with_default_timeout(after),
                None => promise,
            },
        }
    }

    /// The actor's address.
    pub fn address(&self) -> Address {
        match &self.target {
            Target::Local(cell) => cell.core.address,
            Target::Elsewhere(destination) => destination.actor().address(),
        }
    }

    /// The actor's type name.
    pub fn type_name(&self) -> &str {
        match &self.target {
            Target::Local(cell) => &cell.core.type_name,
            Target::Elsewhere(destination) => destination.actor().type_name(),
        }
    }

    /// Whether the actor has stopped.
    pub fn is_stopped(&self) -> bool {
        match &self.target {
            Target::Local(cell) => cell.mailbox.is_closed(),
            Target::Elsewhere(destination) => destination.actor().is_stopped(),
        }
    }

    /// A snapshot of the actor's persistent execution context (copied into each message sent).
    pub fn execution_context(&self) -> ExecutionContext {
        match &self.target {
            Target::Local(cell) => cell.mailbox.context(),
            Target::Elsewhere(destination) => destination.actor().execution_context(),
        }
    }

    /// Changes the actor's persistent execution context; the messages sent afterwards carry the
    /// change.
    ///
    /// `f` runs on a copy, outside the mailbox lock (so it may send to this very actor), and the
    /// copy is written back: two tasks changing one actor's context at the same moment can
    /// overwrite each other's change. The context is shared by every sender of the actor, as in
    /// DomoActors; give concurrent senders their own values with care.
    pub fn with_execution_context<R>(&self, f: impl FnOnce(&mut ExecutionContext) -> R) -> R {
        match &self.target {
            Target::Local(cell) => cell.mailbox.with_context(f),
            Target::Elsewhere(destination) => destination.actor().with_execution_context(f),
        }
    }

    /// A snapshot of the actor's mailbox: queued messages, capacity, dropped count.
    pub fn mailbox_stats(&self) -> MailboxStats {
        match &self.target {
            Target::Local(cell) => cell.mailbox.stats(),
            Target::Elsewhere(destination) => destination.actor().mailbox_stats(),
        }
    }

    /// A type-erased handle to the same actor.
    pub fn actor_ref(&self) -> ActorRef {
        match &self.target {
            Target::Local(cell) => ActorRef::new(Arc::clone(cell) as _),
            Target::Elsewhere(destination) => destination.actor().clone(),
        }
    }

    /// Asks the actor to stop after the messages already queued; resolves once it has stopped.
    /// Carries the stage's default ask timeout, as [`ActorRef::stop`] does.
    pub fn stop(&self) -> DeferredPromise<()> {
        match &self.target {
            Target::Local(cell) => self.with_default_timeout(ActorCell::stop(cell)),
            Target::Elsewhere(destination) => destination.actor().stop(),
        }
    }
}

impl<C: Call> Clone for ProxyHandle<C> {
    fn clone(&self) -> Self {
        let target = match &self.target {
            Target::Local(cell) => Target::Local(Arc::clone(cell)),
            Target::Elsewhere(destination) => Target::Elsewhere(Arc::clone(destination)),
        };
        Self { target }
    }
}

impl<C: Call<Answer: Send> + Send> fmt::Debug for ProxyHandle<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProxyHandle({} at {})", self.type_name(), self.address())
    }
}
