//! `Stage::introspect`: the hierarchy with each actor's parent, type, state, mailbox depth,
//! messages handled and restarts, and the stage's recent dead letters.

use std::sync::Arc;

use domo_actors::{
    Actor, ActorOptions, ActorState, DeadLetterReason, DeadLetters, Definition, Stage,
    SupervisionDirective, SupervisionStrategy, actor_protocol,
};
use domo_actors_testkit::await_assert;
use tokio::sync::Notify;

#[actor_protocol]
pub trait Probe {
    /// Signals `entered`, then waits until `gate` opens: the actor is busy meanwhile.
    async fn hold(&mut self);
    /// A tell that does nothing.
    async fn poke(&mut self);
    async fn pokes(&mut self) -> u64;
    /// Panics: its supervisor decides.
    async fn fail(&mut self);
}

struct ProbeActor {
    entered: Arc<Notify>,
    gate: Arc<Notify>,
    pokes: u64,
}

impl Actor for ProbeActor {}

impl Probe for ProbeActor {
    async fn hold(&mut self) {
        self.entered.notify_one();
        self.gate.notified().await;
    }

    async fn poke(&mut self) {
        self.pokes += 1;
    }

    async fn pokes(&mut self) -> u64 {
        self.pokes
    }

    async fn fail(&mut self) {
        panic!("probe failed on purpose");
    }
}

/// The notifies a probe's `hold` uses: `entered` (the handler started), `gate` (to let it go).
#[derive(Clone, Default)]
struct Gate {
    entered: Arc<Notify>,
    gate: Arc<Notify>,
}

fn probe(type_name: &str, gate: &Gate) -> Definition<ProbeActor> {
    let gate = gate.clone();
    Definition::new(move || ProbeActor {
        entered: Arc::clone(&gate.entered),
        gate: Arc::clone(&gate.gate),
        pokes: 0,
    })
    .with_type(type_name)
}

fn child_of(stage: &Stage, parent: &ProbeProxy, type_name: &str) -> ProbeProxy {
    stage
        .actor_for_with(
            probe(type_name, &Gate::default()),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap()
}

#[tokio::test]
async fn the_tree_shows_each_actor_under_its_parent_with_its_type() {
    let stage = Stage::new();
    let parent: ProbeProxy = stage.actor_for(probe("Parent", &Gate::default())).unwrap();
    let first = child_of(&stage, &parent, "First");
    let second = child_of(&stage, &parent, "Second");
    let grandchild = child_of(&stage, &first, "Grandchild");

    let snapshot = stage.introspect();
    let rows: Vec<(usize, &str)> = snapshot
        .actors()
        .iter()
        .map(|actor| (actor.depth(), actor.type_name()))
        .collect();
    assert_eq!(
        rows,
        [
            (0, domo_actors::PRIVATE_ROOT_TYPE),
            (1, domo_actors::PUBLIC_ROOT_TYPE),
            (2, "Parent"),
            (3, "First"),
            (4, "Grandchild"),
            (3, "Second"),
        ],
        "depth first, parents before children, children in creation order"
    );
    let parent_of = |proxy: &ProbeProxy| snapshot.actor(&proxy.address()).unwrap().parent();
    assert_eq!(parent_of(&parent), Some(stage.public_root().address()));
    assert_eq!(parent_of(&first), Some(parent.address()));
    assert_eq!(parent_of(&second), Some(parent.address()));
    assert_eq!(parent_of(&grandchild), Some(first.address()));
    let children: Vec<_> = snapshot
        .children_of(&parent.address())
        .map(|child| child.address())
        .collect();
    assert_eq!(children, [first.address(), second.address()]);
    assert_eq!(snapshot.of_type("Grandchild").count(), 1);
    assert_eq!(
        snapshot
            .actor(&stage.private_root().address())
            .unwrap()
            .parent(),
        None
    );
    stage.close().await;
}

#[tokio::test]
async fn a_busy_actor_runs_with_its_queued_messages_counted_then_goes_idle() {
    let stage = Stage::new();
    let gate = Gate::default();
    let busy: ProbeProxy = stage.actor_for(probe("Busy", &gate)).unwrap();
    let held = busy.hold();
    gate.entered.notified().await;
    for _ in 0..5 {
        busy.poke();
    }
    let pokes = busy.pokes();

    let snapshot = stage.introspect();
    let actor = snapshot.actor(&busy.address()).unwrap();
    assert_eq!(actor.state(), ActorState::Running, "in its handler");
    assert_eq!(actor.mailbox().queued(), 6, "five pokes and an ask wait");
    assert_eq!(
        actor.messages_handled(),
        0,
        "the held message is not handled yet"
    );

    gate.gate.notify_one();
    held.await;
    assert_eq!(pokes.await, 5);
    await_assert(|| async {
        let snapshot = stage.introspect();
        let actor = snapshot.actor(&busy.address()).unwrap();
        assert_eq!(actor.state(), ActorState::Idle);
        assert_eq!(actor.mailbox().queued(), 0);
        assert_eq!(actor.messages_handled(), 7);
    })
    .await;
    stage.close().await;
}

#[tokio::test]
async fn messages_handled_counts_every_delivered_message_exactly() {
    let stage = Stage::new();
    let counted: ProbeProxy = stage.actor_for(probe("Counted", &Gate::default())).unwrap();
    for _ in 0..1_000 {
        counted.poke();
    }
    assert_eq!(counted.pokes().await, 1_000);
    // Counted once each handler has returned: the ask's a moment after its answer.
    let handled = || {
        stage
            .introspect()
            .actor(&counted.address())
            .unwrap()
            .messages_handled()
    };
    assert!(
        handled() >= 1_000,
        "every tell, before the ask was answered"
    );
    await_assert(|| async { assert_eq!(handled(), 1_001, "a thousand tells and the ask") }).await;
    assert_eq!(
        stage
            .introspect()
            .actor(&counted.address())
            .unwrap()
            .restarts(),
        0
    );
    stage.close().await;
}

#[tokio::test]
async fn a_restart_counts_and_the_messages_count_across_it() {
    let stage = Stage::new();
    // The default supervisor of a top-level actor (the public root) restarts it.
    let restarted: ProbeProxy = stage
        .actor_for(probe("Restarted", &Gate::default()))
        .unwrap();
    restarted.poke();
    assert!(restarted.fail().result().await.is_err());
    assert_eq!(restarted.pokes().await, 0, "a fresh instance");

    await_assert(|| async {
        let snapshot = stage.introspect();
        let actor = snapshot.actor(&restarted.address()).unwrap();
        assert_eq!(actor.restarts(), 1);
        assert_eq!(
            actor.messages_handled(),
            3,
            "the poke, the failure and the ask"
        );
    })
    .await;
    stage.close().await;
}

#[tokio::test]
async fn an_actor_its_supervisor_suspended_shows_suspended_with_its_messages_waiting() {
    let stage = Stage::new();
    stage.register_supervisor_fn(
        "suspender",
        SupervisionStrategy::default().deciding(|_| SupervisionDirective::Suspend),
    );
    let suspended: ProbeProxy = stage
        .actor_for(probe("Suspended", &Gate::default()).with_supervisor("suspender"))
        .unwrap();
    assert!(suspended.fail().result().await.is_err());
    suspended.poke();
    suspended.poke();

    await_assert(|| async {
        let snapshot = stage.introspect();
        let actor = snapshot.actor(&suspended.address()).unwrap();
        assert_eq!(actor.state(), ActorState::Suspended);
        assert_eq!(actor.mailbox().queued(), 2, "held while suspended");
    })
    .await;
    suspended.actor_ref().resume().await;
    assert_eq!(suspended.pokes().await, 2);
    let snapshot = stage.introspect();
    let actor = snapshot.actor(&suspended.address()).unwrap();
    assert_ne!(actor.state(), ActorState::Suspended, "resumed");
    assert_eq!(actor.mailbox().queued(), 0);
    stage.close().await;
}

#[tokio::test]
async fn a_stopped_actor_leaves_the_snapshot_and_what_is_sent_to_it_is_a_recent_dead_letter() {
    let stage = Stage::new();
    let gate = Gate::default();
    let parent: ProbeProxy = stage.actor_for(probe("Leaving", &gate)).unwrap();
    let child = child_of(&stage, &parent, "LeavingChild");
    let kept: ProbeProxy = stage.actor_for(probe("Kept", &gate)).unwrap();
    assert!(stage.introspect().actor(&child.address()).is_some());

    parent.stop().await;
    child.poke();
    let snapshot = stage.introspect();
    assert!(snapshot.actor(&parent.address()).is_none());
    assert!(
        snapshot.actor(&child.address()).is_none(),
        "with its children"
    );
    assert!(snapshot.actor(&kept.address()).is_some());
    let [letter] = snapshot.recent_dead_letters() else {
        panic!("one dead letter: {:?}", snapshot.recent_dead_letters());
    };
    assert_eq!(letter.address(), child.address());
    assert_eq!(letter.type_name(), "LeavingChild");
    assert_eq!(letter.method(), "poke");
    assert_eq!(letter.reason(), DeadLetterReason::ActorStopped);
    assert_eq!(snapshot.dead_letters_total(), 1);
    stage.close().await;
}

#[tokio::test]
async fn a_parent_shows_stopping_while_its_child_finishes_its_message() {
    let stage = Stage::new();
    let gate = Gate::default();
    let parent: ProbeProxy = stage
        .actor_for(probe("Stopping", &Gate::default()))
        .unwrap();
    let child: ProbeProxy = stage
        .actor_for_with(
            probe("Finishing", &gate),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap();
    let held = child.hold();
    gate.entered.notified().await;

    let stopped = parent.stop();
    await_assert(|| async {
        let snapshot = stage.introspect();
        let parent = snapshot.actor(&parent.address()).unwrap();
        assert_eq!(
            parent.state(),
            ActorState::Stopping,
            "waiting for its child"
        );
    })
    .await;
    let snapshot = stage.introspect();
    let child_now = snapshot.actor(&child.address()).unwrap();
    assert_eq!(
        child_now.state(),
        ActorState::Running,
        "still in its handler"
    );
    assert_eq!(child_now.parent(), Some(parent.address()));

    gate.gate.notify_one();
    held.await;
    stopped.await;
    let snapshot = stage.introspect();
    assert!(snapshot.actor(&parent.address()).is_none());
    assert!(snapshot.actor(&child.address()).is_none());
    stage.close().await;
}

#[tokio::test]
async fn the_recent_dead_letters_are_the_last_ones_oldest_first() {
    let stage = Stage::new();
    let gone: ProbeProxy = stage.actor_for(probe("Gone", &Gate::default())).unwrap();
    gone.stop().await;
    let sent = DeadLetters::RECENT + 10;
    for _ in 0..sent {
        gone.poke();
    }
    assert!(gone.pokes().result().await.is_err());
    let snapshot = stage.introspect();
    let recent = snapshot.recent_dead_letters();
    assert_eq!(recent.len(), DeadLetters::RECENT);
    assert_eq!(snapshot.dead_letters_total(), sent as u64 + 1);
    assert_eq!(recent.last().unwrap().method(), "pokes", "the newest last");
    assert!(
        recent[..DeadLetters::RECENT - 1]
            .iter()
            .all(|letter| letter.method() == "poke")
    );
    stage.close().await;
}

#[tokio::test]
async fn a_closed_stage_has_no_live_actors() {
    let stage = Stage::new();
    let _probe: ProbeProxy = stage.actor_for(probe("Closing", &Gate::default())).unwrap();
    assert_eq!(
        stage.introspect().actors().len(),
        3,
        "the roots and the probe"
    );
    stage.close().await;
    assert!(stage.introspect().actors().is_empty());
}
