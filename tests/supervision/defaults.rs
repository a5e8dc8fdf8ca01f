//! The defaults: `SupervisionStrategy::default()` is DomoActors' `DefaultSupervisionStrategy`
//! (intensity 1, period 5 s, scope One) and is what an actor applies unless it overrides
//! `supervision_strategy`, whose default decider restarts. So a child whose parent
//! overrides nothing is restarted once, and stopped by a second failure within 5 s; a top-level
//! actor, supervised by the public root, is restarted forever.

use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ExecutionContext, Stage, Supervised, SupervisionDirective, SupervisionScope,
    SupervisionStrategy,
};
use domo_actors_suite::{WorkerActor, WorkerProxy, entries_of, new_log, within};
use tokio::time::Instant;

#[test]
fn the_default_strategy_is_intensity_1_period_5_s_scope_one() {
    assert_eq!(SupervisionStrategy::DEFAULT_INTENSITY, 1);
    assert_eq!(SupervisionStrategy::DEFAULT_PERIOD, Duration::from_secs(5));
    let default = SupervisionStrategy::default();
    assert_eq!(default.intensity(), 1);
    assert_eq!(default.period(), Duration::from_secs(5));
    assert_eq!(default.scope(), SupervisionScope::One);
    assert!(!default.is_forever());
    assert_eq!(
        default,
        SupervisionStrategy::new(1, Duration::from_millis(5000), SupervisionScope::One)
    );
    assert_eq!(SupervisionScope::default(), SupervisionScope::One);
    assert_eq!(
        default.with_scope(SupervisionScope::All).scope(),
        SupervisionScope::All
    );
}

#[test]
fn the_forever_constants() {
    assert_eq!(SupervisionStrategy::FOREVER_INTENSITY, -1);
    assert_eq!(SupervisionStrategy::FOREVER_PERIOD, Duration::MAX);
    let forever = SupervisionStrategy::forever();
    assert_eq!(forever.intensity(), SupervisionStrategy::FOREVER_INTENSITY);
    assert_eq!(forever.period(), SupervisionStrategy::FOREVER_PERIOD);
    assert_eq!(forever.scope(), SupervisionScope::One);
    assert!(forever.is_forever());
    assert!(SupervisionStrategy::new(-7, Duration::ZERO, SupervisionScope::All).is_forever());
    assert!(!SupervisionStrategy::new(0, Duration::MAX, SupervisionScope::One).is_forever());
}

#[tokio::test]
async fn an_actor_supervises_with_the_default_strategy_and_restarts() {
    let stage = Stage::new();
    let log = new_log();
    let worker: WorkerProxy = stage.actor_for(WorkerActor::definition("w", &log)).unwrap();
    // An instance that does not override `supervision_strategy`.
    let supervisor = WorkerActor::definition("plain", &log).instantiate();
    let strategy = supervisor.supervision_strategy();
    assert_eq!(strategy, SupervisionStrategy::default());
    let supervised = Supervised::new(
        worker.actor_ref(),
        worker.fail_error("boom"),
        ExecutionContext::new(),
    );
    assert_eq!(strategy.decide(&supervised), SupervisionDirective::Restart);
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn a_child_of_a_default_parent_is_restarted_once_then_stopped_within_5_s() {
    let stage = Stage::new();
    let log = new_log();
    let start = Instant::now();
    let parent: WorkerProxy = stage.actor_for(WorkerActor::definition("p", &log)).unwrap();
    let child = within!(parent.create_child("c".into()));
    assert_eq!(within!(child.add(3)), 3);

    assert!(within!(child.fail("first".into()).result()).is_err());
    assert_eq!(within!(child.value()), 0, "restarted once");
    assert_eq!(within!(child.instance()), 2);

    assert!(within!(child.fail("second".into()).result()).is_err());
    assert!(
        matches!(
            within!(child.value().result()),
            Err(ActorError::Stopped {
                method: "value",
                ..
            })
        ),
        "the second failure within 5 s stops it"
    );
    assert_eq!(within!(child.stop().result()), Ok(()));
    assert!(child.is_stopped());
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "both failures fell within one period"
    );

    assert_eq!(
        entries_of(&log, "c#"),
        [
            "c#1:before_start",
            "c#1:start",
            "c#1:add(3)",
            "c#1:fail(first)",
            "c#1:before_restart(fail: first)",
            "c#2:before_start",
            "c#2:start",
            "c#2:after_restart(fail: first)",
            "c#2:fail(second)",
            "c#2:before_stop",
            "c#2:after_stop",
        ]
    );
    // The parent is unaffected and has forgotten its child.
    assert!(!parent.is_stopped());
    assert_eq!(within!(parent.add(1)), 1);
    assert!(parent.actor_ref().children().is_empty());
    within!(stage.close());
}

#[tokio::test]
async fn a_top_level_actor_is_restarted_forever() {
    let stage = Stage::new();
    let log = new_log();
    let worker: WorkerProxy = stage.actor_for(WorkerActor::definition("w", &log)).unwrap();
    assert_eq!(worker.actor_ref().parent(), Some(stage.public_root()));

    for failure in 1..=20_u64 {
        assert_eq!(within!(worker.add(failure)), failure, "a fresh instance");
        assert!(within!(worker.fail(format!("failure {failure}")).result()).is_err());
    }
    assert_eq!(within!(worker.value()), 0);
    assert_eq!(within!(worker.instance()), 21, "20 restarts");
    assert!(!worker.is_stopped());
    assert_eq!(
        entries_of(&log, "w#")
            .iter()
            .filter(|e| e.contains(":after_restart("))
            .count(),
        20
    );
    assert!(entries_of(&log, "w#").iter().all(|e| !e.contains("stop")));
    within!(stage.close());
}
