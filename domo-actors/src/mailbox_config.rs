//! `MailboxConfig`: which kind of mailbox an actor gets.

/// Which kind of mailbox an actor gets.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum MailboxConfig {
    /// An unbounded FIFO queue (DomoActors' `ArrayMailbox`): sends never wait and never fail
    /// while the actor runs.
    #[default]
    Unbounded,
}
