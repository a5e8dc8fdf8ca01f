//! The promise of a method returning `()` carries no reply channel: the runtime settles it from
//! the actor's ledger of sequence numbers (so that a tell allocates nothing). These tests pin
//! that such a promise reports every outcome a reply would: done, a panicking handler (also when
//! polled only after the failure), a stopped actor, a message dropped at stop or evicted by an
//! overflow policy, a timeout; and that callers racing with failures each get their own answer.

use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorOptions, DeferredPromise, Definition, MailboxConfig, OverflowPolicy,
    Stage, actor_protocol,
};
use domo_actors_suite::{panicked, within};
use tokio::sync::oneshot;

#[actor_protocol]
trait Gate {
    /// Waits until `open` fires (or its sender is dropped).
    async fn hold(&mut self, open: oneshot::Receiver<()>);
    /// Waits until `open` fires, then asks the actor to stop.
    async fn hold_then_stop(&mut self, open: oneshot::Receiver<()>);
    /// Counts one touch.
    async fn touch(&mut self);
    /// Panics when `n` is a multiple of 7; counts one touch otherwise.
    async fn touch_unless_seventh(&mut self, n: u64);
    async fn touches(&self) -> u64;
}

#[derive(Actor, Default)]
struct GateActor {
    touches: u64,
}

impl Gate for GateActor {
    async fn hold(&mut self, open: oneshot::Receiver<()>) {
        let _ = open.await;
    }

    async fn hold_then_stop(&mut self, open: oneshot::Receiver<()>) {
        let _ = open.await;
        self.stop();
    }

    async fn touch(&mut self) {
        self.touches += 1;
    }

    async fn touch_unless_seventh(&mut self, n: u64) {
        assert!(n % 7 != 0, "touch {n} refused");
        self.touches += 1;
    }

    async fn touches(&self) -> u64 {
        self.touches
    }
}

fn gate(stage: &Stage) -> GateProxy {
    stage
        .actor_for(Definition::new(GateActor::default))
        .expect("the stage is open")
}

/// Holds `gate` in a handler until the returned sender fires (or is dropped); the promise is
/// that handler's.
fn hold(gate: &GateProxy) -> (oneshot::Sender<()>, DeferredPromise<()>) {
    let (open, opened) = oneshot::channel();
    (open, gate.hold(opened))
}

#[tokio::test]
async fn an_awaited_unit_promise_settles_after_its_handler_ran() {
    let stage = Stage::new();
    let gate = gate(&stage);
    for _ in 0..100 {
        within!(gate.touch());
    }
    assert_eq!(within!(gate.touches()), 100);
    stage.close().await;
}

#[tokio::test]
async fn a_unit_promise_polled_only_after_its_handler_panicked_reports_the_panic() {
    let stage = Stage::new();
    let gate = gate(&stage);
    let failing = gate.touch_unless_seventh(7);
    let fine = gate.touch_unless_seventh(8);
    // Both messages are handled (the public root restarts the actor in between) before either
    // promise is polled.
    assert_eq!(within!(gate.touches()), 1);
    let failed = within!(failing.result());
    let (method, cause) =
        panicked(&failed).unwrap_or_else(|| panic!("expected the handler's panic, got {failed:?}"));
    assert_eq!(method, "touch_unless_seventh");
    assert!(cause.contains("touch 7 refused"), "{cause}");
    assert_eq!(within!(fine.result()), Ok(()));
    stage.close().await;
}

#[tokio::test]
async fn try_result_on_a_unit_promise_gives_the_outcome_once_it_is_known() {
    let stage = Stage::new();
    let gate = gate(&stage);
    let (open, held) = hold(&gate);
    // The refusal restarts the actor (a fresh instance); the touch then counts on it.
    let mut refused = gate.touch_unless_seventh(14);
    let mut touched = gate.touch();
    assert_eq!(touched.try_result(), None, "the actor is held");
    open.send(()).expect("the actor holds the receiver");
    within!(held);
    assert_eq!(within!(gate.touches()), 1);
    assert_eq!(touched.try_result(), Some(Ok(())));
    assert!(panicked(&refused.try_result()).is_some());
    stage.close().await;
}

#[tokio::test]
async fn a_unit_promise_to_a_stopped_actor_fails_with_stopped() {
    let stage = Stage::new();
    let gate = gate(&stage);
    within!(gate.stop());
    match within!(gate.touch().result()) {
        Err(ActorError::Stopped { method, .. }) => assert_eq!(method, "touch"),
        other => panic!("expected Stopped, got {other:?}"),
    }
    stage.close().await;
}

#[tokio::test]
async fn unit_messages_still_queued_when_the_actor_stops_fail_with_stopped() {
    let stage = Stage::new();
    let gate = gate(&stage);
    let (open, opened) = oneshot::channel();
    let held = gate.hold_then_stop(opened);
    let queued: Vec<_> = (0..3).map(|_| gate.touch()).collect();
    open.send(()).expect("the actor holds the receiver");
    within!(held);
    for promise in queued {
        match within!(promise.result()) {
            Err(ActorError::Stopped { method, .. }) => assert_eq!(method, "touch"),
            other => panic!("expected Stopped, got {other:?}"),
        }
    }
    stage.close().await;
}

#[tokio::test]
async fn a_unit_message_evicted_by_drop_oldest_fails_while_the_actor_is_busy() {
    let stage = Stage::new();
    let gate: GateProxy = stage
        .actor_for_with(
            Definition::new(GateActor::default),
            ActorOptions::new().with_mailbox(MailboxConfig::bounded(1, OverflowPolicy::DropOldest)),
        )
        .expect("the stage is open");
    let (open, held) = hold(&gate);
    // Wait until the actor has taken `hold`, so that the queue is empty.
    while gate.mailbox_stats_queued() > 0 {
        tokio::task::yield_now().await;
    }
    let evicted = gate.touch();
    let kept = gate.touch();
    // The evicted promise fails now, while the actor is still held.
    match within!(evicted.result()) {
        Err(ActorError::DroppedByOverflow { method, policy, .. }) => {
            assert_eq!((method, policy), ("touch", OverflowPolicy::DropOldest));
        }
        other => panic!("expected DroppedByOverflow, got {other:?}"),
    }
    open.send(()).expect("the actor holds the receiver");
    within!(held);
    assert_eq!(within!(kept.result()), Ok(()));
    assert_eq!(within!(gate.touches()), 1);
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_unit_promise_times_out_while_the_actor_is_busy() {
    let stage = Stage::new();
    let gate = gate(&stage);
    let (open, held) = hold(&gate);
    let patience = Duration::from_secs(1);
    assert_eq!(
        gate.touch().timeout(patience).result().await,
        Err(ActorError::TimedOut { after: patience })
    );
    open.send(()).expect("the actor holds the receiver");
    within!(held);
    // The timed-out message was still delivered.
    assert_eq!(within!(gate.touches()), 1);
    stage.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callers_racing_with_failures_each_get_their_own_outcome() {
    const CALLERS: u64 = 4;
    const CALLS: u64 = 2_000;
    let stage = Stage::new();
    let gate = gate(&stage);
    let callers: Vec<_> = (0..CALLERS)
        .map(|caller| {
            let gate = gate.clone();
            tokio::spawn(async move {
                let mut failures = 0;
                for i in 0..CALLS {
                    let n = caller * CALLS + i;
                    // Every third call is a tell whose promise is dropped at once: its failures
                    // must not be mistaken for those of the calls that are awaited.
                    if i % 3 == 0 {
                        drop(gate.touch_unless_seventh(n));
                        continue;
                    }
                    match gate.touch_unless_seventh(n).result().await {
                        Ok(()) => assert!(n % 7 != 0, "call {n} should have failed"),
                        Err(error) => {
                            let (_, cause) =
                                panicked(&error).unwrap_or_else(|| panic!("call {n}: {error}"));
                            assert!(cause.contains(&format!("touch {n} refused")), "{cause}");
                            failures += 1;
                        }
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures = 0;
    for caller in callers {
        failures += within!(caller).expect("the caller task did not panic");
    }
    let expected = (0..CALLERS * CALLS)
        .filter(|n| (n % CALLS) % 3 != 0 && n % 7 == 0)
        .count();
    assert_eq!(failures, expected);
    stage.close().await;
}

impl GateProxy {
    fn mailbox_stats_queued(&self) -> usize {
        self.actor_ref().mailbox_stats().queued()
    }
}
