//! `Call` and `Dispatch`: a protocol's calls as plain data, and how an actor answers them.

use std::future::Future;

/// A protocol's call enum: one variant per method, holding the method's arguments and nothing
/// else (no reply half, no sender), so a call can be queued, sent elsewhere or stored.
///
/// Implemented by the `...Call` enum that `#[actor_protocol]` generates; its answers are the
/// generated `...Answer` enum, one variant per method in the same order.
///
/// `Call` asks nothing of the argument types; a mailbox needs them `Send`, which is checked
/// where a call is sent (and, for generated enums, by the macro, spanned on the argument).
pub trait Call: 'static {
    /// The protocol's answer enum: one variant per method, holding what the method returns.
    type Answer: 'static;

    /// The name of the protocol method this call invokes.
    fn method_name(&self) -> &'static str;

    /// The number of the method this call invokes (its place in the trait): cheaper to keep
    /// than its name while a handler runs, and turned back into the name by
    /// [`method_name_at`](Self::method_name_at) if the handler panics.
    #[doc(hidden)]
    fn method_index(&self) -> u32;

    /// The name of the method numbered `index` (see [`method_index`](Self::method_index)).
    #[doc(hidden)]
    fn method_name_at(index: u32) -> &'static str
    where
        Self: Sized;

    /// The call as text, `method(arg, ...)`: arguments with `Debug` are shown, others as `_`.
    fn representation(&self) -> String;
}

/// Calls an actor that implements the protocol and returns its answer: what serves a call,
/// wherever it came from (the actor's mailbox today; a remote caller or a replayed journal
/// tomorrow).
///
/// Implemented by the `...Call` enum that `#[actor_protocol]` generates, for every actor type
/// that implements the protocol trait. A panic of the handler unwinds out of the future; the
/// runtime contains it and fails the caller's promise.
#[diagnostic::on_unimplemented(
    message = "`{A}` does not implement the protocol whose calls are `{Self}`",
    label = "this actor is missing a protocol",
    note = "implement the protocol trait (the one `{Self}` was generated from) for `{A}`"
)]
pub trait Dispatch<A>: Call {
    /// Calls the method `self` names on `actor`, with `self`'s arguments.
    fn dispatch(self, actor: &mut A) -> impl Future<Output = Self::Answer> + Send + '_;
}
