//! Function supervisors (`Stage::register_supervisor_fn`): a strategy registered by name, with
//! no actor behind it, decides as a supervisor actor's strategy would: each directive, the
//! intensity limit, by supervisor name or by type name. A function has no supervisor of its
//! own, so it escalates (and a decider that panics escalates) to the parent of the actor it
//! decided for. Registering a name again replaces what was registered, function or actor.

use std::time::Duration;

use domo_actors::{
    ActorError, ActorOptions, Stage, Supervised, SupervisionDirective, SupervisionScope,
    SupervisionStrategy,
};
use domo_actors_suite::{
    Log, ScriptedSupervisor, SupervisorProxy, WorkerActor, WorkerProxy, decisions, entries_of,
    new_log, reason_text, record, within,
};
use domo_actors_testkit::await_assert;
use tokio::time::advance;

/// `strategy` deciding `directive` for every failure, recording `"<name>:decide(<reason>)"`.
fn scripted(
    name: &str,
    log: &Log,
    strategy: SupervisionStrategy,
    directive: SupervisionDirective,
) -> SupervisionStrategy {
    let (name, log) = (name.to_owned(), log.clone());
    strategy.deciding(move |supervised: &Supervised| {
        record(
            &log,
            format!("{name}:decide({})", reason_text(supervised.error())),
        );
        directive
    })
}

/// Registers the function supervisor `name`, answering `directive` under the default strategy
/// (intensity 1, period 5 s, scope one).
fn register(stage: &Stage, name: &str, log: &Log, directive: SupervisionDirective) {
    stage.register_supervisor_fn(
        name,
        scripted(name, log, SupervisionStrategy::default(), directive),
    );
}

/// A top-level worker `w`, recording into `log`, supervised by the name `supervisor`.
fn worker(stage: &Stage, log: &Log, supervisor: &str) -> WorkerProxy {
    stage
        .actor_for(WorkerActor::definition("w", log).with_supervisor(supervisor))
        .expect("the stage is open")
}

#[tokio::test]
async fn a_function_supervisor_restarts() {
    let stage = Stage::new();
    let log = new_log();
    register(&stage, "fn-sup", &log, SupervisionDirective::Restart);
    let worker = worker(&stage, &log, "fn-sup");
    assert_eq!(within!(worker.add(5)), 5);

    assert_eq!(
        within!(worker.fail("boom".into()).result()),
        Err(worker.fail_error("boom"))
    );
    assert_eq!(within!(worker.value()), 0, "a fresh instance");
    assert_eq!(within!(worker.instance()), 2);
    assert_eq!(decisions(&log), ["fn-sup:decide(fail: boom)"]);
    assert_eq!(
        entries_of(&log, "w#"),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:add(5)",
            "w#1:fail(boom)",
            "w#1:before_restart(fail: boom)",
            "w#2:before_start",
            "w#2:start",
            "w#2:after_restart(fail: boom)",
        ]
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_function_supervisor_resumes_and_is_told_what_failed() {
    let stage = Stage::new();
    let log = new_log();
    let seen = new_log();
    let seen_by_decider = seen.clone();
    stage.register_supervisor_fn(
        "fn-sup",
        SupervisionStrategy::default().deciding(move |supervised: &Supervised| {
            record(
                &seen_by_decider,
                format!(
                    "{} {} {:?} {:?}",
                    supervised.actor().type_name(),
                    supervised.address(),
                    supervised.method(),
                    supervised.execution_context().value::<String>("request"),
                ),
            );
            SupervisionDirective::Resume
        }),
    );
    let worker = worker(&stage, &log, "fn-sup");
    assert_eq!(within!(worker.add(5)), 5);

    worker.with_execution_context(|context| {
        context.set_value("request", "r-7".to_owned());
    });
    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 5, "resumed: the state is kept");
    assert_eq!(within!(worker.instance()), 1);
    assert_eq!(
        entries_of(&log, "w#1:before_resume"),
        ["w#1:before_resume(fail: boom)"]
    );
    assert_eq!(
        domo_actors_suite::entries(&seen),
        [format!(
            "Worker {} Some(\"fail\") Some(\"r-7\")",
            worker.address()
        )]
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_function_supervisor_stops() {
    let stage = Stage::new();
    let log = new_log();
    register(&stage, "fn-sup", &log, SupervisionDirective::Stop);
    let worker = worker(&stage, &log, "fn-sup");

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(
        within!(worker.value().result()),
        Err(worker.stopped_error("value"))
    );
    assert!(worker.is_stopped());
    assert_eq!(decisions(&log), ["fn-sup:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn a_function_supervisor_applies_its_scope_to_the_siblings() {
    let stage = Stage::new();
    let log = new_log();
    stage.register_supervisor_fn(
        "fn-sup",
        scripted(
            "fn-sup",
            &log,
            SupervisionStrategy::forever().with_scope(SupervisionScope::All),
            SupervisionDirective::Restart,
        ),
    );
    let parent: WorkerProxy = stage.actor_for(WorkerActor::definition("p", &log)).unwrap();
    let children: Vec<WorkerProxy> = ["a", "b"]
        .into_iter()
        .map(|name| {
            stage
                .actor_for_with(
                    WorkerActor::definition(name, &log).with_supervisor("fn-sup"),
                    ActorOptions::new().with_parent(parent.actor_ref()),
                )
                .unwrap()
        })
        .collect();
    for child in &children {
        assert_eq!(within!(child.add(3)), 3);
    }

    assert!(within!(children[0].fail("boom".into()).result()).is_err());
    // The sibling's directive reaches it through its mailbox, after the failure's promise.
    await_assert(|| async {
        for name in ["a", "b"] {
            assert_eq!(
                entries_of(&log, &format!("{name}#2:after_restart")),
                [format!("{name}#2:after_restart(fail: boom)")],
                "{name} was restarted with a's failure as the reason"
            );
        }
    })
    .await;
    for child in &children {
        assert_eq!(within!(child.value()), 0, "every sibling restarted");
        assert_eq!(within!(child.instance()), 2);
    }
    assert!(entries_of(&log, "p#2").is_empty(), "not the parent");
    assert_eq!(decisions(&log), ["fn-sup:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn a_function_supervisor_registered_under_a_type_name_supervises_that_type() {
    let stage = Stage::new();
    let log = new_log();
    register(&stage, "Worker", &log, SupervisionDirective::Resume);
    // No supervisor name: without the registration the public root would restart it.
    let worker: WorkerProxy = stage.actor_for(WorkerActor::definition("w", &log)).unwrap();
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 5, "resumed by the function");
    assert_eq!(decisions(&log), ["Worker:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn a_function_supervisor_that_escalates_hands_the_failure_to_the_parent() {
    let stage = Stage::new();
    let log = new_log();
    register(&stage, "fn-sup", &log, SupervisionDirective::Escalate);

    // A top-level worker: its parent is the public root, which restarts.
    let top = worker(&stage, &log, "fn-sup");
    assert_eq!(within!(top.add(5)), 5);
    assert!(within!(top.fail("boom".into()).result()).is_err());
    assert_eq!(within!(top.value()), 0, "the public root restarted it");

    // A child: its parent decides, here by resuming it.
    let parent: SupervisorProxy = stage
        .actor_for(ScriptedSupervisor::definition(
            "parent",
            &log,
            SupervisionDirective::Resume,
        ))
        .unwrap();
    let child: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("c", &log).with_supervisor("fn-sup"),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap();
    assert_eq!(within!(child.add(5)), 5);
    assert!(within!(child.fail("bang".into()).result()).is_err());
    assert_eq!(within!(child.value()), 5, "the parent resumed it");

    assert_eq!(
        decisions(&log),
        [
            "fn-sup:decide(fail: boom)",
            "fn-sup:decide(fail: bang)",
            "parent:decide(fail: bang)",
        ]
    );
    assert!(!parent.is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn a_supervisor_actor_can_escalate_to_a_function_supervisor() {
    let stage = Stage::new();
    let log = new_log();
    register(&stage, "fn-sup", &log, SupervisionDirective::Resume);
    let _lower: SupervisorProxy = stage
        .actor_for(
            ScriptedSupervisor::definition("lower", &log, SupervisionDirective::Escalate)
                .with_supervisor("fn-sup"),
        )
        .unwrap();
    let worker = worker(&stage, &log, "lower");
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(
        within!(worker.value()),
        5,
        "the function resumed the worker"
    );
    assert_eq!(
        decisions(&log),
        ["lower:decide(fail: boom)", "fn-sup:decide(fail: boom)"]
    );
    assert!(
        entries_of(&log, "lower:")
            .iter()
            .all(|entry| entry.contains(":decide(")),
        "the directive applied to the worker, not to the supervisor that escalated"
    );
    within!(stage.close());
}

/// Fails the worker and reports whether it is still alive afterwards (see `intensity.rs`).
async fn fail_and_survive(worker: &WorkerProxy) -> bool {
    assert!(within!(worker.fail("boom".into()).result()).is_err());
    match within!(worker.value().result()) {
        Ok(value) => {
            assert_eq!(value, 0, "restarted: a fresh instance");
            true
        }
        Err(ActorError::Stopped { .. }) => {
            assert!(worker.is_stopped());
            false
        }
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_function_supervisors_intensity_limits_its_restarts() {
    let stage = Stage::new();
    let log = new_log();
    stage.register_supervisor_fn(
        "fn-sup",
        scripted(
            "fn-sup",
            &log,
            SupervisionStrategy::new(2, Duration::from_secs(10), SupervisionScope::One),
            SupervisionDirective::Restart,
        ),
    );
    let worker = worker(&stage, &log, "fn-sup");

    for _ in 0..2 {
        assert!(fail_and_survive(&worker).await);
        advance(Duration::from_secs(3)).await;
    }
    assert_eq!(within!(worker.instance()), 3);
    assert!(
        !fail_and_survive(&worker).await,
        "a third restart within 10 s exceeds intensity 2: a stop"
    );
    assert_eq!(decisions(&log).len(), 3);
    within!(stage.close());
}

#[tokio::test]
async fn registering_a_name_again_replaces_the_function_or_the_actor() {
    let stage = Stage::new();
    let log = new_log();
    register(&stage, "sup", &log, SupervisionDirective::Resume);
    let worker = worker(&stage, &log, "sup");
    assert_eq!(within!(worker.add(5)), 5);
    assert!(within!(worker.fail("one".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 5, "the first function resumed");

    // A function replaces a function.
    stage.register_supervisor_fn(
        "sup",
        scripted(
            "second",
            &log,
            SupervisionStrategy::forever(),
            SupervisionDirective::Restart,
        ),
    );
    assert!(within!(worker.fail("two".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 0, "the second function restarted");

    // An actor replaces a function.
    let actor: SupervisorProxy = stage
        .actor_for(ScriptedSupervisor::definition(
            "actor",
            &log,
            SupervisionDirective::Resume,
        ))
        .unwrap();
    stage.register_supervisor("sup", actor.actor_ref());
    assert_eq!(within!(worker.add(7)), 7);
    assert!(within!(worker.fail("three".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 7, "the actor resumed");

    // A function replaces an actor.
    register(&stage, "sup", &log, SupervisionDirective::Stop);
    assert!(within!(worker.fail("four".into()).result()).is_err());
    assert!(
        within!(worker.value().result()).is_err(),
        "the function stopped it"
    );

    assert_eq!(
        decisions(&log),
        [
            "sup:decide(fail: one)",
            "second:decide(fail: two)",
            "actor:decide(fail: three)",
            "sup:decide(fail: four)",
        ]
    );
    assert!(!actor.is_stopped(), "a replaced actor goes on");
    within!(stage.close());
}

#[tokio::test]
async fn a_function_decides_before_an_actor_of_that_type_name() {
    let stage = Stage::new();
    let log = new_log();
    // An actor found by its type name `sup`...
    let _actor: SupervisorProxy = stage
        .actor_for(ScriptedSupervisor::definition(
            "sup",
            &log,
            SupervisionDirective::Restart,
        ))
        .unwrap();
    // ...and a function registered under that name: the registration wins.
    stage.register_supervisor_fn(
        "sup",
        scripted(
            "fn",
            &log,
            SupervisionStrategy::default(),
            SupervisionDirective::Resume,
        ),
    );
    let worker = worker(&stage, &log, "sup");
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 5);
    assert_eq!(decisions(&log), ["fn:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test]
async fn a_panicking_decider_escalates_to_the_parent_and_decides_again_later() {
    let stage = Stage::new();
    let log = new_log();
    let decider_log = log.clone();
    stage.register_supervisor_fn(
        "panicking",
        SupervisionStrategy::default().deciding(move |_: &Supervised| {
            record(&decider_log, "panicking:decide");
            panic!("cannot decide");
        }),
    );
    let upper: SupervisorProxy = stage
        .actor_for(ScriptedSupervisor::definition(
            "upper",
            &log,
            SupervisionDirective::Resume,
        ))
        .unwrap();
    let worker: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("w", &log).with_supervisor("panicking"),
            ActorOptions::new().with_parent(upper.actor_ref()),
        )
        .unwrap();
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(
        within!(worker.value()),
        5,
        "upper, the parent, resumed the worker"
    );
    let decided = |log: &Log| -> Vec<String> {
        domo_actors_suite::entries(log)
            .into_iter()
            .filter(|entry| entry.contains("decide"))
            .collect()
    };
    assert_eq!(
        decided(&log),
        ["panicking:decide", "upper:decide(fail: boom)"]
    );

    // The panic is contained: the function stays registered, and decides again.
    drop(worker.fail("again".into()));
    await_assert(|| async {
        assert_eq!(
            decided(&log),
            [
                "panicking:decide",
                "upper:decide(fail: boom)",
                "panicking:decide",
                "upper:decide(fail: again)",
            ]
        );
    })
    .await;
    assert_eq!(within!(worker.value()), 5);
    within!(stage.close());
}

#[tokio::test]
async fn a_closed_stage_lets_go_of_its_function_supervisors() {
    let stage = Stage::new();
    let log = new_log();
    let held = std::sync::Arc::new(());
    let captured = std::sync::Arc::clone(&held);
    stage.register_supervisor_fn(
        "fn-sup",
        SupervisionStrategy::default().deciding(move |_: &Supervised| {
            let _ = &captured;
            SupervisionDirective::Resume
        }),
    );
    let _worker = worker(&stage, &log, "fn-sup");
    assert_eq!(std::sync::Arc::strong_count(&held), 2);
    within!(stage.close());
    assert_eq!(
        std::sync::Arc::strong_count(&held),
        1,
        "the decider (which may hold proxies, and so the stage) was dropped at close"
    );
}

#[tokio::test]
async fn a_function_supervisor_may_be_registered_after_the_actors_naming_it() {
    let stage = Stage::new();
    let log = new_log();
    // Named before it is registered: until then the parent (the public root) restarts.
    let worker = worker(&stage, &log, "late");
    assert_eq!(within!(worker.add(5)), 5);
    assert!(within!(worker.fail("early".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 0, "restarted by the public root");

    register(&stage, "late", &log, SupervisionDirective::Resume);
    assert_eq!(within!(worker.add(5)), 5);
    assert!(within!(worker.fail("late".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 5, "resumed by the function");
    assert_eq!(decisions(&log), ["late:decide(fail: late)"]);
    within!(stage.close());
}
