//! A live view of a stage's actors: [`Stage::introspect`] walks the hierarchy and reads each
//! actor's state, mailbox and counters into plain data, for dashboards and diagnostics.

pub(crate) mod actor_state;
pub(crate) mod counters;
pub(crate) mod snapshot;

use crate::mailbox::{Activity, Run};
use crate::{ActorRef, ActorSnapshot, ActorState, Stage, StageSnapshot};

impl Stage {
    /// The stage's live actors, with what each is doing, how many messages wait in its mailbox,
    /// how many it has handled and how many times it was restarted, and the stage's most recent
    /// dead letters.
    ///
    /// It walks the hierarchy from the private root, taking each actor's mailbox lock once and
    /// each parent's list of children once: its cost grows with the number of actors, and it
    /// does not hold up the actors (no message is sent, nothing waits for a handler). The
    /// snapshot is not one instant: an actor created or stopped during the walk may or may not
    /// be in it. A closed stage has no live actors.
    ///
    /// What it reads costs the actors little: a message handled is a relaxed load and store of
    /// a counter by the actor task (no locked instruction), and the stage keeps its last
    /// [`DeadLetters::RECENT`](crate::DeadLetters::RECENT) dead letters whether or not anyone
    /// introspects.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, Definition, Stage};
    ///
    /// #[actor_protocol]
    /// pub trait Counter {
    ///     async fn increment(&mut self);
    ///     async fn value(&mut self) -> u64;
    /// }
    ///
    /// #[derive(Actor, Default)]
    /// struct CounterActor(u64);
    ///
    /// impl Counter for CounterActor {
    ///     async fn increment(&mut self) {
    ///         self.0 += 1;
    ///     }
    ///     async fn value(&mut self) -> u64 {
    ///         self.0
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let counter: CounterProxy = stage.actor_for(Definition::new(CounterActor::default)).unwrap();
    /// counter.increment();
    /// assert_eq!(counter.value().await, 1);
    ///
    /// let snapshot = stage.introspect();
    /// let actor = snapshot.actor(&counter.address()).expect("a live actor");
    /// assert_eq!(actor.type_name(), "Counter");
    /// assert_eq!(actor.parent(), Some(stage.public_root().address()));
    /// assert_eq!(actor.mailbox().queued(), 0);
    /// for actor in snapshot.actors() {
    ///     println!(
    ///         "{:indent$}{} {} {}: {} queued, {} handled",
    ///         "",
    ///         actor.type_name(),
    ///         actor.address().short(),
    ///         actor.state(),
    ///         actor.mailbox().queued(),
    ///         actor.messages_handled(),
    ///         indent = 2 * actor.depth(),
    ///     );
    /// }
    /// stage.close().await;
    /// # }
    /// ```
    pub fn introspect(&self) -> StageSnapshot {
        let mut actors = Vec::new();
        // Depth first, children in creation order: pushed in reverse, so the first pops first.
        let mut pending = vec![(self.private_root(), 0)];
        while let Some((actor, depth)) = pending.pop() {
            let Some(snapshot) = snapshot_of(&actor, depth) else {
                continue;
            };
            let children = actor.children();
            pending.extend(children.into_iter().rev().map(|child| (child, depth + 1)));
            actors.push(snapshot);
        }
        let dead_letters = self.dead_letters();
        StageSnapshot::new(actors, dead_letters.recent(), dead_letters.count())
    }
}

/// One actor's snapshot; `None` if it has stopped completely.
fn snapshot_of(actor: &ActorRef, depth: usize) -> Option<ActorSnapshot> {
    let core = actor.core();
    if core.termination().is_some() {
        return None;
    }
    let Activity {
        stats,
        run,
        suspended,
        closed,
    } = actor.activity();
    let state = if closed {
        ActorState::Stopping
    } else if suspended {
        ActorState::Suspended
    } else {
        match run {
            Run::Delivering => ActorState::Running,
            Run::Waiting | Run::Parked => ActorState::Idle,
        }
    };
    Some(ActorSnapshot {
        address: core.address,
        parent: core.parent.as_ref().map(ActorRef::address),
        depth,
        type_name: std::sync::Arc::clone(&core.type_name),
        state,
        mailbox: stats,
        messages_handled: core.handled(),
        restarts: core.restarts(),
    })
}
