//! Directive `Resume`: the failed actor keeps its state (the same instance goes on),
//! `before_resume` runs with the failure as its reason, and the messages queued behind the
//! failing one are delivered next, in order.

use domo_actors::{Stage, SupervisionDirective};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{decisions, entries_of, within};

/// A worker `w` supervised by `sup`, a supervisor that always resumes.
fn resumed_worker(stage: &Stage) -> Scene {
    Scene::builder()
        .directive(SupervisionDirective::Resume)
        .build(stage)
}

#[tokio::test]
async fn resume_keeps_the_state_and_the_instance() {
    let stage = Stage::new();
    let Scene {
        log,
        supervisor,
        worker,
        ..
    } = resumed_worker(&stage);

    assert_eq!(within!(worker.add(5)), 5);
    assert_eq!(
        within!(worker.fail("boom".into()).result()),
        Err(worker.fail_error("boom"))
    );
    assert_eq!(within!(worker.value()), 5, "the state is kept");
    assert_eq!(within!(worker.instance()), 1, "the same instance goes on");
    assert_eq!(within!(worker.add(1)), 6);

    assert_eq!(decisions(&log), ["sup:decide(fail: boom)"]);
    assert_eq!(
        entries_of(&log, "w#"),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:add(5)",
            "w#1:fail(boom)",
            "w#1:before_resume(fail: boom)",
            "w#1:add(1)",
        ]
    );
    assert!(!worker.is_stopped());
    assert!(!supervisor.is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn messages_queued_behind_the_failing_one_are_delivered_next() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = resumed_worker(&stage);

    // All sent before anything is awaited: the failure is in the middle of the queue.
    let first = worker.add(1);
    let failing = worker.fail("mid-queue".into());
    let second = worker.add(10);
    let read = worker.value();
    let third = worker.add(100);

    assert_eq!(within!(first), 1);
    assert_eq!(
        within!(failing.result()),
        Err(worker.fail_error("mid-queue"))
    );
    assert_eq!(within!(second), 11, "delivered next, to the kept state");
    assert_eq!(within!(read), 11);
    assert_eq!(within!(third), 111);
    let order: Vec<String> = entries_of(&log, "w#")
        .into_iter()
        .filter(|entry| !entry.ends_with("start"))
        .collect();
    assert_eq!(
        order,
        [
            "w#1:add(1)",
            "w#1:fail(mid-queue)",
            "w#1:before_resume(fail: mid-queue)",
            "w#1:add(10)",
            "w#1:add(100)",
        ],
        "before_resume runs before the next message"
    );
    within!(stage.close());
}

#[tokio::test]
async fn before_resume_gets_the_reason_of_each_failure() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = resumed_worker(&stage);

    drop(worker.add(2));
    drop(worker.fail("first".into()));
    drop(worker.add(3));
    drop(worker.fail("second".into()));
    assert_eq!(within!(worker.value()), 5);

    assert_eq!(
        entries_of(&log, "w#1:before_resume"),
        [
            "w#1:before_resume(fail: first)",
            "w#1:before_resume(fail: second)"
        ]
    );
    assert_eq!(
        decisions(&log),
        ["sup:decide(fail: first)", "sup:decide(fail: second)"],
        "the supervisor is asked about every failure"
    );
    within!(stage.close());
}
