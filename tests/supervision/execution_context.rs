//! A supervisor is told what failed: `Supervised` carries the failed actor (its address), the
//! method and the error naming the cause, and the execution context of the failing message, as
//! snapshotted when that message was sent (set through the proxy's `with_execution_context`).

use std::sync::{Arc, Mutex};

use domo_actors::{
    Actor, ActorError, Address, Definition, Stage, Supervised, SupervisionDirective,
    SupervisionStrategy,
};
use domo_actors_suite::{Supervisor, SupervisorProxy, WorkerActor, WorkerProxy, new_log, within};
use domo_actors_testkit::await_assert;

/// What the auditing supervisor saw of one failure.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    address: Address,
    type_name: String,
    method: Option<&'static str>,
    error: ActorError,
    command: Option<String>,
    context_keys: usize,
}

type SeenLog = Arc<Mutex<Vec<Seen>>>;

/// Records every `Supervised` it is given, then resumes.
struct AuditingSupervisor {
    seen: SeenLog,
}

impl Actor for AuditingSupervisor {
    fn supervision_strategy(&self) -> SupervisionStrategy {
        let seen = Arc::clone(&self.seen);
        SupervisionStrategy::default().deciding(move |supervised: &Supervised| {
            let context = supervised.execution_context();
            seen.lock().unwrap().push(Seen {
                address: supervised.address(),
                type_name: supervised.actor().type_name().to_owned(),
                method: supervised.method(),
                error: supervised.error().clone(),
                command: context.value::<String>("command").cloned(),
                context_keys: context.count(),
            });
            SupervisionDirective::Resume
        })
    }
}

impl Supervisor for AuditingSupervisor {}

fn seen(log: &SeenLog) -> Vec<Seen> {
    log.lock().unwrap().clone()
}

/// An auditing supervisor named `auditor`, and a worker it supervises.
fn audited_worker(stage: &Stage) -> (SeenLog, WorkerProxy) {
    let seen_log = SeenLog::default();
    let shared = Arc::clone(&seen_log);
    let _auditor: SupervisorProxy = stage
        .actor_for(
            Definition::new(move || AuditingSupervisor {
                seen: Arc::clone(&shared),
            })
            .with_type("auditor"),
        )
        .unwrap();
    let worker: WorkerProxy = stage
        .actor_for(WorkerActor::definition("w", &new_log()).with_supervisor("auditor"))
        .unwrap();
    (seen_log, worker)
}

#[tokio::test]
async fn the_supervisor_gets_the_failing_messages_context_method_and_error() {
    let stage = Stage::new();
    let (seen_log, worker) = audited_worker(&stage);

    worker.with_execution_context(|context| {
        context.set_value("command", String::from("withdraw"));
    });
    assert!(within!(worker.fail("insufficient funds".into()).result()).is_err());
    within!(worker.value());

    let seen = seen(&seen_log);
    assert_eq!(
        seen,
        [Seen {
            address: worker.address(),
            type_name: "Worker".into(),
            method: Some("fail"),
            error: worker.fail_error("insufficient funds"),
            command: Some("withdraw".into()),
            context_keys: 1,
        }]
    );
    let text = seen[0].error.to_string();
    assert!(
        text.contains("fail") && text.contains("insufficient funds"),
        "{text}"
    );
    within!(stage.close());
}

#[tokio::test]
async fn each_failure_carries_its_own_messages_snapshot() {
    let stage = Stage::new();
    let (seen_log, worker) = audited_worker(&stage);

    // All queued before any is handled: by the time a failure is decided, the proxy's context
    // has changed since that message was sent, and the supervisor must still see the message's
    // own snapshot.
    worker.with_execution_context(|context| {
        context.set_value("command", String::from("withdraw"));
    });
    drop(worker.fail("first".into()));
    worker.with_execution_context(|context| {
        context.set_value("command", String::from("deposit"));
    });
    drop(worker.fail("second".into()));
    // A message sent without context.
    worker.with_execution_context(|context| {
        context.reset();
    });
    drop(worker.fail("third".into()));

    await_assert(|| async { assert_eq!(seen(&seen_log).len(), 3) }).await;
    let seen = seen(&seen_log);
    let summary: Vec<(Option<&str>, usize, ActorError)> = seen
        .iter()
        .map(|s| (s.command.as_deref(), s.context_keys, s.error.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (Some("withdraw"), 1, worker.fail_error("first")),
            (Some("deposit"), 1, worker.fail_error("second")),
            (None, 0, worker.fail_error("third")),
        ]
    );
    within!(stage.close());
}

#[tokio::test]
async fn the_supervisor_can_tell_its_actors_apart() {
    let stage = Stage::new();
    let (seen_log, first) = audited_worker(&stage);
    let second: WorkerProxy = stage
        .actor_for(
            WorkerActor::definition("second", &new_log())
                .with_type("SecondWorker")
                .with_supervisor("auditor"),
        )
        .unwrap();

    assert!(within!(first.fail("one".into()).result()).is_err());
    within!(first.value());
    assert!(within!(second.fail("two".into()).result()).is_err());
    within!(second.value());

    let seen = seen(&seen_log);
    let who: Vec<(Address, &str)> = seen
        .iter()
        .map(|s| (s.address, s.type_name.as_str()))
        .collect();
    assert_eq!(
        who,
        [
            (first.address(), "Worker"),
            (second.address(), "SecondWorker")
        ]
    );
    within!(stage.close());
}
