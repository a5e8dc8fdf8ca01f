//! A bounded mailbox under supervision's `Suspend`: while suspended (and while the supervisor is
//! still deciding) nothing is delivered, sends keep applying the overflow policy, a directive
//! `Resume` (here from a sibling's failure under scope `All`) delivers what was kept in order,
//! and a stop sent before the suspension took effect is not held by it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, ActorOptions, DeadLetter, DeadLetterReason, Definition, MailboxConfig,
    OverflowPolicy, Stage, Supervised, SupervisionDirective, SupervisionScope, SupervisionStrategy,
    actor_protocol,
};
use tokio::sync::{Semaphore, mpsc};

type Letters = Arc<Mutex<Vec<(String, DeadLetterReason)>>>;
type Delivered = Arc<Mutex<Vec<u32>>>;

#[actor_protocol]
pub trait Worker {
    /// Panics: a failure for the supervisor to decide on.
    async fn crash(&mut self);
    /// Records `n` as delivered and answers it.
    async fn work(&mut self, n: u32) -> u32;
}

#[derive(Actor)]
struct WorkerActor {
    delivered: Delivered,
}

impl Worker for WorkerActor {
    async fn crash(&mut self) {
        panic!("crash on purpose");
    }

    async fn work(&mut self, n: u32) -> u32 {
        self.delivered.lock().unwrap().push(n);
        n
    }
}

/// The supervisor's own protocol: it is only ever asked to supervise.
#[actor_protocol]
pub trait Overseer {
    /// How many decisions it has made.
    async fn decisions(&mut self) -> usize;
}

/// Suspends the first actor that fails (scope One), then resumes under scope All; each decision
/// waits for a permit of `gate` and is sent to `report`.
struct Suspender {
    decided: usize,
    gate: Arc<Semaphore>,
    report: mpsc::UnboundedSender<SupervisionDirective>,
}

impl Actor for Suspender {
    fn supervision_strategy(&self) -> SupervisionStrategy {
        let scope = if self.decided == 0 {
            SupervisionScope::One
        } else {
            SupervisionScope::All
        };
        SupervisionStrategy::forever().with_scope(scope)
    }

    async fn decide_directive(
        &mut self,
        _supervised: &Supervised,
        _strategy: &SupervisionStrategy,
    ) -> SupervisionDirective {
        self.gate.acquire().await.expect("gate open").forget();
        let directive = if self.decided == 0 {
            SupervisionDirective::Suspend
        } else {
            SupervisionDirective::Resume
        };
        self.decided += 1;
        let _ = self.report.send(directive);
        directive
    }
}

impl Overseer for Suspender {
    async fn decisions(&mut self) -> usize {
        self.decided
    }
}

/// A stage recording its dead letters, with a `Suspender` registered as "suspender" whose
/// decisions wait for `permits` permits of the returned gate.
fn stage_with_suspender(
    permits: usize,
) -> (
    Stage,
    Letters,
    Arc<Semaphore>,
    mpsc::UnboundedReceiver<SupervisionDirective>,
) {
    let stage = Stage::new();
    let letters = Letters::default();
    let sink = letters.clone();
    stage.dead_letters().subscribe(move |letter: &DeadLetter| {
        let entry = (letter.representation().to_owned(), letter.reason());
        sink.lock().unwrap().push(entry);
    });
    let gate = Arc::new(Semaphore::new(permits));
    let (report, decided) = mpsc::unbounded_channel();
    let suspender_gate = gate.clone();
    let overseer: OverseerProxy = stage
        .actor_for(Definition::new(move || Suspender {
            decided: 0,
            gate: suspender_gate.clone(),
            report: report.clone(),
        }))
        .unwrap();
    stage.register_supervisor("suspender", overseer.actor_ref());
    (stage, letters, gate, decided)
}

fn worker(stage: &Stage, options: ActorOptions) -> (WorkerProxy, Delivered) {
    let delivered = Delivered::default();
    let log = delivered.clone();
    let worker = stage
        .actor_for_with(
            Definition::new(move || WorkerActor {
                delivered: log.clone(),
            }),
            options.with_supervisor("suspender"),
        )
        .unwrap();
    (worker, delivered)
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
    let (stage, letters, _gate, mut decided) = stage_with_suspender(2);
    // Siblings under one parent, so that scope All reaches from `other` to `suspended`.
    let (parent, _) = worker(&stage, ActorOptions::new());
    let siblings = ActorOptions::new().with_parent(parent.actor_ref());
    let bounded = MailboxConfig::bounded(2, OverflowPolicy::DropOldest);
    let (suspended, delivered) = worker(&stage, siblings.clone().with_mailbox(bounded));
    let (other, _) = worker(&stage, siblings);

    // Once the crash has failed its caller, the actor awaits its supervisor: it takes nothing
    // more from its queue, which fills up.
    assert!(matches!(
        within(suspended.crash().result()).await,
        Err(ActorError::HandlerPanicked { .. })
    ));
    let promises: Vec<_> = (1..=5).map(|n| suspended.work(n)).collect();
    assert_eq!(
        within(decided.recv()).await,
        Some(SupervisionDirective::Suspend)
    );

    // Suspended: given time, it delivers nothing; the policy kept the newest two.
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(delivered.lock().unwrap().is_empty());
    let stats = suspended.actor_ref().mailbox_stats();
    assert_eq!((stats.queued(), stats.dropped_count()), (2, 3));
    assert!(!suspended.is_stopped());

    // The sibling fails; the directive Resume under scope All resumes the suspended actor.
    assert!(within(other.crash().result()).await.is_err());
    assert_eq!(
        within(decided.recv()).await,
        Some(SupervisionDirective::Resume)
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
    within(stage.close()).await;
}

#[tokio::test]
async fn a_stop_sent_while_the_supervisor_decides_is_not_held_by_the_suspension() {
    let (stage, letters, gate, mut decided) = stage_with_suspender(0);
    let bounded = MailboxConfig::bounded(2, OverflowPolicy::Reject);
    let (suspended, delivered) = worker(&stage, ActorOptions::new().with_mailbox(bounded));

    assert!(within(suspended.crash().result()).await.is_err());
    let queued = [suspended.work(1), suspended.work(2)];
    let mut refused = suspended.work(3);
    assert!(matches!(
        refused.try_result(),
        Some(Err(ActorError::MailboxFull { .. }))
    ));
    // The supervisor is still deciding: the stop queues behind 1 and 2, in a full mailbox.
    let stopped = suspended.stop();
    gate.add_permits(1);
    assert_eq!(
        within(decided.recv()).await,
        Some(SupervisionDirective::Suspend)
    );

    assert_eq!(within(stopped.result()).await, Ok(()));
    assert!(suspended.is_stopped());
    for (n, promise) in (1..).zip(queued) {
        assert_eq!(
            within(promise.result()).await,
            Err(ActorError::Stopped {
                address: suspended.address(),
                type_name: Arc::from("Worker"),
                method: "work",
            }),
            "work({n})"
        );
    }
    assert!(delivered.lock().unwrap().is_empty());
    assert_eq!(
        *letters.lock().unwrap(),
        [
            letter(3, DeadLetterReason::MailboxFull),
            letter(1, DeadLetterReason::ActorStopped),
            letter(2, DeadLetterReason::ActorStopped),
        ]
    );
    within(stage.close()).await;
}
