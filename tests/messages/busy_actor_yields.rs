//! A busy actor does not hold its worker thread: after a bounded number of messages its actor
//! task yields, so other tasks on the same thread run while its mailbox is still full.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domo_actors::{Actor, Definition, Stage, actor_protocol};

const TELLS: u64 = 10_000;

#[actor_protocol]
trait Tally {
    async fn add_one(&mut self);
    async fn total(&self) -> u64;
}

/// Publishes its count through an atomic, so it can be read without queueing behind the tells.
#[derive(Actor)]
struct TallyActor {
    count: Arc<AtomicU64>,
}

impl Tally for TallyActor {
    async fn add_one(&mut self) {
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    async fn total(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_busy_actor_lets_the_other_tasks_of_its_thread_run() {
    let stage = Stage::new();
    let count = Arc::new(AtomicU64::new(0));
    let tally: TallyProxy = stage
        .actor_for(Definition::new({
            let count = Arc::clone(&count);
            move || TallyActor {
                count: Arc::clone(&count),
            }
        }))
        .unwrap();
    for _ in 0..TELLS {
        drop(tally.add_one());
    }
    // One thread: the actor task (scheduled by the first tell) runs before this task,
    // and this one can only run when the actor task yields.
    let seen = tokio::spawn({
        let count = Arc::clone(&count);
        async move { count.load(Ordering::Relaxed) }
    })
    .await
    .unwrap();
    assert!(
        seen > 0 && seen < TELLS,
        "the other task ran after {seen} of {TELLS} messages"
    );
    assert_eq!(tally.total().await, TELLS, "and every message is delivered");
    stage.close().await;
}
