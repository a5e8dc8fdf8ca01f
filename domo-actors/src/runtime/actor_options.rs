//! `ActorOptions`: where a new actor goes in the hierarchy, who supervises it, its mailbox.

use std::sync::Arc;

use crate::{ActorRef, MailboxConfig};

/// Options for [`Stage::actor_for_with`](crate::Stage::actor_for_with): DomoActors' optional
/// `actorFor` arguments.
///
/// ```
/// use domo_actors::{ActorOptions, MailboxConfig};
///
/// let options = ActorOptions::new()
///     .with_supervisor("bank-supervisor")
///     .with_mailbox(MailboxConfig::Unbounded);
/// assert_eq!(options.supervisor(), Some("bank-supervisor"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct ActorOptions {
    parent: Option<ActorRef>,
    supervisor: Option<Arc<str>>,
    mailbox: MailboxConfig,
}

impl ActorOptions {
    /// The defaults: parent = the public root, supervisor = the default one, unbounded mailbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes the new actor a child of `parent` (stopped when `parent` stops). A proxy's
    /// `actor_ref()` gives the handle.
    pub fn with_parent(mut self, parent: ActorRef) -> Self {
        self.parent = Some(parent);
        self
    }

    /// Names the new actor's supervisor.
    pub fn with_supervisor(mut self, name: impl Into<Arc<str>>) -> Self {
        self.supervisor = Some(name.into());
        self
    }

    /// Chooses the new actor's mailbox.
    pub fn with_mailbox(mut self, mailbox: MailboxConfig) -> Self {
        self.mailbox = mailbox;
        self
    }

    /// The parent, if one was given.
    pub fn parent(&self) -> Option<&ActorRef> {
        self.parent.as_ref()
    }

    /// The supervisor's name, if one was given.
    pub fn supervisor(&self) -> Option<&str> {
        self.supervisor.as_deref()
    }

    /// The mailbox choice.
    pub fn mailbox(&self) -> &MailboxConfig {
        &self.mailbox
    }

    pub(crate) fn into_parts(self) -> (Option<ActorRef>, Option<Arc<str>>, MailboxConfig) {
        (self.parent, self.supervisor, self.mailbox)
    }
}
