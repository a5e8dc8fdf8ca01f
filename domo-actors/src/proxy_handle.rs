//! `ProxyHandle`: what a generated proxy holds: one `Arc` to the actor's cell.

use std::fmt;
use std::sync::Arc;

use crate::actor_cell::ActorCell;
use crate::ledger::{LedgerOwner, Ticket};
use crate::promise::{self, Reply};
use crate::{ActorRef, Address, DeferredPromise, ExecutionContext, MailboxStats, Message};

/// The handle inside every generated proxy: a reference to the actor's mailbox, typed by the
/// protocol's message enum. Cloning it clones one `Arc`.
///
/// Generated proxies forward to it; user code rarely needs it directly.
pub struct ProxyHandle<M> {
    cell: Arc<ActorCell<M>>,
}

impl<M: Message> ProxyHandle<M> {
    pub(crate) fn from_cell(cell: Arc<ActorCell<M>>) -> Self {
        Self { cell }
    }

    /// Enqueues `message`. If the actor has stopped, the message becomes a dead letter and its
    /// promise fails with [`ActorError::Stopped`](crate::ActorError::Stopped). If the actor's
    /// bounded mailbox is full, its [`OverflowPolicy`](crate::OverflowPolicy) picks the message
    /// that loses (this one, or the oldest queued one): it becomes a dead letter and its promise
    /// fails with [`ActorError::MailboxFull`](crate::ActorError::MailboxFull) or
    /// [`ActorError::DroppedByOverflow`](crate::ActorError::DroppedByOverflow).
    pub fn send(&self, message: M) {
        // A refused message has been dead-lettered and its reply failed.
        let _ = self.cell.send(message, false);
    }

    /// Sends the message `build` makes around the reply half of a new promise, and returns the
    /// promise, carrying the stage's default ask timeout if it has one. What generated proxy
    /// methods call.
    #[inline]
    pub fn ask<T, F>(&self, build: impl FnOnce(Reply<T>) -> M) -> DeferredPromise<T, F> {
        let (reply, promise) = promise::promise();
        self.send(build(reply));
        self.with_default_timeout(promise)
    }

    /// Sends `message`, of a method that returns `()` (its variant carries no [`Reply`]), and
    /// returns its promise, carrying the stage's default ask timeout if it has one. What
    /// generated proxy methods returning `()` call.
    ///
    /// The promise is settled through the actor's ledger of sequence numbers instead of a
    /// reply channel: a tell (a promise dropped at once) allocates nothing.
    #[inline(always)]
    pub fn ask_unit(&self, message: M) -> DeferredPromise<()> {
        // The mailbox counts the ticket as it queues the message: see `Ledger`.
        let method = message.method_name();
        let promise = match self.cell.send(message, true) {
            Ok(seq) => DeferredPromise::from_ticket(Ticket::new(
                Arc::clone(&self.cell) as Arc<dyn LedgerOwner>,
                seq,
                method,
            )),
            Err(error) => DeferredPromise::settled(Err(error)),
        };
        self.with_default_timeout(promise)
    }

    #[inline]
    fn with_default_timeout<T, F>(&self, promise: DeferredPromise<T, F>) -> DeferredPromise<T, F> {
        self.cell.core.stage.with_default_timeout(promise)
    }

    /// The actor's address.
    pub fn address(&self) -> Address {
        self.cell.core.address
    }

    /// The actor's type name.
    pub fn type_name(&self) -> &str {
        &self.cell.core.type_name
    }

    /// Whether the actor has stopped.
    pub fn is_stopped(&self) -> bool {
        self.cell.mailbox.is_closed()
    }

    /// A snapshot of the actor's persistent execution context (copied into each message sent).
    pub fn execution_context(&self) -> ExecutionContext {
        self.cell.mailbox.context()
    }

    /// Changes the actor's persistent execution context; the messages sent afterwards carry the
    /// change.
    ///
    /// `f` runs on a copy, outside the mailbox lock (so it may send to this very actor), and the
    /// copy is written back: two tasks changing one actor's context at the same moment can
    /// overwrite each other's change. The context is shared by every sender of the actor, as in
    /// DomoActors; give concurrent senders their own values with care.
    pub fn with_execution_context<R>(&self, f: impl FnOnce(&mut ExecutionContext) -> R) -> R {
        self.cell.mailbox.with_context(f)
    }

    /// A snapshot of the actor's mailbox: queued messages, capacity, dropped count.
    pub fn mailbox_stats(&self) -> MailboxStats {
        self.cell.mailbox.stats()
    }

    /// A type-erased handle to the same actor.
    pub fn actor_ref(&self) -> ActorRef {
        ActorRef::new(Arc::clone(&self.cell) as _)
    }

    /// Asks the actor to stop after the messages already queued; resolves once it has stopped.
    /// Carries the stage's default ask timeout, as [`ActorRef::stop`] does.
    pub fn stop(&self) -> DeferredPromise<()> {
        self.with_default_timeout(ActorCell::stop(&self.cell))
    }
}

impl<M> Clone for ProxyHandle<M> {
    fn clone(&self) -> Self {
        Self {
            cell: Arc::clone(&self.cell),
        }
    }
}

impl<M> fmt::Debug for ProxyHandle<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ProxyHandle({} at {})",
            self.cell.core.type_name, self.cell.core.address
        )
    }
}
