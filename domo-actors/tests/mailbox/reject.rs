//! A full bounded mailbox with `Reject`: each further send is refused at once, becomes a dead
//! letter (`MailboxFull`) and fails with `ActorError::MailboxFull`; the messages that fitted are
//! delivered, in order, and once there is room again sends are accepted.

use std::sync::Arc;

use domo_actors::{ActorError, DeadLetterReason, OverflowPolicy};

use crate::held_worker::{Fixture, hold};

#[tokio::test]
async fn reject_refuses_the_incoming_until_there_is_room() {
    let Fixture {
        stage,
        letters,
        delivered,
        worker,
    } = Fixture::bounded(3, OverflowPolicy::Reject);

    let release = hold(&worker).await;
    let mut promises: Vec<_> = (1..=7).map(|n| worker.work(n)).collect();

    // 4..=7 found the mailbox full and were refused at their sends.
    let dropped = |n: u32| (format!("work({n})"), DeadLetterReason::MailboxFull);
    assert_eq!(
        *letters.lock().unwrap(),
        (4..=7).map(dropped).collect::<Vec<_>>()
    );
    let stats = worker.actor_ref().mailbox_stats();
    assert_eq!(stats.queued(), 3, "the held message does not count");
    assert_eq!(stats.capacity().map(|c| c.get()), Some(3));
    assert_eq!(stats.dropped_count(), 4);
    assert!(stats.is_full());
    // The refused promises have already failed, before the actor runs again.
    for (n, promise) in (1..).zip(&mut promises).skip(3) {
        assert_eq!(
            promise.try_result(),
            Some(Err(ActorError::MailboxFull {
                address: worker.address(),
                type_name: Arc::from("Worker"),
                method: "work",
            })),
            "work({n})"
        );
    }

    release.send(()).unwrap();
    for (n, promise) in (1..).zip(promises).take(3) {
        assert_eq!(promise.await, n);
    }
    assert_eq!(*delivered.lock().unwrap(), [1, 2, 3]);
    assert_eq!(letters.lock().unwrap().len(), 4, "nothing else was lost");
    // The proxy's handle gives the same snapshot as its `ActorRef`.
    let stats = domo_actors::Protocol::handle(&worker).mailbox_stats();
    assert_eq!((stats.queued(), stats.dropped_count()), (0, 4));

    // Room again: a send is accepted and delivered.
    assert_eq!(worker.work(8).await, 8);
    assert_eq!(*delivered.lock().unwrap(), [1, 2, 3, 8]);
    stage.close().await;
}
