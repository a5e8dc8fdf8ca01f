//! The order of the hooks on each supervision path, from the failing message on:
//!
//! * Resume: the failure, the supervisor's decision, `before_resume`, the next message;
//! * Restart: the failure, the decision, `before_restart` (old instance), then `before_start`,
//!   `start` and `after_restart` (new instance), the next message;
//! * Stop: the failure, the decision, `before_stop`, the children's stop (each completely), then
//!   `after_stop`: children stop before their parent.

use domo_actors::{Stage, SupervisionDirective};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{entries, within};
use domo_actors_testkit::await_assert;

/// A worker `w` supervised by `sup`, which answers `directive` (restarting forever).
fn worker(stage: &Stage, directive: SupervisionDirective) -> Scene {
    Scene::builder().directive(directive).forever().build(stage)
}

#[tokio::test]
async fn resume() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = worker(&stage, SupervisionDirective::Resume);
    drop(worker.add(1));
    drop(worker.fail("boom".into()));
    assert_eq!(within!(worker.add(2)), 3);

    assert_eq!(
        entries(&log),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:add(1)",
            "w#1:fail(boom)",
            "sup:decide(fail: boom)",
            "w#1:before_resume(fail: boom)",
            "w#1:add(2)",
        ]
    );
    within!(stage.close());
}

#[tokio::test]
async fn restart() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = worker(&stage, SupervisionDirective::Restart);
    drop(worker.add(1));
    drop(worker.fail("boom".into()));
    assert_eq!(within!(worker.add(2)), 2);

    assert_eq!(
        entries(&log),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:add(1)",
            "w#1:fail(boom)",
            "sup:decide(fail: boom)",
            "w#1:before_restart(fail: boom)",
            "w#2:before_start",
            "w#2:start",
            "w#2:after_restart(fail: boom)",
            "w#2:add(2)",
        ]
    );
    within!(stage.close());
}

#[tokio::test]
async fn stop_with_children_and_grandchildren() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = worker(&stage, SupervisionDirective::Stop);
    let first = within!(worker.create_child("c1".into()));
    let second = within!(worker.create_child("c2".into()));
    let grandchild = within!(first.create_child("g".into()));
    assert_eq!(within!(grandchild.add(1)), 1);
    assert_eq!(within!(second.add(1)), 1);
    let before_failure = entries(&log).len();

    drop(worker.fail("boom".into()));
    await_assert(|| async {
        assert!(entries(&log).contains(&"w#1:after_stop".to_owned()));
    })
    .await;

    assert_eq!(
        entries(&log)[before_failure..],
        [
            "w#1:fail(boom)",
            "sup:decide(fail: boom)",
            "w#1:before_stop",
            "c1#1:before_stop",
            "g#1:before_stop",
            "g#1:after_stop",
            "c1#1:after_stop",
            "c2#1:before_stop",
            "c2#1:after_stop",
            "w#1:after_stop",
        ]
    );
    assert!(worker.is_stopped() && first.is_stopped() && second.is_stopped());
    assert!(grandchild.is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn escalated_restart() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = Scene::builder()
        .supervisor("upper")
        .directive(SupervisionDirective::Restart)
        .escalating_through(&["lower"])
        .build(&stage);
    drop(worker.fail("boom".into()));
    assert_eq!(within!(worker.add(2)), 2);

    assert_eq!(
        entries(&log),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:fail(boom)",
            "lower:decide(fail: boom)",
            "upper:decide(fail: boom)",
            "w#1:before_restart(fail: boom)",
            "w#2:before_start",
            "w#2:start",
            "w#2:after_restart(fail: boom)",
            "w#2:add(2)",
        ]
    );
    within!(stage.close());
}
