//! The counter example (`examples/counter.rs`), run by a test: its own code, its own outcome.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../examples/counter.rs"]
mod counter_example;

use domo_actors::ActorError;

// Multi-threaded, as the example's `main`: the thousand increments come from tasks running in
// parallel.
#[tokio::test(flavor = "multi_thread")]
async fn the_counter_example_counts_every_increment_and_fails_fast_after_close() {
    let outcome = counter_example::run().await;

    assert_eq!(outcome.after_add, 3, "one increment, then add(2)");
    assert_eq!(
        outcome.after_concurrent_increments, 1003,
        "no increment from the ten tasks is lost"
    );
    assert!(outcome.stopped_after_close);
    assert!(
        matches!(
            &outcome.call_after_close,
            Err(ActorError::Stopped {
                method: "value",
                ..
            })
        ),
        "{:?}",
        outcome.call_after_close
    );
}
