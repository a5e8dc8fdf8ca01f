//! `await_state_value` waits until one named value equals the expected one.

mod support;

use std::time::Duration;

use domo_actors_testkit::{AwaitOptions, await_state_value, await_state_value_with, test_stage};
use support::panic_text;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn returns_once_the_value_equals_the_expected() {
    let (stage, _) = test_stage();
    let counter = support::counter(&stage);
    for _ in 0..50 {
        drop(counter.increment());
    }

    // The actor stores a `u64`; any integer type compares by value.
    let state = await_state_value(|| counter.observable_state(), "count", 50u64).await;
    assert_eq!(state.value_of("name"), Some(&"counter".into()));
    await_state_value(|| counter.observable_state(), "count", 50).await;
    await_state_value(|| counter.observable_state(), "name", "counter").await;
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn times_out_naming_the_expected_and_the_actual_value() {
    let (stage, _) = test_stage();
    let counter = support::counter(&stage);
    drop(counter.increment());
    drop(counter.increment());
    let options = AwaitOptions::new().with_timeout(Duration::from_millis(300));

    let fetch = counter.clone();
    let outcome = tokio::spawn(async move {
        await_state_value_with(options, || fetch.observable_state(), "count", 3).await;
    })
    .await;

    assert_eq!(
        panic_text(outcome.unwrap_err().into_panic()),
        r#"Observable state value "count" did not equal 3 within 300ms (actual: 2). Final state: {count: 2, name: "counter"}"#
    );
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_missing_value_is_reported_as_absent() {
    let (stage, _) = test_stage();
    let counter = support::counter(&stage);
    let options = AwaitOptions::new().with_timeout(Duration::ZERO);

    let fetch = counter.clone();
    let outcome = tokio::spawn(async move {
        await_state_value_with(options, || fetch.observable_state(), "total", "ten").await;
    })
    .await;

    assert_eq!(
        panic_text(outcome.unwrap_err().into_panic()),
        r#"Observable state value "total" did not equal "ten" within 0ms (actual: absent). Final state: {count: 0, name: "counter"}"#
    );
    stage.close().await;
}
