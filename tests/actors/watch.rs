//! Watching an actor's end (issue 17, part 4): an actor watching another is told once when it
//! stops, with the reason (stopped, failed and stopped by its supervisor, stage closed), through
//! a message of its own protocol; `ActorRef::terminated` is the same for code that is not an
//! actor. An actor that has stopped already is told of at once; a watcher that stops first is
//! forgotten (its registration and what it holds let go of).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorRef, Address, Definition, Stage, SupervisionDirective,
    TerminationReason, actor_protocol,
};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{CounterActor, CounterProxy, within};
use domo_actors_testkit::{TestDeadLettersListener, await_assert};
use futures::FutureExt as _;
use tokio::sync::Notify;

/// An actor that watches others and records what it is told.
#[actor_protocol]
pub trait Monitor {
    /// Watches `actor`; told through `ended`.
    async fn watch_actor(&mut self, actor: ActorRef);
    /// Watches `actor` with a `tell` closure that holds `token`: the token lives as long as the
    /// registration does.
    async fn watch_holding(&mut self, actor: ActorRef, token: Arc<()>);
    /// Stops watching `actor`; whether it watched it.
    async fn unwatch_actor(&mut self, actor: ActorRef) -> bool;
    /// What a watched actor's end sends.
    async fn ended(&mut self, who: Address, reason: TerminationReason);
    /// What it was told, in order.
    async fn endings(&self) -> Vec<(Address, TerminationReason)>;
    /// Creates a child counter and watches it.
    async fn watch_new_child(&mut self) -> CounterProxy;
}

#[derive(Actor, Default)]
struct MonitorActor {
    endings: Vec<(Address, TerminationReason)>,
}

impl Monitor for MonitorActor {
    async fn watch_actor(&mut self, actor: ActorRef) {
        self.watch(&actor, |me: &MonitorProxy, who, reason| {
            me.ended(who, reason);
        });
    }

    async fn watch_holding(&mut self, actor: ActorRef, token: Arc<()>) {
        self.watch(&actor, move |me: &MonitorProxy, who, reason| {
            let _ = &token;
            me.ended(who, reason);
        });
    }

    async fn unwatch_actor(&mut self, actor: ActorRef) -> bool {
        self.unwatch(&actor)
    }

    async fn ended(&mut self, who: Address, reason: TerminationReason) {
        self.endings.push((who, reason));
    }

    async fn endings(&self) -> Vec<(Address, TerminationReason)> {
        self.endings.clone()
    }

    async fn watch_new_child(&mut self) -> CounterProxy {
        let child: CounterProxy = self.child_actor_for(CounterActor::definition()).unwrap();
        self.watch(&child.actor_ref(), |me: &MonitorProxy, who, reason| {
            me.ended(who, reason);
        });
        child
    }
}

fn monitor(stage: &Stage) -> MonitorProxy {
    stage
        .actor_for(Definition::new(MonitorActor::default))
        .unwrap()
}

fn counter(stage: &Stage) -> CounterProxy {
    stage.actor_for(CounterActor::definition()).unwrap()
}

#[tokio::test]
async fn an_actor_is_told_in_order_with_its_messages_when_a_watched_actor_stops() {
    let stage = Stage::new();
    let monitor = monitor(&stage);
    let counter = counter(&stage);
    within!(monitor.watch_actor(counter.actor_ref()));
    assert_eq!(counter.actor_ref().watch_count(), (1, 0));
    assert_eq!(monitor.actor_ref().watch_count(), (0, 1));
    assert!(within!(monitor.endings()).is_empty(), "not before it stops");

    within!(counter.stop());
    // Told as the counter's stop completed, before its stop promise resolved: the message is
    // queued ahead of this ask.
    assert_eq!(
        within!(monitor.endings()),
        [(counter.address(), TerminationReason::Stopped)]
    );
    assert_eq!(
        monitor.actor_ref().watch_count(),
        (0, 0),
        "the watcher forgot the stopped actor"
    );
    stage.close().await;
}

#[tokio::test]
async fn terminated_resolves_when_the_actor_stops() {
    let stage = Stage::new();
    let counter = counter(&stage);
    let mut terminated = counter.actor_ref().terminated();
    assert_eq!((&mut terminated).now_or_never(), None, "running");
    let stopped = counter.stop();
    assert_eq!(within!(terminated), TerminationReason::Stopped);
    within!(stopped);
    stage.close().await;
}

#[tokio::test]
async fn an_actor_stopping_itself_is_reported_stopped() {
    #[actor_protocol]
    pub trait Job {
        async fn finish(&mut self);
    }

    #[derive(Actor)]
    struct JobActor;

    impl Job for JobActor {
        async fn finish(&mut self) {
            self.stop();
        }
    }

    let stage = Stage::new();
    let job: JobProxy = stage.actor_for(Definition::new(|| JobActor)).unwrap();
    let terminated = job.actor_ref().terminated();
    job.finish();
    assert_eq!(within!(terminated), TerminationReason::Stopped);
    stage.close().await;
}

#[tokio::test]
async fn an_actor_its_supervisor_stops_after_a_panic_is_reported_failed() {
    let stage = Stage::new();
    let scene = Scene::builder()
        .directive(SupervisionDirective::Stop)
        .build(&stage);
    let monitor = monitor(&stage);
    within!(monitor.watch_actor(scene.worker.actor_ref()));
    let terminated = scene.worker.actor_ref().terminated();

    let failed = within!(scene.worker.fail("boom".into()).result());
    assert!(matches!(failed, Err(ActorError::HandlerPanicked { .. })));
    assert_eq!(within!(terminated), TerminationReason::Failed);
    await_assert(|| async {
        assert_eq!(
            monitor.endings().await,
            [(scene.worker.address(), TerminationReason::Failed)]
        );
    })
    .await;
    stage.close().await;
}

#[tokio::test]
async fn a_restart_is_not_an_end() {
    let stage = Stage::new();
    let scene = Scene::builder()
        .directive(SupervisionDirective::Restart)
        .build(&stage);
    let mut terminated = scene.worker.actor_ref().terminated();
    let _ = within!(scene.worker.fail("boom".into()).result());
    assert_eq!(within!(scene.worker.instance()), 2, "restarted");
    assert_eq!((&mut terminated).now_or_never(), None);
    within!(scene.worker.stop());
    assert_eq!(within!(terminated), TerminationReason::Stopped);
    stage.close().await;
}

#[tokio::test]
async fn closing_the_stage_is_reported_stage_closed() {
    // The monitor lives on another stage, which stays open: it is told of the close.
    let stage = Stage::new();
    let watchers = Stage::new();
    let monitor = monitor(&watchers);
    let counter = counter(&stage);
    within!(monitor.watch_actor(counter.actor_ref()));
    let terminated = counter.actor_ref().terminated();

    stage.close().await;
    assert_eq!(within!(terminated), TerminationReason::StageClosed);
    assert_eq!(
        within!(monitor.endings()),
        [(counter.address(), TerminationReason::StageClosed)]
    );
    watchers.close().await;
}

#[tokio::test]
async fn an_actor_that_has_stopped_already_is_told_of_at_once() {
    let stage = Stage::new();
    let monitor = monitor(&stage);
    let counter = counter(&stage);
    within!(counter.stop());

    let terminated = counter.actor_ref().terminated();
    assert_eq!(terminated.now_or_never(), Some(TerminationReason::Stopped));

    within!(monitor.watch_actor(counter.actor_ref()));
    assert_eq!(
        within!(monitor.endings()),
        [(counter.address(), TerminationReason::Stopped)]
    );
    assert_eq!(monitor.actor_ref().watch_count(), (0, 0), "nothing kept");
    stage.close().await;
}

#[tokio::test]
async fn a_watcher_is_told_once_even_when_it_watches_twice() {
    let stage = Stage::new();
    let monitor = monitor(&stage);
    let counter = counter(&stage);
    within!(monitor.watch_actor(counter.actor_ref()));
    within!(monitor.watch_actor(counter.actor_ref()));
    assert_eq!(counter.actor_ref().watch_count(), (1, 0), "replaced");
    assert_eq!(monitor.actor_ref().watch_count(), (0, 1));

    within!(counter.stop());
    within!(counter.stop());
    assert_eq!(
        within!(monitor.endings()),
        [(counter.address(), TerminationReason::Stopped)]
    );
    stage.close().await;
}

/// An actor whose `before_stop` waits until the test lets it go, and whose `after_stop` says
/// when it ran.
#[actor_protocol]
pub trait Slow {}

struct SlowActor {
    release: Arc<Notify>,
    after_stop: Arc<AtomicBool>,
}

impl Actor for SlowActor {
    async fn before_stop(&mut self) {
        self.release.notified().await;
    }

    async fn after_stop(&mut self) {
        self.after_stop.store(true, Ordering::SeqCst);
    }
}

impl Slow for SlowActor {}

// One thread: once `after_stop` has run, the rest of the stop sequence (where a second report
// would be made) has run too before the test goes on.
#[tokio::test(flavor = "current_thread")]
async fn a_stop_that_times_out_and_then_finishes_is_reported_once() {
    let stage = Stage::new();
    let monitor = monitor(&stage);
    let (release, after_stop) = (Arc::new(Notify::new()), Arc::new(AtomicBool::new(false)));
    let (for_actor, ran) = (Arc::clone(&release), Arc::clone(&after_stop));
    let slow: SlowProxy = stage
        .actor_for(Definition::new(move || SlowActor {
            release: Arc::clone(&for_actor),
            after_stop: Arc::clone(&ran),
        }))
        .unwrap();
    within!(monitor.watch_actor(slow.actor_ref()));
    let terminated = slow.actor_ref().terminated();

    let forced = slow
        .actor_ref()
        .stop_within(Duration::from_millis(20))
        .await;
    assert!(matches!(forced, Err(ActorError::StopTimedOut { .. })));
    assert_eq!(within!(terminated), TerminationReason::Stopped);

    release.notify_one();
    await_assert(|| async { assert!(after_stop.load(Ordering::SeqCst)) }).await;
    assert_eq!(
        within!(monitor.endings()),
        [(slow.address(), TerminationReason::Stopped)],
        "told once"
    );
    stage.close().await;
}

#[tokio::test]
async fn a_watcher_that_stops_first_is_forgotten() {
    let stage = Stage::new();
    let monitor = monitor(&stage);
    let counter = counter(&stage);
    let token = Arc::new(());
    let held = Arc::downgrade(&token);
    within!(monitor.watch_holding(counter.actor_ref(), token));
    assert_eq!(held.strong_count(), 1, "the registration holds it");
    assert_eq!(counter.actor_ref().watch_count(), (1, 0));

    within!(monitor.stop());
    // The counter lives on, and no longer holds the registration (nor the monitor's proxy and
    // what the closure captured).
    assert!(!counter.is_stopped());
    assert_eq!(counter.actor_ref().watch_count(), (0, 0));
    assert_eq!(held.strong_count(), 0, "the registration was dropped");
    within!(counter.stop());
    stage.close().await;
}

#[tokio::test]
async fn a_dropped_terminated_future_is_forgotten() {
    let stage = Stage::new();
    let counter = counter(&stage);
    let futures: Vec<_> = (0..10).map(|_| counter.actor_ref().terminated()).collect();
    assert_eq!(counter.actor_ref().watch_count(), (10, 0));
    drop(futures);
    assert_eq!(counter.actor_ref().watch_count(), (0, 0));
    stage.close().await;
}

#[tokio::test]
async fn an_unwatched_actor_is_not_reported() {
    let stage = Stage::new();
    let monitor = monitor(&stage);
    let counter = counter(&stage);
    within!(monitor.watch_actor(counter.actor_ref()));
    assert!(within!(monitor.unwatch_actor(counter.actor_ref())));
    assert!(!within!(monitor.unwatch_actor(counter.actor_ref())));
    assert_eq!(counter.actor_ref().watch_count(), (0, 0));
    assert_eq!(monitor.actor_ref().watch_count(), (0, 0));

    within!(counter.stop());
    assert!(within!(monitor.endings()).is_empty());
    stage.close().await;
}

#[tokio::test]
async fn a_parent_watching_its_child_makes_no_dead_letter_as_it_stops() {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let monitor = monitor(&stage);
    let child = within!(monitor.watch_new_child());
    let child_terminated = child.actor_ref().terminated();

    // Stopping the parent stops the child while the parent's mailbox is closed: telling the
    // parent then would only be a dead letter.
    within!(monitor.stop());
    assert_eq!(within!(child_terminated), TerminationReason::Stopped);
    assert!(!listener.has_dead_letters(), "{:?}", listener.all());
    stage.close().await;
}

#[tokio::test]
async fn a_watched_child_stopping_is_told_to_its_parent() {
    let stage = Stage::new();
    let monitor = monitor(&stage);
    let child = within!(monitor.watch_new_child());
    within!(child.stop());
    assert_eq!(
        within!(monitor.endings()),
        [(child.address(), TerminationReason::Stopped)]
    );
    stage.close().await;
}
