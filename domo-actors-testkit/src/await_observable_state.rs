//! `await_observable_state`: poll an actor's [`ObservableState`] until it satisfies a predicate.

use std::fmt;
use std::future::IntoFuture;
use std::time::Duration;

use crate::attempts::Attempts;
use crate::{AwaitOptions, ObservableState};

/// Polls the state returned by `fetch`, with the default [`AwaitOptions`] (2 s timeout, 50 ms
/// interval), until `predicate` holds; returns the first state that satisfies it.
///
/// `fetch` asks the actor for its state, usually `|| proxy.observable_state()` (see
/// [`ObservableStateProvider`](crate::ObservableStateProvider)). See
/// [`await_observable_state_with`] for the details.
///
/// ```
/// use domo_actors::{Actor, Definition, Stage};
/// use domo_actors_testkit::{
///     ObservableState, ObservableStateProvider, ObservableStateProviderProxy,
///     await_observable_state,
/// };
///
/// #[derive(Actor)]
/// struct Ready;
///
/// impl ObservableStateProvider for Ready {
///     async fn observable_state(&mut self) -> ObservableState {
///         ObservableState::new().with_value("ready", true)
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let ready: ObservableStateProviderProxy = stage.actor_for(Definition::new(|| Ready)).unwrap();
/// let state = await_observable_state(
///     || ready.observable_state(),
///     |state| state.value_of("ready") == Some(&true.into()),
/// )
/// .await;
/// assert_eq!(state.size(), 1);
/// stage.close().await;
/// # }
/// ```
pub async fn await_observable_state<F, Fut, P>(fetch: F, predicate: P) -> ObservableState
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = ObservableState>,
    P: FnMut(&ObservableState) -> bool,
{
    await_observable_state_with(AwaitOptions::default(), fetch, predicate).await
}

/// Polls the state returned by `fetch` every `options.interval` until `predicate` holds, and
/// returns the first state that satisfies it.
///
/// A panic in `fetch` (awaiting a stopped actor's promise, for instance) is not retried: it
/// propagates, failing the test at once. A fetch still unanswered at the deadline is given one
/// more interval, then abandoned.
///
/// # Panics
///
/// When no state satisfies `predicate` within `options.timeout`, with DomoActors' message:
/// `Observable state predicate not satisfied within <t>ms. Final state: <state>`, where the
/// final state is the one fetched at the deadline, rendered as by its `Display`
/// (`{count: 2, name: "x"}`).
pub async fn await_observable_state_with<F, Fut, P>(
    options: AwaitOptions,
    fetch: F,
    predicate: P,
) -> ObservableState
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = ObservableState>,
    P: FnMut(&ObservableState) -> bool,
{
    match poll_state(options, fetch, predicate).await {
        Ok(state) => state,
        Err(last) => panic!(
            "Observable state predicate not satisfied within {}ms. Final state: {last}",
            options.timeout.as_millis()
        ),
    }
}

/// The last state a wait saw, for its timeout message.
pub(crate) enum FinalState {
    /// The state fetched at the deadline.
    Fetched(ObservableState),
    /// The fetch at the deadline did not answer within `bound`; `previous` is the latest state
    /// fetched before it, if any.
    Unanswered {
        bound: Duration,
        previous: Option<ObservableState>,
    },
}

impl FinalState {
    /// The state fetched at the deadline, if the fetch answered.
    pub(crate) fn state(&self) -> Option<&ObservableState> {
        match self {
            FinalState::Fetched(state) => Some(state),
            FinalState::Unanswered { .. } => None,
        }
    }
}

impl fmt::Display for FinalState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FinalState::Fetched(state) => write!(f, "{state}"),
            FinalState::Unanswered { bound, previous } => {
                write!(
                    f,
                    "unavailable (the last fetch did not answer within {}ms",
                    bound.as_millis()
                )?;
                match previous {
                    Some(state) => write!(f, "; the state fetched before it: {state})"),
                    None => f.write_str(")"),
                }
            }
        }
    }
}

/// The polling loop behind the state helpers: the first state satisfying `predicate`, or the
/// last one seen.
pub(crate) async fn poll_state<F, Fut, P>(
    options: AwaitOptions,
    mut fetch: F,
    mut predicate: P,
) -> Result<ObservableState, FinalState>
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = ObservableState>,
    P: FnMut(&ObservableState) -> bool,
{
    let attempts = Attempts::start(options);
    let mut previous = None;
    loop {
        // DomoActors fetches one more state after the timeout, for its message; here the try
        // made at the deadline is that fetch, and it is checked too, so a timeout message never
        // shows a state that satisfies the predicate.
        let last = match attempts.bounded(fetch().into_future()).await {
            Ok(state) if predicate(&state) => return Ok(state),
            Ok(state) => FinalState::Fetched(state),
            Err(bound) => FinalState::Unanswered {
                bound,
                previous: previous.take(),
            },
        };
        if !attempts.pause().await {
            return Err(last);
        }
        previous = match last {
            FinalState::Fetched(state) => Some(state),
            FinalState::Unanswered { previous, .. } => previous,
        };
    }
}
