//! Directive `Escalate`: the supervisor's own supervisor decides, and the directive from up
//! there applies to the actor that failed (not to the supervisor that escalated). A
//! decider that panics counts as `Escalate`.

use domo_actors::{
    Actor, Definition, Stage, Supervised, SupervisionDirective, SupervisionStrategy,
};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{
    Log, ScriptedSupervisor, Supervisor, SupervisorProxy, WorkerActor, WorkerProxy, decisions,
    entries_of, new_log, record, within,
};
use domo_actors_testkit::await_assert;

/// `upper` answers `directive`; `lower` escalates and is supervised by `upper`; the worker `w`
/// is supervised by `lower`.
fn escalating_pair(
    stage: &Stage,
    directive: SupervisionDirective,
) -> (Log, SupervisorProxy, SupervisorProxy, WorkerProxy) {
    let Scene {
        log,
        supervisor: upper,
        escalators: mut lower,
        worker,
        ..
    } = Scene::builder()
        .supervisor("upper")
        .directive(directive)
        .escalating_through(&["lower"])
        .build(stage);
    (log, upper, lower.remove(0), worker)
}

/// No directive was applied to the supervisor named `name`: it has recorded nothing but
/// decisions.
fn untouched(log: &Log, name: &str) {
    let own = entries_of(log, &format!("{name}:"));
    assert!(
        own.iter().all(|entry| entry.contains(":decide(")),
        "{name} was not resumed, restarted or stopped: {own:?}"
    );
}

#[tokio::test]
async fn the_supervisors_supervisor_resumes_the_failed_actor() {
    let stage = Stage::new();
    let (log, upper, lower, worker) = escalating_pair(&stage, SupervisionDirective::Resume);
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 5, "resumed: the state is kept");
    assert_eq!(within!(worker.instance()), 1);

    assert_eq!(
        decisions(&log),
        ["lower:decide(fail: boom)", "upper:decide(fail: boom)"],
        "lower escalated to upper, which decided"
    );
    assert_eq!(
        entries_of(&log, "w#1:before_resume"),
        ["w#1:before_resume(fail: boom)"]
    );
    untouched(&log, "lower");
    untouched(&log, "upper");
    assert!(!lower.is_stopped() && !upper.is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn the_supervisors_supervisor_restarts_the_failed_actor() {
    let stage = Stage::new();
    let (log, _upper, lower, worker) = escalating_pair(&stage, SupervisionDirective::Restart);
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(
        within!(worker.value()),
        0,
        "restarted: the state starts over"
    );
    assert_eq!(within!(worker.instance()), 2);
    assert_eq!(
        decisions(&log),
        ["lower:decide(fail: boom)", "upper:decide(fail: boom)"]
    );
    untouched(&log, "lower");
    assert!(!lower.is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn the_supervisors_supervisor_stops_the_failed_actor() {
    let stage = Stage::new();
    let (log, upper, lower, worker) = escalating_pair(&stage, SupervisionDirective::Stop);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert!(matches!(
        within!(worker.value().result()),
        Err(domo_actors::ActorError::Stopped { .. })
    ));
    assert!(worker.is_stopped());
    assert!(!lower.is_stopped(), "the escalating supervisor goes on");
    assert!(!upper.is_stopped());
    untouched(&log, "lower");
    untouched(&log, "upper");
    within!(stage.close());
}

#[tokio::test]
async fn a_parent_that_escalates_hands_its_childs_failure_to_its_own_supervisor() {
    let stage = Stage::new();
    // A top-level parent: its own supervisor is the public root, which restarts.
    let Scene {
        log,
        supervisor: parent,
        worker: child,
        ..
    } = Scene::builder()
        .supervisor("parent")
        .directive(SupervisionDirective::Escalate)
        .worker("child")
        .as_child()
        .build(&stage);
    assert_eq!(within!(child.add(5)), 5);

    assert!(within!(child.fail("boom".into()).result()).is_err());
    assert_eq!(
        within!(child.value()),
        0,
        "the public root restarted the child"
    );
    assert_eq!(decisions(&log), ["parent:decide(fail: boom)"]);
    untouched(&log, "parent");
    assert!(!parent.is_stopped());
    assert_eq!(parent.actor_ref().children(), [child.actor_ref()]);
    within!(stage.close());
}

/// A supervisor whose decider panics.
struct PanickingSupervisor {
    log: Log,
}

impl Actor for PanickingSupervisor {
    fn supervision_strategy(&self) -> SupervisionStrategy {
        let log = self.log.clone();
        SupervisionStrategy::default().deciding(move |_: &Supervised| {
            record(&log, "panicking:decide");
            panic!("cannot decide");
        })
    }
}

impl Supervisor for PanickingSupervisor {}

#[tokio::test]
async fn a_panicking_decider_escalates() {
    let stage = Stage::new();
    let log = new_log();
    let _upper: SupervisorProxy = stage
        .actor_for(ScriptedSupervisor::definition(
            "upper",
            &log,
            SupervisionDirective::Resume,
        ))
        .unwrap();
    let panicking_log = log.clone();
    let panicking: SupervisorProxy = stage
        .actor_for(
            Definition::new(move || PanickingSupervisor {
                log: panicking_log.clone(),
            })
            .with_type("panicking")
            .with_supervisor("upper"),
        )
        .unwrap();
    let worker: WorkerProxy = stage
        .actor_for(WorkerActor::definition("w", &log).with_supervisor("panicking"))
        .unwrap();
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 5, "upper resumed the worker");
    assert_eq!(
        entries_of(&log, "")
            .into_iter()
            .filter(|e| e.contains("decide"))
            .collect::<Vec<_>>(),
        ["panicking:decide", "upper:decide(fail: boom)"]
    );
    // The panic in the decider is contained: the supervisor goes on, and decides again.
    assert!(!panicking.is_stopped());
    drop(worker.fail("again".into()));
    await_assert(|| async {
        assert_eq!(entries_of(&log, "panicking:decide").len(), 2);
        assert_eq!(decisions(&log).last().unwrap(), "upper:decide(fail: again)");
    })
    .await;
    assert_eq!(within!(worker.value()), 5);
    within!(stage.close());
}
