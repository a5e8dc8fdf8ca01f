//! Escalation never hangs, even when the supervisors form a cycle: supervisors that escalate to
//! each other give up after a bounded number of escalations (the failed actor is stopped, as
//! when no supervisor is left), and an escalation that leads back to the failed actor itself
//! (which cannot decide: it is waiting for the decision) must not wait for it.
//!
//! Every wait is guarded under a paused clock: a hang fails at once.

use domo_actors::{ActorError, ActorOptions, Stage, SupervisionDirective};
use domo_actors_suite::{
    ScriptedSupervisor, SupervisorProxy, WorkerActor, WorkerProxy, decisions, new_log, within,
};

#[tokio::test(start_paused = true)]
async fn supervisors_escalating_to_each_other_end_in_a_stop() {
    let stage = Stage::new();
    let log = new_log();
    let a: SupervisorProxy = stage
        .actor_for(
            ScriptedSupervisor::definition("a", &log, SupervisionDirective::Escalate)
                .with_supervisor("b"),
        )
        .unwrap();
    let b: SupervisorProxy = stage
        .actor_for(
            ScriptedSupervisor::definition("b", &log, SupervisionDirective::Escalate)
                .with_supervisor("a"),
        )
        .unwrap();
    let worker: WorkerProxy = stage
        .actor_for(WorkerActor::definition("w", &log).with_supervisor("a"))
        .unwrap();

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert!(matches!(
        within!(worker.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    let asked = decisions(&log);
    assert!(asked.len() > 2, "the escalation went round: {asked:?}");
    let alternating: Vec<&str> = (0..asked.len())
        .map(|i| {
            if i % 2 == 0 {
                "a:decide(fail: boom)"
            } else {
                "b:decide(fail: boom)"
            }
        })
        .collect();
    assert_eq!(asked, alternating, "a and b asked in turn");
    assert!(!a.is_stopped() && !b.is_stopped());
    within!(stage.close());
}

/// The failed actor `p` created its own supervisor, `guardian`, as a child: the guardian's own
/// supervisor is its parent, `p`. When the guardian escalates `p`'s failure, the next supervisor
/// up is `p` itself, which is waiting for this very decision.
#[tokio::test(start_paused = true)]
async fn an_escalation_that_leads_back_to_the_failed_actor_does_not_hang() {
    let stage = Stage::new();
    let log = new_log();
    let parent: WorkerProxy = stage
        .actor_for(WorkerActor::definition("p", &log).with_supervisor("guardian"))
        .unwrap();
    let _guardian: SupervisorProxy = stage
        .actor_for_with(
            ScriptedSupervisor::definition("guardian", &log, SupervisionDirective::Escalate),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap();
    assert_eq!(within!(parent.add(1)), 1);

    assert!(within!(parent.fail("boom".into()).result()).is_err());
    // Answered by a restarted or resumed `p`, or failed because it was stopped: either way the
    // failure was dealt with instead of waiting forever.
    let after = within!(parent.value().result());
    assert!(
        matches!(after, Ok(_) | Err(ActorError::Stopped { .. })),
        "{after:?}"
    );
    assert_eq!(decisions(&log)[0], "guardian:decide(fail: boom)");
    within!(stage.close());
}
