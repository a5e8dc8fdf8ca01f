//! The actor the integration tests drive: a counter that shows its state.

// Each test file is its own crate and uses only part of this module.
#![allow(dead_code)]

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use domo_actors_testkit::ObservableState;

/// A counter whose protocol also answers `observable_state`, the way an actor with a protocol of
/// its own becomes observable.
#[actor_protocol]
pub trait Counter {
    /// Adds one.
    async fn increment(&mut self);
    /// Answers the current count.
    async fn value(&mut self) -> u64;
    /// Stops the actor after this message; messages queued behind it become dead letters.
    async fn halt(&mut self);
    /// `{count: <n>, name: "counter"}`.
    async fn observable_state(&mut self) -> ObservableState;
}

#[derive(Actor, Default)]
pub struct CounterActor {
    count: u64,
}

impl Counter for CounterActor {
    async fn increment(&mut self) {
        self.count += 1;
    }

    async fn value(&mut self) -> u64 {
        self.count
    }

    async fn halt(&mut self) {
        self.stop();
    }

    async fn observable_state(&mut self) -> ObservableState {
        ObservableState::new()
            .with_value("count", self.count)
            .with_value("name", "counter")
    }
}

/// A new counter at zero on `stage`.
pub fn counter(stage: &Stage) -> CounterProxy {
    stage
        .actor_for(Definition::new(CounterActor::default))
        .expect("the stage is open")
}

/// The text of a panic payload (`assert!` and `panic!` with arguments carry a `String`, a
/// literal-only `panic!` a `&str`).
pub fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(payload) => match payload.downcast::<&str>() {
            Ok(text) => (*text).to_owned(),
            Err(_) => panic!("the panic payload is not text"),
        },
    }
}
