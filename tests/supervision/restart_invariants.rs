//! Invariants of a restart:
//!
//! 1. the new instance's hooks (`before_start`, `start`, `after_restart`) never run while the old
//!    instance's `before_restart` is still running, and run in that order once it is done (nor
//!    is any message delivered before `after_restart` has finished);
//! 2. proxies taken before a restart keep working after it, and `stage.actor_of` finds the
//!    same actor at the same address;
//! 3. the messages queued behind the failing one are neither lost nor reordered.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};
use domo_actors_suite::{
    Log, WorkerActor, WorkerProxy, assert_still_pending, entries, new_log, record, within,
};
use domo_actors_testkit::await_assert;
use tokio::sync::Semaphore;

/// An actor whose restart hooks wait at gates the test opens.
#[actor_protocol]
trait Gated {
    async fn add(&mut self, n: u64) -> u64;
    async fn fail(&mut self);
}

struct GatedActor {
    instance: u64,
    total: u64,
    log: Log,
    before_restart_gate: Arc<Semaphore>,
    after_restart_gate: Arc<Semaphore>,
}

impl GatedActor {
    fn record(&self, what: &str) {
        record(&self.log, format!("#{}:{what}", self.instance));
    }
}

impl Actor for GatedActor {
    async fn before_start(&mut self) {
        self.record("before_start");
    }

    async fn start(&mut self) {
        self.record("start");
    }

    async fn before_restart(&mut self, _reason: &ActorError) {
        self.record("before_restart:begin");
        self.before_restart_gate.acquire().await.unwrap().forget();
        self.record("before_restart:end");
    }

    async fn after_restart(&mut self, _reason: &ActorError) {
        self.record("after_restart:begin");
        self.after_restart_gate.acquire().await.unwrap().forget();
        self.record("after_restart:end");
    }
}

impl Gated for GatedActor {
    async fn add(&mut self, n: u64) -> u64 {
        self.record(&format!("add({n})"));
        self.total += n;
        self.total
    }

    async fn fail(&mut self) {
        panic!("boom");
    }
}

struct Gates {
    before_restart: Arc<Semaphore>,
    after_restart: Arc<Semaphore>,
}

/// A top-level gated actor (the public root restarts it), with both gates closed.
fn gated(stage: &Stage, log: &Log) -> (GatedProxy, Gates) {
    let gates = Gates {
        before_restart: Arc::new(Semaphore::new(0)),
        after_restart: Arc::new(Semaphore::new(0)),
    };
    let (before, after) = (
        Arc::clone(&gates.before_restart),
        Arc::clone(&gates.after_restart),
    );
    let instances = Arc::new(AtomicU64::new(0));
    let log = log.clone();
    let proxy = stage
        .actor_for(Definition::new(move || GatedActor {
            instance: instances.fetch_add(1, Ordering::SeqCst) + 1,
            total: 0,
            log: log.clone(),
            before_restart_gate: Arc::clone(&before),
            after_restart_gate: Arc::clone(&after),
        }))
        .unwrap();
    (proxy, gates)
}

#[tokio::test(start_paused = true)]
async fn the_new_instance_waits_for_the_old_instances_before_restart() {
    let stage = Stage::new();
    let log = new_log();
    let (actor, gates) = gated(&stage, &log);
    gates.after_restart.add_permits(1);
    assert_eq!(within!(actor.add(5)), 5);

    assert!(within!(actor.fail().result()).is_err());
    await_assert(|| async {
        assert!(entries(&log).contains(&"#1:before_restart:begin".to_owned()));
    })
    .await;
    // The old instance is stuck in before_restart: nothing of the new one may run meanwhile,
    // neither its start hooks nor after_restart.
    let mut next = pin!(actor.add(1).result());
    assert_still_pending!(next.as_mut());
    let held = entries(&log);
    for hook in ["#2:before_start", "#2:start", "#2:after_restart:begin"] {
        assert!(
            !held.iter().any(|entry| entry == hook),
            "{hook} must not run while #1's before_restart is still running: {held:?}"
        );
    }
    assert_eq!(
        held,
        [
            "#1:before_start",
            "#1:start",
            "#1:add(5)",
            "#1:before_restart:begin"
        ],
        "nothing of the new instance while before_restart is still running"
    );

    gates.before_restart.add_permits(1);
    assert_eq!(within!(next), Ok(1), "the new instance starts from zero");
    assert_eq!(
        entries(&log),
        [
            "#1:before_start",
            "#1:start",
            "#1:add(5)",
            "#1:before_restart:begin",
            "#1:before_restart:end",
            "#2:before_start",
            "#2:start",
            "#2:after_restart:begin",
            "#2:after_restart:end",
            "#2:add(1)",
        ]
    );
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn no_message_reaches_the_new_instance_before_after_restart_has_finished() {
    let stage = Stage::new();
    let log = new_log();
    let (actor, gates) = gated(&stage, &log);
    gates.before_restart.add_permits(1);

    assert!(within!(actor.fail().result()).is_err());
    let mut next = pin!(actor.add(1).result());
    await_assert(|| async {
        assert!(entries(&log).contains(&"#2:after_restart:begin".to_owned()));
    })
    .await;
    assert_still_pending!(next.as_mut());
    assert_eq!(entries(&log).last().unwrap(), "#2:after_restart:begin");

    gates.after_restart.add_permits(1);
    assert_eq!(within!(next), Ok(1));
    assert_eq!(
        entries(&log)[entries(&log).len() - 2..],
        ["#2:after_restart:end", "#2:add(1)"]
    );
    within!(stage.close());
}

#[tokio::test]
async fn proxies_taken_before_a_restart_keep_working_after_it() {
    let stage = Stage::new();
    let log = new_log();
    let worker: WorkerProxy = stage.actor_for(WorkerActor::definition("w", &log)).unwrap();
    let address = worker.address();
    let cloned = worker.clone();
    let from_ref: WorkerProxy = worker.actor_ref().downcast().expect("a Worker");
    let from_stage: WorkerProxy = stage.actor_of(&address).expect("in the directory");
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(
        within!(cloned.add(1)),
        1,
        "the clone reaches the new instance"
    );
    assert_eq!(within!(from_ref.add(1)), 2);
    assert_eq!(within!(from_stage.add(1)), 3);
    assert_eq!(within!(worker.instance()), 2);

    let after: WorkerProxy = stage
        .actor_of(&address)
        .expect("actor_of still finds it after the restart");
    assert_eq!(after.address(), address);
    assert_eq!(after, worker);
    assert_eq!(within!(after.add(1)), 4);
    assert!(!cloned.is_stopped() && !after.is_stopped());

    // A proxy held by another actor (the parent's, in its child) keeps working too, even
    // though the restart stops that child (asynchronously).
    let child = within!(worker.create_child("c".into()));
    assert!(within!(worker.fail("again".into()).result()).is_err());
    await_assert(|| async {
        assert!(entries(&log).contains(&"c#1:after_stop".to_owned()));
        assert!(child.is_stopped());
    })
    .await;
    let parent_from_child: WorkerProxy = child
        .actor_ref()
        .parent()
        .and_then(|parent| parent.downcast())
        .expect("the child knows its parent");
    assert_eq!(within!(parent_from_child.add(7)), 7);
    assert_eq!(within!(worker.instance()), 3);
    within!(stage.close());
}

#[tokio::test]
async fn messages_queued_behind_the_failing_one_are_neither_lost_nor_reordered() {
    let stage = Stage::new();
    let log = new_log();
    let worker: WorkerProxy = stage.actor_for(WorkerActor::definition("w", &log)).unwrap();

    // All sent at once, before the actor handles any of them.
    let failing = worker.fail("boom".into());
    for n in 0..100 {
        drop(worker.note(n));
    }
    let notes = worker.notes();
    let instance = worker.instance();

    assert!(within!(failing.result()).is_err());
    assert_eq!(
        within!(notes),
        (0..100).collect::<Vec<u64>>(),
        "the fresh instance got exactly the queued messages, in order"
    );
    assert_eq!(within!(instance), 2);
    within!(stage.close());
}

#[tokio::test]
async fn several_restarts_in_a_queue_split_it_without_loss_or_reordering() {
    let stage = Stage::new();
    let log = new_log();
    let worker: WorkerProxy = stage.actor_for(WorkerActor::definition("w", &log)).unwrap();

    // fail, 25 notes, notes?, fail, 25 notes, notes?, ... all queued at once.
    let mut segments = Vec::new();
    for segment in 0..4_u64 {
        drop(worker.fail(format!("segment {segment}")));
        for n in segment * 25..(segment + 1) * 25 {
            drop(worker.note(n));
        }
        segments.push((segment, worker.notes(), worker.instance()));
    }
    for (segment, notes, instance) in segments {
        assert_eq!(
            within!(notes),
            (segment * 25..(segment + 1) * 25).collect::<Vec<u64>>()
        );
        assert_eq!(within!(instance), segment + 2);
    }
    within!(stage.close());
}
