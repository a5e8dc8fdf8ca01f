//! Directive `Restart`: `before_restart` runs on the old instance and its children are stopped;
//! a fresh instance is built from the `Definition` (the state starts over) and goes through
//! `before_start`, `start` and `after_restart` (the restart hooks with the failure as reason);
//! the address, the directory entry, the place in the hierarchy and the mailbox (with the order
//! of what is queued in it) stay as they are.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use domo_actors::{Actor, ActorError, Address, Definition, Stage, actor_protocol};
use domo_actors_suite::scene::{Scene, SceneBuilder};
use domo_actors_suite::{
    Log, NodeActor, NodeProxy, WorkerActor, WorkerProxy, decisions, entries, entries_of, new_log,
    record, within,
};
use domo_actors_testkit::await_assert;

/// A worker `w` supervised by `sup`, a supervisor that always restarts (forever).
fn restarted_worker() -> SceneBuilder {
    Scene::builder().forever()
}

#[tokio::test]
async fn restart_builds_a_fresh_instance_from_the_definition() {
    let stage = Stage::new();
    let Scene {
        log,
        supervisor,
        worker,
        ..
    } = restarted_worker().build(&stage);

    assert_eq!(within!(worker.add(5)), 5);
    assert_eq!(within!(worker.instance()), 1);
    assert_eq!(
        within!(worker.fail("boom".into()).result()),
        Err(worker.fail_error("boom"))
    );
    assert_eq!(within!(worker.value()), 0, "the state starts over");
    assert_eq!(
        within!(worker.instance()),
        2,
        "a new instance, built by the definition's instantiator"
    );
    assert_eq!(within!(worker.add(1)), 1);

    assert_eq!(decisions(&log), ["sup:decide(fail: boom)"]);
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
            "w#2:add(1)",
        ],
        "before_restart on the old instance; before_start, start, then after_restart on the \
         new one, before the next message"
    );
    assert!(!worker.is_stopped());
    assert!(!supervisor.is_stopped());
    within!(stage.close());
}

#[tokio::test]
async fn every_restart_builds_another_instance() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = restarted_worker().build(&stage);

    for round in 1..=3_u64 {
        assert_eq!(within!(worker.add(round)), round, "fresh state each time");
        drop(worker.fail(format!("round {round}")));
    }
    assert_eq!(within!(worker.instance()), 4);
    assert_eq!(
        entries_of(&log, "w#")
            .into_iter()
            .filter(|entry| entry.contains("_restart("))
            .collect::<Vec<_>>(),
        [
            "w#1:before_restart(fail: round 1)",
            "w#2:after_restart(fail: round 1)",
            "w#2:before_restart(fail: round 2)",
            "w#3:after_restart(fail: round 2)",
            "w#3:before_restart(fail: round 3)",
            "w#4:after_restart(fail: round 3)",
        ]
    );
    within!(stage.close());
}

#[tokio::test]
async fn restart_keeps_the_address_directory_entry_and_parent() {
    let stage = Stage::new();
    let Scene { worker, .. } = restarted_worker().build(&stage);
    let address = worker.address();
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.instance()), 2);

    assert_eq!(worker.address(), address);
    let found = stage
        .directory()
        .get(&address)
        .expect("still in the directory");
    assert_eq!(found, worker.actor_ref());
    let again: WorkerProxy = stage
        .actor_of(&address)
        .expect("found under the same address");
    assert_eq!(
        within!(again.value()),
        0,
        "the proxy found reaches the fresh instance"
    );
    assert!(stage.public_root().children().contains(&worker.actor_ref()));
    assert_eq!(worker.actor_ref().parent(), Some(stage.public_root()));
    within!(stage.close());
}

#[tokio::test]
async fn restart_keeps_the_mailbox_order() {
    let stage = Stage::new();
    let Scene { worker, .. } = restarted_worker().build(&stage);

    // All queued at once: the failure sits between answered messages.
    let before = worker.add(1);
    drop(worker.note(1));
    let failing = worker.fail("mid-queue".into());
    drop(worker.note(2));
    let after = worker.add(10);
    drop(worker.note(3));
    let read = worker.value();
    let notes = worker.notes();

    assert_eq!(within!(before), 1);
    assert_eq!(
        within!(failing.result()),
        Err(worker.fail_error("mid-queue"))
    );
    assert_eq!(within!(after), 10, "answered by the fresh instance");
    assert_eq!(within!(read), 10);
    assert_eq!(
        within!(notes),
        [2, 3],
        "the fresh instance got the queued messages, in order"
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_restart_whose_instance_cannot_be_built_stops_the_actor() {
    let stage = Stage::new();
    let log = new_log();
    let built = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&built);
    let inner = WorkerActor::definition("w", &log);
    // The first instance is built; the instantiator panics from then on.
    let definition = Definition::new(move || {
        if counter.fetch_add(1, Ordering::SeqCst) > 0 {
            panic!("cannot build again");
        }
        inner.instantiate()
    });
    let Scene { worker, .. } = restarted_worker()
        .log(&log)
        .worker_definition(definition)
        .build(&stage);
    assert_eq!(within!(worker.add(5)), 5);

    let failing = worker.fail("boom".into());
    let queued = worker.add(1);
    assert!(within!(failing.result()).is_err());
    assert!(
        matches!(
            within!(queued.result()),
            Err(ActorError::Stopped { method: "add", .. })
        ),
        "no instance to deliver to: the actor stopped"
    );
    assert_eq!(within!(worker.stop().result()), Ok(()));
    assert!(worker.is_stopped());
    assert!(stage.directory().get(&worker.address()).is_none());
    assert_eq!(built.load(Ordering::SeqCst), 2);
    assert_eq!(
        entries_of(&log, "w#"),
        [
            "w#1:before_start",
            "w#1:start",
            "w#1:add(5)",
            "w#1:fail(boom)",
            "w#1:before_restart(fail: boom)",
        ],
        "the old instance was let go; no hook ran without an instance"
    );
    within!(stage.close());
}

/// A parent that creates one child node, `"c<i>"` (its instance number), in `before_start`.
#[actor_protocol]
trait Parent {
    async fn fail(&mut self);
    async fn instance(&self) -> u64;
    /// The addresses of this actor's live children, in creation order.
    async fn child_addresses(&self) -> Vec<Address>;
}

struct ParentActor {
    instance: u64,
    log: Log,
}

impl ParentActor {
    fn definition(log: &Log) -> Definition<ParentActor> {
        let log = log.clone();
        let instances = Arc::new(AtomicU64::new(0));
        Definition::new(move || ParentActor {
            instance: instances.fetch_add(1, Ordering::SeqCst) + 1,
            log: log.clone(),
        })
    }

    fn record(&self, what: &str) {
        record(&self.log, format!("p#{}:{what}", self.instance));
    }
}

impl Actor for ParentActor {
    async fn before_start(&mut self) {
        self.record("before_start");
        let _child: NodeProxy = self
            .child_actor_for(NodeActor::definition(
                format!("c{}", self.instance),
                &self.log,
            ))
            .expect("a starting actor can create children");
    }

    async fn start(&mut self) {
        self.record("start");
    }

    async fn before_restart(&mut self, _reason: &ActorError) {
        self.record("before_restart");
    }

    async fn after_restart(&mut self, _reason: &ActorError) {
        self.record("after_restart");
    }
}

impl Parent for ParentActor {
    async fn fail(&mut self) {
        panic!("boom");
    }

    async fn instance(&self) -> u64 {
        self.instance
    }

    async fn child_addresses(&self) -> Vec<Address> {
        self.children()
            .iter()
            .map(|child| child.address())
            .collect()
    }
}

#[tokio::test]
async fn a_restart_stops_the_old_instances_children_and_runs_the_start_hooks_again() {
    let stage = Stage::new();
    let log = new_log();
    // A top-level actor: the public root restarts it.
    let parent: ParentProxy = stage.actor_for(ParentActor::definition(&log)).unwrap();
    let old_children = within!(parent.child_addresses());
    assert_eq!(
        old_children.len(),
        1,
        "the first instance created its child"
    );
    let old_child = parent.actor_ref().children()[0].clone();
    assert_eq!(old_child.address(), old_children[0]);
    assert!(!old_child.is_stopped());

    assert!(within!(parent.fail().result()).is_err());
    assert_eq!(within!(parent.instance()), 2, "restarted");

    // The old child's stop was queued by the restart, not awaited: wait for it.
    await_assert(|| async {
        assert!(entries(&log).contains(&"c1:after_stop".to_owned()));
        assert!(old_child.is_stopped());
    })
    .await;
    assert!(stage.directory().get(&old_child.address()).is_none());

    let new_children = within!(parent.child_addresses());
    assert_eq!(
        new_children.len(),
        1,
        "the fresh instance has exactly the child its before_start created: {new_children:?}"
    );
    assert_ne!(new_children[0], old_children[0], "a new child");
    let new_child: NodeProxy = stage
        .actor_of(&new_children[0])
        .expect("the new child is in the directory");
    within!(new_child.note("hello".into()));
    assert!(!new_child.is_stopped());

    assert_eq!(
        entries_of(&log, "p#"),
        [
            "p#1:before_start",
            "p#1:start",
            "p#1:before_restart",
            "p#2:before_start",
            "p#2:start",
            "p#2:after_restart",
        ],
        "the fresh instance runs the start hooks, then after_restart"
    );
    assert_eq!(
        entries_of(&log, "c1:"),
        [
            "c1:before_start",
            "c1:start",
            "c1:before_stop",
            "c1:after_stop"
        ]
    );
    assert_eq!(
        entries_of(&log, "c2:"),
        ["c2:before_start", "c2:start", "c2:hello"]
    );
    within!(stage.close());
}
