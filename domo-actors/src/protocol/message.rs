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

/// Delivers a mailbox's message to an actor: dispatches its call, settles its reply route,
/// and reports a panicking handler to the actor task.
#[diagnostic::on_unimplemented(
    message = "`{A}` does not implement every protocol its proxies name",
    label = "this actor is missing a protocol",
    note = "implement each protocol trait of the proxies asked for on `{A}`"
)]
pub trait Deliver<A>: Message {
    /// Calls the actor and settles the message's reply route.
    fn deliver(self, actor: &mut A)
    -> impl Future<Output = Result<(), HandlerFailure>> + Send + '_;
}
