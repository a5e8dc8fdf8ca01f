//! `DeferredPromise`: the caller's half of a message's answer; `Reply`: the actor's half.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::time::{Instant, Sleep};

use std::sync::Arc;

use crate::ActorError;
use crate::answer::answer_slot::{AnswerSlot, ReceiveAnswer, SendAnswer};
use crate::base::metrics;
use crate::ledger::Ticket;

/// The answer to one message, returned by every proxy method at once (the message is already
/// enqueued when the method returns). It is the [`Future`] of that answer.
///
/// * Ignore it to send and forget (a *tell*): the message goes anyway. A promise is not
///   `#[must_use]`, so `counter.increment();` compiles without a warning. `#[actor_protocol]`
///   marks the proxy methods that answer a value `#[must_use]` instead, since there a forgotten
///   `.await` loses the answer: `drop(account.balance())` sends one without waiting.
/// * `.await` it to get the handler's answer (an *ask*).
/// * `.result().await` to get `Result<T, ActorError>` whatever the method returns.
/// * Hand it, as it is, to anything that takes a future: `join_all`, `select!`,
///   `FuturesUnordered`, `tokio::spawn`. It is [`Unpin`], so `&mut promise` is a future too (a
///   `select!` in a loop).
/// * `.timeout(duration)` bounds the wait: the promise fails with [`ActorError::TimedOut`] if no
///   answer arrives in time (see [`timeout`](Self::timeout)).
///
/// ```
/// use std::time::Duration;
/// use domo_actors::{actor_protocol, Actor, Definition, Stage};
/// use futures::future::join_all;
///
/// #[actor_protocol]
/// pub trait Squarer {
///     async fn square(&mut self, n: u64) -> u64;
///     async fn note(&mut self);
///     async fn notes(&self) -> u64;
/// }
///
/// #[derive(Actor, Default)]
/// struct SquarerActor {
///     notes: u64,
/// }
///
/// impl Squarer for SquarerActor {
///     async fn square(&mut self, n: u64) -> u64 {
///         n * n
///     }
///     async fn note(&mut self) {
///         self.notes += 1;
///     }
///     async fn notes(&self) -> u64 {
///         self.notes
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let squarer: SquarerProxy = stage.actor_for(Definition::new(SquarerActor::default)).unwrap();
///
/// squarer.note(); // a tell: `()` answers may be ignored
/// drop(squarer.square(2)); // a value's method sent without waiting (`#[must_use]` asks for this)
/// assert_eq!(join_all((1..=3).map(|n| squarer.square(n))).await, [1, 4, 9]);
/// tokio::select! {
///     square = squarer.square(4) => assert_eq!(square, 16),
///     () = tokio::time::sleep(Duration::from_secs(60)) => unreachable!("answered at once"),
/// }
/// let mut notes = squarer.notes();
/// loop {
///     tokio::select! {
///         notes = &mut notes => break assert_eq!(notes, 1),
///         () = tokio::task::yield_now() => {}
///     }
/// }
/// stage.close().await;
/// # }
/// ```
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
/// * [`StreamOnFailure`](crate::StreamOnFailure) (methods returning
///   [`ActorStream<T>`](crate::ActorStream)): plain `.await` yields a stream whose only item is
///   the error.
pub struct DeferredPromise<T, F = PanicOnFailure> {
    answer: Answer<T>,
    policy: PhantomData<fn() -> F>,
}

/// The runtime's own half of a [`DeferredPromise`] it makes for itself (stops, suspensions):
/// settles it exactly once; dropped unsettled, the promise fails with
/// [`ActorError::NoReply`]. Calls go through a [`ReplyRoute`](crate::ReplyRoute) instead.
pub(crate) struct Reply<T: Send + 'static> {
    slot: Arc<AnswerSlot<T, T>>,
}

/// A connected ([`Reply`], [`DeferredPromise`]) pair.
pub(crate) fn promise<T: Send + 'static, F>() -> (Reply<T>, DeferredPromise<T, F>) {
    let slot = AnswerSlot::new(Some);
    let promise = DeferredPromise::from_slot(Arc::clone(&slot) as _);
    (Reply { slot }, promise)
}

impl<T, F> DeferredPromise<T, F> {
    /// The promise of an answer that arrives in `slot`.
    pub(crate) fn from_slot(slot: Arc<dyn ReceiveAnswer<T>>) -> Self {
        Self {
            answer: Answer::from_source(Source::Slot(slot)),
            policy: PhantomData,
        }
    }
}

impl DeferredPromise<()> {
    /// The promise of a `()`-returning message, settled through the actor's ledger.
    pub(crate) fn from_ticket(ticket: Ticket) -> Self {
        Self {
            answer: Answer::from_source(Source::Ledger(ticket, || ())),
            policy: PhantomData,
        }
    }
}

impl<T: Send + 'static> Reply<T> {
    /// Settles the promise with the answer. If the caller dropped its promise, the answer is
    /// dropped here; a panic of its destructor is logged, not propagated.
    pub(crate) fn resolve(self, value: T) {
        self.settle(Ok(value));
    }

    /// Settles the promise with a failure.
    pub(crate) fn fail(self, error: ActorError) {
        self.settle(Err(error));
    }

    fn settle(self, outcome: Result<T, ActorError>) {
        let unread = Arc::strong_count(&self.slot) == 1;
        // Then dropped: `abandon` leaves a settled slot alone.
        SendAnswer::settle(&*self.slot, outcome, unread);
    }

    /// Whether the caller has dropped its promise.
    pub(crate) fn is_abandoned(&self) -> bool {
        Arc::strong_count(&self.slot) == 1
    }
}

impl<T: Send + 'static> Drop for Reply<T> {
    fn drop(&mut self) {
        SendAnswer::abandon(&*self.slot);
    }
}

impl<T: Send + 'static> fmt::Debug for Reply<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("abandoned", &self.is_abandoned())
            .finish()
    }
}

impl<T, F> DeferredPromise<T, F> {
    /// A promise already settled with `result`.
    pub fn settled(result: Result<T, ActorError>) -> Self {
        Self {
            answer: Answer::from_source(Source::Settled(Some(Box::new(result)))),
            policy: PhantomData,
        }
    }

    /// Bounds the wait for the answer: if none has arrived `after` from now, the promise fails
    /// with [`ActorError::TimedOut`] (through its failure policy, as any other failure).
    ///
    /// `after` is a [`Duration`], or an `Option<Duration>` where `None` removes the timeout
    /// (including the stage's default, see
    /// [`Stage::default_ask_timeout`](crate::Stage::default_ask_timeout)). Calling it again
    /// replaces the earlier timeout.
    ///
    /// A timeout only ends the *wait*: the message is already in the actor's mailbox and may
    /// still be handled later; its answer is then discarded
    /// ([`ReplyRoute::is_abandoned`](crate::ReplyRoute::is_abandoned) becomes `true` when the
    /// promise times out). To stop the actor
    /// from doing the work, tell it so with a message of its own.
    ///
    /// Timing uses [`tokio::time`], so it follows tokio's paused clock in tests. No timer exists
    /// unless a timeout is asked for; the deadline is counted from this call.
    ///
    /// An actor that awaits an answer from itself inside a handler (through
    /// [`self_as`](crate::Actor::self_as)) waits for a message queued behind the handler that is
    /// waiting: without a timeout that never completes; with one it fails with
    /// [`ActorError::TimedOut`] instead of hanging.
    ///
    /// ```
    /// use std::time::Duration;
    /// use domo_actors::{actor_protocol, Actor, ActorError, Definition, Stage};
    ///
    /// #[actor_protocol]
    /// pub trait Oracle {
    ///     async fn answer(&mut self) -> u64;
    ///     async fn ponder(&mut self, seconds: u64) -> u64;
    /// }
    ///
    /// #[derive(Actor)]
    /// struct OracleActor;
    ///
    /// impl Oracle for OracleActor {
    ///     async fn answer(&mut self) -> u64 {
    ///         42
    ///     }
    ///     async fn ponder(&mut self, seconds: u64) -> u64 {
    ///         tokio::time::sleep(Duration::from_secs(seconds)).await;
    ///         42
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let oracle: OracleProxy = stage.actor_for(Definition::new(|| OracleActor)).unwrap();
    /// let patience = Duration::from_secs(1);
    ///
    /// assert_eq!(oracle.answer().timeout(patience).await, 42);
    /// assert_eq!(
    ///     oracle.ponder(3600).timeout(patience).result().await,
    ///     Err(ActorError::TimedOut { after: patience })
    /// );
    /// stage.close().await;
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// Given a duration, outside a tokio runtime with the time driver enabled (as
    /// [`tokio::time::sleep`]).
    #[track_caller]
    #[must_use = "a timeout only bounds a promise that is awaited"]
    pub fn timeout(mut self, after: impl Into<Option<Duration>>) -> Self {
        *self.answer.deadline = after.into().map(|after| Box::new(Deadline::new(after)));
        self
    }

    /// A stage's default timeout: armed at the first poll, and replaced by an explicit
    /// [`timeout`](Self::timeout).
    pub(crate) fn with_default_timeout(mut self, after: Duration) -> Self {
        *self.answer.deadline = Some(Box::new(Deadline::lazy(after)));
        self
    }

    /// The answer, or why there is none. Never panics.
    pub fn result(self) -> PromiseResult<T> {
        PromiseResult {
            answer: self.answer,
        }
    }

    /// The answer if it has already arrived, without waiting; a timeout that has expired gives
    /// [`ActorError::TimedOut`].
    pub fn try_result(&mut self) -> Option<Result<T, ActorError>> {
        self.answer.try_take()
    }
}

impl<T, F> fmt::Debug for DeferredPromise<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeferredPromise")
            .field("timeout", &self.answer.timeout())
            .finish_non_exhaustive()
    }
}

/// The receiving end of an answer, with the caller's optional deadline: what a promise and its
/// futures share, so that a timeout survives `.result()`.
struct Answer<T> {
    source: Source<T>,
    // `None` on the common path: a promise that is only awaited or dropped owns no timer.
    // Boxed, as the settled answer below: a promise is moved through several calls on every
    // send, so it is kept to a few words. Dropped by `Answer`'s own `Drop`, which tests for
    // `None` inline: the drop glue of the option was an out-of-line call on every promise.
    deadline: ManuallyDrop<Option<Box<Deadline>>>,
    // The answer will never come (the channel closed, or the deadline passed), or it was
    // taken. Remembered because a source is read only once.
    ended: bool,
}

/// Where an answer comes from.
enum Source<T> {
    /// An answer slot: messages whose method returns a value, and the runtime's own promises.
    Slot(Arc<dyn ReceiveAnswer<T>>),
    /// The actor's ledger: messages whose method returns `()` (no allocation). The function
    /// makes the `()` answer as a `T` (only this variant's constructor knows `T` is `()`).
    Ledger(Ticket, fn() -> T),
    /// Known when the promise was made (a send that was refused); taken once.
    Settled(Option<Box<Result<T, ActorError>>>),
}

// The answer is moved, never pinned: no `Pin<&mut T>` is ever made, so a promise stays `Unpin`
// (usable in `select!` as it is) whatever `T` is, as with the reply channel alone.
impl<T> Unpin for Source<T> {}

/// A caller's timeout: the timer and the duration asked for (reported in the error).
impl<T> Drop for Answer<T> {
    #[inline]
    fn drop(&mut self) {
        if self.deadline.is_some() {
            drop_deadline(std::mem::replace(
                &mut self.deadline,
                ManuallyDrop::new(None),
            ));
        }
    }
}

/// Drops a promise's deadline, out of the common path.
#[cold]
fn drop_deadline(deadline: ManuallyDrop<Option<Box<Deadline>>>) {
    drop(ManuallyDrop::into_inner(deadline));
}

struct Deadline {
    after: Duration,
    // Boxed so that promises and their futures stay `Unpin` (usable in `select!` as they are).
    // `None` for a stage's default timeout until the first poll: a promise that is dropped
    // (a tell) never creates a timer.
    sleep: Option<Pin<Box<Sleep>>>,
    expired: bool,
}

impl Deadline {
    /// A deadline `after` from now.
    #[track_caller]
    fn new(after: Duration) -> Self {
        Self {
            after,
            sleep: Some(Box::pin(tokio::time::sleep(after))),
            expired: false,
        }
    }

    /// A deadline `after` from the first poll.
    fn lazy(after: Duration) -> Self {
        Self {
            after,
            sleep: None,
            expired: false,
        }
    }

    /// Whether the deadline has passed (arming a lazy one first).
    fn poll_expired(&mut self, cx: &mut Context<'_>) -> bool {
        let after = self.after;
        self.sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(after)))
            .as_mut()
            .poll(cx)
            .is_ready()
    }
}

impl<T> Answer<T> {
    fn from_source(source: Source<T>) -> Self {
        Self {
            source,
            deadline: ManuallyDrop::new(None),
            ended: false,
        }
    }

    fn timeout(&self) -> Option<Duration> {
        self.deadline.as_ref().map(|deadline| deadline.after)
    }

    /// Why the answer will never come: the deadline passed, or the reply was dropped unanswered.
    fn failure(&self) -> ActorError {
        match &*self.deadline {
            Some(deadline) if deadline.expired => ActorError::TimedOut {
                after: deadline.after,
            },
            _ => ActorError::NoReply,
        }
    }

    /// The channel reported its end.
    fn end(&mut self) -> ActorError {
        self.ended = true;
        self.failure()
    }

    /// Gives up on the answer at the deadline. Closing the receiver makes a late reply fail to
    /// send (it is dropped rather than kept) and shows the actor that nobody waits any more.
    fn expire(&mut self) -> ActorError {
        if let Source::Slot(slot) = &self.source {
            slot.close();
        }
        if let Some(deadline) = &mut *self.deadline {
            deadline.expired = true;
        }
        metrics::promise_timed_out();
        self.end()
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, ActorError>> {
        if self.ended {
            return Poll::Ready(Err(self.failure()));
        }
        // The answer first: one that arrived by the deadline wins over the timer.
        if let Poll::Ready(answer) = self.poll_source(cx) {
            return Poll::Ready(answer);
        }
        let expired = match &mut *self.deadline {
            Some(deadline) => deadline.poll_expired(cx),
            None => false,
        };
        if expired {
            Poll::Ready(Err(self.expire()))
        } else {
            Poll::Pending
        }
    }

    /// The answer from its source, if it is there.
    fn poll_source(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, ActorError>> {
        match &mut self.source {
            Source::Slot(slot) => slot.poll_answer(cx).map(|received| match received {
                Some(answered) => {
                    self.ended = true;
                    answered.map_err(|error| *error)
                }
                None => Err(self.end()),
            }),
            Source::Ledger(ticket, unit) => {
                let unit = *unit;
                ticket.poll(cx).map(|outcome| {
                    self.ended = true;
                    outcome.map(|()| unit())
                })
            }
            Source::Settled(settled) => match settled.take() {
                Some(result) => {
                    self.ended = true;
                    Poll::Ready(*result)
                }
                None => Poll::Ready(Err(self.end())),
            },
        }
    }

    fn try_take(&mut self) -> Option<Result<T, ActorError>> {
        if self.ended {
            return Some(Err(self.failure()));
        }
        let received = match &mut self.source {
            Source::Slot(slot) => match slot.try_answer() {
                Some(Some(answered)) => Some(answered.map_err(|error| *error)),
                None => None,
                Some(None) => return Some(Err(self.end())),
            },
            Source::Ledger(ticket, unit) => {
                let unit = *unit;
                ticket.try_take().map(|outcome| outcome.map(|()| unit()))
            }
            Source::Settled(settled) => settled.take().map(|result| *result),
        };
        if let Some(result) = received {
            // Every source is read only once.
            self.ended = true;
            return Some(result);
        }
        // The timer may not be registered yet (never polled): compare with the clock.
        let expired = match self.deadline.as_deref() {
            Some(Deadline {
                sleep: Some(sleep), ..
            }) => Instant::now() >= sleep.deadline(),
            _ => false,
        };
        expired.then(|| Err(self.expire()))
    }
}

/// A promise is the future of its answer: `.await` it, or hand it to anything that takes a
/// future (`join_all`, `select!`, `FuturesUnordered`, `tokio::spawn`). Its failure policy `F`
/// decides what a failure yields; it keeps its timeout, if any. It is `Unpin`, so `&mut promise`
/// is a future too.
impl<T, F: OnFailure<T>> Future for DeferredPromise<T, F> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.answer
            .poll(cx)
            .map(|result| result.unwrap_or_else(F::on_failure))
    }
}

/// The future returned by [`DeferredPromise::result`]. It keeps the promise's timeout, if any.
#[must_use = "futures do nothing unless awaited"]
pub struct PromiseResult<T> {
    answer: Answer<T>,
}

impl<T> Future for PromiseResult<T> {
    type Output = Result<T, ActorError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.answer.poll(cx)
    }
}

impl<T> fmt::Debug for PromiseResult<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromiseResult")
            .field("timeout", &self.answer.timeout())
            .finish_non_exhaustive()
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

/// Failure policy of methods returning `Result<T, E>` with `E: From<ActorError>` (or a `Result`
/// alias, when the method is marked `#[failure(err)]`): plain `.await` yields `Err(E::from(error))`.
#[derive(Debug)]
pub enum ErrOnFailure {}

impl<T, E: From<ActorError>> OnFailure<Result<T, E>> for ErrOnFailure {
    fn on_failure(error: ActorError) -> Result<T, E> {
        Err(E::from(error))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{PanicOnFailure, promise};
    use crate::ActorError;

    const TIMEOUT: Duration = Duration::from_millis(5);

    #[tokio::test(start_paused = true)]
    async fn a_timed_out_promise_abandons_its_reply() {
        let (reply, promise) = promise::<u8, PanicOnFailure>();
        let result = promise.timeout(TIMEOUT).result().await;
        assert_eq!(result, Err(ActorError::TimedOut { after: TIMEOUT }));
        assert!(reply.is_abandoned(), "the actor can see nobody waits");
        reply.resolve(1); // the late answer is dropped
    }

    #[tokio::test(start_paused = true)]
    async fn an_answer_already_there_wins_over_an_expired_deadline() {
        let (reply, promise) = promise::<u8, PanicOnFailure>();
        let promise = promise.timeout(Duration::ZERO);
        reply.resolve(7);
        assert_eq!(promise.await, 7);
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_reply_is_still_no_reply_under_a_timeout() {
        let (reply, mut promise) = promise::<u8, PanicOnFailure>();
        promise = promise.timeout(TIMEOUT);
        drop(reply);
        assert_eq!(promise.try_result(), Some(Err(ActorError::NoReply)));
        assert_eq!(promise.try_result(), Some(Err(ActorError::NoReply)));
        assert_eq!(promise.result().await, Err(ActorError::NoReply));
    }

    #[test]
    fn no_timeout_needs_no_runtime() {
        // Without a timeout a promise owns no timer, so it works outside any tokio runtime.
        let (reply, promise) = promise::<u8, PanicOnFailure>();
        let mut promise = promise.timeout(None);
        assert_eq!(promise.try_result(), None);
        reply.resolve(3);
        assert_eq!(promise.try_result(), Some(Ok(3)));
        assert_eq!(
            format!("{promise:?}"),
            "DeferredPromise { timeout: None, .. }"
        );
    }
}
