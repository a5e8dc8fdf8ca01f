//! `StageSnapshot` and `ActorSnapshot`: the actors of a stage as plain data, at one moment.

use std::sync::Arc;

use crate::{ActorState, Address, DeadLetter, MailboxStats};

/// The live actors of a stage and its recent dead letters, taken by
/// [`Stage::introspect`](crate::Stage::introspect).
///
/// The actors come in depth-first order, a parent before its children and children in creation
/// order, starting with the private root: read in order, indented by
/// [`depth`](ActorSnapshot::depth), they draw the hierarchy.
#[derive(Clone, Debug)]
pub struct StageSnapshot {
    actors: Vec<ActorSnapshot>,
    recent_dead_letters: Vec<DeadLetter>,
    dead_letters_total: u64,
}

impl StageSnapshot {
    pub(crate) fn new(
        actors: Vec<ActorSnapshot>,
        recent_dead_letters: Vec<DeadLetter>,
        dead_letters_total: u64,
    ) -> Self {
        Self {
            actors,
            recent_dead_letters,
            dead_letters_total,
        }
    }

    /// Every live actor, the two roots included, parents before their children.
    pub fn actors(&self) -> &[ActorSnapshot] {
        &self.actors
    }

    /// The actor at `address`, if it was live (a linear search).
    pub fn actor(&self, address: &Address) -> Option<&ActorSnapshot> {
        self.actors.iter().find(|actor| actor.address == *address)
    }

    /// The children of the actor at `address`, in creation order.
    pub fn children_of<'a>(
        &'a self,
        address: &'a Address,
    ) -> impl Iterator<Item = &'a ActorSnapshot> + 'a {
        self.actors
            .iter()
            .filter(move |actor| actor.parent.as_ref() == Some(address))
    }

    /// The actors whose type name is `type_name`, in snapshot order.
    pub fn of_type<'a>(
        &'a self,
        type_name: &'a str,
    ) -> impl Iterator<Item = &'a ActorSnapshot> + 'a {
        self.actors
            .iter()
            .filter(move |actor| actor.type_name() == type_name)
    }

    /// The most recent dead letters of the stage, oldest first: the last
    /// [`DeadLetters::RECENT`](crate::DeadLetters::RECENT) at most (see
    /// [`DeadLetters::recent`](crate::DeadLetters::recent)).
    pub fn recent_dead_letters(&self) -> &[DeadLetter] {
        &self.recent_dead_letters
    }

    /// How many dead letters the stage has recorded since it was created.
    pub fn dead_letters_total(&self) -> u64 {
        self.dead_letters_total
    }
}

/// One actor in a [`StageSnapshot`]. Its state and numbers were read at once (its mailbox's
/// under one lock); they move as soon as they are read.
#[derive(Clone, Debug)]
pub struct ActorSnapshot {
    pub(crate) address: Address,
    pub(crate) parent: Option<Address>,
    pub(crate) depth: usize,
    pub(crate) type_name: Arc<str>,
    pub(crate) state: ActorState,
    pub(crate) mailbox: MailboxStats,
    pub(crate) messages_handled: u64,
    pub(crate) restarts: u32,
}

impl ActorSnapshot {
    /// The actor's address ([`Address::short`] is the form logs use).
    pub fn address(&self) -> Address {
        self.address
    }

    /// Its parent's address; `None` for the private root.
    pub fn parent(&self) -> Option<Address> {
        self.parent
    }

    /// How many ancestors it has: 0 for the private root, 1 for the public root, 2 for the
    /// actors the stage created without a parent.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Its type name (its `Definition`'s type, by default its protocol's name).
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// What it was doing.
    pub fn state(&self) -> ActorState {
        self.state
    }

    /// Its mailbox: how many messages wait (those its task took in a batch included, not the
    /// one being handled), its capacity if bounded, what its overflow policy dropped.
    pub fn mailbox(&self) -> MailboxStats {
        self.mailbox
    }

    /// How many protocol messages it has handled since it was created, across restarts: each
    /// counts once its handler has returned (or panicked, and supervision has decided), a
    /// moment after its answer was sent. Stops and supervision's envelopes do not count.
    pub fn messages_handled(&self) -> u64 {
        self.messages_handled
    }

    /// How many times supervision has restarted it (a fresh instance built).
    pub fn restarts(&self) -> u32 {
        self.restarts
    }
}
