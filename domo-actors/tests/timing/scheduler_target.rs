//! Schedules that deliver to an actor: each run sends an ordinary message through the proxy;
//! once the actor has stopped, the next delivery becomes a dead letter and the schedule ends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use domo_actors::{Actor, DeadLetter, DeadLetterReason, Definition, Stage, actor_protocol};
use tokio::time::{Instant, sleep, sleep_until};

const PERIOD: Duration = Duration::from_millis(100);

#[actor_protocol]
trait Clock {
    async fn tick(&mut self, label: String);
    async fn ticks(&self) -> Vec<String>;
}

#[derive(Actor)]
struct ClockActor {
    ticks: Vec<String>,
}

impl Clock for ClockActor {
    async fn tick(&mut self, label: String) {
        self.ticks.push(label);
    }

    async fn ticks(&self) -> Vec<String> {
        self.ticks.clone()
    }
}

fn clock(stage: &Stage) -> ClockProxy {
    stage
        .actor_for(Definition::new(|| ClockActor { ticks: Vec::new() }))
        .unwrap()
}

/// Records every dead letter of `stage`.
fn dead_letters(stage: &Stage) -> Arc<Mutex<Vec<DeadLetter>>> {
    let letters = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&letters);
    stage
        .dead_letters()
        .subscribe(move |letter: &DeadLetter| sink.lock().unwrap().push(letter.clone()));
    letters
}

#[tokio::test(start_paused = true)]
async fn repeated_deliveries_are_ordinary_messages_in_order() {
    let stage = Stage::new();
    let clock = clock(&stage);
    let start = Instant::now();
    let _repeat = stage
        .scheduler()
        .schedule_repeat_to(&clock, PERIOD, PERIOD, |clock| {
            clock.tick("repeat".into());
        });
    let _once = stage
        .scheduler()
        .schedule_once_to(&clock, Duration::from_millis(250), |clock| {
            clock.tick("once".into());
        });

    sleep_until(start + Duration::from_millis(350)).await;
    assert_eq!(
        clock.ticks().await,
        ["repeat", "repeat", "once", "repeat"],
        "runs at 100, 200, 250 and 300"
    );
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_stopped_target_gets_one_dead_letter_and_the_schedule_ends() {
    let stage = Stage::new();
    let letters = dead_letters(&stage);
    let clock = clock(&stage);
    let start = Instant::now();
    let repeat = stage
        .scheduler()
        .schedule_repeat_to(&clock, PERIOD, PERIOD, |clock| {
            clock.tick("tick".into());
        });

    sleep_until(start + Duration::from_millis(250)).await;
    assert_eq!(clock.ticks().await, ["tick", "tick"]);
    clock.stop().await;
    assert!(letters.lock().unwrap().is_empty());

    // The run at 300 finds the actor stopped: its message still goes through the proxy, so it is
    // recorded as a dead letter, and the schedule ends.
    sleep_until(start + Duration::from_millis(350)).await;
    {
        let letters = letters.lock().unwrap();
        assert_eq!(letters.len(), 1, "{letters:?}");
        assert_eq!(letters[0].address(), clock.address());
        assert_eq!(letters[0].method(), "tick");
        assert_eq!(letters[0].representation(), "tick(\"tick\")");
        assert_eq!(letters[0].reason(), DeadLetterReason::ActorStopped);
    }
    assert_eq!(stage.scheduler().active_count(), 0);
    assert!(!repeat.cancel(), "the schedule ended by itself");
    assert!(!repeat.is_cancelled());

    sleep(Duration::from_secs(10)).await;
    assert_eq!(
        letters.lock().unwrap().len(),
        1,
        "no delivery after the end"
    );
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_one_time_delivery_to_a_stopped_target_becomes_a_dead_letter() {
    let stage = Stage::new();
    let letters = dead_letters(&stage);
    let clock = clock(&stage);
    let once = stage.scheduler().schedule_once_to(&clock, PERIOD, |clock| {
        clock.tick("late".into());
    });
    clock.stop().await;

    sleep(Duration::from_millis(150)).await;
    {
        let letters = letters.lock().unwrap();
        assert_eq!(letters.len(), 1, "{letters:?}");
        assert_eq!(letters[0].representation(), "tick(\"late\")");
    }
    assert!(!once.cancel());
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_delivery_schedule_sends_nothing_more() {
    let stage = Stage::new();
    let clock = clock(&stage);
    let repeat = stage
        .scheduler()
        .schedule_repeat_to(&clock, PERIOD, PERIOD, |clock| {
            clock.tick("tick".into());
        });
    sleep(Duration::from_millis(150)).await;
    assert!(repeat.cancel());
    sleep(Duration::from_secs(1)).await;
    assert_eq!(clock.ticks().await, ["tick"]);
    stage.close().await;
}
