//! The scheduler example (`examples/scheduler.rs`), run by a test on tokio's paused clock: the
//! timeline takes no real time, and every count is exact.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../examples/scheduler.rs"]
mod scheduler_example;

use scheduler_example::Outcome;

#[tokio::test(start_paused = true)]
async fn heartbeat_reminders_cancellation_and_a_schedule_that_ends_with_its_target() {
    let outcome = scheduler_example::run().await;

    let stretch = vec!["stretch your legs".to_owned()];
    assert_eq!(
        outcome,
        Outcome {
            // Beats at 100, 200 and 300 ms.
            beats_early: 3,
            // The reminder due at 250 ms.
            reminders_early: stretch.clone(),
            // The lunch reminder was cancelled before it was due; a second cancel finds
            // nothing left to cancel.
            cancels: (true, false),
            // Beats at 100, 200, ... 1,000 ms.
            beats_at_stop: 10,
            // No lunch: cancelled.
            reminders_at_stop: stretch,
            // The beat of 1,100 ms found the monitor stopped.
            dead_letters: vec!["beat()".to_owned()],
            heartbeat_ended_by_itself: true,
            active_at_end: 0,
        }
    );
}
