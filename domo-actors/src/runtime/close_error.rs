//! `CloseError`: why [`Stage::close_within`](crate::Stage::close_within) could not close a
//! stage gracefully.

use std::fmt;
use std::time::Duration;

use crate::ActorRef;

/// Why a stage did not close gracefully. The stage is closed all the same: every actor has
/// stopped or been force-closed, and every promise has settled.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseError {
    /// Some actors had not finished stopping when the deadline passed: they were force-closed,
    /// as [`ActorRef::stop_within`] does when it times out (what they still had queued failed
    /// and became dead letters; a handler that never returns keeps running, but nothing is
    /// delivered to its actor any more).
    TimedOut {
        /// The deadline that was given.
        after: Duration,
        /// The actors that had not stopped, deepest first: the one that hung, and the
        /// ancestors that were waiting for it (the root actors are not listed).
        unstopped: Vec<ActorRef>,
    },
    /// The tokio runtime the stage was created on has shut down: its actors could not run
    /// their stop sequences, and were force-closed instead.
    RuntimeShutdown,
}

impl fmt::Display for CloseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TimedOut { after, unstopped } => {
                write!(
                    f,
                    "{} actor(s) did not stop within {after:?} and were force-closed",
                    unstopped.len()
                )?;
                for (index, actor) in unstopped.iter().enumerate() {
                    let separator = if index == 0 { ": " } else { ", " };
                    write!(f, "{separator}{} at {}", actor.type_name(), actor.address())?;
                }
                Ok(())
            }
            Self::RuntimeShutdown => {
                f.write_str("the tokio runtime the stage was created on has shut down")
            }
        }
    }
}

impl std::error::Error for CloseError {}
