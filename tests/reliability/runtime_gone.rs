//! Item 5: a stage whose tokio runtime has shut down fails fast, with a typed error, instead of
//! hanging: sends, creation and close.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, CloseError, DeadLetterReason, Definition, Environment, Stage, actor_protocol,
};
use domo_actors_suite::{CounterActor, CounterProxy, within};
use domo_actors_testkit::{TestDeadLettersListener, await_assert};
use tokio::runtime::{Builder, Runtime};

/// A stage with one counter that has answered once, made on `runtime`, which is then dropped.
fn stage_outliving(runtime: Runtime) -> (Stage, CounterProxy, TestDeadLettersListener) {
    let made = runtime.block_on(async {
        let stage = Stage::new();
        let dead_letters = TestDeadLettersListener::subscribe_to(&stage);
        let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
        assert_eq!(counter.add(1).await, 1);
        (stage, counter, dead_letters)
    });
    drop(runtime);
    made
}

fn check_fails_fast(runtime: Runtime) {
    let (stage, counter, dead_letters) = stage_outliving(runtime);
    let other = Builder::new_current_thread().enable_all().build().unwrap();
    other.block_on(async {
        assert_eq!(
            within!(counter.add(1).result()),
            Err(ActorError::RuntimeShutdown)
        );
        assert_eq!(
            within!(counter.increment().result()),
            Err(ActorError::RuntimeShutdown)
        );
        assert!(counter.is_stopped());
        let created: Result<CounterProxy, _> = stage.actor_for(CounterActor::definition());
        assert_eq!(created.err(), Some(ActorError::RuntimeShutdown));
        assert_eq!(
            within!(stage.close_within(Duration::from_secs(5))),
            Err(CloseError::RuntimeShutdown)
        );
        within!(stage.close());
        let letters = dead_letters.all();
        assert_eq!(letters.len(), 2, "{letters:?}");
        assert!(
            letters
                .iter()
                .all(|letter| letter.reason() == DeadLetterReason::RuntimeShutdown)
        );
    });
}

#[test]
fn after_a_current_thread_runtime_shut_down() {
    check_fails_fast(Builder::new_current_thread().enable_all().build().unwrap());
}

#[test]
fn after_a_multi_thread_runtime_shut_down() {
    check_fails_fast(
        Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    );
}

/// Holds a handler open forever, with a value whose destructor logs where it runs.
#[actor_protocol]
pub trait Holder {
    async fn hold(&mut self, started: Arc<AtomicBool>);
}

struct HolderActor;

impl Actor for HolderActor {}

/// Logs, when dropped, whether it is dropped in an actor's environment.
struct LogsItsDrop;

impl Drop for LogsItsDrop {
    fn drop(&mut self) {
        let in_actor = Environment::try_current().is_some();
        tracing::info!(in_actor, "dropped");
    }
}

impl Holder for HolderActor {
    async fn hold(&mut self, started: Arc<AtomicBool>) {
        let _held = LogsItsDrop;
        started.store(true, Ordering::SeqCst);
        std::future::pending::<()>().await;
    }
}

/// An activation that a runtime's shutdown drops unfinished drops what its handler held in the
/// actor's environment and span, as the handler ran, and leaves the span when it is done.
#[test]
fn an_activation_dropped_by_a_shutdown_drops_its_handler_in_the_actors_span() {
    let (capture, _guard) = crate::capture::Capture::install("info");
    let runtime = Builder::new_current_thread().enable_all().build().unwrap();
    let stage = runtime.block_on(async {
        let stage = Stage::new();
        let holder: HolderProxy = stage
            .actor_for(Definition::new(|| HolderActor).with_type("Holder"))
            .unwrap();
        let started = Arc::new(AtomicBool::new(false));
        drop(holder.hold(Arc::clone(&started)));
        await_assert(|| {
            let started = Arc::clone(&started);
            async move { assert!(started.load(Ordering::SeqCst)) }
        })
        .await;
        stage
    });
    drop(runtime);
    tracing::info!("after");

    let dropped = capture.matching(|event| event.message == "dropped");
    assert_eq!(dropped.len(), 1, "{:#?}", capture.events());
    assert_eq!(dropped[0].field("in_actor"), Some("true"));
    assert_eq!(
        dropped[0]
            .span("actor")
            .and_then(|span| span.get("type"))
            .map(String::as_str),
        Some("Holder"),
        "{:#?}",
        dropped[0]
    );
    let after = capture.matching(|event| event.message == "after");
    assert_eq!(after.len(), 1);
    assert!(after[0].spans.is_empty(), "{:#?}", after[0]);
    drop(stage);
}
