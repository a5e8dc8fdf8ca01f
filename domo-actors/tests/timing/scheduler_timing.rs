//! When the scheduler runs tasks: once after its delay, repeatedly every interval (a zero
//! initial delay means "after one interval"), never piling up missed runs, and on past a
//! panicking run. All on tokio's paused clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use domo_actors::Scheduler;
use tokio::time::{Instant, sleep};

const PERIOD: Duration = Duration::from_millis(100);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A counter and a task that increments it.
fn counting() -> (Arc<AtomicUsize>, impl FnMut() + Send + 'static) {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&runs);
    (runs, move || {
        counter.fetch_add(1, Ordering::SeqCst);
    })
}

fn count(runs: &AtomicUsize) -> usize {
    runs.load(Ordering::SeqCst)
}

#[tokio::test(start_paused = true)]
async fn a_one_time_task_runs_once_after_its_delay() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let once = scheduler.schedule_once(PERIOD, task);
    assert_eq!(scheduler.active_count(), 1);

    sleep(ms(99)).await;
    assert_eq!(count(&runs), 0, "not before its delay");
    sleep(ms(2)).await;
    assert_eq!(count(&runs), 1, "once its delay has passed");
    sleep(ms(10_000)).await;
    assert_eq!(count(&runs), 1, "and never again");

    assert_eq!(scheduler.active_count(), 0);
    assert!(!once.cancel(), "a task that ran has nothing left to cancel");
    assert!(!once.is_cancelled());
}

#[tokio::test(start_paused = true)]
async fn a_one_time_task_with_no_delay_runs_at_once() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    scheduler.schedule_once(Duration::ZERO, task);
    tokio::task::yield_now().await;
    assert_eq!(count(&runs), 1);
}

#[tokio::test(start_paused = true)]
async fn a_repeating_task_runs_after_its_initial_delay_then_every_interval() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let start = Instant::now();
    let _repeat = scheduler.schedule_repeat(ms(250), PERIOD, task);

    sleep(ms(249)).await;
    assert_eq!(count(&runs), 0, "nothing before the initial delay");
    // Runs at 250, 350, 450, 550, 650: five in the 450 ms after the initial delay.
    sleep_until(start + ms(699)).await;
    assert_eq!(count(&runs), 5);
    sleep_until(start + ms(1_051)).await;
    assert_eq!(count(&runs), 9);
    assert_eq!(scheduler.active_count(), 1, "it keeps repeating");
}

#[tokio::test(start_paused = true)]
async fn a_zero_initial_delay_means_the_first_run_comes_after_one_interval() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let start = Instant::now();
    let _repeat = scheduler.schedule_repeat(Duration::ZERO, PERIOD, task);

    tokio::task::yield_now().await;
    sleep_until(start + ms(99)).await;
    assert_eq!(count(&runs), 0, "no immediate run (DomoActors-TS)");
    sleep_until(start + ms(101)).await;
    assert_eq!(count(&runs), 1);
    sleep_until(start + ms(301)).await;
    assert_eq!(count(&runs), 3, "then one per interval");
}

#[tokio::test(start_paused = true)]
async fn missed_runs_are_skipped_not_piled_up() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let _repeat = scheduler.schedule_repeat(PERIOD, PERIOD, task);
    tokio::task::yield_now().await; // the schedule's task arms its timer

    // The clock jumps five intervals at once (as when the runtime was blocked): one late run,
    // not five in a burst.
    tokio::time::advance(ms(550)).await;
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(count(&runs), 1);
    // The next run comes one interval after the late one (at 650), not at the old 600 mark.
    sleep(ms(99)).await;
    assert_eq!(count(&runs), 1);
    sleep(ms(2)).await;
    assert_eq!(count(&runs), 2);
}

#[tokio::test(start_paused = true)]
async fn a_panicking_run_is_logged_and_the_repetition_goes_on() {
    let scheduler = Scheduler::new();
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&runs);
    let start = Instant::now();
    let repeat = scheduler.schedule_repeat(PERIOD, PERIOD, move || {
        if counter.fetch_add(1, Ordering::SeqCst) == 1 {
            panic!("the second run fails");
        }
    });

    sleep_until(start + ms(450)).await;
    assert_eq!(
        count(&runs),
        4,
        "runs 3 and 4 came after the panic of run 2"
    );
    assert!(repeat.cancel(), "the schedule is still live");

    let once = scheduler.schedule_once(PERIOD, || panic!("a one-time task fails"));
    sleep(ms(200)).await;
    assert!(
        !once.cancel(),
        "a one-time task that panicked has ended too"
    );
    assert_eq!(scheduler.active_count(), 0);
}

#[tokio::test(start_paused = true)]
async fn every_clone_schedules_on_the_same_scheduler() {
    let scheduler = Scheduler::new();
    let clone = scheduler.clone();
    let (_runs, task) = counting();
    let _repeat = clone.schedule_repeat(PERIOD, PERIOD, task);
    assert_eq!(scheduler.active_count(), 1);
    scheduler.close();
    assert!(clone.is_closed());
    assert_eq!(clone.active_count(), 0);
}

#[test]
#[should_panic(expected = "interval greater than zero")]
fn a_zero_interval_is_refused() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let _entered = runtime.enter();
    let _ = Scheduler::new().schedule_repeat(PERIOD, Duration::ZERO, || {});
}

/// Moves tokio's paused clock (virtual time) to `deadline`: the timing is the behaviour under
/// test.
async fn sleep_until(deadline: Instant) {
    tokio::time::sleep_until(deadline).await
}
