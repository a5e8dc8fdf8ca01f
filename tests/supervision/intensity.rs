//! Restart intensity and period: more than `intensity` restarts within `period` turn a
//! `Restart` into a `Stop`; failures spread beyond the period are each restarted. The clock is
//! paused, and only `tokio::time::advance` moves it: every wait here is on a promise that the
//! actors settle without any timer, so tokio never auto-advances in between.

use std::time::Duration;

use domo_actors::{ActorError, Stage, SupervisionStrategy};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{WorkerProxy, entries_of, within};
use tokio::time::{Instant, advance};

/// Fails the worker and reports whether it is still alive afterwards: a `value()` queued behind
/// the failure is answered by a restarted instance, or fails because the actor stopped.
async fn fail_and_survive(worker: &WorkerProxy) -> bool {
    assert!(within!(worker.fail("boom".into()).result()).is_err());
    match within!(worker.value().result()) {
        Ok(value) => {
            assert_eq!(value, 0, "restarted: a fresh instance");
            assert!(!worker.is_stopped());
            true
        }
        Err(ActorError::Stopped { .. }) => {
            assert!(worker.is_stopped());
            false
        }
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_second_failure_within_the_period_stops_with_intensity_1() {
    let stage = Stage::new();
    let worker = Scene::builder()
        .strategy(SupervisionStrategy::default())
        .build(&stage)
        .worker;
    let start = Instant::now();

    assert!(
        fail_and_survive(&worker).await,
        "the first failure restarts"
    );
    advance(Duration::from_secs(1)).await;
    assert!(
        !fail_and_survive(&worker).await,
        "the second, 1 s later, exceeds intensity 1 within 5 s"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(1),
        "only advance moved the clock"
    );
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn a_second_failure_late_in_the_period_still_stops() {
    let stage = Stage::new();
    let worker = Scene::builder()
        .strategy(SupervisionStrategy::default())
        .build(&stage)
        .worker;

    assert!(fail_and_survive(&worker).await);
    advance(Duration::from_millis(4900)).await;
    assert!(
        !fail_and_survive(&worker).await,
        "4.9 s is within the period"
    );
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn failures_spread_beyond_the_period_are_each_restarted() {
    let stage = Stage::new();
    let worker = Scene::builder()
        .strategy(SupervisionStrategy::default())
        .build(&stage)
        .worker;

    for _ in 0..4 {
        assert!(fail_and_survive(&worker).await);
        advance(Duration::from_secs(6)).await;
    }
    assert!(fail_and_survive(&worker).await);
    assert_eq!(within!(worker.instance()), 6, "five restarts, 6 s apart");
    assert!(!worker.is_stopped());
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn intensity_3_allows_three_restarts_within_the_period_and_stops_at_the_fourth() {
    let stage = Stage::new();
    let worker = Scene::builder()
        .intensity(3, Duration::from_secs(10))
        .build(&stage)
        .worker;

    for _ in 0..3 {
        assert!(fail_and_survive(&worker).await);
        advance(Duration::from_secs(2)).await;
    }
    assert_eq!(within!(worker.instance()), 4);
    assert!(
        !fail_and_survive(&worker).await,
        "a fourth restart within 10 s exceeds intensity 3"
    );
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn the_period_is_a_sliding_window() {
    let stage = Stage::new();
    let worker = Scene::builder()
        .intensity(2, Duration::from_secs(5))
        .build(&stage)
        .worker;

    assert!(
        fail_and_survive(&worker).await,
        "t = 0: 1 restart in the window"
    );
    advance(Duration::from_secs(3)).await;
    assert!(fail_and_survive(&worker).await, "t = 3: 2 in the window");
    advance(Duration::from_secs(3)).await;
    assert!(
        fail_and_survive(&worker).await,
        "t = 6: the restart at 0 has left the window, 2 in it"
    );
    advance(Duration::from_secs(1)).await;
    assert!(
        !fail_and_survive(&worker).await,
        "t = 7: the restarts at 3 and 6 are within 5 s: a third exceeds intensity 2"
    );
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn intensity_exceeded_stops_instead_of_restarting() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = Scene::builder().build(&stage);

    drop(worker.fail("first".into()));
    drop(worker.fail("second".into()));
    assert!(within!(worker.value().result()).is_err());
    assert_eq!(within!(worker.stop().result()), Ok(()));
    assert_eq!(
        entries_of(&log, ""),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:fail(first)",
            "sup:decide(fail: first)",
            "w#1:before_restart(fail: first)",
            "w#2:before_start",
            "w#2:start",
            "w#2:after_restart(fail: first)",
            "w#2:fail(second)",
            "sup:decide(fail: second)",
            "w#2:before_stop",
            "w#2:after_stop",
        ],
        "the first Restart ran the restart and start hooks; the intensity made the second a Stop: \
         no restart hooks for it"
    );
    within!(stage.close());
}
