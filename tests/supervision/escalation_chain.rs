//! Escalation through several levels: a failure escalated by supervisor A goes to A's
//! supervisor B, then C, each asked in turn, until a supervisor decides: the public root (which
//! restarts) above a top-level supervisor, or the private root (which stops) for a supervisor
//! supervised by `"__privateRoot"`. The decision applies to the actor that failed; none of the
//! supervisors on the way is affected.

use domo_actors::{
    ActorError, ActorOptions, PRIVATE_ROOT_TYPE, PUBLIC_ROOT_TYPE, Stage, SupervisionDirective,
};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{
    Log, SupervisorProxy, WorkerActor, WorkerProxy, decisions, entries_of, new_log, within,
};

/// Escalating supervisors `a` ← `b` ← `c` (`a` supervised by `b`, `b` by `c`), `c` created with
/// `top_options`; and a worker `f` supervised by `a`.
fn chain(stage: &Stage, top_options: ActorOptions) -> (Log, Vec<SupervisorProxy>, WorkerProxy) {
    let Scene {
        log,
        supervisor: c,
        escalators: mut supervisors,
        worker: failing,
        ..
    } = Scene::builder()
        .supervisor("c")
        .directive(SupervisionDirective::Escalate)
        .supervisor_options(top_options)
        .escalating_through(&["a", "b"])
        .worker("f")
        .build(stage);
    supervisors.push(c);
    (log, supervisors, failing)
}

fn no_directive_applied_to_supervisors(log: &Log, supervisors: &[SupervisorProxy]) {
    for name in ["a", "b", "c"] {
        let own = entries_of(log, &format!("{name}:"));
        assert!(
            own.iter().all(|e| e.contains(":decide(")),
            "{name} was only asked: {own:?}"
        );
    }
    assert!(supervisors.iter().all(|s| !s.is_stopped()));
}

#[tokio::test]
async fn three_escalations_reach_the_public_root_which_restarts() {
    let stage = Stage::new();
    let (log, supervisors, failing) = chain(&stage, ActorOptions::new());
    assert_eq!(
        supervisors[2].actor_ref().parent(),
        Some(stage.public_root())
    );
    assert_eq!(within!(failing.add(5)), 5);

    assert!(within!(failing.fail("boom".into()).result()).is_err());
    assert_eq!(within!(failing.value()), 0, "the public root restarted it");
    assert_eq!(within!(failing.instance()), 2);
    assert_eq!(
        decisions(&log),
        [
            "a:decide(fail: boom)",
            "b:decide(fail: boom)",
            "c:decide(fail: boom)"
        ],
        "each supervisor was asked in turn, from the bottom up"
    );
    assert_eq!(
        entries_of(&log, "f#"),
        [
            "f#1:before_start",
            "f#1:start",
            "f#1:add(5)",
            "f#1:fail(boom)",
            "f#1:before_restart(fail: boom)",
            "f#2:before_start",
            "f#2:start",
            "f#2:after_restart(fail: boom)",
        ]
    );
    no_directive_applied_to_supervisors(&log, &supervisors);

    // The public root restarts forever, even through the chain.
    for round in 0..3 {
        assert!(within!(failing.fail(format!("again {round}")).result()).is_err());
    }
    assert_eq!(within!(failing.instance()), 5);
    assert_eq!(decisions(&log).len(), 12);
    within!(stage.close());
}

#[tokio::test]
async fn naming_the_public_root_reaches_it_directly() {
    let stage = Stage::new();
    let (log, supervisors, failing) = chain(
        &stage,
        ActorOptions::new().with_supervisor(PUBLIC_ROOT_TYPE),
    );
    assert!(within!(failing.fail("boom".into()).result()).is_err());
    assert_eq!(within!(failing.instance()), 2, "restarted");
    assert_eq!(decisions(&log).len(), 3);
    no_directive_applied_to_supervisors(&log, &supervisors);
    within!(stage.close());
}

#[tokio::test]
async fn three_escalations_reach_the_private_root_which_stops() {
    let stage = Stage::new();
    let (log, supervisors, failing) = chain(
        &stage,
        ActorOptions::new().with_supervisor(PRIVATE_ROOT_TYPE),
    );
    assert_eq!(within!(failing.add(5)), 5);

    assert!(within!(failing.fail("boom".into()).result()).is_err());
    assert!(
        matches!(
            within!(failing.value().result()),
            Err(ActorError::Stopped { .. })
        ),
        "the private root stopped it"
    );
    assert_eq!(within!(failing.stop().result()), Ok(()));
    assert_eq!(
        decisions(&log),
        [
            "a:decide(fail: boom)",
            "b:decide(fail: boom)",
            "c:decide(fail: boom)"
        ]
    );
    assert_eq!(
        entries_of(&log, "f#"),
        [
            "f#1:before_start",
            "f#1:start",
            "f#1:add(5)",
            "f#1:fail(boom)",
            "f#1:before_stop",
            "f#1:after_stop",
        ]
    );
    no_directive_applied_to_supervisors(&log, &supervisors);
    assert!(!stage.public_root().is_stopped());
    assert!(!stage.private_root().is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn an_actor_supervised_by_the_private_root_is_stopped_at_its_first_failure() {
    let stage = Stage::new();
    let log = new_log();
    let failing: WorkerProxy = stage
        .actor_for_with(
            WorkerActor::definition("f", &log),
            ActorOptions::new().with_supervisor(PRIVATE_ROOT_TYPE),
        )
        .unwrap();
    assert!(within!(failing.fail("boom".into()).result()).is_err());
    assert!(matches!(
        within!(failing.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    assert!(failing.is_stopped());
    within!(stage.close());
}
