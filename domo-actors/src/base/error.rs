//! `ActorError`: why a message got no answer from its actor.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::{Address, OverflowPolicy};

/// Why a message got no answer from its actor.
///
/// Every [`DeferredPromise`](crate::DeferredPromise) settles: with the handler's answer, or with
/// one of these. The variants name the actor and, where there was one, the method.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ActorError {
    /// The actor had stopped, or stopped before it reached the message. The message was recorded
    /// as a dead letter.
    Stopped {
        /// The actor the message was sent to.
        address: Address,
        /// Its type name.
        type_name: Arc<str>,
        /// The protocol method that was called.
        method: &'static str,
    },
    /// The handler panicked while handling this message.
    HandlerPanicked {
        /// The actor whose handler panicked.
        address: Address,
        /// Its type name.
        type_name: Arc<str>,
        /// The protocol method whose handler panicked.
        method: &'static str,
        /// The panic message (the payload when it is a string, a placeholder otherwise).
        cause: String,
    },
    /// The actor's bounded mailbox was full and its policy is
    /// [`Reject`](OverflowPolicy::Reject): this message was refused. It was recorded as a dead
    /// letter ([`MailboxFull`](crate::DeadLetterReason::MailboxFull)); sending it again later
    /// may succeed.
    MailboxFull {
        /// The actor the message was sent to.
        address: Address,
        /// Its type name.
        type_name: Arc<str>,
        /// The protocol method that was called.
        method: &'static str,
    },
    /// The actor's bounded mailbox overflowed and its `policy` dropped this message: the
    /// incoming one under [`DropNewest`](OverflowPolicy::DropNewest), the oldest queued one
    /// under [`DropOldest`](OverflowPolicy::DropOldest). It was recorded as a dead letter
    /// ([`DroppedNewest`](crate::DeadLetterReason::DroppedNewest) or
    /// [`DroppedOldest`](crate::DeadLetterReason::DroppedOldest)). DomoActors resolves such a
    /// promise with the string "message dropped due to overflow"; here it fails.
    DroppedByOverflow {
        /// The actor the message was sent to.
        address: Address,
        /// Its type name.
        type_name: Arc<str>,
        /// The protocol method that was called.
        method: &'static str,
        /// The mailbox's policy, which chose this message.
        policy: OverflowPolicy,
    },
    /// The stage was closed: it no longer creates actors and its actors have stopped.
    StageClosed,
    /// The reply was dropped without an answer. This happens only when the tokio runtime that
    /// ran the actor shut down underneath it.
    NoReply,
    /// An actor was to be created at an address that a live actor already has.
    AddressInUse(Address),
    /// A name was to be given to an actor ([`Definition::with_name`](crate::Definition::with_name),
    /// [`Stage::register_name`](crate::Stage::register_name)) that another live actor of the
    /// stage already has. A name is free again once its actor has stopped.
    NameInUse {
        /// The name.
        name: Arc<str>,
        /// The actor that has it.
        address: Address,
    },
    /// The actor did not finish stopping within the time it was given; its mailbox was closed.
    StopTimedOut {
        /// The actor that was asked to stop.
        address: Address,
        /// Its type name.
        type_name: Arc<str>,
    },
    /// No answer arrived within the timeout the caller gave the promise
    /// ([`DeferredPromise::timeout`](crate::DeferredPromise::timeout)). The message may still be
    /// delivered and handled later; its answer is then discarded.
    TimedOut {
        /// The timeout the caller gave.
        after: Duration,
    },
    /// The tokio runtime the stage was created on has shut down: nothing can run there any
    /// more. Messages sent afterwards (and those still queued when it shut down) fail with this
    /// and become dead letters ([`RuntimeShutdown`](crate::DeadLetterReason::RuntimeShutdown));
    /// creating an actor that would start at once fails with it too.
    RuntimeShutdown,
}

impl ActorError {
    /// The address of the actor concerned, if the error names one.
    pub fn address(&self) -> Option<Address> {
        match self {
            Self::Stopped { address, .. }
            | Self::HandlerPanicked { address, .. }
            | Self::MailboxFull { address, .. }
            | Self::DroppedByOverflow { address, .. }
            | Self::StopTimedOut { address, .. } => Some(*address),
            Self::AddressInUse(address) | Self::NameInUse { address, .. } => Some(*address),
            Self::StageClosed | Self::NoReply | Self::TimedOut { .. } | Self::RuntimeShutdown => {
                None
            }
        }
    }

    /// The protocol method concerned, if the error names one.
    pub fn method(&self) -> Option<&'static str> {
        match self {
            Self::Stopped { method, .. }
            | Self::HandlerPanicked { method, .. }
            | Self::MailboxFull { method, .. }
            | Self::DroppedByOverflow { method, .. } => Some(method),
            _ => None,
        }
    }
}

impl fmt::Display for ActorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Stopped {
                address,
                type_name,
                method,
            } => write!(
                f,
                "actor {type_name} at {address} is stopped: `{method}` was not delivered"
            ),
            Self::HandlerPanicked {
                address,
                type_name,
                method,
                cause,
            } => write!(
                f,
                "actor {type_name} at {address} panicked in `{method}`: {cause}"
            ),
            Self::MailboxFull {
                address,
                type_name,
                method,
            } => write!(
                f,
                "mailbox of actor {type_name} at {address} is full: `{method}` was refused"
            ),
            Self::DroppedByOverflow {
                address,
                type_name,
                method,
                policy,
            } => write!(
                f,
                "mailbox of actor {type_name} at {address} overflowed: `{method}` was dropped \
                 ({policy})"
            ),
            Self::StageClosed => f.write_str("the stage is closed"),
            Self::AddressInUse(address) => write!(f, "address {address} is already in use"),
            Self::NameInUse { name, address } => {
                write!(
                    f,
                    "name `{name}` is already in use by the actor at {address}"
                )
            }
            Self::NoReply => f.write_str("the actor dropped the message without answering"),
            Self::StopTimedOut { address, type_name } => write!(
                f,
                "actor {type_name} at {address} did not stop in time; its mailbox was closed"
            ),
            Self::TimedOut { after } => write!(f, "no answer within {after:?}"),
            Self::RuntimeShutdown => {
                f.write_str("the tokio runtime the stage was created on has shut down")
            }
        }
    }
}

impl std::error::Error for ActorError {}

/// A handler that panicked, as reported by a dispatcher to the actor task (which then
/// applies the failure policy). The caller's promise has already been failed.
#[derive(Clone, Debug)]
pub struct HandlerFailure {
    method: &'static str,
    cause: String,
}

impl HandlerFailure {
    pub(crate) fn new(method: &'static str, cause: String) -> Self {
        Self { method, cause }
    }

    /// The protocol method whose handler failed.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The panic message.
    pub fn cause(&self) -> &str {
        &self.cause
    }
}

/// The message of a panic payload: `&str` and `String` payloads are downcast, others are named.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic payload that is not a string".to_owned()
    }
}
