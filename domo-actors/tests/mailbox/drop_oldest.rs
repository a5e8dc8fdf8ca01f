//! A full bounded mailbox with `DropOldest`: each send evicts the oldest queued message, which
//! becomes a dead letter (`DroppedOldest`) and fails with `ActorError::DroppedByOverflow`; the
//! newest messages are delivered, in order.

use std::sync::Arc;

use domo_actors::{ActorError, DeadLetterReason, OverflowPolicy};

use crate::held_worker::{Fixture, hold};

#[tokio::test]
async fn drop_oldest_delivers_the_newest_and_dead_letters_the_evicted() {
    let Fixture {
        stage,
        letters,
        delivered,
        worker,
    } = Fixture::bounded(3, OverflowPolicy::DropOldest);

    let release = hold(&worker).await;
    let mut promises: Vec<_> = (1..=7).map(|n| worker.work(n)).collect();

    // Each of 4..=7 evicted the oldest queued message at its send: 1, 2, 3, 4.
    let evicted = |n: u32| (format!("work({n})"), DeadLetterReason::DroppedOldest);
    assert_eq!(
        *letters.lock().unwrap(),
        (1..=4).map(evicted).collect::<Vec<_>>()
    );
    let stats = worker.actor_ref().mailbox_stats();
    assert_eq!(stats.queued(), 3, "the held message does not count");
    assert_eq!(stats.capacity().map(|c| c.get()), Some(3));
    assert_eq!(stats.dropped_count(), 4);
    assert!(stats.is_full());
    // The evicted promises have already failed, before the actor runs again.
    for (n, promise) in (1..).zip(&mut promises).take(4) {
        assert_eq!(
            promise.try_result(),
            Some(Err(ActorError::DroppedByOverflow {
                address: worker.address(),
                type_name: Arc::from("Worker"),
                method: "work",
                policy: OverflowPolicy::DropOldest,
            })),
            "work({n})"
        );
    }

    release.send(()).unwrap();
    for (n, promise) in (1..).zip(promises).skip(4) {
        assert_eq!(promise.await, n);
    }
    assert_eq!(*delivered.lock().unwrap(), [5, 6, 7]);
    assert_eq!(letters.lock().unwrap().len(), 4, "nothing else was lost");
    // The proxy's handle gives the same snapshot as its `ActorRef`.
    let stats = domo_actors::Protocol::handle(&worker).mailbox_stats();
    assert_eq!((stats.queued(), stats.dropped_count()), (0, 4));
    stage.close().await;
}
