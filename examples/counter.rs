//! The smallest domo-actors program: a counter actor called through its generated proxy.
//!
//! Run it with `cargo run --example counter`.

use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};

/// What a counter can be asked to do.
#[actor_protocol]
pub trait Counter {
    /// Adds one.
    async fn increment(&mut self);
    /// Adds `n` and answers the new value.
    async fn add(&mut self, n: u64) -> u64;
    /// Answers the current value.
    async fn value(&mut self) -> u64;
}

/// The actor behind the proxy: its state is a plain field, touched by one message at a time.
#[derive(Actor)]
struct CounterActor {
    count: u64,
}

impl Counter for CounterActor {
    async fn increment(&mut self) {
        self.count += 1;
    }

    async fn add(&mut self, n: u64) -> u64 {
        self.count += n;
        self.count
    }

    async fn value(&mut self) -> u64 {
        self.count
    }
}

/// What the run observed (its test checks it).
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The answer to `add(2)` after one `increment`.
    pub after_add: u64,
    /// The answer to `value()` after 1,000 more increments from ten tasks.
    pub after_concurrent_increments: u64,
    /// Whether the counter was stopped once the stage closed.
    pub stopped_after_close: bool,
    /// What a call after the close got.
    pub call_after_close: Result<u64, ActorError>,
}

/// Runs the example, printing what happens.
pub async fn run() -> Outcome {
    let stage = Stage::new();
    let counter: CounterProxy = stage
        .actor_for(Definition::new(|| CounterActor { count: 0 }))
        .expect("a new stage is open");
    println!("created {} at {}", counter.type_name(), counter.address());

    // A tell: the message is enqueued at the call; nobody waits for the answer.
    counter.increment();
    // Asks: each promise resolves with the actor's answer, in the order the messages were sent.
    let after_add = counter.add(2).await;
    println!("add(2)  -> {after_add}");
    println!("value() -> {}", counter.value().await);

    // A thousand tells from ten concurrent tasks, then one ask that sees them all.
    let senders: Vec<_> = (0..10)
        .map(|_| {
            let counter = counter.clone();
            tokio::spawn(async move {
                for _ in 0..100 {
                    counter.increment();
                }
            })
        })
        .collect();
    for sender in senders {
        sender.await.expect("sender task");
    }
    let after_concurrent_increments = counter.value().await;
    println!("after 1,000 concurrent increments: value() -> {after_concurrent_increments}");

    stage.close().await;
    let stopped_after_close = counter.is_stopped();
    println!("stage closed; counter stopped: {stopped_after_close}");
    let call_after_close = counter.value().result().await;
    match &call_after_close {
        Ok(value) => println!("unexpected answer after close: {value}"),
        Err(error) => println!("a call after close fails fast: {error}"),
    }
    Outcome {
        after_add,
        after_concurrent_increments,
        stopped_after_close,
        call_after_close,
    }
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        // Colours only on a terminal: not in a file or a CI log.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    run().await;
}
