//! The supervision example (`examples/supervision.rs`), run by a test: the flaky sensor is
//! restarted twice with a fresh state, and its third failure within the period stops it.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../examples/supervision.rs"]
mod supervision_example;

use domo_actors::ActorError;
use domo_actors_suite::panicked;

#[tokio::test(flavor = "multi_thread")]
async fn the_sensor_is_restarted_twice_then_stopped() {
    let outcome = supervision_example::run().await;

    let answers: Vec<String> = outcome
        .answers
        .iter()
        .map(|answer| match answer {
            Ok(reading) => format!("reading {reading}"),
            Err(ActorError::Stopped { .. }) => "stopped".to_owned(),
            Err(error) => match panicked(error) {
                Some((method, cause)) => format!("{method} panicked: {cause}"),
                None => format!("unexpected: {error}"),
            },
        })
        .collect();
    let glitch = "read panicked: sensor glitch on reading 3";
    assert_eq!(
        answers,
        [
            "reading 1",
            "reading 2",
            glitch,
            // Restarted: a fresh instance counts from the start again.
            "reading 1",
            "reading 2",
            glitch,
            "reading 1",
            "reading 2",
            // The third failure within ten seconds exceeds the intensity of two: stopped.
            glitch,
            "stopped",
        ]
    );
    assert!(outcome.stopped);
}
