//! Scope `One` versus `All`: under `All` the directive for a failed actor applies to its
//! siblings (the other children of its parent) too; under `One` they are untouched.
//!
//! The parent here is the supervisor: a `ScriptedSupervisor` with children `x`, `y`, `z`.

use std::pin::pin;

use domo_actors::{ActorError, Stage, SupervisionDirective, SupervisionScope};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{
    Log, SupervisorProxy, WorkerProxy, assert_still_pending, decisions, entries_of, new_log, within,
};
use domo_actors_testkit::await_assert;

struct Family {
    parent: SupervisorProxy,
    x: WorkerProxy,
    y: WorkerProxy,
    z: WorkerProxy,
}

/// A parent `p` deciding `directive` with the default strategy in `scope`, and its children
/// `x` (which will fail), `y` (total 3) and `z` (total 4).
async fn family(
    stage: &Stage,
    log: &Log,
    directive: SupervisionDirective,
    scope: SupervisionScope,
) -> Family {
    let scene = Scene::builder()
        .log(log)
        .supervisor("p")
        .directive(directive)
        .scope(scope)
        .worker("x")
        .as_child()
        .build(stage);
    let (y, z) = (scene.sibling(stage, "y"), scene.sibling(stage, "z"));
    let Scene {
        supervisor: parent,
        worker: x,
        ..
    } = scene;
    assert_eq!(within!(x.add(2)), 2);
    assert_eq!(within!(y.add(3)), 3);
    assert_eq!(within!(z.add(4)), 4);
    Family { parent, x, y, z }
}

#[tokio::test]
async fn all_restarts_the_siblings_too() {
    let stage = Stage::new();
    let log = new_log();
    let f = family(
        &stage,
        &log,
        SupervisionDirective::Restart,
        SupervisionScope::All,
    )
    .await;

    assert!(within!(f.x.fail("boom".into()).result()).is_err());
    await_assert(|| async {
        for name in ["x", "y", "z"] {
            assert_eq!(
                entries_of(&log, &format!("{name}#2:after_restart")),
                [format!("{name}#2:after_restart(fail: boom)")],
                "{name} was restarted with x's failure as the reason"
            );
        }
    })
    .await;
    assert_eq!(within!(f.x.value()), 0);
    assert_eq!(within!(f.y.value()), 0, "y's state was reset");
    assert_eq!(within!(f.z.value()), 0, "z's state was reset");
    for (name, worker) in [("x", &f.x), ("y", &f.y), ("z", &f.z)] {
        assert_eq!(within!(worker.instance()), 2, "{name}: a fresh instance");
        assert_eq!(
            entries_of(&log, &format!("{name}#1:before_restart")),
            [format!("{name}#1:before_restart(fail: boom)")]
        );
    }
    assert_eq!(
        decisions(&log),
        ["p:decide(fail: boom)"],
        "one decision, applied to all"
    );
    assert!(!f.parent.is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn all_stops_the_siblings_too() {
    let stage = Stage::new();
    let log = new_log();
    let f = family(
        &stage,
        &log,
        SupervisionDirective::Stop,
        SupervisionScope::All,
    )
    .await;

    assert!(within!(f.x.fail("boom".into()).result()).is_err());
    await_assert(|| async {
        for name in ["x", "y", "z"] {
            assert_eq!(
                entries_of(&log, &format!("{name}#1:after_stop")).len(),
                1,
                "{name} stopped"
            );
        }
        assert!(f.parent.actor_ref().children().is_empty());
    })
    .await;
    assert!(f.x.is_stopped() && f.y.is_stopped() && f.z.is_stopped());
    assert!(matches!(
        within!(f.y.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    assert!(!f.parent.is_stopped(), "the parent goes on");
    within!(stage.close());
}

#[tokio::test]
async fn all_stops_the_siblings_before_they_take_another_message() {
    let stage = Stage::new();
    let log = new_log();
    let f = family(
        &stage,
        &log,
        SupervisionDirective::Stop,
        SupervisionScope::All,
    )
    .await;

    assert!(within!(f.x.fail("boom".into()).result()).is_err());
    // x's own stop comes after its directive to its siblings was sent.
    assert!(matches!(
        within!(f.x.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    // Directives are system envelopes: taken before any user message sent later.
    assert!(matches!(
        within!(f.y.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    assert!(matches!(
        within!(f.z.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    within!(stage.close());
}

#[tokio::test]
async fn one_restarts_only_the_failed_actor() {
    let stage = Stage::new();
    let log = new_log();
    let f = family(
        &stage,
        &log,
        SupervisionDirective::Restart,
        SupervisionScope::One,
    )
    .await;

    assert!(within!(f.x.fail("boom".into()).result()).is_err());
    assert_eq!(within!(f.x.value()), 0, "x was restarted");
    // Had the siblings been directed, the directive would be taken before these messages.
    assert_eq!(within!(f.y.value()), 3, "y is untouched");
    assert_eq!(within!(f.z.value()), 4, "z is untouched");
    assert_eq!(within!(f.y.instance()), 1);
    assert_eq!(within!(f.z.instance()), 1);
    assert!(
        entries_of(&log, "y#")
            .iter()
            .chain(entries_of(&log, "z#").iter())
            .all(|e| !e.contains("restart") && !e.contains("stop")),
        "{:?}",
        entries_of(&log, "")
    );
    within!(stage.close());
}

#[tokio::test]
async fn one_stops_only_the_failed_actor() {
    let stage = Stage::new();
    let log = new_log();
    let f = family(
        &stage,
        &log,
        SupervisionDirective::Stop,
        SupervisionScope::One,
    )
    .await;

    assert!(within!(f.x.fail("boom".into()).result()).is_err());
    assert!(matches!(
        within!(f.x.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    assert_eq!(within!(f.y.value()), 3);
    assert_eq!(within!(f.z.value()), 4);
    assert!(!f.y.is_stopped() && !f.z.is_stopped());
    assert_eq!(within!(f.x.stop().result()), Ok(()));
    assert_eq!(
        f.parent.actor_ref().children(),
        [f.y.actor_ref(), f.z.actor_ref()]
    );
    within!(stage.close());
}

#[tokio::test]
async fn all_resumes_the_siblings_too() {
    let stage = Stage::new();
    let log = new_log();
    let f = family(
        &stage,
        &log,
        SupervisionDirective::Resume,
        SupervisionScope::All,
    )
    .await;

    assert!(within!(f.x.fail("boom".into()).result()).is_err());
    assert_eq!(within!(f.x.value()), 2, "state kept");
    assert_eq!(within!(f.y.value()), 3);
    assert_eq!(within!(f.z.value()), 4);
    for name in ["x", "y", "z"] {
        assert_eq!(
            entries_of(&log, &format!("{name}#1:before_resume")),
            [format!("{name}#1:before_resume(fail: boom)")],
            "{name} was resumed"
        );
    }
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn all_suspends_the_siblings_too() {
    let stage = Stage::new();
    let log = new_log();
    let f = family(
        &stage,
        &log,
        SupervisionDirective::Suspend,
        SupervisionScope::All,
    )
    .await;

    assert!(within!(f.x.fail("boom".into()).result()).is_err());
    let mut x_value = pin!(f.x.value().result());
    let mut y_value = pin!(f.y.value().result());
    let mut z_value = pin!(f.z.value().result());
    assert_still_pending!(x_value.as_mut());
    assert_still_pending!(y_value.as_mut());
    assert_still_pending!(z_value.as_mut());

    // A stop gets through the suspension, and fails what waited.
    assert_eq!(within!(f.y.stop().result()), Ok(()));
    assert!(matches!(within!(y_value), Err(ActorError::Stopped { .. })));
    within!(stage.close());
    assert!(within!(x_value).is_err() && within!(z_value).is_err());
}
