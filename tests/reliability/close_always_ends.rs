//! Item 2: `Stage::close` always ends. Handlers that never return (an ask cycle, a self-ask, a
//! child awaiting its parent's stop, an actor awaiting its own stop, a handler closing the
//! stage) cannot hold it: past its deadline what is left is force-closed and reported, and every
//! promise settles. Stop promises obey the default ask timeout; `stop_within(ZERO)` means no
//! deadline.

use std::collections::HashSet;
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorRef, Address, CloseError, Definition, Stage, actor_protocol,
};
use domo_actors_suite::{CounterActor, CounterProxy, within};
use domo_actors_testkit::await_assert;

#[actor_protocol]
trait Peer {
    /// Asks `to` to relay back, `hops` times: a cycle once it comes back to an actor that is
    /// still waiting.
    async fn relay(&mut self, to: PeerProxy, hops: u32) -> u32;
    /// Answers at once.
    async fn echo(&mut self) -> u32;
    /// Awaits its own `echo`, queued behind this very handler.
    async fn ask_self(&mut self) -> u32;
    /// Awaits its own stop, through its proxy; answers what the wait ended with.
    async fn await_own_stop(&mut self) -> Result<(), ActorError>;
    /// Awaits its own stop, through its `ActorRef`; answers what the wait ended with.
    async fn await_own_stop_by_ref(&mut self) -> Result<(), ActorError>;
    /// Awaits its parent's stop, which awaits this actor's.
    async fn await_parent_stop(&mut self);
    /// Creates a child of its own.
    async fn child(&mut self) -> PeerProxy;
    /// Closes the stage from inside the handler; answers once `close` returned.
    async fn close_stage(&mut self) -> bool;
}

#[derive(Actor)]
struct PeerActor;

impl Peer for PeerActor {
    async fn relay(&mut self, to: PeerProxy, hops: u32) -> u32 {
        if hops == 0 {
            return 0;
        }
        to.relay(self.self_as::<PeerProxy>(), hops - 1).await + 1
    }

    async fn echo(&mut self) -> u32 {
        1
    }

    async fn ask_self(&mut self) -> u32 {
        self.self_as::<PeerProxy>().echo().await
    }

    async fn await_own_stop(&mut self) -> Result<(), ActorError> {
        self.self_as::<PeerProxy>().stop().result().await
    }

    async fn await_own_stop_by_ref(&mut self) -> Result<(), ActorError> {
        self.environment().actor_ref().stop().result().await
    }

    async fn await_parent_stop(&mut self) {
        let _ = self.parent().expect("a child").stop().result().await;
    }

    async fn child(&mut self) -> PeerProxy {
        self.child_actor_for(Definition::new(|| PeerActor))
            .expect("a child")
    }

    async fn close_stage(&mut self) -> bool {
        self.stage().close().await;
        true
    }
}

fn peer(stage: &Stage) -> PeerProxy {
    stage.actor_for(Definition::new(|| PeerActor)).unwrap()
}

fn addresses(actors: &[ActorRef]) -> HashSet<Address> {
    actors.iter().map(ActorRef::address).collect()
}

/// Closes `stage` within a second (of the paused clock) and returns the actors it reports as
/// not stopped in time; checks that the close left nothing behind.
async fn close_timing_out(stage: &Stage) -> HashSet<Address> {
    let closed = within!(stage.close_within(Duration::from_secs(1)));
    let Err(CloseError::TimedOut { after, unstopped }) = closed else {
        panic!("expected a close that timed out: {closed:?}");
    };
    assert_eq!(after, Duration::from_secs(1));
    assert_eq!(
        stage.directory().count(),
        0,
        "every actor left the directory"
    );
    assert!(unstopped.iter().all(ActorRef::is_stopped));
    addresses(&unstopped)
}

#[tokio::test(start_paused = true)]
async fn close_ends_despite_an_ask_cycle() {
    let stage = Stage::new();
    let (a, b) = (peer(&stage), peer(&stage));
    let cycle = a.relay(b.clone(), 3);
    let behind = a.echo();
    let unstopped = close_timing_out(&stage).await;
    assert_eq!(unstopped, HashSet::from([a.address(), b.address()]));
    assert!(
        within!(cycle.result()).is_err(),
        "the cycle's promise settles"
    );
    assert!(matches!(
        within!(behind.result()),
        Err(ActorError::Stopped { method: "echo", .. })
    ));
}

#[tokio::test(start_paused = true)]
async fn close_ends_despite_a_self_ask() {
    let stage = Stage::new();
    let a = peer(&stage);
    let waiting = a.ask_self();
    assert_eq!(close_timing_out(&stage).await, HashSet::from([a.address()]));
    assert!(within!(waiting.result()).is_err());
}

#[tokio::test(start_paused = true)]
async fn close_ends_despite_a_child_awaiting_its_parents_stop() {
    let stage = Stage::new();
    let parent = peer(&stage);
    let child = within!(parent.child());
    child.await_parent_stop();
    let unstopped = close_timing_out(&stage).await;
    assert!(unstopped.contains(&child.address()), "{unstopped:?}");
    assert!(unstopped.contains(&parent.address()), "{unstopped:?}");
}

#[tokio::test(start_paused = true)]
async fn close_ends_despite_an_actor_awaiting_its_own_stop() {
    let stage = Stage::new();
    let a = peer(&stage);
    let waiting = a.await_own_stop();
    assert_eq!(close_timing_out(&stage).await, HashSet::from([a.address()]));
    // The forced close completes the stop it awaited: the handler returns, and answers.
    assert_eq!(within!(waiting), Ok(()));
}

#[tokio::test(start_paused = true)]
async fn a_stop_promise_obeys_the_default_ask_timeout() {
    let stage = Stage::new().with_default_ask_timeout(Duration::from_secs(2));
    let timed_out = Err(ActorError::TimedOut {
        after: Duration::from_secs(2),
    });
    let (a, b) = (peer(&stage), peer(&stage));
    assert_eq!(
        within!(a.await_own_stop()),
        timed_out,
        "its own stop cannot finish while it waits: the wait times out"
    );
    assert_eq!(within!(b.await_own_stop_by_ref()), timed_out);
    // The stops they asked for were queued, and run once the handlers have returned.
    await_assert(|| async { assert!(a.is_stopped() && b.is_stopped()) }).await;
    within!(stage.close_within(Duration::from_secs(1))).expect("nothing left to hang");
}

#[tokio::test(start_paused = true)]
async fn close_called_from_a_handler_goes_on_in_the_background() {
    let stage = Stage::new();
    let (a, b) = (peer(&stage), peer(&stage));
    assert!(
        within!(a.close_stage()),
        "close returned to the handler at once"
    );
    assert!(stage.is_closed());
    await_assert(|| async {
        assert!(a.is_stopped() && b.is_stopped());
        assert_eq!(stage.directory().count(), 0);
    })
    .await;
    within!(stage.close_within(Duration::from_secs(1))).expect("already closed");
}

#[tokio::test(start_paused = true)]
async fn close_waits_for_the_stages_close_timeout() {
    let stage = Stage::new().with_close_timeout(Duration::from_secs(3));
    assert_eq!(stage.close_timeout(), Duration::from_secs(3));
    let a = peer(&stage);
    let waiting = a.ask_self();
    let started = tokio::time::Instant::now();
    within!(stage.close());
    assert_eq!(started.elapsed(), Duration::from_secs(3));
    assert!(a.is_stopped());
    assert!(within!(waiting.result()).is_err());
}

#[tokio::test(start_paused = true)]
async fn a_healthy_stage_closes_without_error_and_the_default_timeout_is_ten_seconds() {
    let stage = Stage::new();
    assert_eq!(stage.close_timeout(), Stage::DEFAULT_CLOSE_TIMEOUT);
    assert_eq!(Stage::DEFAULT_CLOSE_TIMEOUT, Duration::from_secs(10));
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    counter.increment();
    within!(stage.close_within(Duration::from_secs(1))).expect("everything stops in time");
    assert!(counter.is_stopped());
}

#[tokio::test(start_paused = true)]
async fn stop_within_zero_is_no_deadline() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(within!(counter.add(1)), 1);
    let actor = counter.actor_ref();
    within!(actor.stop_within(Duration::ZERO)).expect("a healthy actor stops gracefully");
    assert!(counter.is_stopped());
    within!(stage.close_within(Duration::ZERO)).expect("zero: no deadline");
}
