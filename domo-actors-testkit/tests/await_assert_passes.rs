//! `await_assert` returns as soon as the retried assertion holds.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domo_actors_testkit::{await_assert, test_stage};
use tokio::time::Instant;

#[tokio::test]
async fn passes_once_a_task_makes_the_condition_true() {
    let hits = Arc::new(AtomicU64::new(0));
    let worker = Arc::clone(&hits);
    tokio::spawn(async move {
        for _ in 0..5 {
            worker.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
        }
    });

    await_assert(|| async { assert_eq!(hits.load(Ordering::SeqCst), 5) }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passes_once_an_actor_has_handled_its_tells() {
    let (stage, _) = test_stage();
    let counter = support::counter(&stage);
    for _ in 0..100 {
        drop(counter.increment());
    }

    await_assert(|| async { assert_eq!(counter.value().await, 100) }).await;
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn returns_at_once_when_the_assertion_already_holds() {
    let tries = AtomicU64::new(0);
    let start = Instant::now();

    await_assert(|| async {
        tries.fetch_add(1, Ordering::SeqCst);
    })
    .await;

    assert_eq!(tries.load(Ordering::SeqCst), 1);
    assert_eq!(start.elapsed(), std::time::Duration::ZERO);
}

#[tokio::test]
async fn a_check_made_before_the_future_is_retried_too() {
    let hits = Arc::new(AtomicU64::new(0));
    let worker = Arc::clone(&hits);
    tokio::spawn(async move {
        for _ in 0..3 {
            worker.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
        }
    });

    // A synchronous assertion: it panics while the closure builds its future.
    await_assert(|| {
        assert_eq!(hits.load(Ordering::SeqCst), 3);
        std::future::ready(())
    })
    .await;
}
