//! `Activity`: what a mailbox says about its actor at one moment, for introspection.

use crate::MailboxStats;
use crate::base::sync::atomic::Ordering;
use crate::mailbox::{Carries, Mailbox, RunState};

/// Where the actor task is, as its mailbox knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Run {
    /// The task runs (or has been handed to a runner): it is delivering, or about to.
    Delivering,
    /// The task lingers, waiting for a message.
    Waiting,
    /// The task is parked: nothing runs the actor.
    Parked,
}

/// A mailbox's state, read at once under its lock.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Activity {
    pub(crate) stats: MailboxStats,
    pub(crate) run: Run,
    pub(crate) suspended: bool,
    pub(crate) closed: bool,
}

impl<M, C: Carries> Mailbox<M, C> {
    /// The actor's run state, suspension, closing and queue, read under one lock (so they agree
    /// with each other). Not on any message path: only introspection calls it.
    pub(crate) fn activity(&self) -> Activity {
        let state = self.lock();
        let batched = self.batched.load(Ordering::Relaxed) as usize;
        Activity {
            stats: MailboxStats::new(state.queued() + batched, state.capacity, state.dropped),
            run: match state.run {
                RunState::Active => Run::Delivering,
                RunState::Waiting(_) => Run::Waiting,
                RunState::Parked(_) => Run::Parked,
            },
            suspended: state.suspended,
            closed: state.closed,
        }
    }
}
