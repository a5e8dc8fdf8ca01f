//! `AwaitTimeout`: the error of an assertion that did not pass in time.

use std::fmt;
use std::time::Duration;

/// An assertion retried by [`try_await_assert_with`](crate::try_await_assert_with) did not pass
/// within its timeout.
///
/// It carries the timeout and the outcome of the last try: the last panic's message, or a note
/// that the last try did not finish.
///
/// ```
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// use std::time::Duration;
/// use domo_actors_testkit::{AwaitOptions, try_await_assert_with};
///
/// let options = AwaitOptions::new().with_timeout(Duration::from_millis(100));
/// let sum = 1 + 1;
/// let timeout = try_await_assert_with(options, || async { assert!(sum == 3, "sum is {sum}") })
///     .await
///     .unwrap_err();
/// assert_eq!(timeout.timeout(), Duration::from_millis(100));
/// assert_eq!(timeout.last_failure(), "sum is 2");
/// assert_eq!(timeout.to_string(), "assertion did not pass within 100ms: sum is 2");
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwaitTimeout {
    timeout: Duration,
    last_failure: String,
}

impl AwaitTimeout {
    pub(crate) fn new(timeout: Duration, last_failure: String) -> Self {
        Self {
            timeout,
            last_failure,
        }
    }

    /// How long the assertion was retried.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// How the last try failed: its panic message (for `assert_eq!`, the usual
    /// ``assertion `left == right` failed`` text), or why it did not finish.
    pub fn last_failure(&self) -> &str {
        &self.last_failure
    }
}

impl fmt::Display for AwaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "assertion did not pass within {}ms: {}",
            self.timeout.as_millis(),
            self.last_failure
        )
    }
}

impl std::error::Error for AwaitTimeout {}
