//! The fixture of the bounded-mailbox policy tests: a worker that can be held inside a handler
//! (so that its queue fills deterministically), on a stage that records its dead letters.

// Each test file uses the parts it needs.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use domo_actors::{
    Actor, ActorOptions, DeadLetter, DeadLetterReason, Definition, MailboxConfig, OverflowPolicy,
    Stage, actor_protocol,
};
use tokio::sync::oneshot;

/// What a held worker is asked to do.
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

/// Parks the actor inside `hold` (so that it has left the queue) and returns its release.
pub async fn hold(worker: &WorkerProxy) -> oneshot::Sender<()> {
    let (entered, has_entered) = oneshot::channel();
    let (release, released) = oneshot::channel();
    worker.hold(entered, released);
    has_entered.await.expect("the actor is holding");
    release
}

/// A stage whose dead letters are recorded, and a worker with a bounded mailbox on it.
pub struct Fixture {
    pub stage: Stage,
    /// Every dead letter, as (representation, reason), in order.
    pub letters: Arc<Mutex<Vec<(String, DeadLetterReason)>>>,
    /// The `n` of every `work(n)` delivered, in order.
    pub delivered: Arc<Mutex<Vec<u32>>>,
    pub worker: WorkerProxy,
}

impl Fixture {
    /// A worker whose mailbox holds `capacity` messages under `policy`.
    pub fn bounded(capacity: usize, policy: OverflowPolicy) -> Self {
        let stage = Stage::new();
        let letters: Arc<Mutex<Vec<(String, DeadLetterReason)>>> = Arc::default();
        let sink = letters.clone();
        stage.dead_letters().subscribe(move |letter: &DeadLetter| {
            let entry = (letter.representation().to_owned(), letter.reason());
            sink.lock().unwrap().push(entry);
        });
        let delivered: Arc<Mutex<Vec<u32>>> = Arc::default();
        let log = delivered.clone();
        let options = ActorOptions::new().with_mailbox(MailboxConfig::bounded(capacity, policy));
        let worker: WorkerProxy = stage
            .actor_for_with(
                Definition::new(move || WorkerActor {
                    delivered: log.clone(),
                }),
                options,
            )
            .unwrap();
        Self {
            stage,
            letters,
            delivered,
            worker,
        }
    }
}
