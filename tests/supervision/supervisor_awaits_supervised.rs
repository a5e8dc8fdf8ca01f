//! A supervisor that is busy awaiting the very actor it supervises.
//!
//! A parent supervises its children by default, and a parent's handler commonly asks a child
//! and awaits the answer. When the child fails, its caller's promise fails at once, but the
//! child then takes no more messages until its supervisor (the parent) has decided, and the
//! parent decides only between its own messages. A handler that asks the child again (a retry)
//! must still get an answer, or at least a failure: every promise settles, none hangs.
//!
//! Every wait is guarded under a paused clock: a hang fails at once.

use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};
use domo_actors_suite::{Log, WorkerActor, WorkerProxy, entries, new_log, panicked, within};

/// An actor that owns a child worker and calls it.
#[actor_protocol]
trait Owner {
    /// Asks the child to fail, then asks it to add 1 (a retry after a failure): answers both
    /// outcomes.
    async fn fail_then_retry(&mut self) -> (Result<(), ActorError>, Result<u64, ActorError>);
}

struct OwnerActor {
    log: Log,
    child: Option<WorkerProxy>,
}

impl Actor for OwnerActor {}

impl Owner for OwnerActor {
    async fn fail_then_retry(&mut self) -> (Result<(), ActorError>, Result<u64, ActorError>) {
        let child = match &self.child {
            Some(child) => child.clone(),
            None => {
                let child: WorkerProxy = self
                    .child_actor_for(WorkerActor::definition("c", &self.log))
                    .expect("a running actor can create children");
                self.child = Some(child.clone());
                child
            }
        };
        let failed = child.fail("boom".into()).result().await;
        let retried = child.add(1).result().await;
        (failed, retried)
    }
}

#[tokio::test(start_paused = true)]
async fn a_parent_retrying_its_failed_child_in_the_same_handler_gets_an_answer() {
    let stage = Stage::new();
    let log = new_log();
    let handed = log.clone();
    let owner: OwnerProxy = stage
        .actor_for(Definition::new(move || OwnerActor {
            log: handed.clone(),
            child: None,
        }))
        .unwrap();

    let (failed, retried) = within!(owner.fail_then_retry());
    assert_eq!(panicked(&failed), Some(("fail", "boom")), "{failed:?}");
    assert!(
        matches!(retried, Ok(_) | Err(ActorError::Stopped { .. })),
        "the retry settles: {retried:?} ({:?})",
        entries(&log)
    );
    within!(stage.close());
}
