//! A stream into an actor (issue 17, part 1): each item becomes a call, pulled no faster than
//! the actor handles them (a window of items in flight), in order; the actor learns the
//! stream's end and its error; dropping the handle, stopping the actor or closing the stage
//! ends the pull and drops the stream.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, DEFAULT_STREAM_WINDOW, Definition, Stage, StreamEnd, TerminationReason, actor_protocol,
};
use domo_actors_suite::within;
use domo_actors_testkit::{TestDeadLettersListener, await_assert};
use futures::{Stream, StreamExt as _, stream};

/// An actor that takes numbers, slowly if asked to.
#[actor_protocol]
pub trait Sink {
    /// Records `n`, after the actor's delay.
    async fn take(&mut self, n: u64);
    /// The stream ended.
    async fn ended(&mut self);
    /// The stream failed with `error`.
    async fn failed(&mut self, error: String);
    /// What it took, in order.
    async fn seen(&self) -> Vec<u64>;
    /// Whether it was told the end, and the error it was told.
    async fn endings(&self) -> (bool, Option<String>);
}

struct SinkActor {
    delay: Duration,
    counts: Arc<Counts>,
    seen: Vec<u64>,
    ended: bool,
    error: Option<String>,
}

impl Actor for SinkActor {}

impl Sink for SinkActor {
    async fn take(&mut self, n: u64) {
        if !self.delay.is_zero() {
            // The behaviour under test: a slow actor (virtual time, on the paused clock).
            tokio::time::sleep(self.delay).await;
        }
        self.seen.push(n);
        self.counts.handled.fetch_add(1, Ordering::SeqCst);
    }

    async fn ended(&mut self) {
        self.ended = true;
    }

    async fn failed(&mut self, error: String) {
        self.error = Some(error);
    }

    async fn seen(&self) -> Vec<u64> {
        self.seen.clone()
    }

    async fn endings(&self) -> (bool, Option<String>) {
        (self.ended, self.error.clone())
    }
}

/// What the producer and the actor count: items produced, items handled, the most produced
/// and not yet handled at any time, and whether the stream was dropped.
#[derive(Default)]
struct Counts {
    produced: AtomicU64,
    handled: AtomicU64,
    max_in_flight: AtomicU64,
    stream_dropped: AtomicBool,
}

impl Counts {
    fn in_flight_max(&self) -> u64 {
        self.max_in_flight.load(Ordering::SeqCst)
    }
}

/// Sets `stream_dropped` when the stream (which owns it) is dropped.
struct DropFlag(Arc<Counts>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.stream_dropped.store(true, Ordering::SeqCst);
    }
}

fn sink(stage: &Stage, delay: Duration, counts: &Arc<Counts>) -> SinkProxy {
    let counts = Arc::clone(counts);
    stage
        .actor_for(Definition::new(move || SinkActor {
            delay,
            counts: Arc::clone(&counts),
            seen: Vec::new(),
            ended: false,
            error: None,
        }))
        .unwrap()
}

/// An endless producer of 0, 1, 2, ..., one item every `every`, counting what it produces and
/// the most items produced and not yet handled.
fn producer(counts: &Arc<Counts>, every: Duration) -> impl Stream<Item = u64> + Send + 'static {
    stream::unfold(
        (0u64, DropFlag(Arc::clone(counts))),
        move |(n, flag)| async move {
            // The behaviour under test: the producer's rate (virtual time, on the paused clock).
            tokio::time::sleep(every).await;
            let counts = &flag.0;
            let produced = counts.produced.fetch_add(1, Ordering::SeqCst) + 1;
            let in_flight = produced - counts.handled.load(Ordering::SeqCst);
            counts.max_in_flight.fetch_max(in_flight, Ordering::SeqCst);
            Some((n, (n + 1, flag)))
        },
    )
}

/// Awaits `attached` for at most an hour of the paused clock (300 items of a second each).
async fn in_virtual_hour(attached: domo_actors::AttachedStream) -> StreamEnd {
    tokio::time::timeout(Duration::from_secs(3600), attached)
        .await
        .expect("the stream ends within the hour")
}

// The producer makes an item every millisecond (tokio's timer resolution), the actor takes a
// second per item: a thousand times slower. The stream is pulled only as the actor handles items, so no more than
// the window is ever produced and not yet handled. (Paused clock: the sleeps take no time.)
#[tokio::test(start_paused = true)]
async fn a_fast_producer_never_gets_more_than_the_window_ahead_of_a_slow_actor() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::from_secs(1), &counts);
    let items = producer(&counts, Duration::from_millis(1)).take(300);

    let attached = stage.attach_stream(items, &sink, |sink, n| sink.take(n));
    assert_eq!(in_virtual_hour(attached).await, StreamEnd::Ended);

    assert_eq!(sink.seen().await, (0..300).collect::<Vec<_>>(), "in order");
    assert_eq!(counts.produced.load(Ordering::SeqCst), 300);
    assert_eq!(
        counts.in_flight_max(),
        DEFAULT_STREAM_WINDOW as u64,
        "the window is filled, never exceeded"
    );
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn the_window_can_be_set() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::from_secs(1), &counts);
    let items = producer(&counts, Duration::from_millis(1)).take(100);

    let attached = stage
        .stream_into(&sink, |sink, n| sink.take(n))
        .window(3)
        .attach(items);
    assert_eq!(in_virtual_hour(attached).await, StreamEnd::Ended);
    assert_eq!(counts.in_flight_max(), 3);
    assert_eq!(sink.seen().await.len(), 100);
    stage.close().await;
}

// Many items, no delay, two workers: every item arrives, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items_arrive_in_order() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::ZERO, &counts);

    let attached = stage
        .stream_into(&sink, |sink, n| sink.take(n))
        .window(16)
        .attach(stream::iter(0..20_000u64));
    assert_eq!(within!(attached), StreamEnd::Ended);
    assert_eq!(sink.seen().await, (0..20_000).collect::<Vec<_>>());
    stage.close().await;
}

#[tokio::test]
async fn the_actor_is_told_the_end_after_the_last_item() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::ZERO, &counts);

    let attached = stage
        .stream_into(&sink, |sink, n| sink.take(n))
        .on_end(|sink| sink.ended())
        .attach(stream::iter([1, 2, 3]));
    // Resolves once the actor has handled every item and the end.
    assert_eq!(within!(attached), StreamEnd::Ended);
    assert_eq!(sink.endings().await, (true, None));
    assert_eq!(sink.seen().await, [1, 2, 3]);
    stage.close().await;
}

#[tokio::test]
async fn an_error_is_told_in_its_place_and_ends_the_pull() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::ZERO, &counts);
    let pulled_after_error = Arc::new(AtomicBool::new(false));
    let pulled = Arc::clone(&pulled_after_error);
    let items = stream::iter([Ok(1), Ok(2), Err("boom"), Ok(3)]).inspect(move |item| {
        if *item == Ok(3) {
            pulled.store(true, Ordering::SeqCst);
        }
    });

    let attached = stage
        .stream_into(&sink, |sink, n| sink.take(n))
        .on_end(|sink| sink.ended())
        .attach_try(items, |sink, error: &str| sink.failed(error.to_owned()));
    assert_eq!(within!(attached), StreamEnd::Failed);
    assert_eq!(sink.seen().await, [1, 2]);
    assert_eq!(
        sink.endings().await,
        (false, Some("boom".to_owned())),
        "the error, not the end"
    );
    assert!(!pulled_after_error.load(Ordering::SeqCst));
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn dropping_the_handle_stops_the_pull() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::from_millis(1), &counts);
    let attached = stage.attach_stream(
        producer(&counts, Duration::from_millis(1)),
        &sink,
        |sink, n| sink.take(n),
    );

    await_assert(|| async { assert!(counts.handled.load(Ordering::SeqCst) >= 3) }).await;
    assert!(!attached.is_finished());
    drop(attached);

    await_assert(|| async { assert!(counts.stream_dropped.load(Ordering::SeqCst)) }).await;
    // What was sent before the drop is still handled; nothing more is produced.
    let produced = counts.produced.load(Ordering::SeqCst);
    await_assert(|| async {
        assert_eq!(counts.handled.load(Ordering::SeqCst), produced);
    })
    .await;
    assert!(!sink.is_stopped(), "the actor carries on");
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn stopping_the_actor_stops_the_pull() {
    let stage = Stage::new();
    let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::from_millis(1), &counts);
    let attached = stage.attach_stream(
        producer(&counts, Duration::from_millis(1)),
        &sink,
        |sink, n| sink.take(n),
    );

    await_assert(|| async { assert!(counts.handled.load(Ordering::SeqCst) >= 3) }).await;
    sink.stop().await;

    assert_eq!(
        within!(attached),
        StreamEnd::ActorStopped(TerminationReason::Stopped)
    );
    assert!(counts.stream_dropped.load(Ordering::SeqCst));
    // The items in flight when it stopped became dead letters; nothing was pulled after.
    let produced = counts.produced.load(Ordering::SeqCst);
    let handled = counts.handled.load(Ordering::SeqCst);
    assert!(produced - handled <= DEFAULT_STREAM_WINDOW as u64);
    assert_eq!(dead_letters.count() as u64, produced - handled);
    stage.close().await;
}

#[tokio::test]
async fn closing_the_stage_stops_the_pull() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::ZERO, &counts);
    let never_ends = stream::pending::<u64>();
    let flag = DropFlag(Arc::clone(&counts));
    let attached = stage.attach_stream(
        never_ends.map(move |n| {
            let _ = &flag;
            n
        }),
        &sink,
        |sink, n| sink.take(n),
    );

    stage.close().await;
    assert_eq!(
        within!(attached),
        StreamEnd::ActorStopped(TerminationReason::StageClosed)
    );
    assert!(counts.stream_dropped.load(Ordering::SeqCst));
}

#[tokio::test]
async fn a_detached_stream_runs_to_its_end() {
    let stage = Stage::new();
    let counts = Arc::new(Counts::default());
    let sink = sink(&stage, Duration::ZERO, &counts);

    stage
        .stream_into(&sink, |sink, n| sink.take(n))
        .on_end(|sink| sink.ended())
        .attach(stream::iter(0..50u64))
        .detach();
    await_assert(|| async { assert_eq!(sink.endings().await, (true, None)) }).await;
    assert_eq!(sink.seen().await, (0..50).collect::<Vec<_>>());
    stage.close().await;
}
