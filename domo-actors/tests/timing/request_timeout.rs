//! Request timeouts: `promise.timeout(d)` fails an ask that gets no answer in time with
//! `ActorError::TimedOut`, through the promise's failure policy; an answer in time wins; the
//! late answer is discarded while the actor carries on. All on tokio's paused clock.

use std::sync::Arc;
use std::time::Duration;

use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};
use tokio::time::{Instant, sleep};

const PATIENCE: Duration = Duration::from_millis(100);

fn timed_out() -> ActorError {
    ActorError::TimedOut { after: PATIENCE }
}

#[derive(Debug, PartialEq)]
enum WorkError {
    Actor(ActorError),
}

impl From<ActorError> for WorkError {
    fn from(error: ActorError) -> Self {
        Self::Actor(error)
    }
}

#[actor_protocol]
trait Worker {
    /// Works for `millis` (tokio time), then answers `millis`.
    async fn work(&mut self, millis: u64) -> u64;
    /// The same, for a method returning `Result` (the `ErrOnFailure` policy).
    async fn try_work(&mut self, millis: u64) -> Result<u64, WorkError>;
    /// The work finished so far, in order.
    async fn done(&self) -> Vec<u64>;
}

#[derive(Actor)]
struct WorkerActor {
    done: Vec<u64>,
}

impl Worker for WorkerActor {
    async fn work(&mut self, millis: u64) -> u64 {
        sleep(Duration::from_millis(millis)).await;
        self.done.push(millis);
        millis
    }

    async fn try_work(&mut self, millis: u64) -> Result<u64, WorkError> {
        Ok(self.work(millis).await)
    }

    async fn done(&self) -> Vec<u64> {
        self.done.clone()
    }
}

fn hire(stage: &Stage) -> WorkerProxy {
    stage
        .actor_for(Definition::new(|| WorkerActor { done: Vec::new() }))
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn a_slow_answer_times_out_and_is_discarded_when_it_comes() {
    let stage = Stage::new();
    let worker = hire(&stage);
    let start = Instant::now();

    assert_eq!(
        worker.work(1_000).timeout(PATIENCE).result().await,
        Err(timed_out())
    );
    assert_eq!(start.elapsed(), PATIENCE, "it failed at the deadline");
    assert_eq!(timed_out().to_string(), "no answer within 100ms");

    // The message was delivered all the same: the actor finishes it, then carries on.
    assert_eq!(worker.done().await, [1_000]);
    assert_eq!(start.elapsed(), Duration::from_millis(1_000));
    assert_eq!(worker.work(5).await, 5);
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn an_answer_within_the_timeout_is_ok() {
    let stage = Stage::new();
    let worker = hire(&stage);
    assert_eq!(worker.work(10).timeout(PATIENCE).await, 10);
    assert_eq!(worker.work(99).timeout(PATIENCE).result().await, Ok(99));
    assert_eq!(worker.try_work(20).timeout(PATIENCE).await, Ok(20));
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_busy_actor_makes_a_quick_request_time_out() {
    let stage = Stage::new();
    let worker = hire(&stage);
    drop(worker.work(1_000)); // keeps the actor busy for a second

    let quick = worker.work(0).timeout(PATIENCE).result().await;
    assert_eq!(quick, Err(timed_out()), "queued behind the busy handler");
    assert_eq!(worker.done().await, [1_000, 0], "yet delivered in order");
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn the_result_policy_gets_the_timeout_as_its_own_error() {
    let stage = Stage::new();
    let worker = hire(&stage);
    assert_eq!(
        worker.try_work(1_000).timeout(PATIENCE).await,
        Err(WorkError::Actor(timed_out()))
    );
    stage.close().await;
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "no answer within 100ms")]
async fn plain_await_of_a_method_without_result_panics_on_timeout() {
    let stage = Stage::new();
    let worker = hire(&stage);
    let _ = worker.work(1_000).timeout(PATIENCE).await;
}

#[tokio::test(start_paused = true)]
async fn try_result_reports_the_timeout_once_the_deadline_has_passed() {
    let stage = Stage::new();
    let worker = hire(&stage);
    let mut promise = worker.work(1_000).timeout(PATIENCE);
    assert_eq!(promise.try_result(), None);

    sleep(PATIENCE).await;
    assert_eq!(promise.try_result(), Some(Err(timed_out())));
    // The late answer does not replace the failure.
    assert_eq!(worker.done().await, [1_000]);
    assert_eq!(promise.try_result(), Some(Err(timed_out())));
    assert_eq!(promise.result().await, Err(timed_out()));
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_failure_before_the_deadline_is_reported_as_itself() {
    let stage = Stage::new();
    let worker = hire(&stage);
    worker.stop().await;
    let start = Instant::now();
    assert_eq!(
        worker.work(1).timeout(PATIENCE).result().await,
        Err(ActorError::Stopped {
            address: worker.address(),
            type_name: Arc::from("Worker"),
            method: "work",
        })
    );
    assert_eq!(start.elapsed(), Duration::ZERO);
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn the_timeout_travels_into_the_future_for_combinators() {
    let stage = Stage::new();
    let (fast, slow) = (hire(&stage), hire(&stage));
    let (fast, slow) = tokio::join!(
        fast.work(10).timeout(PATIENCE).result(),
        slow.work(1_000).timeout(PATIENCE).result(),
    );
    assert_eq!((fast, slow), (Ok(10), Err(timed_out())));

    let busy = hire(&stage);
    let future = busy.try_work(1_000).timeout(PATIENCE).into_future();
    assert_eq!(future.await, Err(WorkError::Actor(timed_out())));
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn the_stage_default_bounds_every_ask_by_itself() {
    let stage = Stage::new().with_default_ask_timeout(PATIENCE);
    assert_eq!(stage.default_ask_timeout(), Some(PATIENCE));
    let worker = hire(&stage);
    assert_eq!(worker.work(10).await, 10, "an answer in time");
    let start = Instant::now();
    assert_eq!(worker.work(1_000).result().await, Err(timed_out()));
    assert_eq!(start.elapsed(), PATIENCE, "failed at the default timeout");
    // An explicit timeout replaces the default, and `None` removes it. (The worker is still
    // busy with the 1,000 ms job whose caller gave up: the next answers wait behind it.)
    assert_eq!(worker.work(300).timeout(Duration::from_secs(5)).await, 300);
    assert_eq!(worker.work(2_000).timeout(None).await, 2_000);
    stage.close().await;

    // No default: no timeout.
    let stage = Stage::new();
    assert_eq!(stage.default_ask_timeout(), None);
    let patient = hire(&stage);
    assert_eq!(patient.work(1_000).await, 1_000);
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn the_stage_default_counts_from_when_the_caller_starts_waiting() {
    let stage = Stage::new().with_default_ask_timeout(PATIENCE);
    let worker = hire(&stage);
    let promise = worker.work(50);
    // Time passes before the caller awaits: the default deadline is not yet running.
    tokio::time::advance(Duration::from_secs(10)).await;
    assert_eq!(promise.await, 50);
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_later_timeout_replaces_an_earlier_one() {
    let stage = Stage::new();
    let worker = hire(&stage);
    let start = Instant::now();
    assert_eq!(worker.work(500).timeout(PATIENCE).timeout(None).await, 500);
    assert_eq!(start.elapsed(), Duration::from_millis(500));
    assert_eq!(
        worker
            .work(500)
            .timeout(Duration::from_secs(10))
            .timeout(PATIENCE)
            .result()
            .await,
        Err(timed_out())
    );
    stage.close().await;
}
