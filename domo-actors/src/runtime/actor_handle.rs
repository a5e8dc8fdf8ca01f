//! `ActorHandle`: what anyone holding an actor may do with it, wherever the actor runs.

use std::sync::Arc;

use crate::runtime::actor_ref::ActorControl;
use crate::{Address, DeferredPromise, ExecutionContext, MailboxStats};

/// What an [`ActorRef`](crate::ActorRef) can do with any actor, local or not: its address and
/// type, stopping it, its execution context and its mailbox's stats.
///
/// The runtime's own actors implement it (through their cell, with more that only the runtime
/// sees: the ledger, lingering, supervision directives); an actor elsewhere (a remote node's)
/// is meant to implement it too.
pub trait ActorHandle: Send + Sync + 'static {
    /// The actor's address.
    fn address(&self) -> Address;

    /// The actor's type name.
    fn type_name(&self) -> &str;

    /// Whether the actor has stopped.
    fn is_stopped(&self) -> bool;

    /// Asks the actor to stop after the messages already queued; the promise resolves once it
    /// has stopped.
    fn stop(self: Arc<Self>) -> DeferredPromise<()>;

    /// A snapshot of the actor's persistent execution context.
    fn execution_context(&self) -> ExecutionContext;

    /// Replaces the actor's persistent execution context.
    fn replace_execution_context(&self, context: ExecutionContext);

    /// A snapshot of the actor's mailbox.
    fn mailbox_stats(&self) -> MailboxStats;

    /// The runtime's view of a local actor (`None` for any other implementation, which cannot
    /// name the type to override it).
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn local(&self) -> Option<&dyn ActorControl> {
        None
    }

    /// [`local`](Self::local), owned.
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn into_local(self: Arc<Self>) -> Option<Arc<dyn ActorControl>> {
        None
    }
}
