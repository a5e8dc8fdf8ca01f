//! The ping-pong example (`examples/ping_pong.rs`), run by a test: two actors that know each
//! other only through the proxies they were sent, exchanging every stroke of a rally.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../examples/ping_pong.rs"]
mod ping_pong_example;

use ping_pong_example::Rally;

#[tokio::test(flavor = "multi_thread")]
async fn every_stroke_of_a_rally_reaches_the_other_player() {
    let outcome = ping_pong_example::play(500, false).await;

    assert_eq!(
        outcome.rally,
        Rally {
            rounds: 500,
            strokes: 1000
        }
    );
    assert_eq!((outcome.ping_received, outcome.pong_received), (500, 500));
}

#[tokio::test]
async fn a_one_round_rally_is_a_serve_and_a_return() {
    let outcome = ping_pong_example::play(1, true).await;

    assert_eq!(
        outcome.rally,
        Rally {
            rounds: 1,
            strokes: 2
        }
    );
    assert_eq!((outcome.ping_received, outcome.pong_received), (1, 1));
}
