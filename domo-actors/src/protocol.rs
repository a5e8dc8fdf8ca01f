//! The traits that `#[actor_protocol]` implements: `Protocol` for the proxy, `Message` and
//! `Dispatch` for the message enum.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;

use crate::actor_cell::ActorCell;
use crate::error::HandlerFailure;
use crate::{ActorError, ProxyHandle};

/// A protocol's proxy type: what [`Stage::actor_for`](crate::Stage::actor_for) returns.
///
/// Implemented by the `...Proxy` struct that `#[actor_protocol]` generates; not meant to be
/// implemented by hand.
pub trait Protocol: Clone + Send + Sync + 'static {
    /// The protocol's message enum (one variant per method).
    type Message: Message;

    /// The protocol's name: the trait's name. The default type name of its actors.
    const NAME: &'static str;

    /// Wraps a handle to an actor's mailbox.
    fn from_handle(handle: ProxyHandle<Self::Message>) -> Self;

    /// The handle this proxy wraps.
    fn handle(&self) -> &ProxyHandle<Self::Message>;

    /// A proxy onto the actor behind `cell`, if that actor speaks this protocol.
    #[doc(hidden)]
    fn from_any(cell: Arc<dyn Any + Send + Sync>) -> Option<Self> {
        cell.downcast::<ActorCell<Self::Message>>()
            .ok()
            .map(|cell| Self::from_handle(ProxyHandle::from_cell(cell)))
    }
}

/// A protocol's message enum, seen by the runtime without knowing the actor.
///
/// Implemented by the `...Message` enum that `#[actor_protocol]` generates.
pub trait Message: Send + 'static {
    /// The name of the protocol method this message calls.
    fn method_name(&self) -> &'static str;

    /// The call as text, `method(arg, ...)`: arguments with `Debug` are shown, others as `_`.
    fn representation(&self) -> String;

    /// Settles the message's promise with a failure (the message will not be delivered).
    fn fail(self, error: ActorError);
}

/// Delivers a message to an actor that implements the protocol: calls the actor's own method
/// and settles the promise with its answer.
///
/// Implemented by the `...Message` enum that `#[actor_protocol]` generates, for every actor type
/// that implements the protocol trait.
pub trait Dispatch<A>: Message {
    /// Calls the method on `actor`, settles the promise, and reports a panicking handler.
    fn dispatch(
        self,
        actor: &mut A,
    ) -> impl Future<Output = Result<(), HandlerFailure>> + Send + '_;
}
