//! Seeded random interleavings of sends and deliveries against a model of the bounded mailbox:
//! after every step the dead letters, the queue size and the dropped count are exactly the
//! model's; at the end no message was both delivered and dead-lettered, none vanished, every
//! promise settled according to its message's fate, and deliveries kept send order.
//!
//! The actor reports when it takes a message and waits for a permit before finishing it, so
//! that the test knows at every step which message is in flight and which are queued. A tiny
//! xorshift generator keeps each run reproducible: a failure names its seed.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use domo_actors::{
    Actor, ActorError, ActorOptions, DeadLetter, DeadLetterReason, Definition, MailboxConfig,
    OverflowPolicy, Stage, actor_protocol,
};
use tokio::sync::{Semaphore, mpsc};

#[actor_protocol]
pub trait Worker {
    /// Reports `Taken(n)`, waits for a permit, records `n`, reports `Done(n)`; answers `n`.
    async fn work(&mut self, n: u32) -> u32;
}

#[derive(Debug, PartialEq, Eq)]
enum Event {
    Taken(u32),
    Done(u32),
}

#[derive(Actor)]
struct WorkerActor {
    permits: Arc<Semaphore>,
    events: mpsc::UnboundedSender<Event>,
    delivered: Arc<Mutex<Vec<u32>>>,
}

impl Worker for WorkerActor {
    async fn work(&mut self, n: u32) -> u32 {
        let _ = self.events.send(Event::Taken(n));
        self.permits.acquire().await.expect("never closed").forget();
        self.delivered.lock().unwrap().push(n);
        let _ = self.events.send(Event::Done(n));
        n
    }
}

/// xorshift64: tiny, seedable, good enough to pick actions.
struct XorShift(u64);

impl XorShift {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, bound: u64) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x % bound
    }
}

/// What the test expects the mailbox to hold.
struct Model {
    capacity: usize,
    policy: OverflowPolicy,
    in_flight: Option<u32>,
    queue: VecDeque<u32>,
    delivered: Vec<u32>,
    lost: Vec<(String, DeadLetterReason)>,
}

impl Model {
    /// A send of `n`; `true` if the actor, idle, will take it at once.
    fn send(&mut self, n: u32) -> bool {
        if self.queue.len() >= self.capacity {
            let (loser, reason) = match self.policy {
                OverflowPolicy::DropOldest => {
                    let oldest = self.queue.pop_front().expect("full");
                    self.queue.push_back(n);
                    (oldest, DeadLetterReason::DroppedOldest)
                }
                OverflowPolicy::DropNewest => (n, DeadLetterReason::DroppedNewest),
                _ => (n, DeadLetterReason::MailboxFull),
            };
            self.lost.push((format!("work({loser})"), reason));
            return false;
        }
        self.queue.push_back(n);
        self.in_flight.is_none()
    }

    fn is_lost(&self, n: u32) -> bool {
        let representation = format!("work({n})");
        self.lost.iter().any(|(lost, _)| *lost == representation)
    }
}

async fn run(seed: u64) {
    let mut random = XorShift::new(seed);
    let capacity = 1 + random.below(4) as usize;
    let policy = [
        OverflowPolicy::DropOldest,
        OverflowPolicy::DropNewest,
        OverflowPolicy::Reject,
    ][random.below(3) as usize];
    let context = format!("seed {seed}, capacity {capacity}, {policy}");

    let stage = Stage::new();
    let letters: Arc<Mutex<Vec<(String, DeadLetterReason)>>> = Arc::default();
    let sink = letters.clone();
    stage.dead_letters().subscribe(move |letter: &DeadLetter| {
        let entry = (letter.representation().to_owned(), letter.reason());
        sink.lock().unwrap().push(entry);
    });
    let permits = Arc::new(Semaphore::new(0));
    let (events, mut happened) = mpsc::unbounded_channel();
    let delivered: Arc<Mutex<Vec<u32>>> = Arc::default();
    let (actor_permits, log) = (permits.clone(), delivered.clone());
    let worker: WorkerProxy = stage
        .actor_for_with(
            Definition::new(move || WorkerActor {
                permits: actor_permits.clone(),
                events: events.clone(),
                delivered: log.clone(),
            }),
            ActorOptions::new().with_mailbox(MailboxConfig::bounded(capacity, policy)),
        )
        .unwrap();

    let mut model = Model {
        capacity,
        policy,
        in_flight: None,
        queue: VecDeque::new(),
        delivered: Vec::new(),
        lost: Vec::new(),
    };
    let mut promises = Vec::new();
    let mut next = 0;
    let steps = 20 + random.below(80);
    let mut step = 0;
    // Random steps, then deliveries until the actor is idle.
    while step < steps || model.in_flight.is_some() {
        let deliver = step >= steps || random.below(100) < 40;
        step += 1;
        if deliver {
            let Some(n) = model.in_flight.take() else {
                continue;
            };
            permits.add_permits(1);
            assert_eq!(happened.recv().await, Some(Event::Done(n)), "{context}");
            model.delivered.push(n);
        } else {
            next += 1;
            promises.push((next, worker.work(next)));
            if !model.send(next) {
                // The loser (if any) was dead-lettered inside the send.
                assert_eq!(*letters.lock().unwrap(), model.lost, "{context}");
                continue;
            }
        }
        // The actor takes the next queued message by itself: wait until it has.
        if model.in_flight.is_none() {
            if let Some(n) = model.queue.pop_front() {
                assert_eq!(happened.recv().await, Some(Event::Taken(n)), "{context}");
                model.in_flight = Some(n);
            }
        }
        assert_eq!(*letters.lock().unwrap(), model.lost, "{context}");
        let stats = worker.actor_ref().mailbox_stats();
        assert_eq!(stats.queued(), model.queue.len(), "{context}");
        assert_eq!(stats.dropped_count(), model.lost.len() as u64, "{context}");
    }

    assert_eq!(*delivered.lock().unwrap(), model.delivered, "{context}");
    assert!(model.delivered.is_sorted(), "{context}: FIFO");
    assert_eq!(
        model.delivered.len() + model.lost.len(),
        next as usize,
        "{context}: none vanished"
    );
    for (n, promise) in promises {
        let delivered = model.delivered.contains(&n);
        assert_ne!(delivered, model.is_lost(n), "{context}: work({n})");
        let expected = if delivered {
            Ok(n)
        } else if policy == OverflowPolicy::Reject {
            Err(ActorError::MailboxFull {
                address: worker.address(),
                type_name: Arc::from("Worker"),
                method: "work",
            })
        } else {
            Err(ActorError::DroppedByOverflow {
                address: worker.address(),
                type_name: Arc::from("Worker"),
                method: "work",
                policy,
            })
        };
        assert_eq!(promise.result().await, expected, "{context}: work({n})");
    }
    stage.close().await;
}

#[tokio::test]
async fn random_interleavings_match_the_model() {
    for seed in 0..300 {
        run(seed).await;
    }
}
