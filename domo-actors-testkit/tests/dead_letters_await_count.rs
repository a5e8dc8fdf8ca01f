//! `TestDeadLettersListener::await_count` waits for dead letters recorded later, by the actor.

mod support;

use std::time::Duration;

use domo_actors_testkit::{AwaitOptions, test_stage};
use support::panic_text;

#[tokio::test]
async fn waits_for_the_messages_still_queued_when_the_actor_stopped() {
    let (stage, dead_letters) = test_stage();
    let counter = support::counter(&stage);
    // All four are queued before the actor runs; `halt` stops it, and the three behind it fail
    // when the actor closes its mailbox, not when they are sent.
    drop(counter.halt());
    let queued: Vec<_> = (0..3).map(|_| counter.increment()).collect();

    let letters = dead_letters.await_count(3).await;

    assert_eq!(letters.len(), 3);
    assert!(letters.iter().all(|letter| letter.method() == "increment"));
    for promise in queued {
        assert!(promise.result().await.is_err());
    }
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn times_out_with_the_count_and_the_letters_seen() {
    let (stage, dead_letters) = test_stage();
    let counter = support::counter(&stage);
    counter.stop().await;
    drop(counter.increment());
    let letter = dead_letters.first().unwrap();
    let options = AwaitOptions::new().with_timeout(Duration::from_millis(100));

    let outcome = tokio::spawn(async move {
        dead_letters.await_count_with(options, 2).await;
    })
    .await;

    assert_eq!(
        panic_text(outcome.unwrap_err().into_panic()),
        format!("expected at least 2 dead letters within 100ms, but 1 were recorded: [{letter}]")
    );
    stage.close().await;
}
