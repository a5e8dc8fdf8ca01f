//! `await_observable_state` returns the first state that satisfies the predicate, and times out
//! with DomoActors' message.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use domo_actors::{Actor, Definition};
use domo_actors_testkit::{
    AwaitOptions, ObservableState, ObservableStateProvider, ObservableStateProviderProxy,
    StateValue, await_observable_state, await_observable_state_with, test_stage,
};
use support::panic_text;

#[tokio::test]
async fn returns_the_first_state_that_satisfies_the_predicate() {
    let (stage, _) = test_stage();
    let counter = support::counter(&stage);
    for _ in 0..3 {
        drop(counter.increment());
    }

    let state = await_observable_state(
        || counter.observable_state(),
        |state| state.value_of("count").and_then(StateValue::as_u64) >= Some(3),
    )
    .await;

    assert_eq!(
        state,
        ObservableState::new()
            .with_value("count", 3)
            .with_value("name", "counter")
    );
    stage.close().await;
}

/// An actor created with the ready-made protocol; its state follows a progress value that the
/// test moves from outside.
#[derive(Actor)]
struct Progress {
    done: Arc<AtomicU64>,
}

impl ObservableStateProvider for Progress {
    async fn observable_state(&mut self) -> ObservableState {
        ObservableState::new().with_value("done", self.done.load(Ordering::SeqCst))
    }
}

#[tokio::test]
async fn works_with_the_observable_state_provider_protocol() {
    let (stage, _) = test_stage();
    let done = Arc::new(AtomicU64::new(0));
    let shared = Arc::clone(&done);
    let progress: ObservableStateProviderProxy = stage
        .actor_for(Definition::new(move || Progress {
            done: Arc::clone(&shared),
        }))
        .unwrap();
    tokio::spawn(async move {
        for _ in 0..10 {
            done.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
        }
    });

    let state = await_observable_state(
        || progress.observable_state(),
        |state| state.value_of("done") == Some(&StateValue::from(10)),
    )
    .await;

    assert_eq!(state.to_string(), "{done: 10}");
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn times_out_with_the_final_state() {
    let (stage, _) = test_stage();
    let counter = support::counter(&stage);
    drop(counter.increment());
    let options = AwaitOptions::new().with_timeout(Duration::from_millis(200));

    let fetch = counter.clone();
    let outcome = tokio::spawn(async move {
        await_observable_state_with(options, || fetch.observable_state(), |_| false).await;
    })
    .await;

    assert_eq!(
        panic_text(outcome.unwrap_err().into_panic()),
        r#"Observable state predicate not satisfied within 200ms. Final state: {count: 1, name: "counter"}"#
    );
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_fetch_that_never_answers_times_out_too() {
    let options = AwaitOptions::new().with_timeout(Duration::from_millis(200));

    let outcome = tokio::spawn(async move {
        await_observable_state_with(options, std::future::pending, |_| true).await;
    })
    .await;

    assert_eq!(
        panic_text(outcome.unwrap_err().into_panic()),
        "Observable state predicate not satisfied within 200ms. \
         Final state: unavailable (the last fetch did not answer within 200ms)"
    );
}
