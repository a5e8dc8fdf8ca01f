//! `SupervisionDirective`: what a supervisor decides for an actor that failed.

use std::fmt;

/// What a supervisor decides for an actor that failed (DomoActors' directives).
///
/// | directive | the failed actor | its queued messages |
/// |---|---|---|
/// | `Resume` | keeps its state; `before_resume` runs | delivered next, in order |
/// | `Restart` | `before_restart` on the old instance, its children stopped, a fresh instance from its `Definition` through `before_start`, `start`, `after_restart`; same address and mailbox | delivered to the new instance, in order |
/// | `Stop` | stops (children first) | fail with `ActorError::Stopped`, become dead letters |
/// | `Escalate` | the supervisor's own supervisor decides instead | as that decision says |
/// | `Suspend` | keeps its state and takes no more messages until [resumed](crate::ActorRef::resume) or stopped | wait, then delivered in order |
///
/// With scope [`All`](crate::SupervisionScope::All), `Resume`, `Restart`, `Stop` and `Suspend`
/// apply to every sibling of the failed actor too. A `Restart` beyond the strategy's intensity
/// within its period becomes a `Stop`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SupervisionDirective {
    /// Keep the actor's state and go on with the next message.
    Resume,
    /// Replace the actor with a fresh instance built from its definition.
    Restart,
    /// Stop the actor.
    Stop,
    /// Let the supervisor's own supervisor decide.
    Escalate,
    /// Keep the actor, but deliver no more messages to it until
    /// [`ActorRef::resume`](crate::ActorRef::resume) (or stop it).
    Suspend,
}

impl fmt::Display for SupervisionDirective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Resume => "Resume",
            Self::Restart => "Restart",
            Self::Stop => "Stop",
            Self::Escalate => "Escalate",
            Self::Suspend => "Suspend",
        })
    }
}
