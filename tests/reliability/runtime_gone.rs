//! Item 5: a stage whose tokio runtime has shut down fails fast, with a typed error, instead of
//! hanging: sends, creation and close.

use std::time::Duration;

use domo_actors::{ActorError, CloseError, DeadLetterReason, Stage};
use domo_actors_suite::{CounterActor, CounterProxy, within};
use domo_actors_testkit::TestDeadLettersListener;
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
