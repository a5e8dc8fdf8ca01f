//! The span of each delivered message, and its link to the span of whoever sent it.
//!
//! A handler runs inside `message{method=..}` (target `domo_actors::message`, debug level), a
//! child of the actor's span (`actor{type=.. id=..}`), which opens with a `received` event: the
//! message flow that `RUST_LOG=domo_actors=debug` shows. When the sender was inside a span of
//! its own (a request it serves, or the message span of the actor that sent it), the message's
//! span *follows from* it, so a request can be followed across asks and actors; a
//! `tracing-opentelemetry` layer turns that link into a span link of the trace.
//!
//! Cost: nothing is captured or created unless a subscriber enables the target at debug level.
//! A send asks `tracing` once whether it does (a cached interest: a load and a compare); the
//! sender's span then travels in the message's execution-context snapshot
//! (`ExecutionContext::linked_to`), which the actor task takes apart again before the handler
//! sees its context.

use tracing::{Level, Span};

use crate::base::logger::MESSAGE;

/// The sender's current span, to link the span of the message it is sending to; `None`
/// unless message spans are enabled and the sender is inside a span. Boxed: it travels as an
/// argument down the send path, which must stay as light as it is without it.
#[inline]
pub(crate) fn sender_span() -> Option<Box<Span>> {
    if enabled() { current_span() } else { None }
}

#[cold]
fn current_span() -> Option<Box<Span>> {
    let current = Span::current();
    (!current.is_none()).then(|| Box::new(current))
}

/// Whether message spans are enabled (a subscriber wants the target at debug level): a load
/// and a compare, once per poll of an actor task.
#[inline]
pub(crate) fn enabled() -> bool {
    tracing::enabled!(target: MESSAGE, Level::DEBUG)
}

/// The span of a message whose handler runs for `method`, following from the sender's span if
/// the message carried one, and opened with a `received` event; `None` if the subscriber turns
/// it down. Boxed, as the sender's: the actor task holds nothing larger than a word for it.
#[cold]
pub(crate) fn message_span(method: &'static str, sender: Option<&Span>) -> Option<Box<Span>> {
    let span = tracing::debug_span!(target: MESSAGE, "message", method);
    if span.is_disabled() {
        return None;
    }
    if let Some(sender) = sender {
        span.follows_from(sender);
    }
    span.in_scope(|| tracing::debug!(target: MESSAGE, "received"));
    Some(Box::new(span))
}
