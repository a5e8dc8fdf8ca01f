//! Names: a stage-wide registry of unique names for live actors ([`Stage::register_name`],
//! [`Definition::with_name`](crate::Definition::with_name), [`Stage::named`]).
//!
//! The stage keeps a map from name to actor under one lock, so of two registrations of a name
//! exactly one wins. The actor keeps the names it has in its ties (`actor_cell::Ties`, with the
//! stage that holds each), and its stop releases them (`ActorCore::finish_stopping`, before it
//! answers the callers awaiting the stop). A name is given to an actor under the actor's stop
//! lock, so no name can be given to an actor whose stop has already released its names. Lock
//! order: an actor's stop lock, then the stage's names; never the other way.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::runtime::actor_cell::ActorCore;
use crate::runtime::stage::StageRef;
use crate::{ActorError, ActorRef, Protocols, Stage};

/// The names an actor has, with the stage that holds each (an actor may be named on a stage
/// other than its own).
pub(crate) type HeldNames = Vec<(StageRef, Arc<str>)>;

/// A stage's registry of names.
#[derive(Default)]
pub(crate) struct Names {
    actors: Mutex<HashMap<Arc<str>, ActorRef>>,
}

impl Names {
    /// Gives `name` (on the stage `stage`, whose registry this is) to `actor`. Fails with
    /// [`ActorError::NameInUse`] if another live actor has it; a name whose actor is stopping
    /// (its mailbox closed) is taken over. Giving an actor a name it has succeeds.
    pub(crate) fn claim(
        &self,
        stage: &StageRef,
        name: &Arc<str>,
        actor: &ActorRef,
    ) -> Result<(), ActorError> {
        let mut replaced = None;
        let claimed = actor.core().tie(|ties| {
            let mut actors = self.lock();
            if let Some(holder) = actors.get(name) {
                if !holder.is(actor.core()) && !holder.is_stopped() {
                    return Err(ActorError::NameInUse {
                        name: Arc::clone(name),
                        address: holder.address(),
                    });
                }
            }
            replaced = actors.insert(Arc::clone(name), actor.clone());
            if !ties.names.iter().any(|(_, held)| held == name) {
                ties.names.push((stage.clone(), Arc::clone(name)));
            }
            Ok(())
        });
        // Dropped outside the locks: it may be the last handle to the actor that had the name.
        drop(replaced);
        claimed.unwrap_or_else(|_| {
            Err(ActorError::Stopped {
                address: actor.address(),
                type_name: Arc::clone(actor.type_name_arc()),
                method: "register_name",
            })
        })
    }

    /// Takes `name` from the actor whose core is `core`, if it still has it.
    pub(crate) fn release(&self, name: &str, core: &ActorCore) {
        let released = {
            let mut actors = self.lock();
            match actors.get(name) {
                Some(holder) if holder.is(core) => actors.remove(name),
                _ => None,
            }
        };
        drop(released);
    }

    /// The actor named `name`, if any (it may have stopped).
    fn get(&self, name: &str) -> Option<ActorRef> {
        self.lock().get(name).cloned()
    }

    /// Forgets every name: the stage has closed, and its actors have stopped (an actor of
    /// another stage named here may not have: the stage must not keep it).
    pub(crate) fn clear(&self) {
        let actors = std::mem::take(&mut *self.lock());
        drop(actors);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Arc<str>, ActorRef>> {
        // No user code runs under this lock, so a poisoned one still guards consistent data.
        self.actors
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Releases the names of an actor that has stopped (its core is `core`).
pub(crate) fn release(core: &ActorCore, names: HeldNames) {
    for (stage, name) in names {
        stage.names().release(&name, core);
    }
}

impl Stage {
    /// Gives `actor` the name `name` on this stage, so that [`named`](Self::named) finds it.
    /// Names are unique on a stage: of two registrations of one name, however concurrent,
    /// exactly one succeeds. An actor may have several names; it keeps them until it stops (or
    /// [`deregister_name`](Self::deregister_name)), and its stop releases them before its stop
    /// promise resolves, so a new actor can take them. A restart keeps them.
    /// [`Definition::with_name`](crate::Definition::with_name) names an actor as it is created.
    ///
    /// Fails with [`ActorError::NameInUse`] if another live actor has the name (one that is
    /// stopping, its mailbox closed, gives it up), with [`ActorError::Stopped`] if `actor` has
    /// stopped, and with [`ActorError::StageClosed`] once the stage is closed.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, ActorError, Definition, Stage};
    ///
    /// #[actor_protocol]
    /// pub trait Teller {
    ///     async fn balance(&self) -> u64;
    /// }
    ///
    /// #[derive(Actor)]
    /// struct TellerActor(u64);
    ///
    /// impl Teller for TellerActor {
    ///     async fn balance(&self) -> u64 {
    ///         self.0
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let first: TellerProxy = stage.actor_for(Definition::new(|| TellerActor(10))).unwrap();
    /// stage.register_name("teller", &first.actor_ref()).unwrap();
    ///
    /// let teller: TellerProxy = stage.named("teller").expect("registered");
    /// assert_eq!(teller.balance().await, 10);
    ///
    /// // Unique: a second actor cannot take it while the first lives...
    /// let second: TellerProxy = stage.actor_for(Definition::new(|| TellerActor(20))).unwrap();
    /// let taken = stage.register_name("teller", &second.actor_ref());
    /// assert!(matches!(taken, Err(ActorError::NameInUse { .. })));
    ///
    /// // ...and can once it has stopped.
    /// first.stop().await;
    /// stage.register_name("teller", &second.actor_ref()).unwrap();
    /// assert_eq!(stage.named::<TellerProxy>("teller"), Some(second));
    /// # stage.close().await;
    /// # }
    /// ```
    pub fn register_name(
        &self,
        name: impl Into<Arc<str>>,
        actor: &ActorRef,
    ) -> Result<(), ActorError> {
        if self.is_closed() {
            return Err(ActorError::StageClosed);
        }
        self.names().claim(&self.handle(), &name.into(), actor)
    }

    /// A proxy onto the live actor named `name` on this stage, or `None` if no live actor has
    /// that name or it does not speak protocol `P` (as [`actor_of`](Self::actor_of) for an
    /// address).
    pub fn named<P: Protocols>(&self, name: &str) -> Option<P> {
        let actor = self.names().get(name)?;
        if actor.is_stopped() {
            return None;
        }
        P::of(&actor)
    }

    /// Takes the name `name` from whichever actor has it; `true` if one had it.
    pub fn deregister_name(&self, name: &str) -> bool {
        let Some(actor) = self.names().get(name) else {
            return false;
        };
        // From the actor's names first, as `claim` adds them: under its stop lock, then the
        // stage's.
        let held = actor.core().untie(|ties| {
            let index = ties
                .names
                .iter()
                .position(|(stage, held)| stage.is(self) && held.as_ref() == name)?;
            Some(ties.names.swap_remove(index))
        });
        drop(held);
        let removed = {
            let mut actors = self.names().lock();
            match actors.get(name) {
                Some(holder) if holder.is(actor.core()) => actors.remove(name),
                _ => None,
            }
        };
        removed.is_some()
    }
}
