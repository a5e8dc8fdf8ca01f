//! `ReplyRoute`: where the answer to one call goes.

use std::fmt;
use std::sync::Arc;

use crate::ActorError;
use crate::answer_slot::SendAnswer;

/// Where the answer to one [`Request`](crate::Request) goes, typed by the protocol's answer
/// enum `A`. Every route is settled exactly once: with the answer, with a failure, or, if it is
/// dropped unanswered, with [`ActorError::NoReply`].
///
/// * *Ledger*: a call of a `()` method from a local proxy. Nothing travels: the actor's ledger
///   settles the caller's promise by the message's sequence number, so a tell allocates nothing.
/// * *Local*: a local caller's promise (one allocation per ask).
/// * *Remote*: anything else that implements [`RemoteReply`], such as a caller on another node
///   whose answer must be encoded and sent back.
pub struct ReplyRoute<A: 'static> {
    route: Route<A>,
}

enum Route<A: 'static> {
    Ledger,
    Local(Arc<dyn SendAnswer<A>>),
    Remote(Box<dyn RemoteReply<A>>),
    /// Settled (or moved out): nothing left to do on drop.
    Done,
}

/// A route for answers that leave the process (or go anywhere but a local promise): remoting
/// implements it with an encoder and a connection. Called exactly once.
pub trait RemoteReply<A>: Send + 'static {
    /// Delivers the outcome of the call: the actor's answer, or why there is none.
    fn reply(self: Box<Self>, outcome: Result<A, ActorError>);
}

impl<A, F> RemoteReply<A> for F
where
    F: FnOnce(Result<A, ActorError>) + Send + 'static,
{
    fn reply(self: Box<Self>, outcome: Result<A, ActorError>) {
        (*self)(outcome)
    }
}

impl<A: 'static> ReplyRoute<A> {
    /// A route to `reply`, for callers that are not local promises.
    pub fn remote(reply: impl RemoteReply<A>) -> Self {
        Self {
            route: Route::Remote(Box::new(reply)),
        }
    }

    /// A `()` method's route from a local proxy: the ledger settles its promise.
    pub(crate) const fn ledger() -> Self {
        Self {
            route: Route::Ledger,
        }
    }

    /// A route to a local caller's answer slot.
    pub(crate) fn local(slot: Arc<dyn SendAnswer<A>>) -> Self {
        Self {
            route: Route::Local(slot),
        }
    }

    /// Whether the promise is settled through the actor's ledger (no answer travels).
    pub fn is_ledger(&self) -> bool {
        matches!(self.route, Route::Ledger)
    }

    /// Whether nobody waits for the answer any more: a local caller dropped its promise (the
    /// call was a tell). A remote route always counts as waited for.
    pub fn is_abandoned(&self) -> bool {
        match &self.route {
            Route::Local(slot) => Arc::strong_count(slot) == 1,
            Route::Ledger | Route::Remote(_) | Route::Done => false,
        }
    }

    /// Settles the route with the actor's answer: what the runtime does after a handler
    /// returns, and what a remote caller's node does when the answer arrives.
    pub fn answer(self, answer: A) {
        self.settle(Ok(answer));
    }

    /// Settles the route with a failure. A ledger route has nothing to settle: the caller's
    /// promise reads the failure from the ledger.
    pub fn fail(self, error: ActorError) {
        self.settle(Err(error));
    }

    fn settle(mut self, outcome: Result<A, ActorError>) {
        match std::mem::replace(&mut self.route, Route::Done) {
            Route::Local(slot) => {
                let unread = Arc::strong_count(&slot) == 1;
                slot.settle(outcome, unread);
            }
            Route::Remote(remote) => remote.reply(outcome),
            Route::Ledger | Route::Done => {}
        }
    }
}

impl<A: 'static> Drop for ReplyRoute<A> {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.route, Route::Done) {
            Route::Local(slot) => slot.abandon(),
            Route::Remote(remote) => remote.reply(Err(ActorError::NoReply)),
            Route::Ledger | Route::Done => {}
        }
    }
}

impl<A: 'static> fmt::Debug for ReplyRoute<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.route {
            Route::Ledger => "ledger",
            Route::Local(_) => "local",
            Route::Remote(_) => "remote",
            Route::Done => "settled",
        };
        f.debug_tuple("ReplyRoute").field(&kind).finish()
    }
}
