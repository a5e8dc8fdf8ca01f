//! `Logger`: an actor's handle onto `tracing`, scoped to the actor's span; and the targets
//! and the macro of the runtime's own events.

use std::fmt::Display;
use std::panic::Location;

use tracing::Span;

/// The target of an actor's span (`actor{type=.. id=..}`, info level), which every event of
/// the actor is in: a name of its own, so that an application can keep the span on while it
/// turns the runtime's events down (`RUST_LOG=warn,domo_actors::actor=info,myapp=info`).
pub(crate) const ACTOR_SPAN: &str = "domo_actors::actor";
/// The target of the span of each delivered message (`message{method=..}`, debug level, inside
/// the actor's span) and of its `received` event: the message flow that
/// `RUST_LOG=domo_actors=debug` shows (see `message_trace.rs`).
pub(crate) const MESSAGE: &str = "domo_actors::message";
/// The target of what a [`Logger`] emits (the application's events, not the runtime's).
pub(crate) const LOGGER: &str = "domo_actors::logger";
/// The target of the runtime's lifecycle events: an actor created, stopped, a hook that failed
/// outside supervision.
pub(crate) const LIFECYCLE: &str = "domo_actors::lifecycle";
/// The target of the runtime's supervision events: directives applied, escalations.
pub(crate) const SUPERVISION: &str = "domo_actors::supervision";
/// The target of the scheduler's events: a task scheduled after the stage closed, a scheduled
/// task that panicked.
pub(crate) const SCHEDULER: &str = "domo_actors::scheduler";
/// The target of every dead letter (warn level), with its fields.
pub(crate) const DEAD_LETTERS: &str = "domo_actors::dead_letters";
/// The target of the report of a panic that the runtime contained (in a handler, a hook, or
/// other user code it calls): one event per panic, at error level (see `panic_site.rs`).
pub(crate) const PANIC: &str = "domo_actors::panic";

/// Emits a runtime event (`tracing::event!` arguments: target, level, fields, message) inside
/// `logger`'s span, entered as the actor's task enters it, so that span filters
/// (`RUST_LOG="[actor{type=Account}]=debug"`) see it as they see the actor's other events.
macro_rules! actor_event {
    ($logger:expr, $($event:tt)+) => {
        $logger.span().in_scope(|| ::tracing::event!($($event)+))
    };
}
pub(crate) use actor_event;

/// Logs on behalf of an actor (or of the stage): every event is emitted inside the logger's
/// span, which for an actor carries its `type` and short `id` ([`Address::short`]), so
/// subscribers can filter and group by actor.
///
/// Its events have the target `domo_actors::logger`, whichever module calls it (a method cannot
/// know its caller's module; the runtime's own events have targets of their own), and carry
/// the call's place as a `location` field (`src/teller.rs:42:9`: the event's own file and line
/// are this module's, as for any method that emits events): enable them
/// with `RUST_LOG=domo_actors::logger=info`, and the actor's span (target `domo_actors::actor`,
/// info) with them. To have an actor's events under your own crate's target
/// (`RUST_LOG=myapp=info`), use `tracing`'s macros directly: inside a handler or a hook the
/// actor's span is already entered, so `tracing::info!(..)` carries the same context, with
/// structured fields; elsewhere (a task the actor spawned), give the span as the parent:
/// `tracing::info!(parent: logger.span(), ..)`. See the
/// [observability guide](crate::guide::observability).
///
/// ```
/// use domo_actors::Logger;
///
/// let logger = Logger::stage();
/// logger.info(format_args!("{} actors started", 3));
/// logger.warn("running low on coffee");
/// tracing::info!(parent: logger.span(), cups = 3, "coffee made");
/// ```
///
/// [`Address::short`]: crate::Address::short
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

    /// Emits `message` at debug level (target `domo_actors::logger`), with the caller's
    /// `location` (file:line:column).
    #[track_caller]
    pub fn debug(&self, message: impl Display) {
        let location = Location::caller();
        self.span
            .in_scope(|| tracing::debug!(target: LOGGER, %location, "{message}"))
    }

    /// Emits `message` at info level (target `domo_actors::logger`), with the caller's
    /// `location` (file:line:column).
    #[track_caller]
    pub fn info(&self, message: impl Display) {
        let location = Location::caller();
        self.span
            .in_scope(|| tracing::info!(target: LOGGER, %location, "{message}"))
    }

    /// Emits `message` at warn level (target `domo_actors::logger`), with the caller's
    /// `location` (file:line:column).
    #[track_caller]
    pub fn warn(&self, message: impl Display) {
        let location = Location::caller();
        self.span
            .in_scope(|| tracing::warn!(target: LOGGER, %location, "{message}"))
    }

    /// Emits `message` at error level (target `domo_actors::logger`), with the caller's
    /// `location` (file:line:column).
    #[track_caller]
    pub fn error(&self, message: impl Display) {
        let location = Location::caller();
        self.span
            .in_scope(|| tracing::error!(target: LOGGER, %location, "{message}"))
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
        let logger =
            Logger::new(tracing::info_span!("actor", r#type = "Counter", id = %address.short()));
        logger.debug("d");
        logger.info(format_args!("i {}", 1));
        logger.warn(String::from("w"));
        logger.error(42);
        assert!(Logger::default().span().is_none());
        let cloned = logger.clone();
        assert_eq!(cloned.span().id(), logger.span().id());
    }
}
