//! `SubscriptionId`: names one subscription to a topic.

use std::fmt;

/// Names one subscription to a [`Topic`](crate::Topic): what
/// [`subscribe`](crate::Topic::subscribe) answers and [`TopicStream::id`](crate::TopicStream::id)
/// tells, for [`unsubscribe`](crate::Topic::unsubscribe). Unique within its topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubscriptionId(pub(crate) u64);

impl fmt::Display for SubscriptionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "subscription {}", self.0)
    }
}
