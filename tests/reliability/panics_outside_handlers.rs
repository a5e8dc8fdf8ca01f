//! Item 1: user code that panics *outside* a handler (a supervision strategy, the destructors of
//! actor instances, answers and arguments, an argument's `Debug`) must not kill the actor's task
//! and wedge the actor; and if a panic ever escapes every guard, the task's last line of
//! defence closes the actor so that nothing hangs on it.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, DeadLetterReason, Definition, Stage, SupervisionStrategy, actor_protocol,
};
use domo_actors_suite::{panicked, within};
use domo_actors_testkit::{TestDeadLettersListener, await_assert};
use tokio::sync::oneshot;

/// A value whose destructor panics while it is armed, and whose `Debug` panics if asked to.
struct Bomb {
    armed: bool,
    loud: bool,
}

impl Bomb {
    fn armed() -> Self {
        Self {
            armed: true,
            loud: false,
        }
    }

    /// Armed, and its `Debug` panics too.
    fn loud() -> Self {
        Self {
            armed: true,
            loud: true,
        }
    }
}

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.armed && !std::thread::panicking() {
            panic!("a bomb went off in its destructor");
        }
    }
}

impl fmt::Debug for Bomb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.loud {
            panic!("a bomb went off in its Debug");
        }
        f.write_str("Bomb")
    }
}

#[actor_protocol]
trait Fragile {
    /// Answers the instance number of the actor.
    async fn ping(&mut self) -> u64;
    /// Answers a bomb (nobody may read it).
    async fn bomb(&mut self) -> Bomb;
    /// Waits until `release` fires (or is dropped), then answers a bomb.
    async fn slow_bomb(&mut self, release: oneshot::Receiver<()>) -> Bomb;
    /// Waits until `release` fires (or is dropped).
    async fn hold(&mut self, release: oneshot::Receiver<()>);
    /// Takes a bomb as its argument.
    async fn carry(&mut self, bomb: Bomb);
    /// Panics.
    async fn fail(&mut self);
}

/// An actor with a bomb of its own, dropped with each instance.
struct FragileActor {
    instance: u64,
    _own: Bomb,
}

impl FragileActor {
    fn definition() -> Definition<FragileActor> {
        let instances = Arc::new(AtomicU64::new(0));
        Definition::new(move || FragileActor {
            instance: instances.fetch_add(1, Ordering::SeqCst) + 1,
            _own: Bomb::armed(),
        })
    }
}

impl Actor for FragileActor {
    const STARTS_EAGERLY: bool = false;
}

impl Fragile for FragileActor {
    async fn ping(&mut self) -> u64 {
        self.instance
    }

    async fn bomb(&mut self) -> Bomb {
        Bomb::armed()
    }

    async fn slow_bomb(&mut self, release: oneshot::Receiver<()>) -> Bomb {
        let _ = release.await;
        Bomb::armed()
    }

    async fn hold(&mut self, release: oneshot::Receiver<()>) {
        let _ = release.await;
    }

    async fn carry(&mut self, bomb: Bomb) {
        // Delivered: defused here, inside the handler.
        let mut bomb = bomb;
        bomb.armed = false;
    }

    async fn fail(&mut self) {
        panic!("failing on request");
    }
}

/// An actor whose supervision strategy panics when asked for.
struct NoStrategy;

impl Actor for NoStrategy {
    fn supervision_strategy(&self) -> SupervisionStrategy {
        panic!("no strategy today");
    }
}

impl Fragile for NoStrategy {
    async fn ping(&mut self) -> u64 {
        0
    }
    async fn bomb(&mut self) -> Bomb {
        Bomb::armed()
    }
    async fn slow_bomb(&mut self, _release: oneshot::Receiver<()>) -> Bomb {
        Bomb::armed()
    }
    async fn hold(&mut self, _release: oneshot::Receiver<()>) {}
    async fn carry(&mut self, bomb: Bomb) {
        let mut bomb = bomb;
        bomb.armed = false;
    }
    async fn fail(&mut self) {}
}

fn fragile(stage: &Stage) -> FragileProxy {
    stage.actor_for(FragileActor::definition()).unwrap()
}

#[tokio::test]
async fn a_panicking_supervision_strategy_stops_the_actor_instead_of_wedging_it() {
    let stage = Stage::new();
    let actor: FragileProxy = stage.actor_for(Definition::new(|| NoStrategy)).unwrap();
    let answer = within!(actor.ping().timeout(Duration::from_secs(3)).result());
    assert!(
        matches!(answer, Err(ActorError::Stopped { method: "ping", .. })),
        "the actor could not be built, so it stopped: {answer:?}"
    );
    assert!(actor.is_stopped());
    assert!(!stage.directory().contains(&actor.address()));
    within!(stage.close_within(Duration::from_secs(5))).expect("nothing hangs");
}

#[tokio::test]
async fn an_instance_whose_destructor_panics_is_discarded_by_a_restart_and_a_stop() {
    let stage = Stage::new();
    let actor = fragile(&stage);
    assert_eq!(within!(actor.ping()), 1);
    let failed = within!(actor.fail().result());
    assert_eq!(panicked(&failed), Some(("fail", "failing on request")));
    // The public root restarts it: the old instance's destructor panics, and is contained.
    assert_eq!(within!(actor.ping()), 2, "answered by the fresh instance");
    within!(actor.stop());
    assert!(!stage.directory().contains(&actor.address()));
    within!(stage.close_within(Duration::from_secs(5))).expect("nothing hangs");
}

#[tokio::test]
async fn an_answer_nobody_reads_whose_destructor_panics_is_contained() {
    let stage = Stage::new();
    let actor = fragile(&stage);
    // A value method used as a tell: the answer is dropped in the actor's task.
    drop(actor.bomb());
    assert_eq!(within!(actor.ping()), 1, "the same instance answers");

    // An ask that timed out: the answer arrives when nobody waits any more.
    let (release, held) = oneshot::channel();
    let late = within!(
        actor
            .slow_bomb(held)
            .timeout(Duration::from_millis(20))
            .result()
    );
    assert!(matches!(late, Err(ActorError::TimedOut { .. })));
    release.send(()).unwrap();
    assert_eq!(within!(actor.ping()), 1, "still the same instance");
    within!(stage.close_within(Duration::from_secs(5))).expect("nothing hangs");
}

#[tokio::test]
async fn arguments_whose_destructor_or_debug_panics_are_dead_lettered_at_stop() {
    let stage = Stage::new();
    let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
    let actor = fragile(&stage);
    let (release, held) = oneshot::channel();
    let holding = actor.hold(held);
    let stopped = actor.stop();
    // Queued behind the stop: rejected when the stop closes the mailbox.
    let quiet = actor.carry(Bomb::armed());
    let loud = actor.carry(Bomb::loud());
    release.send(()).unwrap();
    within!(holding);
    within!(stopped);
    assert!(matches!(
        within!(quiet.result()),
        Err(ActorError::Stopped {
            method: "carry",
            ..
        })
    ));
    assert!(within!(loud.result()).is_err());
    let letters = dead_letters.await_count(2).await;
    assert_eq!(letters[0].representation(), "carry(Bomb)");
    assert_eq!(
        letters[1].representation(),
        "carry(<rendering panicked>)",
        "a rendering that panicked is named as such"
    );
    assert!(
        letters
            .iter()
            .all(|letter| letter.reason() == DeadLetterReason::ActorStopped)
    );

    // The sender's own call: refused at once, and the bomb goes off in a contained drop.
    let refused = actor.carry(Bomb::loud());
    assert!(matches!(
        within!(refused.result()),
        Err(ActorError::Stopped { .. })
    ));
    dead_letters.await_count(3).await;
    within!(stage.close_within(Duration::from_secs(5))).expect("nothing hangs");
}

/// A subscriber layer that panics at the first event it sees once armed: a panic in code the
/// runtime calls between messages (its logging), which no guard around user code catches.
struct PanicOnce(Arc<AtomicBool>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for PanicOnce {
    fn on_event(
        &self,
        _event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if self.0.swap(false, Ordering::SeqCst) {
            panic!("the subscriber failed");
        }
    }
}

#[tokio::test]
async fn a_task_that_fails_outside_every_guard_closes_its_actor_and_settles_everything() {
    use tracing_subscriber::layer::SubscriberExt as _;

    let armed = Arc::new(AtomicBool::new(false));
    // This thread's subscriber: the test and its actors share the current-thread runtime.
    let _subscriber = tracing::subscriber::set_default(
        tracing_subscriber::registry().with(PanicOnce(Arc::clone(&armed))),
    );
    // Other tests' threads install subscribers too: recompute the callsites' cached interest
    // with this one, so that none stays "never" from before it existed.
    tracing::callsite::rebuild_interest_cache();
    let stage = Stage::new();
    let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
    let actor = fragile(&stage);
    assert_eq!(within!(actor.ping()), 1);

    armed.store(true, Ordering::SeqCst);
    // Suspending logs from the actor's task, between messages: that event panics.
    let suspended = actor.actor_ref().suspend();
    let queued = actor.ping();
    let told = actor.carry(Bomb::armed());
    assert!(within!(suspended.result()).is_err(), "its task ended");
    assert!(!armed.load(Ordering::SeqCst), "the subscriber did panic");
    assert!(matches!(
        within!(queued.result()),
        Err(ActorError::Stopped { method: "ping", .. })
    ));
    assert!(matches!(
        within!(told.result()),
        Err(ActorError::Stopped {
            method: "carry",
            ..
        })
    ));
    assert_eq!(dead_letters.await_count(2).await.len(), 2);
    assert!(actor.is_stopped());
    assert!(!stage.directory().contains(&actor.address()));
    within!(actor.stop());
    await_assert(|| async { assert!(stage.public_root().children().is_empty()) }).await;
    within!(stage.close_within(Duration::from_secs(5))).expect("nothing hangs");
}
