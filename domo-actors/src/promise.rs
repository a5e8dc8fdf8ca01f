//! `DeferredPromise`: the caller's half of a message's answer; `Reply`: the actor's half.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures::FutureExt as _;
use tokio::sync::oneshot;

use crate::ActorError;
use crate::environment;
use crate::error::{HandlerFailure, panic_message};

/// The answer to one message, returned by every proxy method at once (the message is already
/// enqueued when the method returns).
///
/// * Ignore it to send and forget (a *tell*): `counter.increment();` compiles without a warning,
///   because a promise is not itself a future but [`IntoFuture`].
/// * `.await` it to get the handler's answer (an *ask*).
/// * `.result().await` to get `Result<T, ActorError>` whatever the method returns.
/// * `.into_future()` gives a [`PromiseFuture`] for combinators such as `join_all` or `select!`.
///
/// What plain `.await` does when the actor cannot answer depends on the failure policy `F`,
/// which `#[actor_protocol]` picks from the method's return type:
///
/// * [`PanicOnFailure`] (methods that do not return `Result`): there is no value of `T` to give,
///   so plain `.await` panics with the [`ActorError`] in the caller's task, like
///   `Result::unwrap`. Awaiting a promise this way asserts that the actor answers; use
///   [`result`](Self::result) to handle failures.
/// * [`ErrOnFailure`] (methods returning `Result<T, E>` with `E: From<ActorError>`): plain `.await`
///   yields `Err(E::from(error))`.
pub struct DeferredPromise<T, F = PanicOnFailure> {
    receiver: oneshot::Receiver<Result<T, ActorError>>,
    policy: PhantomData<fn() -> F>,
}

/// The actor's half of a [`DeferredPromise`]: settles it exactly once.
pub struct Reply<T> {
    sender: oneshot::Sender<Result<T, ActorError>>,
}

/// A connected ([`Reply`], [`DeferredPromise`]) pair.
pub fn promise<T, F>() -> (Reply<T>, DeferredPromise<T, F>) {
    let (sender, receiver) = oneshot::channel();
    (
        Reply { sender },
        DeferredPromise {
            receiver,
            policy: PhantomData,
        },
    )
}

impl<T> Reply<T> {
    /// Settles the promise with the answer. If the caller dropped its promise, nothing happens.
    pub fn resolve(self, value: T) {
        let _ = self.sender.send(Ok(value));
    }

    /// Settles the promise with a failure.
    pub fn fail(self, error: ActorError) {
        let _ = self.sender.send(Err(error));
    }

    /// Whether the caller has dropped its promise (the message was a tell).
    pub fn is_abandoned(&self) -> bool {
        self.sender.is_closed()
    }

    /// Runs a handler and settles the promise with its answer. If the handler panics, the promise
    /// fails with [`ActorError::HandlerPanicked`] naming the actor, `method` and the cause, and
    /// the failure is returned to the actor's run loop.
    pub async fn complete<H>(self, method: &'static str, handler: H) -> Result<(), HandlerFailure>
    where
        H: Future<Output = T>,
    {
        match AssertUnwindSafe(handler).catch_unwind().await {
            Ok(value) => {
                self.resolve(value);
                Ok(())
            }
            Err(payload) => {
                let failure = HandlerFailure::new(method, panic_message(&*payload));
                self.fail(environment::handler_panicked(&failure));
                Err(failure)
            }
        }
    }
}

impl<T> fmt::Debug for Reply<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("abandoned", &self.is_abandoned())
            .finish()
    }
}

impl<T, F> DeferredPromise<T, F> {
    /// A promise already settled with `result`.
    pub fn settled(result: Result<T, ActorError>) -> Self {
        let (reply, promise) = promise();
        let _ = reply.sender.send(result);
        promise
    }

    /// The answer, or why there is none. Never panics.
    pub fn result(self) -> PromiseResult<T> {
        PromiseResult {
            receiver: self.receiver,
        }
    }

    /// The answer if it has already arrived, without waiting.
    pub fn try_result(&mut self) -> Option<Result<T, ActorError>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(oneshot::error::TryRecvError::Empty) => None,
            Err(oneshot::error::TryRecvError::Closed) => Some(Err(ActorError::NoReply)),
        }
    }
}

impl<T, F> fmt::Debug for DeferredPromise<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeferredPromise").finish_non_exhaustive()
    }
}

fn poll_settled<T>(
    receiver: &mut oneshot::Receiver<Result<T, ActorError>>,
    cx: &mut Context<'_>,
) -> Poll<Result<T, ActorError>> {
    Poll::Ready(match ready!(Pin::new(receiver).poll(cx)) {
        Ok(result) => result,
        Err(_) => Err(ActorError::NoReply),
    })
}

impl<T, F: OnFailure<T>> IntoFuture for DeferredPromise<T, F> {
    type Output = T;
    type IntoFuture = PromiseFuture<T, F>;

    fn into_future(self) -> PromiseFuture<T, F> {
        PromiseFuture {
            receiver: self.receiver,
            policy: PhantomData,
        }
    }
}

/// The future of a [`DeferredPromise`]'s answer (what `.await` polls); its failure policy `F`
/// decides what a failure yields.
#[must_use = "futures do nothing unless awaited"]
pub struct PromiseFuture<T, F = PanicOnFailure> {
    receiver: oneshot::Receiver<Result<T, ActorError>>,
    policy: PhantomData<fn() -> F>,
}

impl<T, F: OnFailure<T>> Future for PromiseFuture<T, F> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        poll_settled(&mut self.receiver, cx).map(|result| result.unwrap_or_else(F::on_failure))
    }
}

impl<T, F> fmt::Debug for PromiseFuture<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromiseFuture").finish_non_exhaustive()
    }
}

/// The future returned by [`DeferredPromise::result`].
#[must_use = "futures do nothing unless awaited"]
pub struct PromiseResult<T> {
    receiver: oneshot::Receiver<Result<T, ActorError>>,
}

impl<T> Future for PromiseResult<T> {
    type Output = Result<T, ActorError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        poll_settled(&mut self.receiver, cx)
    }
}

impl<T> fmt::Debug for PromiseResult<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromiseResult").finish_non_exhaustive()
    }
}

/// What plain `.await` on a [`DeferredPromise`] yields when the actor cannot answer.
pub trait OnFailure<T> {
    /// Turns the failure into the awaited value (or panics).
    fn on_failure(error: ActorError) -> T;
}

/// Failure policy of methods that do not return `Result`: plain `.await` panics with the error.
#[derive(Debug)]
pub enum PanicOnFailure {}

impl<T> OnFailure<T> for PanicOnFailure {
    #[track_caller]
    fn on_failure(error: ActorError) -> T {
        panic!("awaited an actor that could not answer: {error} (use `.result()` to handle this)")
    }
}

/// Failure policy of methods returning `Result<T, E>` with `E: From<ActorError>`: plain `.await`
/// yields `Err(E::from(error))`.
#[derive(Debug)]
pub enum ErrOnFailure {}

impl<T, E: From<ActorError>> OnFailure<Result<T, E>> for ErrOnFailure {
    fn on_failure(error: ActorError) -> Result<T, E> {
        Err(E::from(error))
    }
}
