//! `AnswerSlot`: where a local caller's answer waits, one allocation per ask.
//!
//! The actor produces its protocol's *answer enum*; the caller waits for one variant's value.
//! One slot serves both: the actor's side sees it as a [`SendAnswer<A>`] (typed by the answer
//! enum, through the route), the caller's side as a [`ReceiveAnswer<T>`] (typed by the method's
//! return type, through the promise), and the projection from one to the other is a plain
//! function pointer stored in the slot. So an ask still costs one allocation, as it did with a
//! reply channel per message.

use std::mem;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::ActorError;

/// An answer as it travels to the caller. The error is boxed: an `ActorError` is 80 bytes, and
/// the answer is moved into the slot and out again on every ask, while failures are rare.
pub(crate) type Answered<T> = Result<T, Box<ActorError>>;

/// One ask's answer, on its way from the actor to the caller.
pub(crate) struct AnswerSlot<T, A> {
    state: Mutex<State<T>>,
    /// Takes the method's value out of the answer enum (`None`: another method's answer, which
    /// a correct dispatcher never gives).
    project: fn(A) -> Option<T>,
}

enum State<T> {
    /// No answer yet; the waker of the caller's last poll.
    Waiting(Option<Waker>),
    Answered(Answered<T>),
    /// The actor's side was dropped unanswered.
    Unanswered,
    /// The caller took the answer, or gave up on it (its deadline passed).
    Closed,
}

/// The caller's side of a slot, whatever the answer enum it is fed from.
pub(crate) trait ReceiveAnswer<T>: Send + Sync {
    /// The answer, once there; `Ready(None)` if it will never come.
    fn poll_answer(&self, cx: &mut Context<'_>) -> Poll<Option<Answered<T>>>;
    /// [`poll_answer`](Self::poll_answer) without a waker: `None` while nothing is there.
    fn try_answer(&self) -> Option<Option<Answered<T>>>;
    /// Gives up on the answer: one that arrives later is dropped, not kept.
    fn close(&self);
}

/// The actor's side of a slot, typed by the protocol's answer enum `A`.
pub(crate) trait SendAnswer<A>: Send + Sync {
    /// Settles the slot. `unread`: the caller has dropped its promise, so the answer is only
    /// dropped (its destructor contained).
    fn settle(&self, outcome: Result<A, ActorError>, unread: bool);
    /// The actor's side was dropped without settling.
    fn abandon(&self);
    /// Whether a reader holds the other reference (a local promise): then a slot held only by
    /// the actor's side has nobody to read it. A remote route's sink has no local reader.
    fn counts_readers(&self) -> bool {
        true
    }
}

impl<T: Send, A> AnswerSlot<T, A> {
    /// A slot whose answers are projected out of `A` by `project`.
    pub(crate) fn new(project: fn(A) -> Option<T>) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State::Waiting(None)),
            project,
        })
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // Nothing that can panic runs under the lock: a poisoned lock holds a sound state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores the answer and wakes the caller, unless it has gone.
    fn store(&self, answered: Answered<T>) {
        let mut state = self.lock();
        match &mut *state {
            State::Waiting(waker) => {
                let waker = waker.take();
                *state = State::Answered(answered);
                drop(state);
                if let Some(waker) = waker {
                    waker.wake();
                }
            }
            _ => {
                drop(state);
                drop_unread(answered);
            }
        }
    }
}

impl<T: Send, A> SendAnswer<A> for AnswerSlot<T, A> {
    fn settle(&self, outcome: Result<A, ActorError>, unread: bool) {
        let answered = match outcome {
            Ok(answer) => match (self.project)(answer) {
                Some(value) => Ok(value),
                None => return self.abandon(),
            },
            Err(error) => Err(Box::new(error)),
        };
        if unread {
            drop_unread(answered);
        } else {
            self.store(answered);
        }
    }

    fn abandon(&self) {
        let mut state = self.lock();
        if let State::Waiting(waker) = &mut *state {
            let waker = waker.take();
            *state = State::Unanswered;
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }
}

impl<T: Send, A> ReceiveAnswer<T> for AnswerSlot<T, A> {
    fn poll_answer(&self, cx: &mut Context<'_>) -> Poll<Option<Answered<T>>> {
        let mut state = self.lock();
        match &mut *state {
            State::Waiting(waker) => {
                match waker {
                    Some(waker) if waker.will_wake(cx.waker()) => {}
                    _ => *waker = Some(cx.waker().clone()),
                }
                Poll::Pending
            }
            _ => Poll::Ready(take(&mut state)),
        }
    }

    fn try_answer(&self) -> Option<Option<Answered<T>>> {
        let mut state = self.lock();
        match &*state {
            State::Waiting(_) => None,
            _ => Some(take(&mut state)),
        }
    }

    fn close(&self) {
        let closed = mem::replace(&mut *self.lock(), State::Closed);
        if let State::Answered(answered) = closed {
            drop_unread(answered);
        }
    }
}

/// Takes a settled slot's outcome, leaving it closed.
fn take<T>(state: &mut State<T>) -> Option<Answered<T>> {
    match mem::replace(state, State::Closed) {
        State::Answered(answered) => Some(answered),
        _ => None,
    }
}

/// Drops an answer nobody will read, containing its destructor's panic: this runs in the
/// actor's task, between messages. (An answer whose promise is dropped in the instant it is
/// stored is dropped with the slot, wherever that happens: too rare to pay a `catch_unwind` on
/// every answer for; the actor task's guard covers it.)
#[cold]
fn drop_unread<T>(unread: Answered<T>) {
    crate::contained::drop_contained(unread, "an answer nobody read");
}

#[cfg(test)]
mod tests {
    use std::future::poll_fn;

    use super::*;

    fn slot() -> Arc<AnswerSlot<u64, (u64, bool)>> {
        AnswerSlot::new(|(value, ours)| ours.then_some(value))
    }

    #[tokio::test]
    async fn an_answer_wakes_the_waiting_caller() {
        let slot = slot();
        let actor = Arc::clone(&slot);
        let waiting = tokio::spawn(async move { poll_fn(|cx| slot.poll_answer(cx)).await });
        tokio::task::yield_now().await;
        actor.settle(Ok((7, true)), false);
        let answered = waiting.await.expect("the caller's task completes");
        assert_eq!(answered.map(|a| a.ok()), Some(Some(7)));
    }

    #[test]
    fn another_methods_answer_or_a_dropped_sender_is_no_answer() {
        let slot = slot();
        assert!(slot.try_answer().is_none());
        slot.settle(Ok((7, false)), false);
        assert!(matches!(slot.try_answer(), Some(None)));
        let slot = AnswerSlot::<u64, u64>::new(Some);
        slot.abandon();
        assert!(matches!(slot.try_answer(), Some(None)));
    }

    #[test]
    fn a_closed_slot_drops_a_late_answer() {
        let slot = AnswerSlot::<Arc<()>, Arc<()>>::new(Some);
        let answer = Arc::new(());
        slot.close();
        slot.settle(Ok(Arc::clone(&answer)), false);
        assert_eq!(
            Arc::strong_count(&answer),
            1,
            "the late answer was not kept"
        );
        assert!(matches!(slot.try_answer(), Some(None)));
    }

    #[test]
    fn failures_arrive_as_errors() {
        let slot = AnswerSlot::<u64, u64>::new(Some);
        slot.settle(Err(ActorError::NoReply), false);
        assert!(matches!(slot.try_answer(), Some(Some(Err(e))) if *e == ActorError::NoReply));
    }
}
