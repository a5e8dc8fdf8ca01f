//! `Logger`: an actor's handle onto `tracing`, scoped to the actor's span.

use std::fmt::Display;

use tracing::Span;

/// Logs on behalf of an actor (or of the stage): every event is emitted inside the logger's span,
/// which for an actor carries its `address` and `type`, so subscribers can filter and group by
/// actor.
///
/// This is a thin convenience over [`tracing`]: inside a handler the actor's span is normally
/// already entered, so plain `tracing::info!` works too. Output, format and filtering are the
/// installed subscriber's business (e.g. `tracing-subscriber` with `RUST_LOG`).
///
/// ```
/// use domo_actors::Logger;
///
/// let logger = Logger::stage();
/// logger.info(format_args!("{} actors started", 3));
/// logger.warn("running low on coffee");
/// ```
#[derive(Clone, Debug)]
pub struct Logger {
    span: Span,
}

impl Logger {
    /// A logger whose events are emitted inside `span`.
    pub(crate) fn new(span: Span) -> Self {
        Self { span }
    }

    /// A logger for stage-level events: no actor span, so events carry only the caller's
    /// current span, if any.
    pub fn stage() -> Self {
        Self::new(Span::none())
    }

    /// The span events are emitted in; enter it (or `instrument` a future with it) to put your
    /// own `tracing` events in the actor's context.
    pub fn span(&self) -> &Span {
        &self.span
    }

    /// Emits `message` at debug level.
    pub fn debug(&self, message: impl Display) {
        self.span.in_scope(|| tracing::debug!("{message}"))
    }

    /// Emits `message` at info level.
    pub fn info(&self, message: impl Display) {
        self.span.in_scope(|| tracing::info!("{message}"))
    }

    /// Emits `message` at warn level.
    pub fn warn(&self, message: impl Display) {
        self.span.in_scope(|| tracing::warn!("{message}"))
    }

    /// Emits `message` at error level.
    pub fn error(&self, message: impl Display) {
        self.span.in_scope(|| tracing::error!("{message}"))
    }
}

/// The same as [`Logger::stage`].
impl Default for Logger {
    fn default() -> Self {
        Self::stage()
    }
}

#[cfg(test)]
mod tests {
    use super::Logger;
    use crate::Address;

    #[test]
    fn logs_without_a_subscriber() {
        // With no subscriber installed every call is a cheap no-op; this checks the API shape and
        // that disabled spans are handled.
        let address = Address::from_number(1);
        let logger = Logger::new(tracing::info_span!("actor", %address, r#type = "Counter"));
        logger.debug("d");
        logger.info(format_args!("i {}", 1));
        logger.warn(String::from("w"));
        logger.error(42);
        assert!(Logger::default().span().is_none());
        let cloned = logger.clone();
        assert_eq!(cloned.span().id(), logger.span().id());
    }
}
