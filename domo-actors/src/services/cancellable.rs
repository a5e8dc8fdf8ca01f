//! `Cancellable`: the handle of a task given to the [`Scheduler`](crate::Scheduler).

use std::fmt;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use tokio::sync::Notify;

/// Still to run (once), or still repeating.
const PENDING: u8 = 0;
/// Cancelled before it finished: it will not run again.
const CANCELLED: u8 = 1;
/// Ended by itself: a one-time task that ran, a repetition whose target stopped, or a task whose
/// runtime shut down.
const FINISHED: u8 = 2;

/// Cancels a scheduled task: returned by every [`Scheduler`](crate::Scheduler) method.
///
/// Cloning is cheap and every clone controls the same task. Dropping it does **not** cancel the
/// task (the scheduler keeps it until it ends, is cancelled, or the scheduler closes), so a
/// one-time task can be scheduled and forgotten.
///
/// ```
/// use std::time::Duration;
/// use domo_actors::Scheduler;
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// let scheduler = Scheduler::new();
/// let reminder = scheduler.schedule_once(Duration::from_secs(60), || println!("time's up"));
/// assert!(reminder.cancel()); // the first cancel succeeds...
/// assert!(!reminder.cancel()); // ...later ones have nothing left to cancel
/// assert!(reminder.is_cancelled());
/// # }
/// ```
#[derive(Clone)]
pub struct Cancellable {
    inner: Arc<Inner>,
}

struct Inner {
    state: AtomicU8,
    // Wakes the task's timer loop at once on cancel, so a cancelled task does not linger until
    // its next due time.
    wake: Notify,
}

impl Cancellable {
    pub(crate) fn new() -> Self {
        Self::with_state(PENDING)
    }

    /// The handle a closed scheduler returns: there is nothing to cancel.
    pub(crate) fn already_cancelled() -> Self {
        Self::with_state(CANCELLED)
    }

    fn with_state(state: u8) -> Self {
        Self {
            inner: Arc::new(Inner {
                state: AtomicU8::new(state),
                wake: Notify::new(),
            }),
        }
    }

    /// Cancels the task: it will not start again. `true` the first time it succeeds; `false` if
    /// the task was already cancelled or has already ended by itself (a one-time task that ran,
    /// a repetition whose target stopped).
    ///
    /// A run already under way on another thread finishes; no run starts after this returns
    /// `true` (save one that was at that very instant past its last check).
    pub fn cancel(&self) -> bool {
        let cancelled = self
            .inner
            .state
            .compare_exchange(PENDING, CANCELLED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok();
        if cancelled {
            self.inner.wake.notify_waiters();
        }
        cancelled
    }

    /// Whether the task was cancelled: by [`cancel`](Self::cancel), or by closing the
    /// scheduler.
    pub fn is_cancelled(&self) -> bool {
        self.state() == CANCELLED
    }

    /// Whether the task may still run.
    pub(crate) fn is_pending(&self) -> bool {
        self.state() == PENDING
    }

    /// Marks the task as ended by itself, unless it was cancelled first; `true` if it was still
    /// pending. A one-time task calls this just before it runs, so that a cancel that can no
    /// longer prevent the run reports `false`.
    pub(crate) fn finish(&self) -> bool {
        self.inner
            .state
            .compare_exchange(PENDING, FINISHED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Completes once the task is cancelled.
    pub(crate) async fn cancelled(&self) {
        let mut notified = pin!(self.inner.wake.notified());
        // Registered before the check, so a cancel between the check and the await still wakes
        // this waiter.
        notified.as_mut().enable();
        if !self.is_cancelled() {
            notified.await;
        }
    }

    fn state(&self) -> u8 {
        self.inner.state.load(Ordering::Acquire)
    }
}

impl fmt::Debug for Cancellable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state() {
            PENDING => "pending",
            CANCELLED => "cancelled",
            _ => "finished",
        };
        f.debug_tuple("Cancellable").field(&state).finish()
    }
}
