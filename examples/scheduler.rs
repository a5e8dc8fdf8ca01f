//! The stage's scheduler: a heartbeat, a reminder, a cancelled reminder, and a schedule that
//! ends by itself when its target stops.
//!
//! A scheduled task runs outside any actor; to act on an actor it sends it a message through
//! its proxy, which the actor then handles like any other, one at a time. The `..._to` methods
//! take that proxy, and a repeating one ends by itself once the actor has stopped.
//!
//! Run it with `cargo run --example scheduler` (it takes a little over a second).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use domo_actors::{Actor, DeadLetter, Definition, Stage, actor_protocol};
use tokio::time::{Instant, sleep_until};

/// Something that keeps time and takes notes.
#[actor_protocol]
pub trait Monitor {
    /// One heartbeat.
    async fn beat(&mut self);
    /// A reminder comes due.
    async fn remind(&mut self, note: String);
    /// Heartbeats so far.
    async fn beats(&self) -> u32;
    /// Reminders so far, in the order they came.
    async fn reminders(&self) -> Vec<String>;
}

#[derive(Actor, Default)]
struct MonitorActor {
    beats: u32,
    reminders: Vec<String>,
}

impl Monitor for MonitorActor {
    async fn beat(&mut self) {
        self.beats += 1;
        println!("         beat {}", self.beats);
    }

    async fn remind(&mut self, note: String) {
        println!("         reminder: {note}");
        self.reminders.push(note);
    }

    async fn beats(&self) -> u32 {
        self.beats
    }

    async fn reminders(&self) -> Vec<String> {
        self.reminders.clone()
    }
}

/// What the run observed.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Heartbeats at 350 ms (one every 100 ms).
    pub beats_early: u32,
    /// Reminders at 350 ms.
    pub reminders_early: Vec<String>,
    /// What the first `cancel` of the lunch reminder answered, and the second.
    pub cancels: (bool, bool),
    /// Heartbeats at 1,050 ms, when the monitor is stopped.
    pub beats_at_stop: u32,
    /// Reminders at 1,050 ms: the cancelled one never came.
    pub reminders_at_stop: Vec<String>,
    /// The messages that found the monitor stopped.
    pub dead_letters: Vec<String>,
    /// Whether the heartbeat had already ended by itself when cancelled at the end.
    pub heartbeat_ended_by_itself: bool,
    /// Schedules still active at the end.
    pub active_at_end: usize,
}

/// Runs the timeline, printing it as it goes. Times are tokio's, so under a paused clock (in
/// the test) the run takes no real time and every count is exact.
pub async fn run() -> Outcome {
    let stage = Stage::new();
    let dead_letters = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&dead_letters);
    stage.dead_letters().subscribe(move |letter: &DeadLetter| {
        println!(
            "         dead letter: {} ({})",
            letter.representation(),
            letter.reason()
        );
        recorded
            .lock()
            .unwrap()
            .push(letter.representation().to_owned());
    });
    let monitor: MonitorProxy = stage
        .actor_for(Definition::new(MonitorActor::default))
        .expect("a new stage is open");
    let scheduler = stage.scheduler();
    let start = Instant::now();
    let at = |millis| start + Duration::from_millis(millis);
    let every = Duration::from_millis(100);

    println!("t=0      heartbeat every 100 ms; reminders due at 250 ms and at 1,000 ms");
    let heartbeat = scheduler.schedule_repeat_to(&monitor, every, every, |monitor| {
        monitor.beat();
    });
    // Dropping a Cancellable does not cancel: a one-off can be scheduled and forgotten.
    scheduler.schedule_once_to(&monitor, Duration::from_millis(250), |monitor| {
        monitor.remind("stretch your legs".into());
    });
    let lunch = scheduler.schedule_once_to(&monitor, Duration::from_millis(1000), |monitor| {
        monitor.remind("lunch".into());
    });

    sleep_until(at(350)).await;
    let beats_early = monitor.beats().await;
    let reminders_early = monitor.reminders().await;
    println!("t=350ms  {beats_early} beats so far; cancelling the lunch reminder");
    let cancels = (lunch.cancel(), lunch.cancel());
    println!(
        "         cancel() -> {}, and again -> {} (nothing left to cancel)",
        cancels.0, cancels.1
    );

    sleep_until(at(1050)).await;
    let beats_at_stop = monitor.beats().await;
    let reminders_at_stop = monitor.reminders().await;
    println!(
        "t=1050ms {beats_at_stop} beats, reminders {reminders_at_stop:?} (no lunch); stopping \
         the monitor"
    );
    monitor.stop().await;

    // At 1,100 ms the heartbeat finds its target stopped: that last beat goes through the
    // proxy, becomes a dead letter, and the schedule ends by itself.
    sleep_until(at(1150)).await;
    let heartbeat_ended_by_itself = !heartbeat.cancel();
    let active_at_end = scheduler.active_count();
    println!(
        "t=1150ms heartbeat ended by itself: {heartbeat_ended_by_itself}; schedules still \
         active: {active_at_end}"
    );

    stage.close().await;
    let dead_letters = dead_letters.lock().unwrap().clone();
    Outcome {
        beats_early,
        reminders_early,
        cancels,
        beats_at_stop,
        reminders_at_stop,
        dead_letters,
        heartbeat_ended_by_itself,
        active_at_end,
    }
}

#[tokio::main]
async fn main() {
    // The runtime logs dead letters at warn level; here the listener prints them.
    tracing_subscriber::fmt()
        // Colours only on a terminal: not in a file or a CI log.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "error".into()),
        )
        .init();
    run().await;
}
