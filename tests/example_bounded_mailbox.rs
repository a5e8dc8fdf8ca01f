//! The bounded-mailbox example (`examples/bounded_mailbox.rs`), run by a test: what each
//! overflow policy keeps, what it drops, and that every dropped message is a dead letter.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../examples/bounded_mailbox.rs"]
mod bounded_mailbox_example;

use bounded_mailbox_example::Outcome;

// Single-threaded, as the example's `main` (see `run`); the paused clock makes the actors' own
// sleeps (a slow dashboard, a slow desk) take no real time.
#[tokio::test(start_paused = true)]
async fn drop_oldest_keeps_the_newest_and_reject_refuses_until_there_is_room() {
    let outcome = bounded_mailbox_example::run().await;

    let confirmations = (1..=5).map(|id| format!("order {id} confirmed")).collect();
    assert_eq!(
        outcome,
        Outcome {
            after_burst: (3, 7),
            shown: vec![8, 9, 10],
            confirmations,
            // Orders 3, 4 and 5 the first time, order 5 again the second.
            refusals: 4,
            // Seven dropped readings and four refused orders.
            dead_letters: 11,
        }
    );
}
