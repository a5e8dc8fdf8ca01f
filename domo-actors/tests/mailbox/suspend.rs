//! A bounded mailbox under supervision's `Suspend`: while suspended nothing is delivered, sends
//! keep applying the overflow policy, a directive `Resume` (here from a sibling's failure under
//! scope `All`) delivers what was kept in order, and a stop queued before the suspension took
//! effect is not held by it.
//!
//! Supervisors decide through the decider of their strategy, which runs in the failed actor's
//! task; each decider reports its decisions on a channel. To queue messages deterministically
//! behind a failure, the worker is first held inside a `hold` handler until the test releases
//! it. Every wait is bounded, so that a regression fails instead of hanging.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorOptions, Address, DeadLetter, DeadLetterReason, Definition,
    MailboxConfig, OverflowPolicy, Stage, Supervised, SupervisionDirective, SupervisionScope,
    SupervisionStrategy, actor_protocol,
};
use tokio::sync::{Notify, mpsc};

use crate::panics::panicked;

type Letters = Arc<Mutex<Vec<(String, DeadLetterReason)>>>;
type Delivered = Arc<Mutex<Vec<u32>>>;
/// What the deciders report: the failed actor and the directive given for it.
type Decisions = mpsc::UnboundedReceiver<(Address, SupervisionDirective)>;

#[actor_protocol]
pub trait Worker {
    /// Signals that it has started, then waits until the test releases it.
    async fn hold(&mut self);
    /// Panics: a failure for the supervisor to decide on.
    async fn crash(&mut self);
    /// Records `n` as delivered and answers it.
    async fn work(&mut self, n: u32) -> u32;
}

/// Holds a worker inside its `hold` handler: `entered` is signalled once the handler runs,
/// which then waits for `release`.
#[derive(Clone, Default)]
struct Gate {
    entered: Arc<Notify>,
    release: Arc<Notify>,
}

#[derive(Actor)]
struct WorkerActor {
    delivered: Delivered,
    gate: Gate,
}

impl Worker for WorkerActor {
    async fn hold(&mut self) {
        self.gate.entered.notify_one();
        self.gate.release.notified().await;
    }

    async fn crash(&mut self) {
        panic!("crash on purpose");
    }

    async fn work(&mut self, n: u32) -> u32 {
        self.delivered.lock().unwrap().push(n);
        n
    }
}

/// The supervisors' own protocol: they are only ever asked to supervise.
#[actor_protocol]
pub trait Overseer {
    /// The scope its strategy applies directives to.
    async fn scope(&mut self) -> SupervisionScope;
}

/// A supervisor that always gives `directive` under `scope`, reporting each decision.
struct Supervisor {
    scope: SupervisionScope,
    directive: SupervisionDirective,
    report: mpsc::UnboundedSender<(Address, SupervisionDirective)>,
}

impl Actor for Supervisor {
    fn supervision_strategy(&self) -> SupervisionStrategy {
        let directive = self.directive;
        let report = self.report.clone();
        SupervisionStrategy::forever()
            .with_scope(self.scope)
            .deciding(move |supervised: &Supervised| {
                let _ = report.send((supervised.address(), directive));
                directive
            })
    }
}

impl Overseer for Supervisor {
    async fn scope(&mut self) -> SupervisionScope {
        self.scope
    }
}

/// A stage recording its dead letters, with two supervisors: "suspender" (scope One, decides
/// `Suspend`) and "resumer" (scope All, decides `Resume`), both reporting to the returned
/// receiver.
fn stage_with_supervisors() -> (Stage, Letters, Decisions) {
    let stage = Stage::new();
    let letters = Letters::default();
    let sink = letters.clone();
    stage.dead_letters().subscribe(move |letter: &DeadLetter| {
        let entry = (letter.representation().to_owned(), letter.reason());
        sink.lock().unwrap().push(entry);
    });
    let (report, decisions) = mpsc::unbounded_channel();
    for (name, scope, directive) in [
        (
            "suspender",
            SupervisionScope::One,
            SupervisionDirective::Suspend,
        ),
        (
            "resumer",
            SupervisionScope::All,
            SupervisionDirective::Resume,
        ),
    ] {
        let report = report.clone();
        let supervisor: OverseerProxy = stage
            .actor_for(Definition::new(move || Supervisor {
                scope,
                directive,
                report: report.clone(),
            }))
            .unwrap();
        stage.register_supervisor(name, supervisor.actor_ref());
    }
    (stage, letters, decisions)
}

fn worker(stage: &Stage, options: ActorOptions) -> (WorkerProxy, Delivered, Gate) {
    let delivered = Delivered::default();
    let gate = Gate::default();
    let (log, held) = (delivered.clone(), gate.clone());
    let worker = stage
        .actor_for_with(
            Definition::new(move || WorkerActor {
                delivered: log.clone(),
                gate: held.clone(),
            }),
            options,
        )
        .unwrap();
    (worker, delivered, gate)
}

fn letter(n: u32, reason: DeadLetterReason) -> (String, DeadLetterReason) {
    (format!("work({n})"), reason)
}

async fn within<T>(future: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), future)
        .await
        .expect("settled in time")
}

#[tokio::test]
async fn a_suspended_bounded_mailbox_keeps_its_policy_and_resumes_in_order() {
    let (stage, letters, mut decided) = stage_with_supervisors();
    // Siblings under one parent, so that scope All reaches from `other` to `suspended` (and
    // to nothing else).
    let (parent, _, _) = worker(&stage, ActorOptions::new());
    let siblings = ActorOptions::new().with_parent(parent.actor_ref());
    let bounded = MailboxConfig::bounded(2, OverflowPolicy::DropOldest);
    let (suspended, delivered, gate) = worker(
        &stage,
        siblings
            .clone()
            .with_mailbox(bounded)
            .with_supervisor("suspender"),
    );
    let (other, _, _) = worker(&stage, siblings.with_supervisor("resumer"));

    // Held in a handler, the worker queues the crash and a message behind it.
    let held = suspended.hold();
    within(gate.entered.notified()).await;
    let crashed = suspended.crash();
    let mut promises = vec![suspended.work(1)];
    let stats = suspended.actor_ref().mailbox_stats();
    assert_eq!((stats.queued(), stats.dropped_count()), (2, 0));

    // Released, it crashes: its supervisor suspends it (scope One: it alone).
    gate.release.notify_one();
    assert_eq!(within(held.result()).await, Ok(()));
    assert_eq!(
        panicked(&within(crashed.result()).await),
        Some(("crash", "crash on purpose"))
    );
    assert_eq!(
        within(decided.recv()).await,
        Some((suspended.address(), SupervisionDirective::Suspend))
    );

    // Suspended, it keeps applying its policy: of 1..=5, the newest two are kept. (Were it still
    // delivering, it would keep up with the sends and the overflow would not drop three.)
    promises.extend((2..=5).map(|n| suspended.work(n)));
    assert!(delivered.lock().unwrap().is_empty(), "nothing delivered");
    let stats = suspended.actor_ref().mailbox_stats();
    assert_eq!((stats.queued(), stats.dropped_count()), (2, 3));
    assert!(!suspended.is_stopped());

    // The sibling fails; the directive Resume under scope All resumes the suspended actor.
    assert!(within(other.crash().result()).await.is_err());
    assert_eq!(
        within(decided.recv()).await,
        Some((other.address(), SupervisionDirective::Resume))
    );
    let mut results = Vec::new();
    for promise in promises {
        results.push(within(promise.result()).await);
    }
    let dropped = Err(ActorError::DroppedByOverflow {
        address: suspended.address(),
        type_name: Arc::from("Worker"),
        method: "work",
        policy: OverflowPolicy::DropOldest,
    });
    assert_eq!(
        results,
        [dropped.clone(), dropped.clone(), dropped, Ok(4), Ok(5)]
    );
    assert_eq!(*delivered.lock().unwrap(), [4, 5], "in send order");
    assert_eq!(
        *letters.lock().unwrap(),
        [1, 2, 3].map(|n| letter(n, DeadLetterReason::DroppedOldest))
    );
    assert!(decided.try_recv().is_err(), "no other decision");
    within(stage.close()).await;
}

#[tokio::test]
async fn a_stop_queued_before_the_suspension_is_not_held_by_it() {
    let (stage, letters, mut decided) = stage_with_supervisors();
    let bounded = MailboxConfig::bounded(2, OverflowPolicy::Reject);
    let (suspended, delivered, gate) = worker(
        &stage,
        ActorOptions::new()
            .with_mailbox(bounded)
            .with_supervisor("suspender"),
    );

    // Held in a handler, the worker queues the crash, then 1 (the mailbox is full: 2 is
    // refused), then a stop behind them.
    let held = suspended.hold();
    within(gate.entered.notified()).await;
    let crashed = suspended.crash();
    let queued = suspended.work(1);
    let mut refused = suspended.work(2);
    assert!(matches!(
        refused.try_result(),
        Some(Err(ActorError::MailboxFull { .. }))
    ));
    let stopped = suspended.stop();

    // Released, it crashes and is suspended; the stop queued before that is not held by it.
    gate.release.notify_one();
    assert_eq!(within(held.result()).await, Ok(()));
    assert!(within(crashed.result()).await.is_err());
    assert_eq!(
        within(decided.recv()).await,
        Some((suspended.address(), SupervisionDirective::Suspend))
    );

    assert_eq!(within(stopped.result()).await, Ok(()));
    assert!(suspended.is_stopped());
    assert_eq!(
        within(queued.result()).await,
        Err(ActorError::Stopped {
            address: suspended.address(),
            type_name: Arc::from("Worker"),
            method: "work",
        })
    );
    assert!(delivered.lock().unwrap().is_empty());
    assert_eq!(
        *letters.lock().unwrap(),
        [
            letter(2, DeadLetterReason::MailboxFull),
            letter(1, DeadLetterReason::ActorStopped),
        ]
    );
    within(stage.close()).await;
}
