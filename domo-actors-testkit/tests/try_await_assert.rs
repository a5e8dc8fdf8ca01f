//! `try_await_assert` reports a timeout as an `AwaitTimeout` instead of panicking.

use std::error::Error as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use domo_actors_testkit::{AwaitOptions, try_await_assert, try_await_assert_with};

#[tokio::test(start_paused = true)]
async fn ok_when_the_assertion_passes() {
    let tries = AtomicU64::new(0);
    let outcome = try_await_assert(|| async {
        let attempt = tries.fetch_add(1, Ordering::SeqCst);
        assert!(attempt >= 2, "not yet");
    })
    .await;
    assert_eq!(outcome, Ok(()));
    assert_eq!(tries.load(Ordering::SeqCst), 3);
}

#[tokio::test(start_paused = true)]
async fn err_carries_the_timeout_and_the_last_message() {
    let tries = AtomicU64::new(0);
    let options = AwaitOptions::new().with_timeout(Duration::from_millis(250));

    let timeout = try_await_assert_with(options, || async {
        let attempt = tries.fetch_add(1, Ordering::SeqCst);
        panic!("failure {attempt}");
    })
    .await
    .unwrap_err();

    let last = tries.load(Ordering::SeqCst) - 1;
    assert_eq!(timeout.timeout(), Duration::from_millis(250));
    assert_eq!(timeout.last_failure(), format!("failure {last}"));
    assert_eq!(
        timeout.to_string(),
        format!("assertion did not pass within 250ms: failure {last}")
    );
    assert!(timeout.source().is_none());
}
