//! `TestDeadLettersListener` records the messages sent to a stopped actor.

mod support;

use domo_actors::{ActorError, DeadLetterReason};
use domo_actors_testkit::{TestDeadLettersListener, test_stage};

#[tokio::test]
async fn records_sends_to_a_stopped_actor_in_order() {
    let (stage, dead_letters) = test_stage();
    let counter = support::counter(&stage);
    drop(counter.increment());
    counter.stop().await;
    assert!(!dead_letters.has_dead_letters());

    // The dead letter is recorded before the promise fails, so it is there once the call fails.
    let error = counter.increment().result().await.unwrap_err();
    assert!(matches!(
        error,
        ActorError::Stopped {
            method: "increment",
            ..
        }
    ));
    assert!(counter.value().result().await.is_err());

    assert!(dead_letters.has_dead_letters());
    assert_eq!(dead_letters.count(), 2);
    let first = dead_letters.first().unwrap();
    assert_eq!(first.representation(), "increment()");
    assert_eq!(first.reason(), DeadLetterReason::ActorStopped);
    assert_eq!(first.address(), counter.address());
    assert_eq!(dead_letters.latest().unwrap().representation(), "value()");
    let methods: Vec<_> = dead_letters
        .all()
        .iter()
        .map(|letter| letter.method())
        .collect();
    assert_eq!(methods, ["increment", "value"]);
    stage.close().await;
}

#[tokio::test]
async fn finds_by_representation_and_clears() {
    let (stage, dead_letters) = test_stage();
    let counter = support::counter(&stage);
    counter.stop().await;
    drop(counter.increment());
    drop(counter.observable_state());

    assert_eq!(
        dead_letters
            .find_by_representation("observable")
            .unwrap()
            .method(),
        "observable_state"
    );
    assert!(dead_letters.find_by_representation("decrement").is_none());

    dead_letters.clear();
    assert_eq!(dead_letters.count(), 0);
    assert!(dead_letters.first().is_none());
    assert!(dead_letters.latest().is_none());

    // Clearing forgets the past only: the listener is still subscribed.
    drop(counter.value());
    assert_eq!(dead_letters.latest().unwrap().method(), "value");
    stage.close().await;
}

#[tokio::test]
async fn clones_share_one_record() {
    let (stage, _) = test_stage();
    let listener = TestDeadLettersListener::new();
    stage.dead_letters().subscribe(listener.clone());
    let counter = support::counter(&stage);
    counter.stop().await;

    drop(counter.increment());

    assert_eq!(listener.count(), 1);
    assert_eq!(listener.clone().count(), 1);
    stage.close().await;
}
