//! A stage frees everything it held (issue 13, item 3): after `close()` and the last handle
//! dropped, or after the last user handle of a stage never closed is dropped, every actor value,
//! every definition (and what its closure captured), every registered value, every dead-letter
//! listener and the stage itself are dropped. Each kept thing is a [`Tracked`] value whose `Drop`
//! counts, and the test waits (polling, bounded) for the counts.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use domo_actors::{Actor, ActorOptions, DeadLetter, Definition, Stage, actor_protocol};
use domo_actors_suite::{CounterActor, CounterProxy, within};
use domo_actors_testkit::await_assert;

/// Counts the [`Tracked`] values made from it, and their drops.
#[derive(Clone, Default)]
struct Drops(Arc<(AtomicUsize, AtomicUsize)>);

impl Drops {
    fn tracked(&self) -> Tracked {
        (self.0).0.fetch_add(1, Ordering::SeqCst);
        Tracked(self.clone())
    }

    /// How many were made.
    fn made(&self) -> usize {
        (self.0).0.load(Ordering::SeqCst)
    }

    /// How many were dropped.
    fn count(&self) -> usize {
        (self.0).1.load(Ordering::SeqCst)
    }
}

/// A value whose drop is counted by the [`Drops`] it came from.
struct Tracked(Drops);

impl Drop for Tracked {
    fn drop(&mut self) {
        ((self.0).0).1.fetch_add(1, Ordering::SeqCst);
    }
}

#[actor_protocol]
pub trait Holder {
    /// Answers how many values the actor holds.
    async fn held(&self) -> usize;
    /// Creates a child holding a value of its own.
    async fn spawn_child(&mut self) -> bool;
}

/// An actor holding a tracked value, a proxy onto another actor (a reference back into the
/// stage) and, optionally, a child.
#[derive(Actor)]
struct HolderActor {
    _value: Tracked,
    _peer: Option<CounterProxy>,
    /// Where a child's values and definition are counted: (actors, definitions).
    drops: (Drops, Drops),
}

impl Holder for HolderActor {
    async fn held(&self) -> usize {
        1 + usize::from(self._peer.is_some())
    }

    async fn spawn_child(&mut self) -> bool {
        let (actors, definitions) = &self.drops;
        let definition = holder_definition(actors, definitions, None);
        self.child_actor_for::<HolderProxy, _>(definition).is_ok()
    }
}

/// A holder's definition: its closure captures a tracked value (`definitions`); each instance
/// built holds another one (`actors`).
fn holder_definition(
    actors: &Drops,
    definitions: &Drops,
    peer: Option<CounterProxy>,
) -> Definition<HolderActor> {
    let captured = definitions.tracked();
    let actors = actors.clone();
    let definitions = definitions.clone();
    Definition::new(move || {
        let _ = &captured;
        HolderActor {
            _value: actors.tracked(),
            _peer: peer.clone(),
            drops: (actors.clone(), definitions.clone()),
        }
    })
}

/// What one scenario counts.
#[derive(Clone, Default)]
struct Counts {
    actors: Drops,
    definitions: Drops,
    values: Drops,
    listeners: Drops,
    schedules: Drops,
    /// A value registered after close: only the stage itself holds it.
    stage: Drops,
}

/// Fills `stage` with actors that reference each other, a registered value holding a proxy, a
/// dead-letter listener holding a proxy, a registered supervisor and a repeating schedule
/// holding a proxy: every kind of reference back into the stage.
async fn populate(stage: &Stage, counts: &Counts) {
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    for _ in 0..20 {
        let holder: HolderProxy = stage
            .actor_for(holder_definition(
                &counts.actors,
                &counts.definitions,
                Some(counter.clone()),
            ))
            .unwrap();
        assert_eq!(within!(holder.held()), 2);
    }
    let parent: HolderProxy = stage
        .actor_for(holder_definition(&counts.actors, &counts.definitions, None))
        .unwrap();
    assert!(within!(parent.spawn_child()));
    // Never asked: created and parked, never built.
    let _idle: HolderProxy = stage
        .actor_for_with(
            holder_definition(&counts.actors, &counts.definitions, None),
            ActorOptions::new(),
        )
        .unwrap();

    let value = (counts.values.tracked(), counter.clone());
    stage.register_value("counter", Arc::new(value));
    let listener_counter = counter.clone();
    let listener_value = counts.listeners.tracked();
    stage.dead_letters().subscribe(move |_: &DeadLetter| {
        let _ = (&listener_counter, &listener_value);
    });
    stage.register_supervisor("holders", parent.actor_ref());
    let scheduled_value = counts.schedules.tracked();
    stage.scheduler().schedule_repeat_to(
        &counter,
        Duration::from_secs(3600),
        Duration::from_secs(3600),
        move |counter| {
            let _ = &scheduled_value;
            counter.increment();
        },
    );
}

/// Waits until everything `populate` made is dropped, and `stage_values` values put in the
/// stage's `stage` counter.
async fn assert_all_dropped(counts: &Counts, stage_values: usize) {
    // 20 peers and a parent asked; a child and one more never asked.
    assert!(counts.actors.made() >= 21);
    // 20 peers, a parent, its child, the one never asked.
    assert_eq!(counts.definitions.made(), 23);
    await_assert(|| async {
        assert_eq!(
            counts.actors.count(),
            counts.actors.made(),
            "actor values dropped"
        );
        assert_eq!(counts.definitions.count(), 23, "definitions dropped");
        assert_eq!(counts.values.count(), 1, "registered value dropped");
        assert_eq!(counts.listeners.count(), 1, "dead-letter listener dropped");
        assert_eq!(counts.schedules.count(), 1, "scheduled task dropped");
        assert_eq!(
            counts.stage.count(),
            stage_values,
            "the stage's last values dropped"
        );
    })
    .await;
}

#[tokio::test]
async fn a_closed_stage_frees_everything_once_its_last_handle_is_dropped() {
    let counts = Counts::default();
    let stage = Stage::new();
    populate(&stage, &counts).await;
    stage.close().await;
    // Only the stage holds this one: it goes when the stage itself goes.
    stage.register_value("after close", counts.stage.tracked());
    assert_eq!(counts.stage.count(), 0);
    drop(stage);
    assert_all_dropped(&counts, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stage_dropped_without_close_closes_and_frees_everything() {
    let counts = Counts::default();
    let stage = Stage::new();
    populate(&stage, &counts).await;
    let clone = stage.clone();
    drop(stage);
    // Another user handle keeps it open.
    let counter: CounterProxy = clone.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(within!(counter.add(1)), 1);
    clone.register_value("stage", counts.stage.tracked());
    drop(clone);
    assert_all_dropped(&counts, 1).await;
    assert!(counter.is_stopped(), "the stage was closed");
}

#[actor_protocol]
pub trait Keeper {
    /// Keeps `self.stage()` in the actor's state.
    async fn keep_stage(&mut self);
    /// A handle onto the stage the actor keeps, if it keeps one.
    async fn kept(&self) -> Option<Stage>;
}

/// An actor that keeps its stage in its own state: a user handle, which keeps the stage open.
#[derive(Actor)]
struct KeeperActor {
    stage: Option<Stage>,
    _value: Tracked,
}

impl Keeper for KeeperActor {
    async fn keep_stage(&mut self) {
        self.stage = Some(self.stage());
    }

    async fn kept(&self) -> Option<Stage> {
        self.stage.clone()
    }
}

#[tokio::test]
async fn an_actor_keeping_its_stage_keeps_it_open_until_closed() {
    let drops = Drops::default();
    let stage = Stage::new();
    let value = drops.clone();
    let keeper: KeeperProxy = stage
        .actor_for(Definition::new(move || KeeperActor {
            stage: None,
            _value: value.tracked(),
        }))
        .unwrap();
    stage.register_value("value", drops.tracked());
    within!(keeper.keep_stage());
    drop(stage);
    // Not closed in the background: the actor's handle counts.
    let kept = within!(keeper.kept()).expect("the actor keeps its stage");
    assert!(!kept.is_closed());
    assert!(!keeper.is_stopped());
    // Closed explicitly, it frees the actor (and the actor's handle with it), then the value
    // with the last handle.
    kept.close().await;
    drop(kept);
    await_assert(|| async { assert_eq!(drops.count(), drops.made()) }).await;
    assert!(keeper.is_stopped());
}
