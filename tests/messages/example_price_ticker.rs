//! The price-ticker example (`examples/price_ticker.rs`), run by a test: a stream into an actor,
//! a topic fanning out to boards and a tape, a slow board that keeps the newest prices, and a
//! watcher that notices a board leave.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../../examples/price_ticker.rs"]
mod price_ticker_example;

use domo_actors::StreamEnd;
use price_ticker_example::TRADES;

// The paused clock makes the source's and the slow board's sleeps take no real time.
#[tokio::test(start_paused = true)]
async fn prices_fan_out_the_slow_board_keeps_the_newest_and_the_watcher_sees_a_board_leave() {
    let outcome = price_ticker_example::run().await;

    let every: Vec<u64> = (1..=TRADES).collect();
    assert_eq!(outcome.trades, StreamEnd::Ended);
    assert_eq!(outcome.fast, every, "every price, in order");
    assert_eq!(outcome.tape, every);
    // The slow board drew fewer, in order, and the newest last.
    assert!(outcome.slow.len() < every.len(), "{:?}", outcome.slow);
    assert!(outcome.slow.windows(2).all(|pair| pair[0] < pair[1]));
    assert_eq!(outcome.slow.last(), Some(&TRADES));
    assert!(outcome.audit_stopped);
    assert_eq!(outcome.endings, ["audit stopped"]);
    // Each price the slow board dropped, and at least the one that found the audit board gone.
    let dropped = TRADES - outcome.slow.len() as u64;
    assert!(outcome.dead_letters > dropped, "{outcome:?}");
}
