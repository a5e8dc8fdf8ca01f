//! Bounded mailboxes under overload: what each overflow policy keeps, and how the messages it
//! drops are reported (as dead letters, and as failed promises).
//!
//! Run it with `cargo run --example bounded_mailbox`.

use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorOptions, DeadLetter, Definition, MailboxConfig, OverflowPolicy, Stage,
    actor_protocol,
};

/// A dashboard that redraws slowly: only the latest readings matter.
#[actor_protocol]
pub trait Dashboard {
    /// Draws `reading`.
    async fn show(&mut self, reading: u32);
}

#[derive(Actor)]
struct DashboardActor;

impl Dashboard for DashboardActor {
    async fn show(&mut self, reading: u32) {
        tokio::time::sleep(Duration::from_millis(20)).await;
        println!("  dashboard shows reading {reading}");
    }
}

/// An order desk that takes a few orders at a time and refuses the rest.
#[actor_protocol]
pub trait OrderDesk {
    /// Takes order `id`; answers its confirmation.
    async fn place(&mut self, id: u32) -> String;
}

#[derive(Actor)]
struct OrderDeskActor;

impl OrderDesk for OrderDeskActor {
    async fn place(&mut self, id: u32) -> String {
        tokio::time::sleep(Duration::from_millis(10)).await;
        format!("order {id} confirmed")
    }
}

/// What the run observed (its test checks it).
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Readings queued, and readings dropped, right after the burst of ten.
    pub after_burst: (usize, u64),
    /// The readings the dashboard drew.
    pub shown: Vec<u32>,
    /// The order desk's confirmations, in the order they came.
    pub confirmations: Vec<String>,
    /// How many times an order was refused for a full mailbox.
    pub refusals: u32,
    /// Dead letters recorded in all.
    pub dead_letters: u64,
}

/// Runs the example, printing what happens.
///
/// Call it on a single-threaded runtime: the actors then run only while this function awaits,
/// so each burst lands in full before the actor takes its first message, and the outcome is the
/// same on every run.
pub async fn run() -> Outcome {
    let stage = Stage::new();
    stage.dead_letters().subscribe(|letter: &DeadLetter| {
        println!(
            "  dead letter: {} ({})",
            letter.representation(),
            letter.reason()
        );
    });

    println!("DropOldest, capacity 3: a burst of 10 readings keeps the newest three");
    let dashboard: DashboardProxy = stage
        .actor_for_with(
            Definition::new(|| DashboardActor),
            ActorOptions::new().with_mailbox(MailboxConfig::bounded(3, OverflowPolicy::DropOldest)),
        )
        .expect("a new stage is open");
    let readings: Vec<_> = (1..=10)
        .map(|reading| (reading, dashboard.show(reading)))
        .collect();
    let stats = dashboard.actor_ref().mailbox_stats();
    println!(
        "  after the burst: {} queued, {} dropped",
        stats.queued(),
        stats.dropped_count()
    );
    let mut shown = Vec::new();
    for (reading, promise) in readings {
        // Dropped readings' promises have failed; the kept ones resolve once drawn.
        if promise.result().await.is_ok() {
            shown.push(reading);
        }
    }

    println!("\nReject, capacity 2: a burst of 5 orders; the refused ones are sent again");
    let desk: OrderDeskProxy = stage
        .actor_for_with(
            Definition::new(|| OrderDeskActor),
            ActorOptions::new().with_mailbox(MailboxConfig::bounded(2, OverflowPolicy::Reject)),
        )
        .expect("a new stage is open");
    let mut confirmations = Vec::new();
    let mut refusals = 0;
    let mut pending: Vec<u32> = (1..=5).collect();
    while !pending.is_empty() {
        let sent: Vec<_> = pending.iter().map(|&id| (id, desk.place(id))).collect();
        pending.clear();
        for (id, promise) in sent {
            match promise.result().await {
                Ok(confirmation) => {
                    println!("  {confirmation}");
                    confirmations.push(confirmation);
                }
                // The caller sees the overflow as a typed error, and may try again later.
                Err(ActorError::MailboxFull { .. }) => {
                    println!("  order {id} refused: mailbox full; will retry");
                    refusals += 1;
                    pending.push(id);
                }
                Err(error) => println!("  order {id} failed: {error}"),
            }
        }
    }

    stage.close().await;
    let dead_letters = stage.dead_letters().count();
    println!("\nstage closed; {dead_letters} dead letters in all");
    Outcome {
        after_burst: (stats.queued(), stats.dropped_count()),
        shown,
        confirmations,
        refusals,
        dead_letters,
    }
}

// One thread: see `run`.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    tracing_subscriber::fmt()
        // Colours only on a terminal: not in a file or a CI log.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            // domo-actors also logs each dead letter at warn level; here the listener prints them.
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "error".into()),
        )
        .init();
    run().await;
}
