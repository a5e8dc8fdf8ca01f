//! Execution context: values set on a proxy are snapshotted into each message and visible to the
//! handler; a message sent without values sees an empty context; values propagate to an actor's
//! collaborators, so they flow down a call chain as in DomoActors.

use std::sync::Arc;

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use tokio::sync::Semaphore;

/// Reports what its handler sees of the current message's execution context.
#[actor_protocol]
trait Inspector {
    /// Blocks the actor until the gate opens.
    async fn hold(&mut self);
    /// The `"command"` value of the current message's context.
    async fn command(&self) -> Option<String>;
    /// The keys of the current message's context, sorted.
    async fn keys(&self) -> Vec<String>;
}

struct InspectorActor {
    gate: Arc<Semaphore>,
}

impl Actor for InspectorActor {}

impl Inspector for InspectorActor {
    async fn hold(&mut self) {
        let _permit = self.gate.acquire().await.expect("the gate is never closed");
    }

    async fn command(&self) -> Option<String> {
        self.execution_context().value::<String>("command").cloned()
    }

    async fn keys(&self) -> Vec<String> {
        let context = self.execution_context();
        let mut keys: Vec<String> = context.keys().map(str::to_owned).collect();
        keys.sort();
        keys
    }
}

fn inspector(stage: &Stage) -> (InspectorProxy, Arc<Semaphore>) {
    let gate = Arc::new(Semaphore::new(0));
    let shared = Arc::clone(&gate);
    let inspector = stage
        .actor_for(Definition::new(move || InspectorActor {
            gate: Arc::clone(&shared),
        }))
        .unwrap();
    (inspector, gate)
}

#[tokio::test]
async fn values_are_snapshotted_into_each_message() {
    let stage = Stage::new();
    let (inspector, gate) = inspector(&stage);

    // The actor is held, so none of these messages is handled before the context changes.
    drop(inspector.hold());
    inspector.with_execution_context(|c| {
        c.set_value("command", "open".to_string());
    });
    let first = inspector.command();
    let first_keys = inspector.keys();
    inspector.with_execution_context(|c| {
        c.set_value("command", "close".to_string())
            .set_value("request", 7_u32);
    });
    let second = inspector.command();
    let second_keys = inspector.keys();
    gate.add_permits(1);

    assert_eq!(first.await.as_deref(), Some("open"));
    assert_eq!(first_keys.await, ["command"]);
    assert_eq!(second.await.as_deref(), Some("close"));
    assert_eq!(second_keys.await, ["command", "request"]);

    // The proxy shows the actor's persistent context.
    let persistent = inspector.execution_context();
    assert_eq!(
        persistent.value::<String>("command").map(String::as_str),
        Some("close")
    );
    assert_eq!(persistent.value::<u32>("request"), Some(&7));
    stage.close().await;
}

#[tokio::test]
async fn a_message_sent_without_values_sees_an_empty_context() {
    let stage = Stage::new();
    let (inspector, _gate) = inspector(&stage);

    assert_eq!(inspector.command().await, None);
    assert_eq!(inspector.keys().await, Vec::<String>::new());

    inspector.with_execution_context(|c| {
        c.set_value("command", "open".to_string());
    });
    assert_eq!(inspector.command().await.as_deref(), Some("open"));

    inspector.with_execution_context(|c| {
        c.reset();
    });
    assert_eq!(inspector.command().await, None, "reset clears the values");
    assert_eq!(inspector.keys().await, Vec::<String>::new());
    stage.close().await;
}

#[tokio::test]
async fn each_actor_has_its_own_context() {
    let stage = Stage::new();
    let (with_values, _gate) = inspector(&stage);
    let (without_values, _other_gate) = inspector(&stage);
    with_values.with_execution_context(|c| {
        c.set_value("command", "open".to_string());
    });
    assert_eq!(with_values.command().await.as_deref(), Some("open"));
    assert_eq!(without_values.command().await, None);

    // Clones of a proxy share the actor's context.
    let clone = without_values.clone();
    clone.with_execution_context(|c| {
        c.set_value("command", "via clone".to_string());
    });
    assert_eq!(without_values.command().await.as_deref(), Some("via clone"));
    stage.close().await;
}

/// B: reports the command it sees.
#[actor_protocol]
trait Worker {
    async fn work(&mut self) -> Option<String>;
}

#[derive(Actor)]
struct WorkerActor;

impl Worker for WorkerActor {
    async fn work(&mut self) -> Option<String> {
        self.execution_context().value::<String>("command").cloned()
    }
}

/// A: sees a command and delegates to its worker B.
#[actor_protocol]
trait Coordinator {
    /// Answers (the command A sees, the command B sees when A calls it).
    async fn delegate(&mut self) -> (Option<String>, Option<String>);
}

struct CoordinatorActor {
    worker: WorkerProxy,
}

impl Actor for CoordinatorActor {}

impl Coordinator for CoordinatorActor {
    async fn delegate(&mut self) -> (Option<String>, Option<String>) {
        let own = self.execution_context().value::<String>("command").cloned();
        let worker = self.worker.work().await;
        (own, worker)
    }
}

#[tokio::test]
async fn values_propagate_to_collaborators_down_a_call_chain() {
    let stage = Stage::new();
    let b: WorkerProxy = stage.actor_for(Definition::new(|| WorkerActor)).unwrap();
    let worker = b.clone();
    let a: CoordinatorProxy = stage
        .actor_for(Definition::new(move || CoordinatorActor {
            worker: worker.clone(),
        }))
        .unwrap();

    // Before any context: B sees nothing, directly or through A.
    assert_eq!(b.work().await, None);
    assert_eq!(a.delegate().await, (None, None));

    // A's persistent context names B as a collaborator, then a command is set on it.
    a.with_execution_context(|c| {
        c.collaborators([b.actor_ref()]);
    });
    a.with_execution_context(|c| {
        c.reset().set_value("command", "open".to_string());
    });
    assert_eq!(
        a.delegate().await,
        (Some("open".to_string()), Some("open".to_string())),
        "B's handler sees the value A's message carried"
    );
    assert_eq!(
        b.execution_context()
            .value::<String>("command")
            .map(String::as_str),
        Some("open"),
        "propagated into B's persistent context"
    );
    assert!(
        b.execution_context().collaborator_list().is_empty(),
        "values only, not A's collaborators"
    );

    // The next message to A replaces B's values.
    a.with_execution_context(|c| {
        c.reset().set_value("command", "close".to_string());
    });
    assert_eq!(
        a.delegate().await,
        (Some("close".to_string()), Some("close".to_string()))
    );
    stage.close().await;
}

/// Three levels: Top's collaborator is Mid, Mid's collaborator is Leaf. Values set on Top's
/// proxy reach Mid by propagation, and, since propagation keeps Mid's own collaborators, go on
/// to Leaf when Mid's message is delivered.
mod chain {
    use domo_actors::{Actor, Definition, Stage, actor_protocol};

    #[actor_protocol]
    trait Leaf {
        async fn seen(&mut self) -> Option<String>;
    }

    #[derive(Actor)]
    struct LeafActor;

    impl Leaf for LeafActor {
        async fn seen(&mut self) -> Option<String> {
            self.execution_context().value::<String>("command").cloned()
        }
    }

    #[actor_protocol]
    trait Mid {
        async fn call(&mut self) -> Option<String>;
    }

    struct MidActor {
        leaf: LeafProxy,
    }

    impl Actor for MidActor {}

    impl Mid for MidActor {
        async fn call(&mut self) -> Option<String> {
            self.leaf.seen().await
        }
    }

    #[actor_protocol]
    trait Top {
        async fn go(&mut self) -> Option<String>;
    }

    struct TopActor {
        mid: MidProxy,
    }

    impl Actor for TopActor {}

    impl Top for TopActor {
        async fn go(&mut self) -> Option<String> {
            self.mid.call().await
        }
    }

    #[tokio::test]
    async fn values_propagate_down_a_chain_of_collaborators() {
        let stage = Stage::new();
        let leaf: LeafProxy = stage.actor_for(Definition::new(|| LeafActor)).unwrap();
        let for_mid = leaf.clone();
        let mid: MidProxy = stage
            .actor_for(Definition::new(move || MidActor {
                leaf: for_mid.clone(),
            }))
            .unwrap();
        mid.with_execution_context(|context| {
            context.collaborators([leaf.actor_ref()]);
        });
        let for_top = mid.clone();
        let top: TopProxy = stage
            .actor_for(Definition::new(move || TopActor {
                mid: for_top.clone(),
            }))
            .unwrap();
        top.with_execution_context(|context| {
            context
                .collaborators([mid.actor_ref()])
                .set_value("command", "chain".to_string());
        });

        assert_eq!(top.go().await.as_deref(), Some("chain"));
        assert_eq!(
            mid.execution_context().collaborator_list(),
            [leaf.actor_ref()],
            "propagation kept Mid's own collaborators"
        );

        top.with_execution_context(|context| {
            context.reset().set_value("command", "again".to_string());
        });
        assert_eq!(top.go().await.as_deref(), Some("again"));
        stage.close().await;
    }
}
