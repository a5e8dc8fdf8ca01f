//! `Topic`: typed publish/subscribe, fanning items out to actors and streams.
//!
//! A topic is a plain shared structure, not an actor: its subscriber list sits behind a lock,
//! copied on write (as the dead letters' listeners), and a publish takes a snapshot of it and
//! hands the item to each subscriber in the publisher's own call, with no lock held. An actor
//! subscriber's item goes straight into the actor's mailbox through its proxy, so the mailbox
//! *is* that subscriber's buffer: bounded with an overflow policy if the actor was created so,
//! and an actor that has stopped dead-letters what it is sent or had queued, as for any other
//! message. The topic keeps no queue of its own for an actor. A topic that were an actor would
//! add a hop and a mailbox of its own (an unbounded buffer in front of the bounded ones) to
//! every item, and order per publisher holds without one: a publish enqueues into every
//! subscriber before it returns.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::streams::subscription::SubscriptionId;
use crate::streams::topic_stream::{Report, StreamSubscriber, TopicStream, topic_stream};
use crate::{Address, DeadLetters, DeferredPromise, OverflowPolicy, Protocol};

/// A typed topic: publishers [`publish`](Self::publish) items of type `T`, and each subscriber
/// gets each item, in the order its publisher published them. Actors and code that is not an
/// actor can do both.
///
/// * **An actor subscribes** with a proxy and the call to make with each item:
///   `topic.subscribe(&board, |board, price| board.on_price(price))`. The item goes into the
///   actor's mailbox as that call: a bounded mailbox applies its
///   [`OverflowPolicy`] (a slow subscriber created with
///   [`MailboxConfig::bounded`](crate::MailboxConfig::bounded)`(n, DropOldest)` sees the newest
///   items), and what it drops is a dead letter.
/// * **Other code subscribes** with [`subscribe_stream`](Self::subscribe_stream): a
///   [`TopicStream`], a `futures::Stream` with a bounded buffer of its own.
/// * **Order.** A publish hands the item to every subscriber before it returns, so each
///   subscriber gets one publisher's items in the order they were published. Items of
///   publishers that publish at the same time may reach two subscribers in different orders.
/// * **A stopped subscriber is removed**, at the first publish after it stopped (or the next
///   [`subscriber_count`](Self::subscriber_count)). Nothing is lost silently: the items
///   queued in its mailbox when it stopped, and the one that found it stopped, are dead letters
///   ([`DeadLetterReason::ActorStopped`](crate::DeadLetterReason::ActorStopped)), as any
///   message to a stopped actor.
/// * A publisher never waits: a full subscriber drops by its policy instead. What a stream
///   subscriber drops is counted, and reported as dead letters too on a topic made
///   [`with_dead_letters`](Self::with_dead_letters).
///
/// Cloning a topic is cheap: every clone publishes to the same subscribers. Share one between
/// actors through their state, a registered value
/// ([`Stage::register_value`](crate::Stage::register_value)), or a message.
///
/// ```
/// use domo_actors::{actor_protocol, Actor, Definition, Stage, Topic};
///
/// #[actor_protocol]
/// pub trait Board {
///     async fn on_price(&mut self, price: u64);
///     async fn prices(&self) -> Vec<u64>;
/// }
///
/// #[derive(Actor, Default)]
/// struct BoardActor(Vec<u64>);
///
/// impl Board for BoardActor {
///     async fn on_price(&mut self, price: u64) {
///         self.0.push(price);
///     }
///     async fn prices(&self) -> Vec<u64> {
///         self.0.clone()
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let board: BoardProxy = stage.actor_for(Definition::new(BoardActor::default)).unwrap();
///
/// let prices = Topic::new();
/// prices.subscribe(&board, |board, price| board.on_price(price));
/// prices.publish(101);
/// prices.publish(102);
/// assert_eq!(board.prices().await, [101, 102]);
/// # stage.close().await;
/// # }
/// ```
pub struct Topic<T> {
    inner: Arc<Inner<T>>,
}

struct Inner<T> {
    /// Replaced wholesale on every change, so a publish iterates a snapshot with no lock held.
    subscribers: Mutex<Arc<[Entry<T>]>>,
    next_id: AtomicU64,
    /// Where stream subscribers report what they lose, and how an item reads there
    /// ([`Topic::with_dead_letters`]).
    dead_letters: Option<Reporting<T>>,
}

/// A topic's dead letters, and how an item reads in one.
type Reporting<T> = (DeadLetters, fn(&T) -> String);

type Entry<T> = (SubscriptionId, Arc<dyn Subscriber<T>>);

/// One subscriber: an actor behind a proxy, or a stream's buffer.
trait Subscriber<T>: Send + Sync {
    /// Hands `item` over; `false` if the subscriber is gone (and is to be removed).
    fn offer(&self, item: T) -> bool;
    /// Whether the subscriber is gone: its actor has stopped, its stream was dropped.
    fn is_gone(&self) -> bool;
}

/// An actor subscriber: a proxy and the call to make with each item.
struct ActorSubscriber<P, C> {
    proxy: P,
    call: C,
}

impl<P, T, C> Subscriber<T> for ActorSubscriber<P, C>
where
    P: Protocol,
    C: Fn(&P, T) + Send + Sync,
{
    fn offer(&self, item: T) -> bool {
        // A stopped actor dead-letters the call (and fails its promise, dropped here).
        (self.call)(&self.proxy, item);
        !self.is_gone()
    }

    fn is_gone(&self) -> bool {
        self.proxy.handle().is_stopped()
    }
}

impl<T: Send> Subscriber<T> for StreamSubscriber<T> {
    fn offer(&self, item: T) -> bool {
        StreamSubscriber::offer(self, item)
    }

    fn is_gone(&self) -> bool {
        self.is_abandoned()
    }
}

impl<T: Clone + Send + 'static> Topic<T> {
    /// A topic with no subscribers. What its stream subscribers lose is counted
    /// ([`TopicStream::dropped`]); to have it reported as dead letters too, make it
    /// [`with_dead_letters`](Self::with_dead_letters).
    pub fn new() -> Self {
        Self::made(None)
    }

    fn made(dead_letters: Option<Reporting<T>>) -> Self {
        Self {
            inner: Arc::new(Inner {
                subscribers: Mutex::new(Arc::new([])),
                next_id: AtomicU64::new(1),
                dead_letters,
            }),
        }
    }

    /// Subscribes the actor behind `proxy`: each item published from now on is sent to it as
    /// the call `call` makes (`|board, price| board.on_price(price)`). Its promise is dropped:
    /// the item is a tell, whatever the method answers.
    ///
    /// `call` runs in each publisher's call to [`publish`](Self::publish), possibly in several
    /// at once: keep it to sending the call. Subscribing the same actor twice gives it each
    /// item twice.
    pub fn subscribe<P, C, R, F>(&self, proxy: &P, call: C) -> SubscriptionId
    where
        P: Protocol,
        C: Fn(&P, T) -> DeferredPromise<R, F> + Send + Sync + 'static,
        R: 'static,
        F: 'static,
    {
        let subscriber = ActorSubscriber {
            proxy: proxy.clone(),
            call: move |proxy: &P, item: T| drop(call(proxy, item)),
        };
        self.add(|id| (Arc::new(subscriber), id))
    }

    /// Subscribes a [`TopicStream`]: a `futures::Stream` of the items published from now on,
    /// buffered up to `capacity`, the `policy` deciding which item is lost when a publish
    /// finds the buffer full.
    ///
    /// ```
    /// use domo_actors::{OverflowPolicy, Topic};
    /// use futures::StreamExt as _;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let topic = Topic::new();
    /// let mut latest = topic.subscribe_stream(2, OverflowPolicy::DropOldest);
    /// for n in 1..=5 {
    ///     topic.publish(n);
    /// }
    /// topic.unsubscribe(latest.id());
    /// assert_eq!(latest.dropped(), 3);
    /// assert_eq!(latest.by_ref().collect::<Vec<_>>().await, [4, 5]);
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// If `capacity` is 0.
    #[track_caller]
    pub fn subscribe_stream(&self, capacity: usize, policy: OverflowPolicy) -> TopicStream<T> {
        assert!(
            capacity > 0,
            "domo-actors: a topic stream's capacity must be at least 1"
        );
        let report = self
            .inner
            .dead_letters
            .as_ref()
            .map(|(dead_letters, represent)| Report {
                dead_letters: dead_letters.clone(),
                represent: *represent,
                address: Address::unique(),
            });
        self.add(|id| {
            let (stream, subscriber) = topic_stream(id, capacity, policy, report);
            (Arc::new(subscriber), stream)
        })
    }

    /// Adds the subscriber `make` makes with its id; answers what `make` answers with it.
    fn add<O>(&self, make: impl FnOnce(SubscriptionId) -> (Arc<dyn Subscriber<T>>, O)) -> O {
        let id = SubscriptionId(self.inner.next_id.fetch_add(1, Ordering::Relaxed));
        let (subscriber, out) = make(id);
        let mut subscribers = self.inner.lock();
        let updated: Arc<[Entry<T>]> = subscribers
            .iter()
            .cloned()
            .chain(std::iter::once((id, subscriber)))
            .collect();
        let previous = std::mem::replace(&mut *subscribers, updated);
        drop(subscribers);
        drop(previous);
        out
    }

    /// Removes the subscription `id`; `false` if there is none (already removed). A stream
    /// subscription ends once its buffer is empty. A publish under way on another thread may
    /// still deliver one item.
    pub fn unsubscribe(&self, id: SubscriptionId) -> bool {
        self.remove(|entry_id, _| entry_id == id) > 0
    }

    /// Removes every subscriber: stream subscriptions end once their buffers are empty.
    /// Publishing afterwards reaches nobody, until someone subscribes.
    pub fn close(&self) {
        self.remove(|_, _| true);
    }

    /// Publishes `item`: hands a clone of it to every subscriber (the last one gets `item`
    /// itself), in subscription order, before returning. Answers how many subscribers took it;
    /// a subscriber found gone (its actor stopped, its stream dropped) is removed, and does not
    /// count.
    pub fn publish(&self, item: T) -> usize {
        let snapshot = Arc::clone(&*self.inner.lock());
        let Some(((last_id, last), others)) = snapshot.split_last() else {
            return 0;
        };
        let mut gone = Vec::new();
        for (id, subscriber) in others {
            if !subscriber.offer(item.clone()) {
                gone.push(*id);
            }
        }
        if !last.offer(item) {
            gone.push(*last_id);
        }
        if !gone.is_empty() {
            self.remove(|id, _| gone.contains(&id));
        }
        snapshot.len() - gone.len()
    }

    /// How many subscribers the topic has; removes those found gone first.
    pub fn subscriber_count(&self) -> usize {
        self.remove(|_, subscriber| subscriber.is_gone());
        self.inner.lock().len()
    }

    /// Removes the entries `which` picks; answers how many. What they hold (proxies, streams'
    /// halves) is dropped after unlocking.
    fn remove(&self, which: impl Fn(SubscriptionId, &dyn Subscriber<T>) -> bool) -> usize {
        let mut subscribers = self.inner.lock();
        let before = subscribers.len();
        if !subscribers.iter().any(|(id, s)| which(*id, s.as_ref())) {
            return 0;
        }
        let kept: Arc<[Entry<T>]> = subscribers
            .iter()
            .filter(|(id, s)| !which(*id, s.as_ref()))
            .cloned()
            .collect();
        let removed = before - kept.len();
        let previous = std::mem::replace(&mut *subscribers, kept);
        drop(subscribers);
        drop(previous);
        removed
    }
}

impl<T: Clone + Send + fmt::Debug + 'static> Topic<T> {
    /// A topic with no subscribers whose stream subscribers report each item they lose to
    /// `dead_letters` (a stage's, [`Stage::dead_letters`](crate::Stage::dead_letters)), as a
    /// bounded mailbox reports what its overflow policy drops: an item their overflow policy
    /// drops ([`DroppedOldest`](crate::DeadLetterReason::DroppedOldest),
    /// [`DroppedNewest`](crate::DeadLetterReason::DroppedNewest),
    /// [`MailboxFull`](crate::DeadLetterReason::MailboxFull) for `Reject`), and an item a
    /// dropped stream never yielded
    /// ([`SubscriberDropped`](crate::DeadLetterReason::SubscriberDropped)). The dead letter
    /// reads `publish(<item as Debug>)` and carries the stream's
    /// [`address`](TopicStream::address). (Actor subscribers' dead letters are their mailboxes'
    /// and their stage's, whichever topic they subscribe to.)
    ///
    /// ```
    /// use domo_actors::{DeadLetterReason, OverflowPolicy, Stage, Topic};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let topic = Topic::with_dead_letters(stage.dead_letters());
    /// let latest = topic.subscribe_stream(1, OverflowPolicy::DropNewest);
    /// topic.publish(1);
    /// topic.publish(2); // the buffer is full: a dead letter
    /// drop(latest); // 1 was never read: a dead letter
    /// assert_eq!(stage.dead_letters().count(), 2);
    /// # stage.close().await;
    /// # }
    /// ```
    pub fn with_dead_letters(dead_letters: &DeadLetters) -> Self {
        Self::made(Some((dead_letters.clone(), |item| format!("{item:?}"))))
    }
}

impl<T> Inner<T> {
    /// No user code runs under this lock, so a poisoned one still guards consistent data.
    fn lock(&self) -> MutexGuard<'_, Arc<[Entry<T>]>> {
        self.subscribers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl<T: Clone + Send + 'static> Default for Topic<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for Topic<T> {
    /// Another handle onto the same topic.
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<T> fmt::Debug for Topic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Topic")
            .field("subscribers", &self.inner.lock().len())
            .finish()
    }
}
