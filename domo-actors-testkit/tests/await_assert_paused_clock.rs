//! The waiting helpers measure time on tokio's clock, so a paused clock drives them.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domo_actors_testkit::{AwaitOptions, await_assert_with, try_await_assert_with};
use tokio::time::Instant;

const HOUR: Duration = Duration::from_secs(60 * 60);

#[tokio::test(start_paused = true)]
async fn waits_through_virtual_time_for_a_late_condition() {
    let done = Arc::new(AtomicBool::new(false));
    let setter = Arc::clone(&done);
    tokio::spawn(async move {
        // The behaviour under test: a condition that becomes true an hour of *virtual* time
        // later, on the paused clock (no real waiting).
        tokio::time::sleep(HOUR).await;
        setter.store(true, Ordering::SeqCst);
    });
    let real_start = std::time::Instant::now();
    let start = Instant::now();

    let options = AwaitOptions::new()
        .with_timeout(2 * HOUR)
        .with_interval(Duration::from_secs(60));
    await_assert_with(options, || async { assert!(done.load(Ordering::SeqCst)) }).await;

    let waited = start.elapsed();
    assert!(
        waited >= HOUR && waited <= HOUR + Duration::from_secs(60),
        "{waited:?}"
    );
    assert!(real_start.elapsed() < Duration::from_secs(30));
}

#[tokio::test(start_paused = true)]
async fn times_out_after_exactly_the_timeout() {
    let start = Instant::now();

    let options = AwaitOptions::new()
        .with_timeout(HOUR)
        .with_interval(Duration::from_secs(7 * 60));
    let timeout = try_await_assert_with(options, || async { panic!("never") })
        .await
        .unwrap_err();

    // The pause before the last try is cut short, so the last try is made at the deadline.
    assert_eq!(start.elapsed(), HOUR);
    assert_eq!(timeout.timeout(), HOUR);
}
