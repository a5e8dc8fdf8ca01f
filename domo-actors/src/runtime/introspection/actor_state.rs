//! `ActorState`: what an actor is doing at the moment of a snapshot.

use std::fmt;

/// What an actor was doing when [`Stage::introspect`](crate::Stage::introspect) looked at it.
///
/// ```
/// use domo_actors::ActorState;
///
/// assert_eq!(ActorState::Suspended.to_string(), "suspended");
/// ```
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ActorState {
    /// Nothing to do: its task is parked (an idle actor owns no tokio task) or lingers, waiting
    /// for its next message.
    Idle,
    /// Its task runs: it is delivering a message (or a supervisor is deciding about its
    /// failure), or it has messages and a runner is about to take it.
    Running,
    /// It delivers no user message until resumed: by its supervisor's
    /// [`Suspend`](crate::SupervisionDirective::Suspend) or by
    /// [`ActorRef::suspend`](crate::ActorRef::suspend). Messages keep queueing meanwhile.
    Suspended,
    /// Its mailbox has closed (after its `before_stop` hook): it is stopping its children, one
    /// at a time, then runs `after_stop`. Once it has stopped, it is in no snapshot.
    Stopping,
}

impl ActorState {
    /// The state's name in lower case: `idle`, `running`, `suspended`, `stopping`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActorState::Idle => "idle",
            ActorState::Running => "running",
            ActorState::Suspended => "suspended",
            ActorState::Stopping => "stopping",
        }
    }
}

impl fmt::Display for ActorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
