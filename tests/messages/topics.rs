//! Topics (issue 17, part 3): publish fans out to actors and streams, in order per publisher; a
//! stopped subscriber is removed and what it was sent becomes dead letters; a subscriber's
//! buffer is bounded by its overflow policy (an actor's mailbox, a stream's buffer), and what a
//! stream loses is a dead letter on a topic made with dead letters; unsubscribing stops the
//! items.

use std::collections::HashMap;

use domo_actors::{
    Actor, ActorOptions, DeadLetterReason, Definition, MailboxConfig, OverflowPolicy, Stage, Topic,
    actor_protocol,
};
use domo_actors_suite::within;
use domo_actors_testkit::TestDeadLettersListener;
use futures::StreamExt as _;

/// An item: who published it, and its number in that publisher's sequence.
type Item = (usize, u64);

/// A subscriber that records what it gets.
#[actor_protocol]
pub trait Listener {
    /// One item of the topic.
    async fn on_item(&mut self, item: Item);
    /// What it got, in order.
    async fn items(&self) -> Vec<Item>;
}

#[derive(Actor, Default)]
struct ListenerActor(Vec<Item>);

impl Listener for ListenerActor {
    async fn on_item(&mut self, item: Item) {
        self.0.push(item);
    }

    async fn items(&self) -> Vec<Item> {
        self.0.clone()
    }
}

fn listener(stage: &Stage) -> ListenerProxy {
    stage
        .actor_for(Definition::new(ListenerActor::default))
        .unwrap()
}

/// Each publisher's items, in the order they arrived.
fn by_publisher(items: &[Item]) -> HashMap<usize, Vec<u64>> {
    let mut split: HashMap<usize, Vec<u64>> = HashMap::new();
    for &(publisher, n) in items {
        split.entry(publisher).or_default().push(n);
    }
    split
}

const PUBLISHERS: usize = 4;
const PER_PUBLISHER: u64 = 500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_subscriber_gets_each_publishers_items_in_order() {
    let stage = Stage::new();
    let topic: Topic<Item> = Topic::new();
    let listeners: Vec<ListenerProxy> = (0..3).map(|_| listener(&stage)).collect();
    for listener in &listeners {
        topic.subscribe(listener, |listener, item| listener.on_item(item));
    }
    let all = PUBLISHERS * PER_PUBLISHER as usize;
    let stream = topic.subscribe_stream(all, OverflowPolicy::DropOldest);

    let publishers: Vec<_> = (0..PUBLISHERS)
        .map(|publisher| {
            let topic = topic.clone();
            tokio::spawn(async move {
                for n in 0..PER_PUBLISHER {
                    assert_eq!(topic.publish((publisher, n)), 4);
                    if n % 50 == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    for publisher in publishers {
        publisher.await.unwrap();
    }
    topic.close();

    let in_order: Vec<u64> = (0..PER_PUBLISHER).collect();
    let streamed: Vec<Item> = within!(stream.collect());
    let mut received = vec![streamed];
    for listener in &listeners {
        received.push(listener.items().await);
    }
    for items in received {
        assert_eq!(items.len(), all);
        let split = by_publisher(&items);
        for publisher in 0..PUBLISHERS {
            assert_eq!(split[&publisher], in_order, "publisher {publisher}");
        }
    }
    stage.close().await;
}

#[tokio::test]
async fn a_stopped_subscriber_is_removed_and_its_items_are_dead_letters() {
    let stage = Stage::new();
    let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
    let topic: Topic<Item> = Topic::new();
    let (stays, goes) = (listener(&stage), listener(&stage));
    topic.subscribe(&stays, |listener, item| listener.on_item(item));
    topic.subscribe(&goes, |listener, item| listener.on_item(item));

    // Three items wait in its mailbox when it stops, two more are published afterwards.
    goes.actor_ref().suspend().await;
    for n in 0..3 {
        assert_eq!(topic.publish((0, n)), 2);
    }
    goes.stop().await;
    assert_eq!(topic.publish((0, 3)), 1, "found stopped and removed");
    assert_eq!(topic.subscriber_count(), 1);
    assert_eq!(topic.publish((0, 4)), 1);

    let letters = dead_letters.await_count(4).await;
    assert_eq!(letters.len(), 4, "each item it never handled, once");
    for (letter, n) in letters.iter().zip(0..) {
        assert_eq!(letter.address(), goes.address());
        assert_eq!(letter.reason(), DeadLetterReason::ActorStopped);
        assert_eq!(letter.representation(), format!("on_item((0, {n}))"));
    }
    assert_eq!(
        stays.items().await,
        (0..5).map(|n| (0, n)).collect::<Vec<_>>()
    );
    stage.close().await;
}

#[tokio::test]
async fn a_slow_subscriber_with_a_bounded_drop_oldest_mailbox_gets_the_newest() {
    let stage = Stage::new();
    let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
    let topic: Topic<Item> = Topic::new();
    let slow: ListenerProxy = stage
        .actor_for_with(
            Definition::new(ListenerActor::default),
            ActorOptions::new().with_mailbox(MailboxConfig::bounded(2, OverflowPolicy::DropOldest)),
        )
        .unwrap();
    let fast = listener(&stage);
    topic.subscribe(&slow, |listener, item| listener.on_item(item));
    topic.subscribe(&fast, |listener, item| listener.on_item(item));

    // Suspended, it takes nothing while ten items are published: as slow as can be.
    slow.actor_ref().suspend().await;
    for n in 0..10 {
        assert_eq!(
            topic.publish((0, n)),
            2,
            "a full subscriber stays subscribed"
        );
    }
    slow.actor_ref().resume().await;

    assert_eq!(slow.items().await, [(0, 8), (0, 9)]);
    assert_eq!(fast.items().await.len(), 10);
    let letters = dead_letters.await_count(8).await;
    assert!(
        letters
            .iter()
            .all(|letter| letter.reason() == DeadLetterReason::DroppedOldest)
    );
    assert_eq!(letters[0].representation(), "on_item((0, 0))");
    assert_eq!(topic.subscriber_count(), 2);
    stage.close().await;
}

#[tokio::test]
async fn a_stream_subscriber_has_a_bounded_buffer_with_an_overflow_policy() {
    let topic: Topic<u64> = Topic::new();
    let mut oldest_dropped = topic.subscribe_stream(3, OverflowPolicy::DropOldest);
    let mut newest_dropped = topic.subscribe_stream(3, OverflowPolicy::DropNewest);
    for n in 1..=5 {
        assert_eq!(topic.publish(n), 2);
    }
    assert_eq!((oldest_dropped.dropped(), newest_dropped.dropped()), (2, 2));
    assert_eq!(oldest_dropped.queued(), 3);

    assert_eq!(oldest_dropped.next().await, Some(3));
    assert_eq!(newest_dropped.next().await, Some(1));
    topic.publish(6);
    assert_eq!(
        within!(oldest_dropped.by_ref().take(3).collect::<Vec<_>>()),
        [4, 5, 6]
    );
    assert_eq!(
        within!(newest_dropped.by_ref().take(3).collect::<Vec<_>>()),
        [2, 3, 6]
    );

    // Dropping a stream unsubscribes it; dropping the topic ends the others.
    drop(newest_dropped);
    assert_eq!(topic.subscriber_count(), 1);
    assert_eq!(topic.publish(7), 1);
    drop(topic);
    assert_eq!(within!(oldest_dropped.collect::<Vec<_>>()), [7]);
}

#[tokio::test]
async fn a_stream_subscriber_reports_what_it_loses_as_dead_letters() {
    let stage = Stage::new();
    let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
    let topic: Topic<u64> = Topic::with_dead_letters(stage.dead_letters());
    let mut oldest = topic.subscribe_stream(2, OverflowPolicy::DropOldest);
    let newest = topic.subscribe_stream(2, OverflowPolicy::DropNewest);
    let rejecting = topic.subscribe_stream(2, OverflowPolicy::Reject);
    for n in 1..=3 {
        assert_eq!(topic.publish(n), 3);
    }

    // Each lost one item to its policy, with the reason a bounded mailbox gives.
    let letters = dead_letters.await_count(3).await;
    let lost: Vec<_> = letters
        .iter()
        .map(|letter| (letter.address(), letter.representation(), letter.reason()))
        .collect();
    assert_eq!(
        lost,
        [
            (
                oldest.address().unwrap(),
                "publish(1)",
                DeadLetterReason::DroppedOldest
            ),
            (
                newest.address().unwrap(),
                "publish(3)",
                DeadLetterReason::DroppedNewest
            ),
            (
                rejecting.address().unwrap(),
                "publish(3)",
                DeadLetterReason::MailboxFull
            ),
        ]
    );
    assert_eq!(letters[0].type_name(), "TopicStream<u64>");
    assert_eq!(letters[0].method(), "publish");
    assert_eq!(
        oldest.next().await,
        Some(2),
        "what it kept is read as usual"
    );

    // A stream dropped unread: its two buffered items, then the one published before the topic
    // noticed it gone.
    let newest_address = newest.address();
    drop(newest);
    assert_eq!(topic.publish(4), 2);
    let letters = dead_letters.await_count(7).await;
    assert_eq!(
        letters.len(),
        7,
        "and 4, refused by the full rejecting stream"
    );
    let unread: Vec<_> = letters[3..6]
        .iter()
        .map(|letter| {
            let representation = letter.representation().to_owned();
            (letter.address(), representation, letter.reason())
        })
        .collect();
    assert_eq!(
        unread,
        [1, 2, 4].map(|n| (
            newest_address.unwrap(),
            format!("publish({n})"),
            DeadLetterReason::SubscriberDropped
        ))
    );
    assert_eq!(topic.subscriber_count(), 2);
    drop(rejecting);
    assert_eq!(
        stage.dead_letters().count(),
        9,
        "and the rejecting stream's two"
    );
    stage.close().await;
}

#[tokio::test]
async fn a_topic_without_dead_letters_only_counts_what_streams_lose() {
    let stage = Stage::new();
    let topic: Topic<u64> = Topic::new();
    let stream = topic.subscribe_stream(1, OverflowPolicy::DropNewest);
    topic.publish(1);
    topic.publish(2);
    assert_eq!(stream.dropped(), 1);
    assert_eq!(stream.address(), None);
    drop(stream);
    topic.publish(3);
    assert_eq!(stage.dead_letters().count(), 0);
    stage.close().await;
}

#[tokio::test]
async fn a_waiting_stream_subscriber_is_woken_by_a_publish() {
    let topic: Topic<u64> = Topic::new();
    let mut stream = topic.subscribe_stream(4, OverflowPolicy::Reject);
    let publisher = topic.clone();
    let waiting = tokio::spawn(async move { stream.next().await });
    tokio::task::yield_now().await;
    publisher.publish(42);
    assert_eq!(within!(waiting).unwrap(), Some(42));
}

#[tokio::test]
async fn unsubscribing_stops_the_items() {
    let stage = Stage::new();
    let topic: Topic<Item> = Topic::new();
    let subscriber = listener(&stage);
    let id = topic.subscribe(&subscriber, |listener, item| listener.on_item(item));
    let stream = topic.subscribe_stream(8, OverflowPolicy::DropOldest);

    topic.publish((0, 1));
    assert!(topic.unsubscribe(id));
    assert!(!topic.unsubscribe(id), "once");
    assert!(topic.unsubscribe(stream.id()));
    assert_eq!(topic.publish((0, 2)), 0);
    assert_eq!(topic.subscriber_count(), 0);

    assert_eq!(subscriber.items().await, [(0, 1)]);
    // What was buffered before the unsubscribe is still read; then the stream ends.
    assert_eq!(within!(stream.collect::<Vec<_>>()), [(0, 1)]);
    stage.close().await;
}
