//! `await_assert`: retry an assertion until it passes or time runs out.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::time::Duration;

use futures::FutureExt as _;

use crate::attempts::Attempts;
use crate::{AwaitOptions, AwaitTimeout};

/// Retries `assertion` with the default [`AwaitOptions`] (2 s timeout, 50 ms interval) until it
/// runs to the end without panicking; if it has not by the timeout, panics again with the last
/// try's panic.
///
/// This is how a test waits for actors: their messages are handled on their own schedule, so
/// instead of sleeping "long enough", assert what should eventually hold and let the assertion
/// be retried. See [`await_assert_with`] for the details.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use domo_actors_testkit::await_assert;
///
/// let hits = Arc::new(AtomicU64::new(0));
/// let worker = Arc::clone(&hits);
/// tokio::spawn(async move {
///     for _ in 0..3 {
///         worker.fetch_add(1, Ordering::SeqCst);
///         tokio::task::yield_now().await;
///     }
/// });
///
/// await_assert(|| async { assert_eq!(hits.load(Ordering::SeqCst), 3) }).await;
/// # }
/// ```
pub async fn await_assert<F, Fut>(assertion: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    await_assert_with(AwaitOptions::default(), assertion).await
}

/// Retries `assertion` until it runs to the end without panicking, or `options.timeout` passes.
///
/// The assertion is a closure that returns a future (`|| async { assert_eq!(..) }`); a
/// synchronous check fits in the same shape, so there is no separate sync variant. Each try
/// calls the closure and awaits the future; a panic anywhere in either (`assert!`,
/// `assert_eq!`, `unwrap`, awaiting an actor that cannot answer...) fails that try, which is
/// retried after `options.interval`. A try still running at the deadline is given one more
/// interval, then abandoned as failed: a wait ends at most one interval after its timeout.
///
/// # Panics
///
/// On timeout, with the last try's own panic, re-raised with [`resume_unwind`]: the test fails
/// with the last assertion's message and payload (a `String` for `assert_eq!`). If the last try
/// did not finish, panics with `assertion did not pass within <t>ms: ...` instead.
///
/// # Output
///
/// Every failed try goes through the panic hook, which prints its message; libtest captures
/// that output and shows it only for failing tests, where the last message printed is the one
/// re-raised. The hook is not silenced during the wait: it is process-global and tests run in
/// parallel, so replacing it would also hide (or race with) the panics of every other test.
pub async fn await_assert_with<F, Fut>(options: AwaitOptions, assertion: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    match retry(options, assertion).await {
        Ok(()) => {}
        Err(Failure::Panicked(payload)) => resume_unwind(payload),
        Err(unfinished) => panic!(
            "{}",
            AwaitTimeout::new(options.timeout, unfinished.message())
        ),
    }
}

/// Like [`await_assert`], with the default [`AwaitOptions`], but returns the timeout as an error
/// instead of panicking.
pub async fn try_await_assert<F, Fut>(assertion: F) -> Result<(), AwaitTimeout>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    try_await_assert_with(AwaitOptions::default(), assertion).await
}

/// Like [`await_assert_with`], but returns the timeout as an [`AwaitTimeout`] (with the last
/// try's panic message) instead of panicking. The failed tries still print through the panic
/// hook.
pub async fn try_await_assert_with<F, Fut>(
    options: AwaitOptions,
    assertion: F,
) -> Result<(), AwaitTimeout>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    retry(options, assertion)
        .await
        .map_err(|failure| AwaitTimeout::new(options.timeout, failure.message()))
}

/// How the last try failed.
enum Failure {
    /// It panicked with this payload.
    Panicked(Box<dyn Any + Send>),
    /// It was still running after this long.
    Unfinished(Duration),
}

impl Failure {
    fn message(&self) -> String {
        match self {
            Failure::Panicked(payload) => panic_message(payload.as_ref()).to_owned(),
            Failure::Unfinished(bound) => {
                format!("the last try did not finish within {}ms", bound.as_millis())
            }
        }
    }
}

async fn retry<F, Fut>(options: AwaitOptions, mut assertion: F) -> Result<(), Failure>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let attempts = Attempts::start(options);
    loop {
        let failure = match attempts.bounded(attempt(&mut assertion)).await {
            Ok(Ok(())) => return Ok(()),
            Ok(Err(payload)) => Failure::Panicked(payload),
            Err(bound) => Failure::Unfinished(bound),
        };
        if !attempts.pause().await {
            return Err(failure);
        }
    }
}

/// One try. Asserting unwind safety is sound here: a failed try's future is dropped and never
/// polled again, and the assertion closure is the caller's, to be re-run as a whole; nothing of
/// ours is left half-updated by the unwind.
async fn attempt<F, Fut>(assertion: &mut F) -> Result<(), Box<dyn Any + Send>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    // Calling the closure can panic too, when it checks something before returning its future.
    let future = catch_unwind(AssertUnwindSafe(&mut *assertion))?;
    AssertUnwindSafe(future).catch_unwind().await
}

/// The text of a panic payload: panics carry a `&str` or a `String` unless raised with
/// `panic_any`.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "<a panic payload that is not a string>"
    }
}
