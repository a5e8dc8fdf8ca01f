//! Who supervises an actor: the supervisor named in its `Definition`, or in its `ActorOptions`
//! (which wins over the definition); else the supervisor registered on the stage for its type
//! (`stage.register_supervisor("Worker", ..)`: every actor of that type); else its parent. A
//! named supervisor is an ordinary actor found by its type name, or one registered under that
//! name; a name that finds nothing falls back to the parent.
//!
//! Each supervisor here is a `ScriptedSupervisor` that resumes and records who asked it.

use domo_actors::{ActorOptions, Stage, SupervisionDirective};
use domo_actors_suite::{
    Log, ScriptedSupervisor, SupervisorProxy, WorkerActor, WorkerProxy, decisions, new_log, within,
};

/// A supervisor named (and typed) `name` that resumes.
fn supervisor(stage: &Stage, log: &Log, name: &str) -> SupervisorProxy {
    stage
        .actor_for(ScriptedSupervisor::definition(
            name,
            log,
            SupervisionDirective::Resume,
        ))
        .unwrap()
}

/// Fails `worker` with `cause` and waits until the failure is dealt with (a message queued
/// behind it is answered).
async fn fail(worker: &WorkerProxy, cause: &str) {
    assert!(within!(worker.fail(cause.into()).result()).is_err());
    within!(worker.value());
}

#[tokio::test]
async fn the_supervisor_named_in_the_definition() {
    let stage = Stage::new();
    let log = new_log();
    let _named = supervisor(&stage, &log, "bank-supervisor");
    let _other = supervisor(&stage, &log, "other");
    let worker: WorkerProxy = stage
        .actor_for(WorkerActor::definition("w", &log).with_supervisor("bank-supervisor"))
        .unwrap();
    assert_eq!(
        worker.actor_ref().supervisor_name(),
        Some("bank-supervisor")
    );

    fail(&worker, "boom").await;
    assert_eq!(decisions(&log), ["bank-supervisor:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn the_supervisor_named_in_the_options_wins_over_the_definition() {
    let stage = Stage::new();
    let log = new_log();
    let _in_definition = supervisor(&stage, &log, "in-definition");
    let _in_options = supervisor(&stage, &log, "in-options");
    let worker: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("w", &log).with_supervisor("in-definition"),
            ActorOptions::new().with_supervisor("in-options"),
        )
        .unwrap();
    assert_eq!(worker.actor_ref().supervisor_name(), Some("in-options"));

    fail(&worker, "boom").await;
    assert_eq!(decisions(&log), ["in-options:decide(fail: boom)"]);

    // Options alone name the supervisor too.
    let only_options: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("o", &log),
            ActorOptions::new().with_supervisor("in-definition"),
        )
        .unwrap();
    fail(&only_options, "other").await;
    assert_eq!(
        decisions(&log),
        [
            "in-options:decide(fail: boom)",
            "in-definition:decide(fail: other)"
        ]
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_name_registered_on_the_stage_is_found_before_an_actor_of_that_type() {
    let stage = Stage::new();
    let log = new_log();
    let _by_type = supervisor(&stage, &log, "auditor");
    let registered = supervisor(&stage, &log, "registered");
    stage.register_supervisor("auditor", registered.actor_ref());
    assert_eq!(stage.supervisor("auditor"), Some(registered.actor_ref()));

    let worker: WorkerProxy = stage
        .actor_for(WorkerActor::definition("w", &log).with_supervisor("auditor"))
        .unwrap();
    fail(&worker, "boom").await;
    assert_eq!(decisions(&log), ["registered:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn the_supervisor_registered_for_a_type_supervises_every_actor_of_that_type() {
    let stage = Stage::new();
    let log = new_log();
    let for_workers = supervisor(&stage, &log, "for-workers");
    stage.register_supervisor("Worker", for_workers.actor_ref());

    let first: WorkerProxy = stage
        .actor_for(WorkerActor::definition("first", &log))
        .unwrap();
    let second: WorkerProxy = stage
        .actor_for(WorkerActor::definition("second", &log))
        .unwrap();
    // Even a child, whose parent would otherwise supervise it.
    let child = within!(first.create_child("child".into()));
    // Another type is not concerned: the public root restarts it.
    let other: WorkerProxy = stage
        .actor_for(WorkerActor::definition("other", &log).with_type("NotAWorker"))
        .unwrap();
    for worker in [&first, &second, &child, &other] {
        assert_eq!(within!(worker.add(1)), 1);
    }

    fail(&first, "first").await;
    fail(&second, "second").await;
    fail(&child, "child").await;
    fail(&other, "other").await;
    assert_eq!(
        decisions(&log),
        [
            "for-workers:decide(fail: first)",
            "for-workers:decide(fail: second)",
            "for-workers:decide(fail: child)",
        ]
    );
    // for-workers resumed its actors; the public root restarted the other.
    assert_eq!(within!(first.value()), 1);
    assert_eq!(within!(second.value()), 1);
    assert_eq!(within!(child.value()), 1);
    assert_eq!(within!(other.value()), 0);
    within!(stage.close());
}

#[tokio::test]
async fn a_named_supervisor_wins_over_the_one_registered_for_the_type() {
    let stage = Stage::new();
    let log = new_log();
    let for_workers = supervisor(&stage, &log, "for-workers");
    stage.register_supervisor("Worker", for_workers.actor_ref());
    let _named = supervisor(&stage, &log, "named");

    let worker: WorkerProxy = stage
        .actor_for(WorkerActor::definition("w", &log).with_supervisor("named"))
        .unwrap();
    fail(&worker, "boom").await;
    assert_eq!(decisions(&log), ["named:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn by_default_the_parent_supervises() {
    let stage = Stage::new();
    let log = new_log();
    let parent = supervisor(&stage, &log, "parent");
    let _bystander = supervisor(&stage, &log, "bystander");
    let child: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("child", &log),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap();
    assert_eq!(child.actor_ref().supervisor_name(), None);
    assert_eq!(within!(child.add(1)), 1);

    fail(&child, "boom").await;
    assert_eq!(decisions(&log), ["parent:decide(fail: boom)"]);
    assert_eq!(within!(child.value()), 1, "the parent resumed it");
    within!(stage.close());
}

#[tokio::test]
async fn a_name_that_finds_no_supervisor_falls_back_to_the_parent() {
    let stage = Stage::new();
    let log = new_log();
    let parent = supervisor(&stage, &log, "parent");
    let child: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("child", &log).with_supervisor("nobody"),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap();
    assert_eq!(within!(child.add(1)), 1);
    assert_eq!(stage.supervisor("nobody"), None);

    fail(&child, "boom").await;
    assert_eq!(decisions(&log), ["parent:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn a_stopped_named_supervisor_is_not_found_and_the_parent_supervises() {
    let stage = Stage::new();
    let log = new_log();
    let named = supervisor(&stage, &log, "named");
    let parent = supervisor(&stage, &log, "parent");
    let child: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("child", &log).with_supervisor("named"),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap();
    fail(&child, "first").await;
    within!(named.stop());

    fail(&child, "second").await;
    assert_eq!(
        decisions(&log),
        ["named:decide(fail: first)", "parent:decide(fail: second)"]
    );
    within!(stage.close());
}
