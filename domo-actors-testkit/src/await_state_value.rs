//! `await_state_value`: poll an actor's [`ObservableState`] until one value equals the expected.

use std::future::IntoFuture;

use crate::await_observable_state::poll_state;
use crate::{AwaitOptions, ObservableState, StateValue};

/// Polls the state returned by `fetch`, with the default [`AwaitOptions`] (2 s timeout, 50 ms
/// interval), until its value `name` equals `expected`; returns that state.
///
/// ```
/// use domo_actors::{Actor, Definition, Stage, actor_protocol};
/// use domo_actors_testkit::{ObservableState, await_state_value};
///
/// #[actor_protocol]
/// pub trait Counter {
///     async fn increment(&mut self);
///     async fn observable_state(&mut self) -> ObservableState;
/// }
///
/// #[derive(Actor, Default)]
/// struct CounterActor {
///     count: u64,
/// }
///
/// impl Counter for CounterActor {
///     async fn increment(&mut self) {
///         self.count += 1;
///     }
///     async fn observable_state(&mut self) -> ObservableState {
///         ObservableState::new().with_value("count", self.count)
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let counter: CounterProxy = stage.actor_for(Definition::new(CounterActor::default)).unwrap();
/// for _ in 0..3 {
///     drop(counter.increment());
/// }
/// await_state_value(|| counter.observable_state(), "count", 3).await;
/// stage.close().await;
/// # }
/// ```
pub async fn await_state_value<F, Fut>(
    fetch: F,
    name: &str,
    expected: impl Into<StateValue>,
) -> ObservableState
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = ObservableState>,
{
    await_state_value_with(AwaitOptions::default(), fetch, name, expected).await
}

/// Polls the state returned by `fetch` every `options.interval` until its value `name` equals
/// `expected` (`==` on [`StateValue`]: strict, except that all integer types compare by value);
/// returns that state. Otherwise as [`await_observable_state_with`](crate::await_observable_state_with).
///
/// # Panics
///
/// When the value does not equal `expected` within `options.timeout`, with a message that names
/// the value, the expected and the actual value, and the final state:
/// `Observable state value "count" did not equal 3 within 2000ms (actual: 2). Final state:
/// {count: 2}`. A missing value is shown as `actual: absent`.
pub async fn await_state_value_with<F, Fut>(
    options: AwaitOptions,
    fetch: F,
    name: &str,
    expected: impl Into<StateValue>,
) -> ObservableState
where
    F: FnMut() -> Fut,
    Fut: IntoFuture<Output = ObservableState>,
{
    let expected = expected.into();
    let equals = |state: &ObservableState| state.value_of(name) == Some(&expected);
    match poll_state(options, fetch, equals).await {
        Ok(state) => state,
        Err(last) => {
            let actual = match last.state() {
                Some(state) => match state.value_of(name) {
                    Some(value) => value.to_string(),
                    None => "absent".to_owned(),
                },
                None => "unknown".to_owned(),
            };
            panic!(
                "Observable state value {name:?} did not equal {expected} within {}ms \
                 (actual: {actual}). Final state: {last}",
                options.timeout.as_millis()
            )
        }
    }
}
