//! `ObservableStateProvider`: the protocol of an actor that shows its [`ObservableState`].

use crate::ObservableState;

/// The protocol of an actor that shows its state to tests: one message,
/// [`observable_state`](ObservableStateProvider::observable_state), answered like any other, so
/// the snapshot is taken between two messages and never sees a half-handled one.
///
/// An actor with protocols of its own implements this one as well, in test builds only, and
/// tests create it with both (its production protocols need no `observable_state` method):
///
/// ```
/// use domo_actors::{actor_protocol, Actor, Definition, Stage};
/// use domo_actors_testkit::{
///     ObservableState, ObservableStateProvider, ObservableStateProviderProxy,
///     await_observable_state,
/// };
///
/// #[actor_protocol]
/// pub trait Counter {
///     async fn increment(&mut self);
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
/// }
///
/// // In the crate's tests (`#[cfg(test)]`), not in production code.
/// impl ObservableStateProvider for CounterActor {
///     async fn observable_state(&mut self) -> ObservableState {
///         ObservableState::new().with_value("count", self.count)
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let (counter, state): (CounterProxy, ObservableStateProviderProxy) =
///     stage.actor_for(Definition::new(CounterActor::default)).unwrap();
/// counter.increment();
/// let seen = await_observable_state(
///     || state.observable_state(),
///     |state| state.value_of("count") == Some(&1u64.into()),
/// )
/// .await;
/// assert_eq!(seen.size(), 1);
/// stage.close().await;
/// # }
/// ```
///
/// The waiting helpers take a closure that asks for the state, such as
/// `|| state.observable_state()`.
#[domo_actors::actor_protocol]
pub trait ObservableStateProvider {
    /// A snapshot of the actor's state, taken when this message is handled.
    async fn observable_state(&mut self) -> ObservableState;
}
