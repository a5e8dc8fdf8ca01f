//! A stop request is never refused nor evicted by a full bounded mailbox, and takes no room: it
//! is queued behind the messages already sent, which are delivered first; what was sent after
//! it fails with `ActorError::Stopped`.

use std::sync::{Arc, Mutex};

use domo_actors::{
    Actor, ActorError, ActorOptions, DeadLetter, DeadLetterReason, Definition, MailboxConfig,
    OverflowPolicy, Stage, actor_protocol,
};
use tokio::sync::oneshot;

type Letters = Arc<Mutex<Vec<(String, DeadLetterReason)>>>;
type Delivered = Arc<Mutex<Vec<u32>>>;

#[actor_protocol]
pub trait Worker {
    /// Holds the actor until `release` fires, after telling `entered` that it has begun.
    async fn hold(&mut self, entered: oneshot::Sender<()>, release: oneshot::Receiver<()>);
    /// Records `n` as delivered and answers it.
    async fn work(&mut self, n: u32) -> u32;
}

#[derive(Actor)]
struct WorkerActor {
    delivered: Delivered,
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
async fn hold(worker: &WorkerProxy) -> oneshot::Sender<()> {
    let (entered, has_entered) = oneshot::channel();
    let (release, released) = oneshot::channel();
    worker.hold(entered, released);
    has_entered.await.expect("the actor is holding");
    release
}

/// A stage whose dead letters are recorded, and a worker on it with a bounded mailbox.
fn bounded_worker(
    capacity: usize,
    policy: OverflowPolicy,
) -> (Stage, WorkerProxy, Letters, Delivered) {
    let stage = Stage::new();
    let letters = Letters::default();
    let sink = letters.clone();
    stage.dead_letters().subscribe(move |letter: &DeadLetter| {
        let entry = (letter.representation().to_owned(), letter.reason());
        sink.lock().unwrap().push(entry);
    });
    let delivered = Delivered::default();
    let log = delivered.clone();
    let options = ActorOptions::new().with_mailbox(MailboxConfig::bounded(capacity, policy));
    let worker = stage
        .actor_for_with(
            Definition::new(move || WorkerActor {
                delivered: log.clone(),
            }),
            options,
        )
        .unwrap();
    (stage, worker, letters, delivered)
}

fn letter(n: u32, reason: DeadLetterReason) -> (String, DeadLetterReason) {
    (format!("work({n})"), reason)
}

#[tokio::test]
async fn a_full_mailbox_accepts_a_stop_behind_its_messages() {
    let (stage, worker, letters, delivered) = bounded_worker(2, OverflowPolicy::Reject);
    let release = hold(&worker).await;
    let first = [worker.work(1), worker.work(2)];
    let mut refused = worker.work(3);
    let stopped = worker.stop();
    let mut refused_too = worker.work(4);
    assert!(refused.try_result().is_some_and(|r| r.is_err()));
    assert!(
        refused_too.try_result().is_some_and(|r| r.is_err()),
        "the stop took no room, and made none"
    );
    assert_eq!(worker.actor_ref().mailbox_stats().queued(), 2);

    release.send(()).unwrap();
    stopped.await;
    for (n, promise) in (1..).zip(first) {
        assert_eq!(promise.await, n, "sent before the stop: delivered");
    }
    assert_eq!(*delivered.lock().unwrap(), [1, 2]);
    assert_eq!(
        *letters.lock().unwrap(),
        [
            letter(3, DeadLetterReason::MailboxFull),
            letter(4, DeadLetterReason::MailboxFull)
        ]
    );
    assert!(worker.is_stopped());
    stage.close().await;
}

#[tokio::test]
async fn drop_oldest_evicts_messages_around_a_stop_but_never_the_stop() {
    let (stage, worker, letters, delivered) = bounded_worker(2, OverflowPolicy::DropOldest);
    let release = hold(&worker).await;
    let before = [worker.work(1), worker.work(2)];
    let stopped = worker.stop();
    // Each evicts the oldest queued *message*: 1, then 2, then 3; the stop keeps its place.
    let after = [worker.work(3), worker.work(4), worker.work(5)];
    assert_eq!(worker.actor_ref().mailbox_stats().dropped_count(), 3);

    release.send(()).unwrap();
    stopped.await;
    let overflow = |n| {
        (
            n,
            Err(ActorError::DroppedByOverflow {
                address: worker.address(),
                type_name: Arc::from("Worker"),
                method: "work",
                policy: OverflowPolicy::DropOldest,
            }),
        )
    };
    let stopped = |n| {
        (
            n,
            Err(ActorError::Stopped {
                address: worker.address(),
                type_name: Arc::from("Worker"),
                method: "work",
            }),
        )
    };
    let mut results = Vec::new();
    for (n, promise) in (1..).zip(before.into_iter().chain(after)) {
        results.push((n, promise.result().await));
    }
    assert_eq!(
        results,
        [
            overflow(1),
            overflow(2),
            overflow(3),
            stopped(4),
            stopped(5)
        ]
    );
    assert!(delivered.lock().unwrap().is_empty());
    assert_eq!(
        *letters.lock().unwrap(),
        [
            letter(1, DeadLetterReason::DroppedOldest),
            letter(2, DeadLetterReason::DroppedOldest),
            letter(3, DeadLetterReason::DroppedOldest),
            letter(4, DeadLetterReason::ActorStopped),
            letter(5, DeadLetterReason::ActorStopped),
        ]
    );
    stage.close().await;
}
