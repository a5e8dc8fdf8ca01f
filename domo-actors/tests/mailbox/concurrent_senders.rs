//! Several tasks overrun a small bounded mailbox at once, for each overflow policy: nothing
//! vanishes and nothing is both delivered and dead-lettered; exactly `capacity` messages are
//! delivered after the one in flight; each sender's messages keep their order; the policy
//! decides which ones survive (each sender's newest under `DropOldest`, its first under
//! `DropNewest` and `Reject`); every loser's promise fails with the policy's `ActorError`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use domo_actors::{
    Actor, ActorError, ActorOptions, DeadLetter, DeadLetterReason, Definition, MailboxConfig,
    OverflowPolicy, Stage, actor_protocol,
};
use tokio::sync::{Barrier, oneshot};

#[actor_protocol]
pub trait Worker {
    /// Holds the actor until `release` fires, after telling `entered` that it has begun.
    async fn hold(&mut self, entered: oneshot::Sender<()>, release: oneshot::Receiver<()>);
    /// Records `n` as delivered and answers it.
    async fn work(&mut self, n: u32) -> u32;
}

#[derive(Actor)]
struct WorkerActor {
    delivered: Arc<Mutex<Vec<u32>>>,
}

impl Worker for WorkerActor {
    async fn hold(&mut self, entered: oneshot::Sender<()>, release: oneshot::Receiver<()>) {
        let _ = entered.send(());
        let _ = release.await;
    }

    async fn work(&mut self, n: u32) -> u32 {
        self.delivered.lock().unwrap().push(n);
        n
    }
}

const CAPACITY: usize = 8;
const SENDERS: u32 = 4;
const PER_SENDER: u32 = 50;
const ROUNDS: usize = 20;

/// Message `i` of sender `s` is `s * 1000 + i`.
fn sender_of(n: u32) -> u32 {
    n / 1000
}

async fn overrun(policy: OverflowPolicy) {
    let stage = Stage::new();
    let letters: Arc<Mutex<Vec<(u32, DeadLetterReason)>>> = Arc::default();
    let sink = letters.clone();
    stage.dead_letters().subscribe(move |letter: &DeadLetter| {
        let n = letter
            .representation()
            .trim_start_matches("work(")
            .trim_end_matches(')')
            .parse()
            .expect("only work(n) is lost");
        sink.lock().unwrap().push((n, letter.reason()));
    });
    let delivered: Arc<Mutex<Vec<u32>>> = Arc::default();
    let log = delivered.clone();
    let options = ActorOptions::new().with_mailbox(MailboxConfig::bounded(CAPACITY, policy));
    let worker: WorkerProxy = stage
        .actor_for_with(
            Definition::new(move || WorkerActor {
                delivered: log.clone(),
            }),
            options,
        )
        .unwrap();

    let (entered, has_entered) = oneshot::channel();
    let (release, released) = oneshot::channel();
    worker.hold(entered, released);
    has_entered.await.unwrap();

    let start = Arc::new(Barrier::new(SENDERS as usize));
    let senders: Vec<_> = (0..SENDERS)
        .map(|s| {
            let (worker, start) = (worker.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                (0..PER_SENDER)
                    .map(|i| (s * 1000 + i, worker.work(s * 1000 + i)))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut promises = Vec::new();
    for sender in senders {
        promises.extend(sender.await.unwrap());
    }
    let total = (SENDERS * PER_SENDER) as usize;
    let stats = worker.actor_ref().mailbox_stats();
    assert_eq!(stats.queued(), CAPACITY, "{policy}");
    assert_eq!(stats.dropped_count(), (total - CAPACITY) as u64, "{policy}");

    release.send(()).unwrap();
    let mut answered = BTreeSet::new();
    let mut failed = BTreeSet::new();
    let expected_error = match policy {
        OverflowPolicy::Reject => ActorError::MailboxFull {
            address: worker.address(),
            type_name: Arc::from("Worker"),
            method: "work",
        },
        _ => ActorError::DroppedByOverflow {
            address: worker.address(),
            type_name: Arc::from("Worker"),
            method: "work",
            policy,
        },
    };
    for (n, promise) in promises {
        match promise.result().await {
            Ok(answer) => {
                assert_eq!(answer, n);
                answered.insert(n);
            }
            Err(error) => {
                assert_eq!(error, expected_error, "{policy}: work({n})");
                failed.insert(n);
            }
        }
    }

    let delivered = delivered.lock().unwrap().clone();
    let letters = letters.lock().unwrap().clone();
    let reason = match policy {
        OverflowPolicy::DropOldest => DeadLetterReason::DroppedOldest,
        OverflowPolicy::DropNewest => DeadLetterReason::DroppedNewest,
        _ => DeadLetterReason::MailboxFull,
    };
    assert!(
        letters.iter().all(|(_, r)| *r == reason),
        "{policy}: {letters:?}"
    );
    let dead: BTreeSet<u32> = letters.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        dead.len(),
        letters.len(),
        "{policy}: each loser recorded once"
    );

    // Nothing both delivered and lost; nothing vanished.
    assert_eq!(delivered.len(), CAPACITY, "{policy}: {delivered:?}");
    let delivered_set: BTreeSet<u32> = delivered.iter().copied().collect();
    assert_eq!(delivered_set, answered, "{policy}");
    assert_eq!(
        dead, failed,
        "{policy}: dead letters are the failed promises"
    );
    assert!(delivered_set.is_disjoint(&dead), "{policy}");
    let all: BTreeSet<u32> = (0..SENDERS)
        .flat_map(|s| (0..PER_SENDER).map(move |i| s * 1000 + i))
        .collect();
    assert_eq!(&delivered_set | &dead, all, "{policy}");

    // Per sender: delivered in send order, and the survivors are the newest (DropOldest) or
    // the first (DropNewest, Reject) of its messages.
    let mut by_sender: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for &n in &delivered {
        by_sender.entry(sender_of(n)).or_default().push(n);
    }
    for (s, kept) in by_sender {
        assert!(
            kept.is_sorted(),
            "{policy}: sender {s} out of order: {kept:?}"
        );
        let first = s * 1000;
        let last = first + PER_SENDER - 1;
        let expected: Vec<u32> = match policy {
            OverflowPolicy::DropOldest => (last + 1 - kept.len() as u32..=last).collect(),
            _ => (first..first + kept.len() as u32).collect(),
        };
        assert_eq!(kept, expected, "{policy}: sender {s}");
    }
    stage.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn drop_oldest_under_concurrent_senders() {
    for _ in 0..ROUNDS {
        overrun(OverflowPolicy::DropOldest).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn drop_newest_under_concurrent_senders() {
    for _ in 0..ROUNDS {
        overrun(OverflowPolicy::DropNewest).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reject_under_concurrent_senders() {
    for _ in 0..ROUNDS {
        overrun(OverflowPolicy::Reject).await;
    }
}
