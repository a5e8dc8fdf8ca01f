//! Test helpers for [domo-actors](domo_actors): wait for actors instead of sleeping, look at their
//! state, and check the messages they could not take.
//!
//! Actors handle their messages on their own schedule, so a test cannot assert right after a
//! *tell*, and should not sleep "long enough" either. It asserts what must eventually hold, and
//! lets the testkit retry:
//!
//! ```
//! use domo_actors::{Actor, Definition, actor_protocol};
//! use domo_actors_testkit::{await_assert, test_stage};
//!
//! #[actor_protocol]
//! pub trait Greeter {
//!     async fn greet(&mut self, name: String);
//!     async fn greeted(&mut self) -> Vec<String>;
//! }
//!
//! #[derive(Actor, Default)]
//! struct GreeterActor {
//!     names: Vec<String>,
//! }
//!
//! impl Greeter for GreeterActor {
//!     async fn greet(&mut self, name: String) {
//!         self.names.push(name);
//!     }
//!     async fn greeted(&mut self) -> Vec<String> {
//!         self.names.clone()
//!     }
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! // A fresh stage, with a listener already recording its dead letters.
//! let (stage, dead_letters) = test_stage();
//! let greeter: GreeterProxy = stage.actor_for(Definition::new(GreeterActor::default)).unwrap();
//!
//! drop(greeter.greet("ada".into())); // a tell: nothing to await
//! await_assert(|| async { assert_eq!(greeter.greeted().await, ["ada"]) }).await;
//!
//! // A message to a stopped actor fails its promise and becomes a dead letter.
//! greeter.stop().await;
//! assert!(greeter.greet("bob".into()).result().await.is_err());
//! assert_eq!(dead_letters.count(), 1);
//! assert_eq!(dead_letters.latest().unwrap().representation(), r#"greet("bob")"#);
//!
//! stage.close().await;
//! # }
//! ```
//!
//! # What is here
//!
//! * **Waiting for an assertion.** [`await_assert`] retries an async assertion
//!   (`|| async { assert_eq!(..) }`) until it stops panicking; on timeout the test fails with
//!   the last try's own panic message. [`try_await_assert`] returns an [`AwaitTimeout`] instead.
//! * **Waiting on an actor's state.** An actor that answers `observable_state()` with an
//!   [`ObservableState`] (named [`StateValue`]s) can be polled with [`await_observable_state`]
//!   (any predicate) or [`await_state_value`] (one value). The protocol can be the ready-made
//!   [`ObservableStateProvider`], or the actor's own with the same method in it; either way the
//!   helpers take a closure that asks for the state, `|| proxy.observable_state()`.
//! * **Dead letters.** [`TestDeadLettersListener`] records every dead letter of a stage;
//!   [`test_stage`] creates a stage with one already subscribed.
//!
//! # Time
//!
//! Every wait is bounded by [`AwaitOptions`]: DomoActors' 2 s timeout and 50 ms interval by
//! default, changed with the `*_with` variants. Time is tokio's, so under
//! `#[tokio::test(start_paused = true)]` a wait takes no real time, and a test that times out
//! still fails at once.
//!
//! # Output of failed tries
//!
//! Each failed try of [`await_assert`] panics, and the panic hook prints it. libtest shows that
//! output only for failing tests, where the last message printed is the one the test fails
//! with. The hook is left alone on purpose: it is process-global, and tests run in parallel.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod attempts;
mod await_assert;
mod await_observable_state;
mod await_options;
mod await_state_value;
mod await_timeout;
mod observable_state;
mod observable_state_provider;
mod state_value;
mod test_dead_letters_listener;
mod test_stage;

pub use await_assert::{await_assert, await_assert_with, try_await_assert, try_await_assert_with};
pub use await_observable_state::{await_observable_state, await_observable_state_with};
pub use await_options::AwaitOptions;
pub use await_state_value::{await_state_value, await_state_value_with};
pub use await_timeout::AwaitTimeout;
pub use observable_state::ObservableState;
pub use observable_state_provider::{
    ObservableStateProvider, ObservableStateProviderAnswer, ObservableStateProviderCall,
    ObservableStateProviderProxy,
};
pub use state_value::StateValue;
pub use test_dead_letters_listener::TestDeadLettersListener;
pub use test_stage::test_stage;
