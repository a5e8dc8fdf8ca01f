//! [`panicked`]: the one way the workspace's tests read a panic out of an `ActorError`.
//!
//! The runtime crate's test binaries include this file as a module (`#[path]`); the root
//! package's test support library (`tests/support/lib.rs`, `domo_actors_suite`) includes it
//! too and re-exports it, so both kinds of tests share one definition.

use domo_actors::ActorError;

/// The method and the cause of a panic that `outcome` reports (`ActorError::HandlerPanicked`:
/// a handler's panic, or a `before_start`/`start` hook's, with the hook as the method), or
/// `None` when it reports another error, or none.
///
/// Takes an `ActorError`, a call's `Result<T, ActorError>`, or a `try_result`'s `Option` of one:
///
/// ```ignore
/// let failed = within!(worker.fail("boom".into()).result());
/// assert_eq!(panicked(&failed), Some(("fail", "boom")));
/// ```
pub fn panicked(outcome: &impl CallOutcome) -> Option<(&'static str, &str)> {
    match outcome.actor_error()? {
        ActorError::HandlerPanicked { method, cause, .. } => Some((method, cause.as_str())),
        _ => None,
    }
}

/// What [`panicked`] looks into: something that may hold an `ActorError`.
pub trait CallOutcome {
    /// The error held, if any.
    fn actor_error(&self) -> Option<&ActorError>;
}

impl CallOutcome for ActorError {
    fn actor_error(&self) -> Option<&ActorError> {
        Some(self)
    }
}

impl<T> CallOutcome for Result<T, ActorError> {
    fn actor_error(&self) -> Option<&ActorError> {
        self.as_ref().err()
    }
}

impl<T: CallOutcome> CallOutcome for Option<T> {
    fn actor_error(&self) -> Option<&ActorError> {
        self.as_ref()?.actor_error()
    }
}
