//! `TopicStream`: a topic's subscriber that is a `futures::Stream`, with a bounded buffer and an
//! overflow policy.
//!
//! The buffer is shared by two halves: the stream (the consumer's) and the topic's
//! `StreamSubscriber` (the publishers'). The topic dropping its half (unsubscribe, close, the
//! topic dropped) ends the stream once the buffer is empty; the consumer dropping the stream
//! empties the buffer, and the topic lets go of its half at its next publish. A topic made
//! with dead letters reports every item a stream loses (to its overflow policy, or unread when
//! it was dropped) as a bounded mailbox reports what it drops.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use futures::Stream;

use crate::streams::subscription::SubscriptionId;
use crate::{Address, DeadLetter, DeadLetterReason, DeadLetters, OverflowPolicy};

/// A subscription to a [`Topic`](crate::Topic) as a [`Stream`] of its items, for code that is
/// not an actor: made by [`Topic::subscribe_stream`](crate::Topic::subscribe_stream).
///
/// Items wait in a buffer of the capacity asked for; when a publish finds it full, the
/// [`OverflowPolicy`] picks the item that is lost: the oldest buffered one
/// ([`DropOldest`](OverflowPolicy::DropOldest)) or the incoming one
/// ([`DropNewest`](OverflowPolicy::DropNewest), [`Reject`](OverflowPolicy::Reject)).
/// [`dropped`](Self::dropped) counts them. On a topic made
/// [`with_dead_letters`](crate::Topic::with_dead_letters), each one is also a dead letter, as
/// what a bounded mailbox drops is, and so is each item the stream never yields because it was
/// dropped ([`DeadLetterReason::SubscriberDropped`]): the buffered ones, and one published to it
/// before the topic noticed. A publisher never waits for a stream.
///
/// The stream ends (`None`) once it is unsubscribed ([`Topic::unsubscribe`](crate::Topic::unsubscribe)
/// with its [`id`](Self::id), [`Topic::close`](crate::Topic::close), or every handle of the topic
/// dropped) and its buffer is empty. Dropping it unsubscribes it.
pub struct TopicStream<T> {
    shared: Arc<Shared<T>>,
    id: SubscriptionId,
}

/// The topic's half of a [`TopicStream`]: dropping it ends the stream.
pub(crate) struct StreamSubscriber<T> {
    shared: Arc<Shared<T>>,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    capacity: usize,
    policy: OverflowPolicy,
    report: Option<Report<T>>,
}

/// Where a stream's lost items go: the dead letters of a topic made
/// [`with_dead_letters`](crate::Topic::with_dead_letters).
pub(crate) struct Report<T> {
    pub(crate) dead_letters: DeadLetters,
    /// How an item reads in a dead letter (`T: Debug` is known where the topic is made).
    pub(crate) represent: fn(&T) -> String,
    /// The stream's address in its dead letters.
    pub(crate) address: Address,
}

impl<T> Report<T> {
    fn lost(&self, items: impl IntoIterator<Item = T>, reason: DeadLetterReason) {
        let type_name = format!("TopicStream<{}>", std::any::type_name::<T>());
        let type_name: Arc<str> = type_name.into();
        for item in items {
            let representation = format!("publish({})", (self.represent)(&item));
            // The item goes first: its destructor is user code, the listeners too.
            drop(item);
            self.dead_letters.failed_delivery(DeadLetter::new(
                self.address,
                Arc::clone(&type_name),
                "publish",
                representation,
                reason,
            ));
        }
    }
}

struct State<T> {
    items: VecDeque<T>,
    /// The consumer waiting for an item.
    waker: Option<Waker>,
    /// The topic has let go of the subscription: no more items.
    ended: bool,
    /// The consumer has dropped the stream: nobody reads.
    abandoned: bool,
    dropped: u64,
}

/// A connected pair: the consumer's stream and the topic's half.
pub(crate) fn topic_stream<T>(
    id: SubscriptionId,
    capacity: usize,
    policy: OverflowPolicy,
    report: Option<Report<T>>,
) -> (TopicStream<T>, StreamSubscriber<T>) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            items: VecDeque::new(),
            waker: None,
            ended: false,
            abandoned: false,
            dropped: 0,
        }),
        capacity,
        policy,
        report,
    });
    let subscriber = StreamSubscriber {
        shared: Arc::clone(&shared),
    };
    (TopicStream { shared, id }, subscriber)
}

impl<T> Shared<T> {
    /// No user code runs under this lock, so a poisoned one still guards consistent data.
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<T> StreamSubscriber<T> {
    /// Buffers `item` (applying the overflow policy when full) and wakes the consumer; `false`
    /// once the consumer has dropped the stream. The item lost to the policy, if any, is
    /// dropped after unlocking (its destructor is user code).
    pub(crate) fn offer(&self, item: T) -> bool {
        let mut state = self.shared.lock();
        if state.abandoned {
            drop(state);
            self.lost(item, DeadLetterReason::SubscriberDropped);
            return false;
        }
        let mut lost = None;
        if state.items.len() >= self.shared.capacity {
            state.dropped += 1;
            match self.shared.policy {
                OverflowPolicy::DropOldest => {
                    lost = state.items.pop_front();
                    state.items.push_back(item);
                }
                OverflowPolicy::DropNewest | OverflowPolicy::Reject => lost = Some(item),
            }
        } else {
            state.items.push_back(item);
        }
        let waker = state.waker.take();
        drop(state);
        if let Some(lost) = lost {
            // The reasons a bounded mailbox gives for the same loss.
            let reason = match self.shared.policy {
                OverflowPolicy::DropOldest => DeadLetterReason::DroppedOldest,
                OverflowPolicy::DropNewest => DeadLetterReason::DroppedNewest,
                OverflowPolicy::Reject => DeadLetterReason::MailboxFull,
            };
            self.lost(lost, reason);
        }
        if let Some(waker) = waker {
            waker.wake();
        }
        true
    }

    /// Drops `item`, reporting it if the topic has dead letters (called with no lock held).
    fn lost(&self, item: T, reason: DeadLetterReason) {
        match &self.shared.report {
            Some(report) => report.lost([item], reason),
            None => drop(item),
        }
    }

    /// Whether the consumer has dropped the stream.
    pub(crate) fn is_abandoned(&self) -> bool {
        self.shared.lock().abandoned
    }
}

impl<T> Drop for StreamSubscriber<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.ended = true;
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> TopicStream<T> {
    /// The subscription's id, for [`Topic::unsubscribe`](crate::Topic::unsubscribe).
    pub fn id(&self) -> SubscriptionId {
        self.id
    }

    /// How many items the overflow policy has dropped so far.
    pub fn dropped(&self) -> u64 {
        self.shared.lock().dropped
    }

    /// How many items wait in the buffer.
    pub fn queued(&self) -> usize {
        self.shared.lock().items.len()
    }

    /// The buffer's capacity.
    pub fn capacity(&self) -> usize {
        self.shared.capacity
    }

    /// The address this stream's dead letters carry: `Some` on a topic made
    /// [`with_dead_letters`](crate::Topic::with_dead_letters).
    pub fn address(&self) -> Option<Address> {
        self.shared.report.as_ref().map(|report| report.address)
    }
}

impl<T> Stream for TopicStream<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = self.shared.lock();
        if let Some(item) = state.items.pop_front() {
            return Poll::Ready(Some(item));
        }
        if state.ended {
            return Poll::Ready(None);
        }
        match &mut state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            waker => *waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let state = self.shared.lock();
        (state.items.len(), state.ended.then_some(state.items.len()))
    }
}

impl<T> Drop for TopicStream<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.abandoned = true;
        let items = std::mem::take(&mut state.items);
        state.waker = None;
        drop(state);
        // Dropped after unlocking: their destructors are user code, the listeners too.
        match &self.shared.report {
            Some(report) => report.lost(items, DeadLetterReason::SubscriberDropped),
            None => drop(items),
        }
    }
}

impl<T> fmt::Debug for TopicStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.lock();
        f.debug_struct("TopicStream")
            .field("id", &self.id)
            .field("buffered", &state.items.len())
            .field("capacity", &self.shared.capacity)
            .field("policy", &self.shared.policy)
            .field("dropped", &state.dropped)
            .field("ended", &state.ended)
            .finish()
    }
}
