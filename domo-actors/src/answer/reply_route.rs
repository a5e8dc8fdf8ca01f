//! `ReplyRoute`: where the answer to one call goes.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use crate::ActorError;
use crate::answer::answer_slot::SendAnswer;

/// Where the answer to one [`Request`](crate::Request) goes, typed by the protocol's answer
/// enum `A`. Every route is settled exactly once: with the answer, with a failure, or, if it is
/// dropped unanswered, with [`ActorError::NoReply`].
///
/// * *Ledger*: a call of a `()` method from a local proxy. Nothing travels: the actor's ledger
///   settles the caller's promise by the message's sequence number, so a tell allocates nothing.
/// * *Local*: a local caller's promise (one allocation per ask).
/// * *Remote*: anything else that implements [`RemoteReply`], such as a caller on another node
///   whose answer must be encoded and sent back (held behind the same kind of pointer as a
///   local slot, so that a route is two words).
pub struct ReplyRoute<A: 'static> {
    /// `None`: the ledger's route (and any route once settled). One word pair, no tag: a
    /// request is moved through the mailbox and the batch on every send.
    sink: Option<Arc<dyn SendAnswer<A>>>,
}

/// A route for answers that leave the process (or go anywhere but a local promise): remoting
/// implements it with an encoder and a connection. Called exactly once.
pub trait RemoteReply<A>: Send + 'static {
    /// Delivers the outcome of the call: the actor's answer, or why there is none.
    fn reply(self, outcome: Result<A, ActorError>);
}

impl<A, F> RemoteReply<A> for F
where
    F: FnOnce(Result<A, ActorError>) + Send + 'static,
{
    fn reply(self, outcome: Result<A, ActorError>) {
        self(outcome)
    }
}

impl<A: 'static> ReplyRoute<A> {
    /// A route to `reply`, for callers that are not local promises.
    pub fn remote(reply: impl RemoteReply<A>) -> Self {
        Self {
            sink: Some(Arc::new(RemoteSink {
                reply: Mutex::new(Some(reply)),
            })),
        }
    }

    /// A `()` method's route from a local proxy: the ledger settles its promise.
    pub(crate) const fn ledger() -> Self {
        Self { sink: None }
    }

    /// A route to a local caller's answer slot.
    pub(crate) fn local(slot: Arc<dyn SendAnswer<A>>) -> Self {
        Self { sink: Some(slot) }
    }

    /// Whether the promise is settled through the actor's ledger (no answer travels).
    #[inline]
    pub fn is_ledger(&self) -> bool {
        self.sink.is_none()
    }

    /// Whether nobody waits for the answer any more: a local caller dropped its promise (the
    /// call was a tell). A remote route always counts as waited for.
    pub fn is_abandoned(&self) -> bool {
        self.sink.as_ref().is_some_and(unread)
    }

    /// Settles the route with the actor's answer: what the runtime does after a handler
    /// returns, and what a remote caller's node does when the answer arrives.
    #[inline]
    pub fn answer(mut self, answer: A) {
        // A tell's route owns nothing and has nothing to do: the ledger settles the promise.
        if let Some(sink) = self.sink.take() {
            settle(sink, Ok(answer));
        }
    }

    /// Settles the route with a failure. A ledger route has nothing to settle: the caller's
    /// promise reads the failure from the ledger.
    #[inline]
    pub fn fail(mut self, error: ActorError) {
        if let Some(sink) = self.sink.take() {
            settle(sink, Err(error));
        }
    }
}

/// Whether the reader of `sink` has gone: a local promise dropped.
fn unread<A>(sink: &Arc<dyn SendAnswer<A>>) -> bool {
    sink.counts_readers() && Arc::strong_count(sink) == 1
}

fn settle<A>(sink: Arc<dyn SendAnswer<A>>, outcome: Result<A, ActorError>) {
    let unread = unread(&sink);
    sink.settle(outcome, unread);
}

impl<A: 'static> Drop for ReplyRoute<A> {
    #[inline]
    fn drop(&mut self) {
        // Inline for the common routes (a tell's, and one already settled); out of line for a
        // route dropped unsettled, whose caller learns there will be no answer.
        if let Some(sink) = self.sink.take() {
            abandon(sink);
        }
    }
}

#[cold]
fn abandon<A>(sink: Arc<dyn SendAnswer<A>>) {
    sink.abandon();
}

/// A [`RemoteReply`] seen as the actor's side of an answer slot: called once, by the first of
/// `settle` and `abandon`.
struct RemoteSink<R> {
    reply: Mutex<Option<R>>,
}

impl<R> RemoteSink<R> {
    fn take(&self) -> Option<R> {
        self.reply
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

impl<A: 'static, R: RemoteReply<A>> SendAnswer<A> for RemoteSink<R> {
    fn settle(&self, outcome: Result<A, ActorError>, _unread: bool) {
        if let Some(reply) = self.take() {
            reply.reply(outcome);
        }
    }

    fn abandon(&self) {
        if let Some(reply) = self.take() {
            reply.reply(Err(ActorError::NoReply));
        }
    }

    fn counts_readers(&self) -> bool {
        false
    }
}

impl<A: 'static> fmt::Debug for ReplyRoute<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.sink {
            None => "ledger",
            Some(sink) if sink.counts_readers() => "local",
            Some(_) => "remote",
        };
        f.debug_tuple("ReplyRoute").field(&kind).finish()
    }
}
