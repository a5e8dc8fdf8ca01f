//! An actor that runs out of messages may keep its actor task for a while, waiting for the next
//! message (it *lingers*), instead of parking at once: waking a waiting task is cheaper than
//! activating a parked one. These tests pin what that must not change: a lingering actor
//! answers its next message and stops like any other, and a stage never holds more than 128
//! lingering tasks, so that idle actors still cost no task each. (The tokio task that ran an actor
//! until it parked waits, as the runner of the next activation of its type, until the stage
//! closes: counted below.)

use domo_actors::Stage;
use domo_actors_suite::{CounterActor, CounterProxy, within};
use domo_actors_testkit::await_assert;

/// How many actors of a stage may linger at once (`LingerSlots::CAPACITY`).
const LINGER_SLOTS: usize = 128;

/// How many idle runners a stage keeps per actor type (`Runners::MAX_IDLE`).
const IDLE_RUNNERS: usize = 64;

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

#[tokio::test]
async fn a_lingering_actor_answers_its_next_message_and_stops() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    // A new actor parks the first time it runs out of messages, and lingers from the second.
    for expected in 1..=3 {
        assert_eq!(within!(counter.add(1)), expected);
    }
    await_assert(|| async { assert_eq!(alive_tasks(), 1, "its actor task waits") }).await;
    assert_eq!(within!(counter.add(1)), 4, "woken by the next message");
    within!(counter.stop());
    assert!(counter.is_stopped());
    await_assert(|| async {
        assert_eq!(alive_tasks(), 1, "its runner waits for the next activation");
    })
    .await;
    stage.close().await;
    await_assert(|| async { assert_eq!(alive_tasks(), 0, "closing ended the runner") }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_keeps_at_most_its_linger_slots_of_waiting_tasks() {
    const ACTORS: u64 = 3 * (LINGER_SLOTS + IDLE_RUNNERS) as u64;
    let stage = Stage::new();
    let counters: Vec<CounterProxy> = (0..ACTORS)
        .map(|_| stage.actor_for(CounterActor::definition()).unwrap())
        .collect();
    // Every actor goes idle three times: each wants to linger from its second time on, so the
    // stage sends the ones that have waited longest to park.
    for round in 1..=3 {
        for counter in &counters {
            assert_eq!(within!(counter.add(1)), round);
        }
    }
    // Besides the lingering tasks, runners that ran actors until they parked wait for the
    // next activation of the type, but no more than a stage keeps.
    await_assert(|| async {
        let alive = alive_tasks();
        assert!(
            alive <= LINGER_SLOTS + IDLE_RUNNERS,
            "{alive} tasks alive for {ACTORS} idle actors"
        );
    })
    .await;
    // The parked ones and the lingering ones all answer.
    for counter in &counters {
        assert_eq!(within!(counter.value()), 3);
    }
    within!(stage.close());
    await_assert(|| async { assert_eq!(alive_tasks(), 0) }).await;
}
