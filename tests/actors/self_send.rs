//! Self-sends: `self.self_as::<P>()` gives a proxy onto the actor's own mailbox, so messages it
//! sends to itself are handled in order, behind the messages already queued.

use std::sync::Arc;

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use tokio::sync::Semaphore;

#[actor_protocol]
trait Sequencer {
    /// Blocks the actor until the gate opens.
    async fn hold(&mut self);
    /// Records `name`; on "a", sends "b" then "c" to itself.
    async fn step(&mut self, name: String);
    /// The names recorded so far, in order.
    async fn steps(&self) -> Vec<String>;
    /// Whether `self_as` reaches this very actor.
    async fn self_proxy_is_me(&self) -> bool;
}

struct SequencerActor {
    gate: Arc<Semaphore>,
    steps: Vec<String>,
}

impl Actor for SequencerActor {}

impl Sequencer for SequencerActor {
    async fn hold(&mut self) {
        let _permit = self.gate.acquire().await.expect("the gate is never closed");
    }

    async fn step(&mut self, name: String) {
        if name == "a" {
            let me = self.self_as::<SequencerProxy>();
            drop(me.step("b".into()));
            drop(me.step("c".into()));
        }
        self.steps.push(name);
    }

    async fn steps(&self) -> Vec<String> {
        self.steps.clone()
    }

    async fn self_proxy_is_me(&self) -> bool {
        let me = self.self_as::<SequencerProxy>();
        me.address() == self.address() && me.type_name() == "Sequencer"
    }
}

fn sequencer(stage: &Stage) -> (SequencerProxy, Arc<Semaphore>) {
    let gate = Arc::new(Semaphore::new(0));
    let shared = Arc::clone(&gate);
    let sequencer = stage
        .actor_for(Definition::new(move || SequencerActor {
            gate: Arc::clone(&shared),
            steps: Vec::new(),
        }))
        .unwrap();
    (sequencer, gate)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn self_sends_are_handled_in_order_behind_queued_messages() {
    let stage = Stage::new();
    let (sequencer, gate) = sequencer(&stage);

    // Everything below is queued while the actor is held.
    drop(sequencer.hold());
    drop(sequencer.step("a".into()));
    drop(sequencer.step("x".into()));
    drop(sequencer.step("y".into()));
    let first = sequencer.steps();
    gate.add_permits(1);

    // "b" and "c" were sent while "a" was handled, after `first` was queued.
    assert_eq!(first.await, ["a", "x", "y"]);
    // ... and before this ask, which is sent once `first` is answered.
    assert_eq!(sequencer.steps().await, ["a", "x", "y", "b", "c"]);
    stage.close().await;
}

#[tokio::test]
async fn the_self_proxy_reaches_the_actor_itself() {
    let stage = Stage::new();
    let (sequencer, _gate) = sequencer(&stage);
    assert!(sequencer.self_proxy_is_me().await);
    stage.close().await;
}
