//! Runners: the tokio tasks that run activated actors, at most one per worker at a time for an
//! actor type, the other activations queued behind them. What that must not change: a handler
//! that waits (for I/O, a timer, another actor) never holds up the other actors of its type,
//! a burst of activations is delivered in full, and closing the stage ends every runner.

use std::future::IntoFuture as _;

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use domo_actors_suite::within;
use domo_actors_testkit::await_assert;
use tokio::sync::oneshot;

/// A gate: holds its handler until told, and counts what passed.
#[actor_protocol]
pub trait Gate {
    /// Waits, inside the handler, until `open` is sent (or dropped).
    async fn hold(&mut self, open: oneshot::Receiver<()>);
    /// Counts one and answers the count.
    async fn pass(&mut self) -> u64;
}

#[derive(Actor, Default)]
struct GateActor {
    passed: u64,
}

impl Gate for GateActor {
    async fn hold(&mut self, open: oneshot::Receiver<()>) {
        let _ = open.await;
    }

    async fn pass(&mut self) -> u64 {
        self.passed += 1;
        self.passed
    }
}

fn gates(stage: &Stage, count: usize) -> Vec<GateProxy> {
    (0..count)
        .map(|_| {
            stage
                .actor_for(Definition::new(GateActor::default))
                .unwrap()
        })
        .collect()
}

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

/// More actors of one type waiting inside handlers than there are workers (so more than may
/// run at once): every other actor of the type still answers.
async fn waiting_handlers_hold_up_no_one(waiting: usize) {
    let stage = Stage::new();
    let held = gates(&stage, waiting);
    let free = gates(&stage, 8);
    let mut opens = Vec::new();
    for gate in &held {
        let (open, until) = oneshot::channel();
        opens.push(open);
        gate.hold(until);
    }
    for gate in &free {
        assert_eq!(within!(gate.pass().into_future()), 1);
    }
    // The held ones answer once let go, in order behind their handler.
    let answers: Vec<_> = held.iter().map(|gate| gate.pass()).collect();
    drop(opens);
    for answer in answers {
        assert_eq!(within!(answer.into_future()), 1);
    }
    within!(stage.close());
}

#[tokio::test]
async fn a_waiting_handler_holds_up_no_one_on_one_thread() {
    waiting_handlers_hold_up_no_one(3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_handlers_hold_up_no_one_on_two_workers() {
    waiting_handlers_hold_up_no_one(5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_activations_is_delivered_in_full_and_closing_ends_the_runners() {
    let stage = Stage::new();
    let gates = gates(&stage, 2_000);
    for round in 1..=3 {
        // Every ask sent before any is awaited: most activations wait in the queue.
        let answers: Vec<_> = gates.iter().map(|gate| gate.pass()).collect();
        for answer in answers {
            assert_eq!(within!(answer.into_future()), round);
        }
    }
    within!(stage.close());
    await_assert(|| async { assert_eq!(alive_tasks(), 0, "no runner outlives its stage") }).await;
}

/// A runner that has run an actor and waits, idle, for its next activation holds nothing of
/// that actor: once the actor has stopped and its handles are dropped, its definition (and
/// what its instantiator captured) is freed, with the stage still open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_runner_holds_nothing_of_the_actor_it_ran() {
    let stage = Stage::new();
    let captured = std::sync::Arc::new(());
    let freed = std::sync::Arc::downgrade(&captured);
    let gate: GateProxy = stage
        .actor_for(Definition::new(move || {
            let _held = &captured;
            GateActor::default()
        }))
        .unwrap();
    // Run by a runner, which then waits idle for another activation of its type.
    assert_eq!(within!(gate.pass()), 1);
    within!(gate.stop());
    drop(gate);
    await_assert(|| async {
        assert!(
            freed.upgrade().is_none(),
            "the stopped actor's definition is freed"
        );
    })
    .await;
    within!(stage.close());
}
