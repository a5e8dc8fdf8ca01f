//! `MailboxConfig`: which kind of mailbox an actor gets.

use std::num::NonZeroUsize;

use crate::OverflowPolicy;

/// Which kind of mailbox an actor gets; chosen with
/// [`ActorOptions::with_mailbox`](crate::ActorOptions::with_mailbox).
///
/// Every kind has exactly one consumer and delivers in the order messages were queued.
///
/// ```
/// use domo_actors::{ActorOptions, MailboxConfig, OverflowPolicy};
///
/// let bounded = MailboxConfig::bounded(100, OverflowPolicy::DropOldest);
/// assert_eq!(bounded.capacity().map(|c| c.get()), Some(100));
/// assert_eq!(MailboxConfig::Unbounded.capacity(), None);
/// let options = ActorOptions::new().with_mailbox(bounded);
/// # let _ = options;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MailboxConfig {
    /// An unbounded FIFO queue (DomoActors' `ArrayMailbox`): sends never wait and never fail
    /// while the actor runs.
    #[default]
    Unbounded,
    /// A FIFO queue of at most `capacity` protocol messages (DomoActors' `BoundedMailbox`); a
    /// send to a full one applies `overflow`. Sends never wait.
    ///
    /// Only queued protocol messages count: not the one being handled, nor stop requests and
    /// supervision envelopes, which are never dropped or refused.
    Bounded {
        /// How many protocol messages may wait in the queue. Zero is impossible by type:
        /// DomoActors refuses it too ("Mailbox capacity must be positive").
        capacity: NonZeroUsize,
        /// What a send to a full mailbox does.
        overflow: OverflowPolicy,
    },
}

impl MailboxConfig {
    /// A bounded mailbox holding at most `capacity` queued protocol messages, applying
    /// `overflow` when a send finds it full.
    ///
    /// # Panics
    ///
    /// If `capacity` is zero: a mailbox must be able to hold a message (DomoActors throws
    /// "Mailbox capacity must be positive"). Build
    /// [`MailboxConfig::Bounded`] with a `NonZeroUsize` to rule it out at compile time.
    #[track_caller]
    pub const fn bounded(capacity: usize, overflow: OverflowPolicy) -> Self {
        match NonZeroUsize::new(capacity) {
            Some(capacity) => Self::Bounded { capacity, overflow },
            None => panic!("domo-actors: mailbox capacity must be positive"),
        }
    }

    /// The capacity of a bounded mailbox; `None` if unbounded.
    pub const fn capacity(&self) -> Option<NonZeroUsize> {
        match self {
            Self::Unbounded => None,
            Self::Bounded { capacity, .. } => Some(*capacity),
        }
    }

    /// The overflow policy of a bounded mailbox; `None` if unbounded.
    pub const fn overflow_policy(&self) -> Option<OverflowPolicy> {
        match self {
            Self::Unbounded => None,
            Self::Bounded { overflow, .. } => Some(*overflow),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_keeps_capacity_and_policy() {
        let config = MailboxConfig::bounded(3, OverflowPolicy::Reject);
        assert_eq!(config.capacity(), NonZeroUsize::new(3));
        assert_eq!(config.overflow_policy(), Some(OverflowPolicy::Reject));
        assert_eq!(MailboxConfig::default(), MailboxConfig::Unbounded);
        assert_eq!(MailboxConfig::Unbounded.overflow_policy(), None);
    }

    #[test]
    #[should_panic(expected = "mailbox capacity must be positive")]
    fn zero_capacity_is_refused() {
        let _ = MailboxConfig::bounded(0, OverflowPolicy::DropNewest);
    }
}
