//! `AwaitOptions`: how long the waiting helpers wait, and how often they look.

use std::time::Duration;

/// How long a waiting helper ([`await_assert_with`](crate::await_assert_with),
/// [`await_observable_state_with`](crate::await_observable_state_with),
/// [`TestDeadLettersListener::await_count_with`](crate::TestDeadLettersListener::await_count_with),
/// ...) keeps trying, and how long it pauses between tries.
///
/// The defaults are DomoActors': a timeout of 2 seconds, an interval of 50 milliseconds. Both are
/// measured on tokio's clock, so a test with a paused clock
/// (`#[tokio::test(start_paused = true)]`) waits without spending real time.
///
/// ```
/// use std::time::Duration;
/// use domo_actors_testkit::AwaitOptions;
///
/// let options = AwaitOptions::new().with_timeout(Duration::from_millis(500));
/// assert_eq!(options.timeout, Duration::from_millis(500));
/// assert_eq!(options.interval, AwaitOptions::default().interval);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AwaitOptions {
    /// How long to keep trying before giving up. The helpers try at least once, and once more
    /// when the timeout has passed, so a zero timeout means "exactly one try".
    pub timeout: Duration,
    /// How long to pause after a failed try before the next one.
    pub interval: Duration,
}

impl AwaitOptions {
    /// DomoActors' timeout: 2 seconds.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(2);

    /// DomoActors' interval: 50 milliseconds.
    pub const DEFAULT_INTERVAL: Duration = Duration::from_millis(50);

    /// The defaults: [`DEFAULT_TIMEOUT`](Self::DEFAULT_TIMEOUT) and
    /// [`DEFAULT_INTERVAL`](Self::DEFAULT_INTERVAL).
    pub const fn new() -> Self {
        Self {
            timeout: Self::DEFAULT_TIMEOUT,
            interval: Self::DEFAULT_INTERVAL,
        }
    }

    /// These options with another timeout.
    #[must_use]
    pub const fn with_timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// These options with another interval.
    #[must_use]
    pub const fn with_interval(self, interval: Duration) -> Self {
        Self { interval, ..self }
    }
}

impl Default for AwaitOptions {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::AwaitOptions;

    #[test]
    fn defaults_are_domo_actors() {
        let options = AwaitOptions::default();
        assert_eq!(options.timeout, Duration::from_millis(2000));
        assert_eq!(options.interval, Duration::from_millis(50));
        assert_eq!(options, AwaitOptions::new());
    }

    #[test]
    fn builders_change_one_field() {
        let options = AwaitOptions::new()
            .with_timeout(Duration::from_secs(5))
            .with_interval(Duration::from_millis(10));
        assert_eq!(
            options,
            AwaitOptions {
                timeout: Duration::from_secs(5),
                interval: Duration::from_millis(10),
            }
        );
    }
}
