//! The retry schedule shared by every waiting helper: try, pause, try again until the deadline.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::AwaitOptions;

/// The schedule of one wait: when it gives up, and how its tries are paced and bounded.
///
/// Every helper follows the same loop: try; on success return; if the deadline has passed give
/// up; otherwise pause and try again. The pause is cut short at the deadline, so the final try
/// happens right at the deadline: a condition that turns true just before it is still seen.
///
/// Time is tokio's ([`tokio::time::Instant`], [`tokio::time::sleep`]), so a paused clock drives
/// the wait without real time passing.
pub(crate) struct Attempts {
    options: AwaitOptions,
    deadline: Instant,
}

impl Attempts {
    /// Starts the clock now.
    pub(crate) fn start(options: AwaitOptions) -> Self {
        Self {
            options,
            // A timeout too large for the clock means "practically forever".
            deadline: Instant::now()
                .checked_add(options.timeout)
                .unwrap_or_else(far_future),
        }
    }

    /// Runs one try, giving up on it after [`try_bound`](Self::try_bound); `Err(bound)` if it
    /// did not finish in time.
    ///
    /// Without a bound, a try that awaits an actor which never answers (a handler stuck on an
    /// await, say) would hang the test forever instead of failing it with a message.
    pub(crate) async fn bounded<F: Future>(&self, attempt: F) -> Result<F::Output, Duration> {
        let bound = self.try_bound();
        tokio::time::timeout(bound, attempt)
            .await
            .map_err(|_| bound)
    }

    /// How long the next try may take: the time left before the deadline, but at least one
    /// interval, so that the final try (which starts at the deadline) can still finish a round
    /// trip to an actor. A wait therefore ends at most one interval after its timeout.
    fn try_bound(&self) -> Duration {
        self.deadline
            .saturating_duration_since(Instant::now())
            .max(self.options.interval)
    }

    /// Pauses before the next try. `false`, without pausing, once the deadline has passed: the
    /// try just made was the last.
    pub(crate) async fn pause(&self) -> bool {
        let now = Instant::now();
        if now >= self.deadline {
            return false;
        }
        let pause = self.options.interval.min(self.deadline - now);
        if pause.is_zero() {
            // A zero interval must still let the tasks the caller is waiting for run.
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(pause).await;
        }
        true
    }
}

/// About thirty years from now: far enough to be "never" for a test, near enough for the clock.
fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(60 * 60 * 24 * 365 * 30)
}
