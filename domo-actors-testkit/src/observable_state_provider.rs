//! `ObservableStateProvider`: the protocol of an actor that shows its [`ObservableState`].

use crate::ObservableState;

/// The protocol of an actor that shows its state to tests: one message,
/// [`observable_state`](ObservableStateProvider::observable_state), answered like any other, so
/// the snapshot is taken between two messages and never sees a half-handled one.
///
/// An actor's mailbox speaks exactly one protocol, so this trait fits an actor created with it
/// (`stage.actor_for::<ObservableStateProviderProxy, _>(..)`). An actor with a protocol of its
/// own declares the same method in that protocol instead:
///
/// ```
/// use domo_actors::actor_protocol;
/// use domo_actors_testkit::ObservableState;
///
/// #[actor_protocol]
/// pub trait Counter {
///     async fn increment(&mut self);
///     async fn observable_state(&mut self) -> ObservableState;
/// }
/// ```
///
/// Either way, the waiting helpers take a closure that asks for the state, such as
/// `|| counter.observable_state()`, and work with both.
#[domo_actors::actor_protocol]
pub trait ObservableStateProvider {
    /// A snapshot of the actor's state, taken when this message is handled.
    async fn observable_state(&mut self) -> ObservableState;
}
