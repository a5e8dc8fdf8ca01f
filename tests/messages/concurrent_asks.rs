//! 10,000 asks from 8 concurrent tasks on a multi-thread runtime: each is delivered and answered
//! exactly once, with its own answer.

use std::collections::HashSet;

use domo_actors::{Actor, Definition, Stage, actor_protocol};

const TASKS: u64 = 8;
const PER_TASK: u64 = 1_250;
const TOTAL: u64 = TASKS * PER_TASK;

/// Answers a value derived from the ask's id, and records every id it handles.
#[actor_protocol]
trait Ledger {
    async fn ask(&mut self, id: u64) -> u64;
    async fn recorded(&self) -> Vec<u64>;
}

#[derive(Actor, Default)]
struct LedgerActor {
    recorded: Vec<u64>,
}

impl Ledger for LedgerActor {
    async fn ask(&mut self, id: u64) -> u64 {
        self.recorded.push(id);
        answer_for(id)
    }

    async fn recorded(&self) -> Vec<u64> {
        self.recorded.clone()
    }
}

fn answer_for(id: u64) -> u64 {
    id * 3 + 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_concurrent_asks_are_each_answered_exactly_once() {
    let stage = Stage::new();
    let ledger: LedgerProxy = stage
        .actor_for(Definition::new(LedgerActor::default))
        .unwrap();

    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let ledger = ledger.clone();
            tokio::spawn(async move {
                let ids = (task * PER_TASK)..((task + 1) * PER_TASK);
                // Half of the asks are awaited one by one, the other half are all outstanding
                // at once.
                let (one_by_one, batch) = ids.clone().partition::<Vec<u64>, _>(|id| id % 2 == 0);
                let mut answered = Vec::with_capacity(PER_TASK as usize);
                let pending: Vec<_> = batch.iter().map(|&id| (id, ledger.ask(id))).collect();
                for id in one_by_one {
                    answered.push((id, ledger.ask(id).await));
                }
                for (id, promise) in pending {
                    answered.push((id, promise.await));
                }
                answered
            })
        })
        .collect();

    let mut answered = Vec::with_capacity(TOTAL as usize);
    for task in tasks {
        answered.extend(task.await.expect("asking task"));
    }
    assert_eq!(answered.len(), TOTAL as usize);
    for (id, answer) in &answered {
        assert_eq!(*answer, answer_for(*id), "ask {id} got its own answer");
    }

    let recorded = ledger.recorded().await;
    assert_eq!(
        recorded.len(),
        TOTAL as usize,
        "each ask delivered exactly once"
    );
    let distinct: HashSet<u64> = recorded.iter().copied().collect();
    assert_eq!(distinct.len(), TOTAL as usize);
    assert_eq!(distinct, (0..TOTAL).collect::<HashSet<_>>());
    stage.close().await;
}
