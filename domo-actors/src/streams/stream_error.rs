//! The errors of a stream out of an actor: how its consumer learns it was cut
//! (`StreamError`), and how its producer learns it was cancelled (`Cancelled`,
//! `TrySendError`).

use std::fmt;

use crate::{ActorError, TerminationReason};

/// Why an [`ActorStream`](crate::ActorStream) ended before its actor finished it: its last
/// item, after which it yields `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamError {
    /// The call that was to open the stream failed, with this error: the actor had stopped
    /// (the call is a dead letter), its mailbox refused the call, the handler panicked, the
    /// answer timed out. The stream never had an item.
    NotOpened(ActorError),
    /// The producing actor stopped, for this reason, before it finished the stream. The items
    /// sent before have been yielded.
    ActorStopped(TerminationReason),
    /// The actor's [`StreamSink`](crate::StreamSink) was dropped without
    /// [`finish`](crate::StreamSink::finish) while the
    /// actor kept running: a restart dropped the instance that held it, or the task feeding it
    /// ended (or panicked) early.
    SinkDropped,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::NotOpened(error) => write!(f, "the stream was not opened: {error}"),
            StreamError::ActorStopped(reason) => {
                write!(
                    f,
                    "the actor producing the stream {reason} before finishing it"
                )
            }
            StreamError::SinkDropped => {
                f.write_str("the actor dropped the stream's sink without finishing it")
            }
        }
    }
}

impl std::error::Error for StreamError {}

/// [`StreamSink::send`](crate::StreamSink::send) found the stream cancelled: its consumer
/// dropped it, or the producing actor has stopped. Gives the item back
/// ([`into_inner`](Self::into_inner)).
#[derive(Clone, PartialEq, Eq)]
pub struct Cancelled<T>(pub(crate) T);

impl<T> Cancelled<T> {
    /// The item that was not sent.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Cancelled<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Cancelled(..)")
    }
}

impl<T> fmt::Display for Cancelled<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the stream is cancelled: its consumer dropped it, or its actor stopped")
    }
}

impl<T> std::error::Error for Cancelled<T> {}

/// Why [`StreamSink::try_send`](crate::StreamSink::try_send) did not send its item, which it
/// gives back.
#[derive(Clone, PartialEq, Eq)]
pub enum TrySendError<T> {
    /// The buffer is full: the consumer is behind. [`send`](crate::StreamSink::send) would wait.
    Full(T),
    /// The stream is cancelled (see [`Cancelled`]).
    Cancelled(T),
}

impl<T> TrySendError<T> {
    /// The item that was not sent.
    pub fn into_inner(self) -> T {
        match self {
            TrySendError::Full(item) | TrySendError::Cancelled(item) => item,
        }
    }
}

impl<T> fmt::Debug for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("Full(..)"),
            TrySendError::Cancelled(_) => f.write_str("Cancelled(..)"),
        }
    }
}

impl<T> fmt::Display for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("the stream's buffer is full"),
            TrySendError::Cancelled(_) => f.write_str(
                "the stream is cancelled: its consumer dropped it, or its actor stopped",
            ),
        }
    }
}

impl<T> std::error::Error for TrySendError<T> {}
