//! `MailboxStats`: a snapshot of one actor's mailbox, for tests and observability.

use std::num::NonZeroUsize;

/// A snapshot of an actor's mailbox, taken at once under the mailbox's lock (so its numbers
/// agree with each other); from [`ActorRef::mailbox_stats`](crate::ActorRef::mailbox_stats) or
/// [`ProxyHandle::mailbox_stats`](crate::ProxyHandle::mailbox_stats).
///
/// The numbers move as soon as the snapshot is taken: use them to observe, not to decide whether
/// a send will fit (it may not, by the time it is made).
///
/// ```
/// use domo_actors::{actor_protocol, Actor, ActorOptions, Definition, MailboxConfig, OverflowPolicy, Stage};
///
/// #[actor_protocol]
/// pub trait Ping {
///     async fn ping(&mut self);
/// }
///
/// #[derive(Actor)]
/// struct Pinger;
///
/// impl Ping for Pinger {
///     async fn ping(&mut self) {}
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let options = ActorOptions::new().with_mailbox(MailboxConfig::bounded(8, OverflowPolicy::Reject));
/// let pinger: PingProxy = stage.actor_for_with(Definition::new(|| Pinger), options).unwrap();
/// pinger.ping().await;
/// let stats = pinger.actor_ref().mailbox_stats();
/// assert_eq!((stats.queued(), stats.capacity().map(|c| c.get()), stats.dropped_count()), (0, Some(8), 0));
/// stage.close().await;
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailboxStats {
    queued: usize,
    capacity: Option<NonZeroUsize>,
    dropped: u64,
}

impl MailboxStats {
    pub(crate) fn new(queued: usize, capacity: Option<NonZeroUsize>, dropped: u64) -> Self {
        Self {
            queued,
            capacity,
            dropped,
        }
    }

    /// How many protocol messages wait in the queue (DomoActors' `size()`): not the one being
    /// handled, nor stop requests and supervision envelopes.
    pub fn queued(&self) -> usize {
        self.queued
    }

    /// The capacity of a bounded mailbox (DomoActors' `getCapacity()`); `None` if unbounded.
    pub fn capacity(&self) -> Option<NonZeroUsize> {
        self.capacity
    }

    /// How many messages the overflow policy has dropped or refused since the actor was created
    /// (DomoActors' `droppedMessageCount()`): always 0 for an unbounded mailbox. Messages
    /// refused because the actor had stopped do not count.
    pub fn dropped_count(&self) -> u64 {
        self.dropped
    }

    /// Whether a bounded mailbox held `capacity` queued messages: the next send would overflow
    /// (DomoActors' `isFull()`). Always `false` for an unbounded mailbox.
    pub fn is_full(&self) -> bool {
        self.capacity
            .is_some_and(|capacity| self.queued >= capacity.get())
    }
}
