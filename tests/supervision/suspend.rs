//! Directive `Suspend`: the failed actor keeps its state but is delivered nothing more (what is
//! queued, and what is sent later, waits); a stop still gets through, and fails what was waiting
//! with `ActorError::Stopped` (as dead letters).
//!
//! The clock is paused: "still pending" is checked with a timeout that tokio's clock reaches only
//! once no task can run, i.e. once the actors have done everything they could.

use std::pin::pin;

use domo_actors::{DeadLetterReason, Stage, SupervisionDirective};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{assert_still_pending, decisions, entries_of, within};
use domo_actors_testkit::test_stage;

/// A worker `w` supervised by `sup`, a supervisor that always suspends.
fn suspended_worker(stage: &Stage) -> Scene {
    Scene::builder()
        .directive(SupervisionDirective::Suspend)
        .build(stage)
}

#[tokio::test(start_paused = true)]
async fn a_suspended_actor_is_delivered_nothing_more() {
    let stage = Stage::new();
    let Scene {
        log,
        supervisor,
        worker,
        ..
    } = suspended_worker(&stage);
    assert_eq!(within!(worker.add(5)), 5);

    let failing = worker.fail("boom".into());
    let mut queued = pin!(worker.add(1).result());
    assert!(within!(failing.result()).is_err());
    assert_still_pending!(queued.as_mut());

    // Messages sent after the suspension wait too.
    let mut later = pin!(worker.value().result());
    assert_still_pending!(later.as_mut());

    assert_eq!(decisions(&log), ["sup:decide(fail: boom)"]);
    assert_eq!(
        entries_of(&log, "w#"),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:add(5)",
            "w#1:fail(boom)"
        ],
        "no hook ran for the suspension, and nothing was delivered"
    );
    assert!(!worker.is_stopped(), "suspended, not stopped");
    assert!(stage.directory().get(&worker.address()).is_some());
    assert!(!supervisor.is_stopped());

    within!(stage.close());
    assert!(within!(queued).is_err());
    assert!(within!(later).is_err());
}

#[tokio::test(start_paused = true)]
async fn stop_still_works_and_fails_the_queued_messages() {
    let (stage, dead_letters) = test_stage();
    let Scene { log, worker, .. } = suspended_worker(&stage);
    let child = within!(worker.create_child("c".into()));
    assert_eq!(within!(child.add(1)), 1);

    let failing = worker.fail("boom".into());
    let queued_add = worker.add(1);
    let queued_value = worker.value();
    assert!(within!(failing.result()).is_err());
    let mut later = pin!(worker.add(2).result());
    assert_still_pending!(later.as_mut());

    assert_eq!(
        within!(worker.stop().result()),
        Ok(()),
        "the stop is not held by the suspension"
    );
    assert!(worker.is_stopped());
    assert!(child.is_stopped(), "with its children");
    assert!(stage.directory().get(&worker.address()).is_none());

    assert_eq!(
        within!(queued_add.result()),
        Err(worker.stopped_error("add"))
    );
    assert_eq!(
        within!(queued_value.result()),
        Err(worker.stopped_error("value"))
    );
    assert_eq!(within!(later), Err(worker.stopped_error("add")));
    let letters = within!(dead_letters.await_count(3));
    let representations: Vec<&str> = letters.iter().map(|l| l.representation()).collect();
    assert_eq!(representations, ["add(1)", "value()", "add(2)"]);
    assert!(
        letters
            .iter()
            .all(|l| l.reason() == DeadLetterReason::ActorStopped)
    );

    assert_eq!(
        entries_of(&log, "w#"),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:fail(boom)",
            "w#1:before_stop",
            "w#1:after_stop",
        ],
        "the suspended instance is the one stopped"
    );
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn stage_close_settles_a_suspended_actors_queue() {
    let stage = Stage::new();
    let Scene { worker, .. } = suspended_worker(&stage);

    let failing = worker.fail("boom".into());
    let queued = worker.add(1);
    assert!(within!(failing.result()).is_err());

    within!(stage.close());
    assert!(worker.is_stopped());
    assert_eq!(within!(queued.result()), Err(worker.stopped_error("add")));
}
