//! On timeout, `await_assert` fails with the last try's own panic.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use domo_actors_testkit::{AwaitOptions, await_assert, await_assert_with};
use support::panic_text;

#[tokio::test(start_paused = true)]
async fn fails_with_the_last_assertions_message() {
    let tries = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&tries);

    let outcome = tokio::spawn(async move {
        await_assert(|| async {
            let attempt = counted.fetch_add(1, Ordering::SeqCst);
            assert_eq!(attempt, u64::MAX, "try number {attempt}");
        })
        .await;
    })
    .await;

    let message = panic_text(outcome.unwrap_err().into_panic());
    let last = tries.load(Ordering::SeqCst) - 1;
    // 2 s at 50 ms: the first try, one per pause, and the last one at the deadline.
    assert_eq!(last, 40);
    assert_eq!(
        message,
        format!(
            "assertion `left == right` failed: try number {last}\n  left: {last}\n right: {}",
            u64::MAX
        )
    );
}

#[tokio::test(start_paused = true)]
async fn keeps_the_payload_of_a_non_assert_panic() {
    let outcome = tokio::spawn(async {
        await_assert_with(
            AwaitOptions::new().with_timeout(Duration::from_millis(100)),
            || async { panic!("plain literal") },
        )
        .await;
    })
    .await;

    // Re-raised as is: a literal-only `panic!` carries a `&str`, and still does.
    let payload = outcome.unwrap_err().into_panic();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"plain literal"));
}

#[tokio::test(start_paused = true)]
async fn a_try_that_never_finishes_fails_with_a_timeout_message() {
    let options = AwaitOptions::new()
        .with_timeout(Duration::from_millis(100))
        .with_interval(Duration::from_millis(20));

    let outcome = tokio::spawn(async move {
        await_assert_with(options, std::future::pending::<()>).await;
    })
    .await;

    assert_eq!(
        panic_text(outcome.unwrap_err().into_panic()),
        "assertion did not pass within 100ms: the last try did not finish within 100ms"
    );
}
