//! Ending schedules: `Cancellable::cancel` (true once, then false), `Scheduler::close`
//! (cancels everything, refuses new schedules without panicking), and `Stage::close` (closes
//! the stage's scheduler). All on tokio's paused clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use domo_actors::{Scheduler, Stage};
// Sleeps here move tokio's paused clock (virtual time): the timing is the behaviour under test.
use tokio::time::sleep;

const PERIOD: Duration = Duration::from_millis(100);

/// A counter and a task that increments it.
fn counting() -> (Arc<AtomicUsize>, impl FnMut() + Clone + Send + 'static) {
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
async fn cancel_stops_a_repetition_and_succeeds_only_once() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let repeat = scheduler.schedule_repeat(PERIOD, PERIOD, task);

    sleep(Duration::from_millis(350)).await;
    assert_eq!(count(&runs), 3);
    assert!(!repeat.is_cancelled());
    assert!(repeat.cancel(), "the first cancel succeeds");
    assert!(!repeat.cancel(), "later ones find it cancelled");
    assert!(repeat.is_cancelled());
    assert_eq!(scheduler.active_count(), 0);

    sleep(Duration::from_secs(10)).await;
    assert_eq!(count(&runs), 3, "no run after the cancel");
}

#[tokio::test(start_paused = true)]
async fn cancel_before_the_delay_prevents_a_one_time_task() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let once = scheduler.schedule_once(PERIOD, task);
    sleep(Duration::from_millis(50)).await;
    assert!(once.cancel());
    sleep(Duration::from_secs(1)).await;
    assert_eq!(count(&runs), 0);
    assert!(once.is_cancelled());
}

#[tokio::test(start_paused = true)]
async fn every_clone_of_a_cancellable_controls_the_same_task() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let repeat = scheduler.schedule_repeat(PERIOD, PERIOD, task);
    let clone = repeat.clone();
    assert!(clone.cancel());
    assert!(repeat.is_cancelled());
    assert!(!repeat.cancel());
    sleep(Duration::from_secs(1)).await;
    assert_eq!(count(&runs), 0);
}

#[tokio::test(start_paused = true)]
async fn dropping_the_cancellable_does_not_cancel() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    drop(scheduler.schedule_repeat(PERIOD, PERIOD, task));
    sleep(Duration::from_millis(250)).await;
    assert_eq!(count(&runs), 2);
    assert_eq!(scheduler.active_count(), 1);
}

#[tokio::test(start_paused = true)]
async fn close_cancels_every_schedule() {
    let scheduler = Scheduler::new();
    let (runs, task) = counting();
    let first = scheduler.schedule_repeat(PERIOD, PERIOD, task.clone());
    let second = scheduler.schedule_repeat(PERIOD, PERIOD, task.clone());
    let once = scheduler.schedule_once(Duration::from_secs(5), task.clone());
    sleep(Duration::from_millis(150)).await;
    assert_eq!(count(&runs), 2);
    assert_eq!(scheduler.active_count(), 3);

    scheduler.close();
    assert!(scheduler.is_closed());
    assert!(first.is_cancelled() && second.is_cancelled() && once.is_cancelled());
    assert!(!first.cancel(), "already cancelled by the close");
    assert_eq!(scheduler.active_count(), 0);
    sleep(Duration::from_secs(10)).await;
    assert_eq!(count(&runs), 2, "nothing runs after the close");

    scheduler.close(); // idempotent
    assert!(scheduler.is_closed());
}

#[tokio::test(start_paused = true)]
async fn scheduling_on_a_closed_scheduler_returns_a_cancelled_handle() {
    let scheduler = Scheduler::new();
    scheduler.close();
    let (runs, task) = counting();
    let once = scheduler.schedule_once(Duration::ZERO, task.clone());
    let repeat = scheduler.schedule_repeat(PERIOD, PERIOD, task);
    assert!(once.is_cancelled() && repeat.is_cancelled());
    assert!(!once.cancel() && !repeat.cancel());
    assert_eq!(scheduler.active_count(), 0);
    sleep(Duration::from_secs(1)).await;
    assert_eq!(count(&runs), 0);
}

#[tokio::test(start_paused = true)]
async fn closing_the_stage_closes_its_scheduler() {
    let stage = Stage::new();
    let (runs, task) = counting();
    let repeat = stage.scheduler().schedule_repeat(PERIOD, PERIOD, task);
    sleep(Duration::from_millis(150)).await;
    assert_eq!(count(&runs), 1);
    assert!(!stage.scheduler().is_closed());

    stage.close().await;
    assert!(stage.scheduler().is_closed());
    assert!(repeat.is_cancelled());
    sleep(Duration::from_secs(1)).await;
    assert_eq!(count(&runs), 1);

    let late = stage.scheduler().schedule_once(Duration::ZERO, || {});
    assert!(
        late.is_cancelled(),
        "a closed stage's scheduler refuses new schedules"
    );
}

#[tokio::test(start_paused = true)]
async fn stages_have_independent_schedulers() {
    let first = Stage::new();
    let second = Stage::new();
    let (runs, task) = counting();
    let repeat = second.scheduler().schedule_repeat(PERIOD, PERIOD, task);
    first.close().await;
    assert!(!repeat.is_cancelled());
    sleep(Duration::from_millis(150)).await;
    assert_eq!(count(&runs), 1);
    second.close().await;
    assert!(repeat.is_cancelled());
}
