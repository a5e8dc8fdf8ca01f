//! `Message` and `Deliver`: what an actor's mailbox holds, and how it reaches the actor.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;

use crate::{ActorError, HandlerFailure};

/// What an actor's mailbox holds: a [`Request`](crate::Request) of its protocol, or, for an
/// actor with several protocols, a request of any one of them. Seen by the runtime without
/// knowing the actor.
///
/// Implemented by the runtime's own types only.
pub trait Message: Send + 'static {
    /// The name of the protocol method this message calls.
    fn method_name(&self) -> &'static str;

    /// The call as text, `method(arg, ...)`: arguments with `Debug` are shown, others as `_`.
    fn representation(&self) -> String;

    /// Settles the message's promise with a failure (the message will not be delivered).
    fn fail(self, error: ActorError);

    /// If `out` is an `Option<ProxyHandle<C>>` for a protocol of this mailbox, fills it with a
    /// handle onto `cell` (an `ActorCell<Self>`).
    #[doc(hidden)]
    fn find_handle(cell: &Arc<dyn Any + Send + Sync>, out: &mut dyn Any)
    where
        Self: Sized;
}

/// Delivers a mailbox's message to an actor: starts its call and, once the handler is done,
/// settles its reply route, or reports the handler's panic.
///
/// Split in two so that the actor task holds the route across the handler and awaits the
/// handler's future in its own state, inside its own `catch_unwind`: one state machine less per
/// message than a delivery future wrapping the handler's.
#[diagnostic::on_unimplemented(
    message = "`{A}` does not implement every protocol its proxies name",
    label = "this actor is missing a protocol",
    note = "implement each protocol trait of the proxies asked for on `{A}`"
)]
pub trait Deliver<A>: Message {
    /// Where the answer goes (with what a failure report needs): held by the actor task while
    /// the handler runs.
    type Route: Send;

    /// What the handler's future returns.
    type Answer: Send;

    /// Starts the call: the handler's future (the actor task catches its panic), and the
    /// route its answer takes.
    fn dispatch(
        self,
        actor: &mut A,
    ) -> (impl Future<Output = Self::Answer> + Send + '_, Self::Route);

    /// Settles `route` with the handler's answer.
    fn answer(route: Self::Route, answer: Self::Answer);

    /// The handler panicked with `payload`: fails `route` and describes the failure.
    fn panicked(route: Self::Route, payload: Box<dyn Any + Send>) -> HandlerFailure;
}
