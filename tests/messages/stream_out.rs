//! A stream out of an actor (issue 17, part 2): a protocol method answers an `ActorStream<T>`;
//! the actor feeds its `StreamSink` from a task or from later messages, no faster than the
//! consumer reads (a bounded buffer), in order. The consumer dropping the stream cancels the
//! sink, and the actor learns of it; the actor stopping (or losing the sink) ends the stream
//! with a typed error, never a hang; a call to a stopped actor gives a stream holding the error.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorStream, Definition, Stage, StreamError, StreamSink, TerminationReason,
    TrySendError, actor_protocol,
};
use domo_actors_suite::within;
use domo_actors_testkit::{TestDeadLettersListener, await_assert};
use futures::{StreamExt as _, TryStreamExt as _};
use tokio::sync::Notify;

/// What a push to the stream kept in the actor's state did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pushed {
    Sent,
    Full,
    /// The consumer has gone: the actor let go of the sink.
    Cancelled,
    NoStream,
}

/// An actor that produces numbers: from a task it spawns, or from its own messages.
#[actor_protocol]
pub trait Feed {
    /// `1..=n` (or without end, for `None`), fed by a task into a buffer of `capacity`.
    async fn numbers(&self, n: Option<u64>, capacity: usize) -> ActorStream<u64>;
    /// `1`, then nothing: the task feeding it holds the sink until `Counts::release`, then
    /// records whether the stream was cancelled.
    async fn one_then_wait(&self) -> ActorStream<u64>;
    /// A stream kept in the actor's state, fed by `push`.
    async fn open(&mut self, capacity: usize) -> ActorStream<u64>;
    /// Pushes `n` to the kept stream, without waiting.
    async fn push(&mut self, n: u64) -> Pushed;
    /// Ends the kept stream.
    async fn finish(&mut self);
    /// Panics (a restart follows: the instance, and the sink it keeps, is dropped).
    async fn fail(&mut self);
    /// A producer task found its stream cancelled (told by the task).
    async fn producer_cancelled(&mut self, sent: u64);
    /// What `producer_cancelled` was told, in order.
    async fn cancellations(&self) -> Vec<u64>;
}

/// What the producer tasks record.
#[derive(Default)]
struct Counts {
    /// Items the tasks have sent (accepted into the buffer).
    sent: AtomicU64,
    /// Sends that failed: the stream was cancelled.
    send_failures: AtomicU64,
    /// Lets the task of `one_then_wait` go on.
    release: Notify,
    /// The task of `one_then_wait` found its stream cancelled.
    saw_cancel: AtomicBool,
}

struct FeedActor {
    counts: Arc<Counts>,
    kept: Option<StreamSink<u64>>,
    cancellations: Vec<u64>,
}

impl Actor for FeedActor {}

impl Feed for FeedActor {
    async fn numbers(&self, n: Option<u64>, capacity: usize) -> ActorStream<u64> {
        let (sink, stream) = ActorStream::channel(capacity);
        let (counts, me) = (Arc::clone(&self.counts), self.self_as::<FeedProxy>());
        tokio::spawn(async move {
            for i in 1..=n.unwrap_or(u64::MAX) {
                if sink.send(i).await.is_err() {
                    counts.send_failures.fetch_add(1, Ordering::SeqCst);
                    me.producer_cancelled(i - 1);
                    return;
                }
                counts.sent.fetch_add(1, Ordering::SeqCst);
            }
            sink.finish();
        });
        stream
    }

    async fn one_then_wait(&self) -> ActorStream<u64> {
        let (sink, stream) = ActorStream::channel(1);
        let counts = Arc::clone(&self.counts);
        tokio::spawn(async move {
            if sink.send(1).await.is_ok() {
                counts.release.notified().await;
                let cancelled = sink.is_cancelled();
                counts.saw_cancel.store(cancelled, Ordering::SeqCst);
            }
        });
        stream
    }

    async fn open(&mut self, capacity: usize) -> ActorStream<u64> {
        let (sink, stream) = ActorStream::channel(capacity);
        self.kept = Some(sink);
        stream
    }

    async fn push(&mut self, n: u64) -> Pushed {
        let Some(sink) = &self.kept else {
            return Pushed::NoStream;
        };
        match sink.try_send(n) {
            Ok(()) => Pushed::Sent,
            Err(TrySendError::Full(_)) => Pushed::Full,
            Err(TrySendError::Cancelled(_)) => {
                self.kept = None;
                Pushed::Cancelled
            }
        }
    }

    async fn finish(&mut self) {
        if let Some(sink) = self.kept.take() {
            sink.finish();
        }
    }

    async fn fail(&mut self) {
        panic!("feed failed on purpose");
    }

    async fn producer_cancelled(&mut self, sent: u64) {
        self.cancellations.push(sent);
    }

    async fn cancellations(&self) -> Vec<u64> {
        self.cancellations.clone()
    }
}

fn feed(stage: &Stage) -> (FeedProxy, Arc<Counts>) {
    feed_with(stage)
}

fn feed_with(stage: &Stage) -> (FeedProxy, Arc<Counts>) {
    let counts = Arc::new(Counts::default());
    let theirs = Arc::clone(&counts);
    let feed = stage
        .actor_for(Definition::new(move || FeedActor {
            counts: Arc::clone(&theirs),
            kept: None,
            cancellations: Vec::new(),
        }))
        .unwrap();
    (feed, counts)
}

/// Returns once every task waits. On a paused clock tokio moves time forward only when nothing
/// can run, so this virtual hour ends exactly there, however fast the machine. The tests use it
/// to show that something does *not* happen (the producer sends no further than its buffer),
/// which polling with `await_assert` cannot show: it would pass before the extra send.
async fn until_idle() {
    tokio::time::sleep(Duration::from_secs(3600)).await;
}

#[tokio::test(start_paused = true)]
async fn the_producer_sends_no_further_ahead_than_the_buffer() {
    let stage = Stage::new();
    let (feed, counts) = feed(&stage);
    let mut numbers = feed.numbers(Some(100), 4).await;

    until_idle().await;
    assert_eq!(counts.sent.load(Ordering::SeqCst), 4, "the buffer is full");

    assert_eq!(numbers.next().await, Some(Ok(1)));
    assert_eq!(numbers.next().await, Some(Ok(2)));
    until_idle().await;
    assert_eq!(
        counts.sent.load(Ordering::SeqCst),
        6,
        "two read, two more sent"
    );

    let rest: Vec<u64> = numbers.try_collect().await.unwrap();
    assert_eq!(rest, (3..=100).collect::<Vec<_>>(), "in order, then `None`");
    stage.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_is_kept_through_a_small_buffer_on_threads() {
    let stage = Stage::new();
    let (feed, _) = feed(&stage);
    let numbers: Vec<u64> =
        within!(feed.numbers(Some(2_000), 3).await.try_collect()).expect("finished by the actor");
    assert_eq!(numbers, (1..=2_000).collect::<Vec<_>>());
    stage.close().await;
}

#[tokio::test]
async fn the_consumer_dropping_the_stream_cancels_the_producer_and_the_actor_learns_it() {
    let stage = Stage::new();
    let (feed, _) = feed(&stage);

    // Fed by a task: its `send` fails, and it tells the actor how far it got.
    let mut endless = feed.numbers(None, 2).await;
    assert_eq!(endless.next().await, Some(Ok(1)));
    assert_eq!(endless.next().await, Some(Ok(2)));
    drop(endless);
    await_assert(|| async {
        let told = feed.cancellations().await;
        assert_eq!(told.len(), 1, "the producer told the actor");
        assert!(told[0] >= 2, "{told:?}");
    })
    .await;

    // Kept in the actor's state: its next push finds the stream cancelled.
    let kept = feed.open(2).await;
    assert_eq!(feed.push(1).await, Pushed::Sent);
    drop(kept);
    assert_eq!(feed.push(2).await, Pushed::Cancelled);
    assert_eq!(
        feed.push(3).await,
        Pushed::NoStream,
        "it let go of the sink"
    );
    stage.close().await;
}

#[tokio::test]
async fn a_full_buffer_is_reported_to_a_producer_that_does_not_wait() {
    let stage = Stage::new();
    let (feed, _) = feed(&stage);
    let mut kept = feed.open(2).await;
    assert_eq!(feed.push(1).await, Pushed::Sent);
    assert_eq!(feed.push(2).await, Pushed::Sent);
    assert_eq!(feed.push(3).await, Pushed::Full);
    assert_eq!(kept.next().await, Some(Ok(1)));
    assert_eq!(feed.push(4).await, Pushed::Sent);
    feed.finish().await;
    assert_eq!(within!(kept.try_collect::<Vec<_>>()), Ok(vec![2, 4]));
    stage.close().await;
}

#[tokio::test]
async fn the_actor_stopping_ends_a_stream_it_keeps_with_the_typed_error() {
    let stage = Stage::new();
    let (feed, _) = feed(&stage);
    let mut kept = feed.open(4).await;
    assert_eq!(feed.push(1).await, Pushed::Sent);
    feed.stop().await;

    assert_eq!(kept.next().await, Some(Ok(1)), "what was sent comes first");
    assert_eq!(
        within!(kept.next()),
        Some(Err(StreamError::ActorStopped(TerminationReason::Stopped)))
    );
    assert_eq!(kept.next().await, None);
    stage.close().await;
}

#[tokio::test]
async fn the_actor_stopping_ends_a_stream_fed_by_a_task_and_cancels_its_sink() {
    let stage = Stage::new();
    let (feed, counts) = feed(&stage);

    // The task sends 1, then holds the sink: nothing it does ends the stream.
    let mut idle = feed.one_then_wait().await;
    assert_eq!(idle.next().await, Some(Ok(1)));
    // An endless producer whose consumer does not read: its `send` waits for room.
    let held = feed.numbers(None, 1).await;
    await_assert(|| async { assert_eq!(counts.sent.load(Ordering::SeqCst), 1) }).await;

    feed.stop().await;
    assert_eq!(
        within!(idle.next()),
        Some(Err(StreamError::ActorStopped(TerminationReason::Stopped)))
    );
    assert_eq!(idle.next().await, None);
    counts.release.notify_one();
    await_assert(|| async {
        assert!(
            counts.saw_cancel.load(Ordering::SeqCst),
            "the sink is cancelled"
        );
        assert_eq!(
            counts.send_failures.load(Ordering::SeqCst),
            1,
            "`send` gave up"
        );
    })
    .await;
    assert_eq!(
        counts.sent.load(Ordering::SeqCst),
        1,
        "nothing sent after the stop"
    );
    drop(held);

    // The stage closing ends a stream with its own reason.
    let (other, _) = feed_with(&stage);
    let mut open = other.open(1).await;
    stage.close().await;
    assert_eq!(
        within!(open.next()),
        Some(Err(StreamError::ActorStopped(
            TerminationReason::StageClosed
        )))
    );
}

#[tokio::test]
async fn finishing_is_a_plain_end_and_a_sink_lost_in_a_restart_is_an_error() {
    let stage = Stage::new();
    let (feed, _) = feed(&stage);

    let mut finished = feed.open(4).await;
    assert_eq!(feed.push(7).await, Pushed::Sent);
    feed.finish().await;
    assert_eq!(finished.next().await, Some(Ok(7)));
    assert_eq!(finished.next().await, None);

    let mut lost = feed.open(4).await;
    assert_eq!(feed.push(8).await, Pushed::Sent);
    let failed = feed.fail().result().await;
    assert!(matches!(failed, Err(ActorError::HandlerPanicked { .. })));
    assert_eq!(lost.next().await, Some(Ok(8)));
    assert_eq!(within!(lost.next()), Some(Err(StreamError::SinkDropped)));
    assert_eq!(
        feed.push(9).await,
        Pushed::NoStream,
        "restarted: a fresh instance"
    );
    stage.close().await;
}

#[tokio::test]
async fn a_call_to_a_stopped_actor_gives_a_stream_holding_the_error() {
    let stage = Stage::new();
    let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
    let (feed, _) = feed(&stage);
    feed.stop().await;

    let mut numbers = within!(feed.numbers(Some(3), 1));
    assert!(matches!(
        numbers.next().await,
        Some(Err(StreamError::NotOpened(ActorError::Stopped { .. })))
    ));
    assert_eq!(numbers.next().await, None);
    assert!(matches!(
        feed.open(1).result().await,
        Err(ActorError::Stopped { .. })
    ));
    await_assert(|| async { assert_eq!(dead_letters.count(), 2) }).await;
    stage.close().await;
}
