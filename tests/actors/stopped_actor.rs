//! A stopped actor: calls fail fast with `ActorError::Stopped` and are recorded as dead letters;
//! messages still queued at the stop fail the same way; `stop_within` gives up on an actor whose
//! stop never finishes, and fails the messages it will not deliver even when its actor task
//! holds them (a batch of tells behind a handler that hangs).

use std::sync::Arc;
use std::time::Duration;

use domo_actors::{Actor, ActorError, DeadLetterReason, Definition, Stage, actor_protocol};
use domo_actors_suite::{CounterActor, CounterError, CounterProxy};
use domo_actors_testkit::TestDeadLettersListener;
use tokio::sync::Notify;

fn stopped(counter: &CounterProxy, method: &'static str) -> ActorError {
    ActorError::Stopped {
        address: counter.address(),
        type_name: Arc::from("Counter"),
        method,
    }
}

#[tokio::test]
async fn calls_after_stop_fail_fast_with_stopped() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(counter.add(1).await, 1);

    counter.stop().await;
    assert!(counter.is_stopped());

    // Already settled when the call returns: nothing waits for an actor that is gone.
    let mut promise = counter.add(2);
    assert_eq!(promise.try_result(), Some(Err(stopped(&counter, "add"))));
    assert_eq!(
        counter.value().result().await,
        Err(stopped(&counter, "value"))
    );
    assert_eq!(
        counter.increment().result().await,
        Err(stopped(&counter, "increment"))
    );
    stage.close().await;
}

#[tokio::test]
async fn calls_after_stop_become_dead_letters() {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    counter.stop().await;
    assert!(!listener.has_dead_letters(), "a clean stop drops nothing");

    drop(counter.add(2));
    drop(counter.increment());
    assert_eq!(listener.count(), 2, "{:?}", listener.all());
    let add = listener.first().unwrap();
    assert_eq!(add.address(), counter.address());
    assert_eq!(add.type_name(), "Counter");
    assert_eq!(add.method(), "add");
    assert_eq!(add.representation(), "add(2)");
    assert_eq!(add.reason(), DeadLetterReason::ActorStopped);
    let increment = listener.latest().unwrap();
    assert_eq!(increment.method(), "increment");
    assert_eq!(increment.representation(), "increment()");
    assert_eq!(increment.reason(), DeadLetterReason::ActorStopped);
    assert_eq!(
        listener.find_by_representation("add(").unwrap().method(),
        "add"
    );
    assert_eq!(stage.dead_letters().count(), 2);
    stage.close().await;
}

#[tokio::test]
async fn messages_queued_behind_a_stop_fail_with_stopped_and_become_dead_letters() {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();

    let before = counter.add(5);
    let stop = counter.stop();
    let behind = counter.add(7);
    let behind_too = counter.value();

    assert_eq!(before.await, 5, "messages sent before the stop are handled");
    stop.await;
    assert_eq!(behind.result().await, Err(stopped(&counter, "add")));
    assert_eq!(behind_too.result().await, Err(stopped(&counter, "value")));

    let representations: Vec<String> = listener
        .all()
        .iter()
        .map(|letter| letter.representation().to_owned())
        .collect();
    assert_eq!(representations, ["add(7)", "value()"]);
    stage.close().await;
}

#[tokio::test]
async fn a_result_method_after_stop_gets_err_through_plain_await() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    counter.stop().await;

    let outcome: Result<u64, CounterError> = counter.try_take(1).await;
    assert_eq!(
        outcome,
        Err(CounterError::Actor(stopped(&counter, "try_take")))
    );
    stage.close().await;
}

#[tokio::test]
async fn stopping_again_is_fine_and_the_actor_leaves_the_directory() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    let first = counter.stop();
    let second = counter.stop();
    first.await;
    second.await;
    assert_eq!(
        counter.stop().result().await,
        Ok(()),
        "stopping a stopped actor"
    );
    assert_eq!(counter.actor_ref().stop().result().await, Ok(()));
    assert!(counter.is_stopped());
    assert!(stage.directory().get(&counter.address()).is_none());
    stage.close().await;
}

/// An actor whose `before_stop` never finishes.
#[actor_protocol]
trait Stubborn {
    async fn work(&mut self) -> u64;
}

#[derive(Default)]
struct StubbornActor {
    done: u64,
}

impl Actor for StubbornActor {
    async fn before_stop(&mut self) {
        std::future::pending::<()>().await;
    }
}

impl Stubborn for StubbornActor {
    async fn work(&mut self) -> u64 {
        self.done += 1;
        self.done
    }
}

#[tokio::test(start_paused = true)]
async fn stop_within_gives_up_on_a_stop_that_never_finishes() {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let stubborn: StubbornProxy = stage
        .actor_for(Definition::new(StubbornActor::default))
        .unwrap();
    assert_eq!(stubborn.work().await, 1);

    let timeout = Duration::from_secs(30);
    let started = tokio::time::Instant::now();
    let actor = stubborn.actor_ref();
    let (stopping, queued) = tokio::join!(actor.stop_within(timeout), async {
        // Sent while the stop is under way: queued behind it.
        stubborn.work().result().await
    });
    assert!(started.elapsed() >= timeout, "it waited the full timeout");
    assert_eq!(
        stopping,
        Err(ActorError::StopTimedOut {
            address: stubborn.address(),
            type_name: Arc::from("Stubborn"),
        })
    );

    assert!(stubborn.is_stopped());
    assert!(stage.directory().get(&stubborn.address()).is_none());
    assert!(
        !stage
            .public_root()
            .children()
            .iter()
            .any(|child| child.address() == stubborn.address()),
        "removed from its parent"
    );
    let stopped_error = ActorError::Stopped {
        address: stubborn.address(),
        type_name: Arc::from("Stubborn"),
        method: "work",
    };
    assert_eq!(
        queued,
        Err(stopped_error.clone()),
        "the queued message failed"
    );
    assert_eq!(stubborn.work().result().await, Err(stopped_error));
    assert_eq!(
        listener.count(),
        2,
        "both undelivered messages are dead letters"
    );

    // The stage still closes: the stuck actor no longer holds anything up.
    tokio::time::timeout(Duration::from_secs(60), stage.close())
        .await
        .expect("the stage closes");
}

#[tokio::test(start_paused = true)]
async fn stop_within_returns_ok_when_the_stop_finishes_in_time() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    drop(counter.add(1));
    assert_eq!(
        counter
            .actor_ref()
            .stop_within(Duration::from_secs(1))
            .await,
        Ok(())
    );
    assert!(counter.is_stopped());
    stage.close().await;
}

/// An actor whose `hold` waits until the test opens its gate.
#[actor_protocol]
trait Gated {
    async fn hold(&mut self);
    async fn tick(&mut self);
}

struct GatedActor {
    gate: Arc<Notify>,
    /// `hold` panics once the gate opens.
    fragile: bool,
}

impl Actor for GatedActor {}

impl Gated for GatedActor {
    async fn hold(&mut self) {
        self.gate.notified().await;
        assert!(!self.fragile, "a fragile hold");
    }

    async fn tick(&mut self) {}
}

#[tokio::test(start_paused = true)]
async fn stop_within_fails_the_tells_batched_behind_a_handler_that_hangs() {
    tells_batched_behind_a_hung_handler(false).await;
}

#[tokio::test(start_paused = true)]
async fn tells_batched_behind_a_hung_handler_that_then_panics_become_dead_letters() {
    tells_batched_behind_a_hung_handler(true).await;
}

async fn tells_batched_behind_a_hung_handler(fragile: bool) {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let gate = Arc::new(Notify::new());
    let gated: GatedProxy = stage
        .actor_for(Definition::new({
            let gate = Arc::clone(&gate);
            move || GatedActor {
                gate: Arc::clone(&gate),
                fragile,
            }
        }))
        .unwrap();
    // All queued before the actor first runs (this runtime has one thread): its actor task
    // takes `hold`, and the tells behind it as one batch, out of the mailbox.
    let mut held = gated.hold();
    let ticks: Vec<_> = (0..4).map(|_| gated.tick()).collect();
    let timeout = Duration::from_secs(30);
    assert_eq!(
        gated.actor_ref().stop_within(timeout).await,
        Err(ActorError::StopTimedOut {
            address: gated.address(),
            type_name: Arc::from("Gated"),
        })
    );

    // The tells fail at once, though the task that holds them is stuck in `hold`.
    let stopped = ActorError::Stopped {
        address: gated.address(),
        type_name: Arc::from("Gated"),
        method: "tick",
    };
    for mut tick in ticks {
        assert_eq!(tick.try_result(), Some(Err(stopped.clone())));
    }
    assert_eq!(held.try_result(), None, "`hold` is still in delivery");

    // Once `hold` returns (or panics, and supervision runs), the task delivers nothing more:
    // the tells become dead letters.
    gate.notify_one();
    assert_eq!(held.result().await.is_ok(), !fragile);
    let letters = listener.await_count(4).await;
    assert!(
        letters
            .iter()
            .all(|letter| letter.method() == "tick"
                && letter.reason() == DeadLetterReason::ActorStopped),
        "{letters:?}"
    );
    tokio::time::timeout(Duration::from_secs(60), stage.close())
        .await
        .expect("the stage closes");
}
