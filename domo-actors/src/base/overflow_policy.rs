//! `OverflowPolicy`: what a full bounded mailbox does with one more message.

use std::fmt;

/// What a full bounded mailbox ([`MailboxConfig::Bounded`](crate::MailboxConfig::Bounded)) does
/// when one more protocol message is sent to it (DomoActors' `OverflowPolicy`).
///
/// The mailbox is full when it holds `capacity` queued protocol messages. The message the actor
/// is handling does not count (it has left the queue), so a busy actor has at most
/// `capacity + 1` messages outstanding. Stop requests and supervision envelopes never count and
/// are never dropped or refused: a full mailbox can always be stopped.
///
/// Unlike DomoActors, nothing vanishes: whichever message loses is recorded in
/// [`DeadLetters`](crate::DeadLetters) with its [`DeadLetterReason`](crate::DeadLetterReason),
/// and its promise fails with an [`ActorError`](crate::ActorError), so its caller knows.
///
/// | policy | message that loses | dead-letter reason | its promise fails with |
/// |---|---|---|---|
/// | `DropOldest` | the oldest queued message | `DroppedOldest` | `DroppedByOverflow` |
/// | `DropNewest` | the incoming message | `DroppedNewest` | `DroppedByOverflow` |
/// | `Reject` | the incoming message | `MailboxFull` | `MailboxFull` |
///
/// ```
/// use domo_actors::OverflowPolicy;
///
/// assert_eq!(OverflowPolicy::DropOldest.to_string(), "drop oldest");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OverflowPolicy {
    /// Evicts the oldest queued protocol message to make room for the incoming one: the actor
    /// sees the most recent messages (latest-value streams, sensor readings).
    DropOldest,
    /// Drops the incoming message: the actor finishes what it was given first.
    DropNewest,
    /// Refuses the incoming message, like `DropNewest`, but reported as a full mailbox
    /// ([`ActorError::MailboxFull`](crate::ActorError::MailboxFull)): for callers that treat
    /// it as back-pressure and retry later.
    Reject,
}

impl fmt::Display for OverflowPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OverflowPolicy::DropOldest => "drop oldest",
            OverflowPolicy::DropNewest => "drop newest",
            OverflowPolicy::Reject => "reject",
        })
    }
}
