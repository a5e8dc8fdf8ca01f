//! `Destination`: what a proxy's handle points at, when it is not a local mailbox of its own
//! protocol.

use std::sync::Arc;
use std::time::Duration;

use crate::answer::answer_slot::AnswerSlot;
use crate::ledger::Ticket;
use crate::runtime::actor_cell::ActorCell;
use crate::{ActorRef, Call, DeferredPromise, Message, ReplyRoute, Request};

/// Where a [`ProxyHandle`](crate::ProxyHandle)'s requests go when the actor behind it is not a
/// local actor whose mailbox speaks exactly this protocol: one protocol of a multi-protocol
/// actor (the runtime's own), or an actor elsewhere (a remote node: remoting implements this).
///
/// A destination settles every request it is given: by delivering it, or by failing its route.
pub trait Destination<C: Call>: Send + Sync + 'static {
    /// Sends `request` to the actor.
    fn send(&self, request: Request<C>);

    /// Sends the call of a `()` method and returns its promise. By default the promise waits
    /// for the answer on a route of its own; a local actor settles it through its ledger.
    fn send_unit(&self, call: C) -> DeferredPromise<()>
    where
        C::Answer: Send,
    {
        let slot = AnswerSlot::new(|_| Some(()));
        let promise = DeferredPromise::from_slot(Arc::clone(&slot) as _);
        self.send(Request::new(call, ReplyRoute::local(slot)));
        promise
    }

    /// The actor, untyped: its address, type name, stop, execution context and stats.
    fn actor(&self) -> &ActorRef;

    /// The timeout given to promises that have none, if any.
    fn default_ask_timeout(&self) -> Option<Duration> {
        None
    }
}

/// One protocol of an actor that has several: its requests are wrapped into the actor's
/// mailbox type by `embed` and queued in the one mailbox, in order with the others.
pub(crate) struct Embedded<C: Call, M> {
    cell: Arc<ActorCell<M>>,
    actor: ActorRef,
    embed: fn(Request<C>) -> M,
}

impl<C: Call<Answer: Send> + Send, M: Message> Embedded<C, M> {
    pub(crate) fn new(cell: Arc<ActorCell<M>>, embed: fn(Request<C>) -> M) -> Self {
        let actor = ActorRef::new(Arc::clone(&cell) as _);
        Self { cell, actor, embed }
    }
}

impl<C: Call<Answer: Send> + Send, M: Message> Destination<C> for Embedded<C, M> {
    fn send(&self, request: Request<C>) {
        // A refused message has been dead-lettered and its reply failed.
        let _ = self.cell.send((self.embed)(request), false);
    }

    fn send_unit(&self, call: C) -> DeferredPromise<()>
    where
        C::Answer: Send,
    {
        let method = call.method_name();
        let request = (self.embed)(Request::new(call, ReplyRoute::ledger()));
        match self.cell.send(request, true) {
            Ok(seq) => {
                DeferredPromise::from_ticket(Ticket::new(Arc::clone(&self.cell) as _, seq, method))
            }
            Err(error) => DeferredPromise::settled(Err(error)),
        }
    }

    fn actor(&self) -> &ActorRef {
        &self.actor
    }

    fn default_ask_timeout(&self) -> Option<Duration> {
        self.cell.core.stage.default_ask_timeout()
    }
}
