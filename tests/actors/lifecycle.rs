//! Lifecycle hooks run in DomoActors' order; a panicking hook is contained; a panicking
//! instantiator stops the actor; `self.stop()` in a handler stops the actor after that message.

use std::sync::Arc;

use domo_actors::{Actor, ActorError, DeadLetterReason, Definition, Stage, actor_protocol};
use domo_actors_suite::{Log, NodeActor, NodeProxy, entries, new_log, record};
use domo_actors_testkit::{TestDeadLettersListener, await_assert};

#[tokio::test]
async fn hooks_run_in_domo_actors_order() {
    let stage = Stage::new();
    let log = new_log();
    let parent: NodeProxy = stage
        .actor_for(NodeActor::definition("parent", &log))
        .unwrap();
    drop(parent.note("m1".into()));
    let child = parent.create_child("child".into()).await;
    child.note("c1".into()).await;
    parent.note("m2".into()).await;

    parent.stop().await;
    assert_eq!(
        entries(&log),
        [
            "parent:before_start",
            "parent:start",
            "parent:m1",
            "child:before_start",
            "child:start",
            "child:c1",
            "parent:m2",
            "parent:before_stop",
            "child:before_stop",
            "child:after_stop",
            "parent:after_stop",
        ]
    );
    stage.close().await;
}

#[tokio::test]
async fn start_hooks_run_before_the_first_message() {
    let stage = Stage::new();
    let log = new_log();
    // The message is queued at once; the hooks still come first.
    let node: NodeProxy = stage.actor_for(NodeActor::definition("n", &log)).unwrap();
    node.note("first".into()).await;
    assert_eq!(entries(&log), ["n:before_start", "n:start", "n:first"]);
    stage.close().await;
}

/// An actor whose hooks record themselves and then panic when told to.
#[actor_protocol]
trait Probe {
    async fn ping(&mut self) -> String;
    /// Asks the actor to stop once this message is handled.
    async fn stop_after_this(&mut self) -> String;
}

struct ProbeActor {
    log: Log,
    panicking_hooks: &'static [&'static str],
}

impl ProbeActor {
    fn definition(log: &Log, panicking_hooks: &'static [&'static str]) -> Definition<Self> {
        let log = log.clone();
        Definition::new(move || ProbeActor {
            log: log.clone(),
            panicking_hooks,
        })
    }

    fn hook(&self, name: &str) {
        record(&self.log, name);
        if self.panicking_hooks.contains(&name) {
            panic!("{name} failed");
        }
    }
}

impl Actor for ProbeActor {
    async fn before_start(&mut self) {
        self.hook("before_start");
    }

    async fn start(&mut self) {
        self.hook("start");
    }

    async fn before_stop(&mut self) {
        self.hook("before_stop");
    }

    async fn after_stop(&mut self) {
        self.hook("after_stop");
    }
}

impl Probe for ProbeActor {
    async fn ping(&mut self) -> String {
        record(&self.log, "ping");
        "pong".into()
    }

    async fn stop_after_this(&mut self) -> String {
        record(&self.log, "stop_after_this");
        self.stop();
        // The handler runs to its end: the stop takes effect after the current message.
        record(&self.log, "stop_after_this:end");
        "stopping".into()
    }
}

#[tokio::test]
async fn a_panicking_hook_is_contained_and_the_lifecycle_goes_on() {
    let stage = Stage::new();
    let log = new_log();
    let every_hook: &'static [&'static str] =
        &["before_start", "start", "before_stop", "after_stop"];
    let probe: ProbeProxy = stage
        .actor_for(ProbeActor::definition(&log, every_hook))
        .unwrap();

    assert_eq!(
        probe.ping().await,
        "pong",
        "the actor runs despite its start hooks"
    );
    assert_eq!(probe.ping().await, "pong");
    assert_eq!(probe.stop().result().await, Ok(()), "the stop completes");
    assert!(probe.is_stopped());
    assert!(stage.directory().get(&probe.address()).is_none());
    // A panic in before_start or start is a failure: the public root restarts the actor, and
    // the fresh instance runs before_start and start (their panics, on the restart path, are
    // only logged). The first start sequence ends there: #1 before_start fails -> restart ->
    // #2 before_start, start. Then the messages, then the stop.
    assert_eq!(
        entries(&log),
        [
            "before_start",
            "before_start",
            "start",
            "ping",
            "ping",
            "before_stop",
            "after_stop"
        ]
    );

    // The stage is unaffected.
    let other: ProbeProxy = stage.actor_for(ProbeActor::definition(&log, &[])).unwrap();
    assert_eq!(other.ping().await, "pong");
    stage.close().await;
}

#[tokio::test]
async fn a_panicking_instantiator_stops_the_actor() {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let log = new_log();
    let hooks_log = log.clone();
    let definition: Definition<ProbeActor> = Definition::new(move || {
        record(&hooks_log, "instantiate");
        panic!("cannot build a probe");
    });
    let probe: ProbeProxy = stage
        .actor_for(definition)
        .expect("the actor is built in its own task");

    // Sent before the actor's task tried to build it: queued, then failed.
    let queued = probe.ping();

    // The actor stops on its own and leaves the directory and its parent.
    await_assert(|| async {
        assert!(probe.is_stopped());
        assert!(stage.directory().get(&probe.address()).is_none());
        assert!(!stage.public_root().children().contains(&probe.actor_ref()));
    })
    .await;

    let stopped = ActorError::Stopped {
        address: probe.address(),
        type_name: Arc::from("Probe"),
        method: "ping",
    };
    assert_eq!(queued.result().await, Err(stopped.clone()));
    assert_eq!(probe.ping().result().await, Err(stopped), "and later calls");
    assert_eq!(
        probe.stop().result().await,
        Ok(()),
        "stopping it again is fine"
    );
    assert_eq!(entries(&log), ["instantiate"], "no hook ran");

    let letters = listener.all();
    assert_eq!(letters.len(), 2, "{letters:?}");
    assert!(
        letters
            .iter()
            .all(|letter| letter.representation() == "ping()"
                && letter.reason() == DeadLetterReason::ActorStopped)
    );
    stage.close().await;
}

#[tokio::test]
async fn self_stop_in_a_handler_stops_after_the_current_message() {
    let stage = Stage::new();
    let listener = TestDeadLettersListener::subscribe_to(&stage);
    let log = new_log();
    let probe: ProbeProxy = stage.actor_for(ProbeActor::definition(&log, &[])).unwrap();

    // All queued before the actor handles any of them.
    let before = probe.ping();
    let stopping = probe.stop_after_this();
    let queued = probe.ping();
    let queued_too = probe.ping();

    assert_eq!(before.await, "pong");
    assert_eq!(
        stopping.await,
        "stopping",
        "the current message is answered"
    );
    let stopped = ActorError::Stopped {
        address: probe.address(),
        type_name: Arc::from("Probe"),
        method: "ping",
    };
    assert_eq!(queued.result().await, Err(stopped.clone()));
    assert_eq!(queued_too.result().await, Err(stopped));
    assert!(probe.is_stopped());
    assert_eq!(
        entries(&log),
        [
            "before_start",
            "start",
            "ping",
            "stop_after_this",
            "stop_after_this:end",
            "before_stop",
            "after_stop",
        ]
    );
    assert_eq!(listener.count(), 2);
    stage.close().await;
}

/// `#[derive(Actor)]` actors have only default hooks, so they start lazily: the instance is
/// built by the first message (an actor never sent anything costs no task); actors that
/// implement `Actor` by hand start at once, as in DomoActors.
mod lazy_start {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use domo_actors::{Actor, Definition, Stage, actor_protocol};

    #[actor_protocol]
    trait Echo {
        async fn echo(&mut self, n: u32) -> u32;
    }

    #[derive(Actor)]
    struct Derived;

    impl Echo for Derived {
        async fn echo(&mut self, n: u32) -> u32 {
            n
        }
    }

    struct HandWritten;

    impl Actor for HandWritten {}

    /// Starts lazily, as a derived actor does, and counts its starts.
    struct LazyStarter(Arc<AtomicUsize>);

    impl Actor for LazyStarter {
        const STARTS_EAGERLY: bool = false;

        async fn start(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    impl Echo for LazyStarter {
        async fn echo(&mut self, n: u32) -> u32 {
            n
        }
    }

    impl Echo for HandWritten {
        async fn echo(&mut self, n: u32) -> u32 {
            n
        }
    }

    #[tokio::test]
    async fn a_derived_actor_is_started_by_its_first_message_a_hand_written_one_at_once() {
        const { assert!(!<Derived as Actor>::STARTS_EAGERLY) };
        const { assert!(<HandWritten as Actor>::STARTS_EAGERLY) };
        let stage = Stage::new();

        // Every actor is built as it is created (its supervision strategy is then known);
        // a lazy one runs its start hooks, in a task of its own, at its first message.
        let built = Arc::new(AtomicUsize::new(0));
        let started = Arc::new(AtomicUsize::new(0));
        let (counter, starts) = (Arc::clone(&built), Arc::clone(&started));
        let lazy: EchoProxy = stage
            .actor_for(Definition::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
                LazyStarter(Arc::clone(&starts))
            }))
            .unwrap();
        assert_eq!(built.load(Ordering::SeqCst), 1, "built at creation");
        // Another actor's answer proves the runtime has run meanwhile.
        let other: EchoProxy = stage.actor_for(Definition::new(|| Derived)).unwrap();
        assert_eq!(other.echo(1).await, 1);
        assert_eq!(
            started.load(Ordering::SeqCst),
            0,
            "not started before a message"
        );
        assert_eq!(lazy.echo(7).await, 7);
        assert_eq!(
            (built.load(Ordering::SeqCst), started.load(Ordering::SeqCst)),
            (1, 1),
            "started once, by the first message"
        );

        let eager_built = Arc::new(AtomicUsize::new(0));
        let eager_counter = Arc::clone(&eager_built);
        let _eager: EchoProxy = stage
            .actor_for(Definition::new(move || {
                eager_counter.fetch_add(1, Ordering::SeqCst);
                HandWritten
            }))
            .unwrap();
        domo_actors_testkit::await_assert(|| async {
            assert_eq!(
                eager_built.load(Ordering::SeqCst),
                1,
                "built without a message"
            );
        })
        .await;
        stage.close().await;
    }
}

/// `self.stop()` in a start hook stops the actor before its first message.
mod stop_in_start {
    use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};

    #[actor_protocol]
    trait Quitter {
        async fn hello(&mut self) -> u32;
    }

    struct QuitterActor;

    impl Actor for QuitterActor {
        async fn start(&mut self) {
            self.stop();
        }
    }

    impl Quitter for QuitterActor {
        async fn hello(&mut self) -> u32 {
            1
        }
    }

    #[tokio::test]
    async fn a_stop_asked_for_in_start_happens_before_the_first_message() {
        let stage = Stage::new();
        let quitter: QuitterProxy = stage.actor_for(Definition::new(|| QuitterActor)).unwrap();
        assert!(matches!(
            quitter.hello().result().await,
            Err(ActorError::Stopped {
                method: "hello",
                ..
            })
        ));
        assert!(quitter.is_stopped());
        stage.close().await;
    }
}
