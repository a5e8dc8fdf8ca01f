//! `Supervised`: what a supervisor is told about an actor that failed.

use crate::{ActorError, ActorRef, Address, ExecutionContext};

/// An actor that failed, as its supervisor sees it: the actor, the error (naming the method and
/// the cause), and the execution context of the message that failed.
#[derive(Clone, Debug)]
pub struct Supervised {
    actor: ActorRef,
    error: ActorError,
    execution_context: ExecutionContext,
}

impl Supervised {
    /// Describes a failure of `actor`.
    pub fn new(actor: ActorRef, error: ActorError, execution_context: ExecutionContext) -> Self {
        Self {
            actor,
            error,
            execution_context,
        }
    }

    /// The actor that failed.
    pub fn actor(&self) -> &ActorRef {
        &self.actor
    }

    /// Its address.
    pub fn address(&self) -> Address {
        self.actor.address()
    }

    /// Why it failed.
    pub fn error(&self) -> &ActorError {
        &self.error
    }

    /// The protocol method that failed, or the lifecycle hook (`"before_start"`, `"start"`).
    pub fn method(&self) -> Option<&'static str> {
        self.error.method()
    }

    /// The execution context of the message that failed, captured when it failed (empty for a
    /// message sent without one, and for hooks).
    pub fn execution_context(&self) -> &ExecutionContext {
        &self.execution_context
    }
}
