//! Closing a stage: every actor stops, every promise pending at the close settles, later calls
//! fail fast as dead letters (reason `StageClosed`), `actor_for` fails with
//! `ActorError::StageClosed`, and closing again is harmless.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorOptions, DeadLetterReason, Definition, Stage, actor_protocol,
};
use domo_actors_suite::{CounterActor, CounterProxy, NodeActor, NodeProxy, new_log};
use domo_actors_testkit::TestDeadLettersListener;
use tokio::sync::Semaphore;

/// A slow worker: `hold` blocks it until the gate opens, and every message yields a few times.
#[actor_protocol]
trait Slow {
    async fn hold(&mut self);
    async fn work(&mut self, n: u64);
    async fn answer(&mut self, n: u64) -> u64;
}

struct SlowActor {
    gate: Arc<Semaphore>,
    handled: Arc<AtomicUsize>,
}

impl Actor for SlowActor {}

impl SlowActor {
    async fn be_slow(&self) {
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
        self.handled.fetch_add(1, Ordering::SeqCst);
    }
}

impl Slow for SlowActor {
    async fn hold(&mut self) {
        let _permit = self.gate.acquire().await.expect("the gate is never closed");
    }

    async fn work(&mut self, _n: u64) {
        self.be_slow().await;
    }

    async fn answer(&mut self, n: u64) -> u64 {
        self.be_slow().await;
        n * 2
    }
}

fn slow_actor(stage: &Stage) -> (SlowProxy, Arc<Semaphore>, Arc<AtomicUsize>) {
    let gate = Arc::new(Semaphore::new(0));
    let handled = Arc::new(AtomicUsize::new(0));
    let (g, h) = (Arc::clone(&gate), Arc::clone(&handled));
    let slow = stage
        .actor_for(Definition::new(move || SlowActor {
            gate: Arc::clone(&g),
            handled: Arc::clone(&h),
        }))
        .unwrap();
    (slow, gate, handled)
}

#[tokio::test]
async fn close_stops_every_actor() {
    let stage = Stage::new();
    let log = new_log();
    let counters: Vec<CounterProxy> = (0..5)
        .map(|_| stage.actor_for(CounterActor::definition()).unwrap())
        .collect();
    let parent: NodeProxy = stage
        .actor_for(NodeActor::definition("parent", &log))
        .unwrap();
    let child = parent.create_child("child".into()).await;
    let grandchild = child.create_child("grandchild".into()).await;
    for counter in &counters {
        drop(counter.increment());
    }

    stage.close().await;
    assert!(stage.is_closed());
    assert!(counters.iter().all(CounterProxy::is_stopped));
    assert!(parent.is_stopped() && child.is_stopped() && grandchild.is_stopped());
    assert!(stage.public_root().is_stopped());
    assert!(stage.private_root().is_stopped());
    assert_eq!(
        stage.directory().count(),
        0,
        "every actor left the directory"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_promise_pending_at_close_settles() {
    const MESSAGES: u64 = 1_000;
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let (slow, gate, handled) = slow_actor(&stage);

    // The actor is held while the messages queue up behind `hold`.
    drop(slow.hold());
    let mut tells = Vec::new();
    let mut asks = Vec::new();
    for n in 0..MESSAGES {
        if n % 2 == 0 {
            tells.push(slow.work(n));
        } else {
            asks.push((n, slow.answer(n)));
        }
    }

    // Close first (the stage is closed from its first poll on), then let the actor go.
    tokio::time::timeout(Duration::from_secs(20), async {
        tokio::join!(stage.close(), async { gate.add_permits(1) })
    })
    .await
    .expect("the stage closes");

    // By the time `close` returns, every promise has settled: answered, or failed as Stopped.
    let stopped = |method| ActorError::Stopped {
        address: slow.address(),
        type_name: Arc::from("Slow"),
        method,
    };
    let (mut answered, mut failed) = (0, 0);
    for mut tell in tells {
        match tell.try_result().expect("settled when close returns") {
            Ok(()) => answered += 1,
            Err(error) => {
                assert_eq!(error, stopped("work"));
                failed += 1;
            }
        }
    }
    for (n, mut ask) in asks {
        match ask.try_result().expect("settled when close returns") {
            Ok(answer) => {
                assert_eq!(answer, n * 2);
                answered += 1;
            }
            Err(error) => {
                assert_eq!(error, stopped("answer"));
                failed += 1;
            }
        }
    }

    assert_eq!(answered + failed, MESSAGES as usize);
    assert_eq!(
        handled.load(Ordering::SeqCst),
        answered,
        "answered = handled"
    );
    let letters = listener.all();
    assert_eq!(
        letters.len(),
        failed,
        "each failed message is a dead letter"
    );
    assert!(
        letters
            .iter()
            .all(|letter| letter.reason() == DeadLetterReason::StageClosed)
    );
    assert!(slow.is_stopped());
}

#[tokio::test]
async fn calls_after_close_fail_fast_as_stage_closed_dead_letters() {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(counter.add(1).await, 1);
    stage.close().await;

    let mut promise = counter.add(2);
    assert_eq!(
        promise.try_result(),
        Some(Err(ActorError::Stopped {
            address: counter.address(),
            type_name: Arc::from("Counter"),
            method: "add",
        })),
        "settled when the call returns"
    );
    let letters = listener.all();
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0].address(), counter.address());
    assert_eq!(letters[0].method(), "add");
    assert_eq!(letters[0].representation(), "add(2)");
    assert_eq!(letters[0].reason(), DeadLetterReason::StageClosed);
}

#[tokio::test]
async fn actor_for_after_close_fails_with_stage_closed() {
    let stage = Stage::new();
    let parent: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    stage.close().await;

    let created = stage.actor_for::<CounterProxy, _>(CounterActor::definition());
    assert_eq!(created, Err(ActorError::StageClosed));
    let created = stage.actor_for_with::<CounterProxy, _>(
        CounterActor::definition(),
        ActorOptions::new().with_parent(parent.actor_ref()),
    );
    assert_eq!(created, Err(ActorError::StageClosed));
    assert_eq!(stage.directory().count(), 0);
}

#[tokio::test]
async fn closing_twice_is_fine() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    stage.close().await;
    stage.close().await;
    assert!(stage.is_closed());
    assert!(counter.is_stopped());
}

#[tokio::test]
async fn a_second_close_waits_for_the_first_to_finish() {
    let stage = Stage::new();
    let (slow, _gate, handled) = slow_actor(&stage);
    for n in 0..100 {
        drop(slow.work(n));
    }

    let second = stage.clone();
    tokio::join!(stage.close(), async {
        second.close().await;
        assert!(
            slow.is_stopped(),
            "the second close returned before the actors stopped"
        );
        assert_eq!(handled.load(Ordering::SeqCst), 100);
    });
    assert!(slow.is_stopped());
}
