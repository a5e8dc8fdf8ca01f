//! Procedural macros of [`domo-actors`](https://docs.rs/domo-actors). Implementation detail:
//! depend on `domo-actors`, which re-exports these macros and documents them with runnable
//! examples.
//!
//! The crate is laid out as a pipeline: `args`/`ast` (parse into a borrowed IR), `valid`
//! (every rule, each a spanned error, all reported together), `generate` (one generator per generated
//! item) and `names` (every generated identifier).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod args;
mod ast;
mod derive;
mod expand;
mod generate;
mod names;
mod paths;
mod valid;

use proc_macro::TokenStream;

/// Turns a trait into an actor protocol: a message enum, a proxy, and the glue between them.
///
/// Every method must be `async fn` with a `&mut self` (or `&self`) receiver, owned (`'static`,
/// `Send`) argument and return types, and no generics. For trait `Counter` the macro emits:
///
/// - the trait itself, each `async fn m(..) -> T` rewritten as
///   `fn m(..) -> impl Future<Output = T> + Send` (implement it with `async fn` as usual);
/// - `CounterCall`, an enum with one variant per method (`try_take` -> `TryTake`) holding its
///   arguments, and `CounterAnswer`, one variant per method holding what it returns;
/// - `CounterProxy`, a cheap-to-clone handle whose methods (`proxy.add(2)`) send a message and
///   return a `DeferredPromise` of the reply; the proxy also implements `Counter`, and has
///   `address`, `type_name`, `is_stopped`, `execution_context`, `with_execution_context`,
///   `actor_ref` and `stop` (these names are reserved for protocol methods). A proxy method
///   whose reply is not `()` is `#[must_use]` (a forgotten `.await` would drop the answer;
///   `drop(proxy.add(2))` sends without waiting), one returning `()` is not (ignoring its promise
///   is a tell), and a method's own `#[must_use]` is copied to its proxy method;
/// - for a `Result<T, E>` reply, a delivery failure (stopped actor, dead letter) is returned as
///   `Err(E::from(ActorError))`, so `E: From<ActorError>` is required; for an
///   `ActorStream<T>` reply (a stream out of the actor, recognised by its last path segment,
///   which must have one type argument), plain `.await` gives a stream whose only item is
///   `Err(StreamError::NotOpened(ActorError))`; any other reply panics the caller's `.await` on
///   delivery failure (see `DeferredPromise`).
///
/// The failure policy is read off the return type as written, so a `Result` *alias* is marked:
///
/// - `#[failure(err)]` on a method: `Err(E::from(ActorError))` on delivery failure; the reply
///   must be a `Result<T, E>` (through any alias) with `E: From<ActorError>`;
/// - `#[failure(panic)]`: the caller's `.await` panics on delivery failure, whatever the reply.
///
/// A return type whose last path segment is named `Result` or ends in `Result` (`io::Result<T>`,
/// `FetchResult`) but is not written `Result<T, E>` must carry one of the two; so must any reply
/// that is a `Result` through an alias of another name (`Res<T>`): the generated code asks the
/// compiler, which then reports the unmarked reply on its type
/// (`Result<u64, MyError>: MarkThisMethodFailureErrOrFailurePanic` is not satisfied).
/// The markers are consumed by the macro (the re-emitted trait does not have them).
///
/// ```
/// # use domo_actors::{actor_protocol, ActorError};
/// # #[derive(Debug)] pub struct MyError;
/// # impl From<ActorError> for MyError { fn from(_: ActorError) -> Self { MyError } }
/// pub type Res<T> = Result<T, MyError>;
///
/// #[actor_protocol]
/// pub trait Files {
///     #[failure(err)]
///     async fn count(&mut self) -> Res<u64>;
///     #[failure(panic)]
///     async fn size(&mut self) -> std::io::Result<u64>;
/// }
/// ```
///
/// Argument: `#[actor_protocol(crate = path::to::domo_actors)]` when the runtime is re-exported
/// under another path (default `::domo_actors`).
///
/// ```
/// use domo_actors::{actor_protocol, Actor};
///
/// #[actor_protocol]
/// pub trait Counter {
///     /// Adds `n` and returns the new total.
///     async fn add(&mut self, n: u64) -> u64;
/// }
///
/// #[derive(Actor)]
/// struct CounterActor { total: u64 }
///
/// impl Counter for CounterActor {
///     async fn add(&mut self, n: u64) -> u64 {
///         self.total += n;
///         self.total
///     }
/// }
///
/// # async fn demo(stage: &domo_actors::Stage) {
/// let counter: CounterProxy = stage
///     .actor_for(domo_actors::Definition::new(|| CounterActor { total: 0 }))
///     .unwrap();
/// assert_eq!(counter.add(2).await, 2);
/// # }
/// ```
#[proc_macro_attribute]
pub fn actor_protocol(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::actor_protocol(args.into(), item.into()).into()
}

/// Implements `Actor` with every lifecycle hook left at its default.
///
/// Type parameters get `Send + 'static` bounds. Write `impl Actor for T { .. }` by hand instead
/// to override a hook (`before_start`, `after_stop`, ...).
///
/// Helper attribute: `#[actor(crate = path::to::domo_actors)]` when the runtime is re-exported
/// under another path (default `::domo_actors`), as for `#[actor_protocol(crate = ..)]`.
///
/// ```
/// use domo_actors::Actor;
///
/// #[derive(Actor)]
/// struct Greeter {
///     greeting: String,
/// }
/// ```
#[proc_macro_derive(Actor, attributes(actor))]
pub fn derive_actor(input: TokenStream) -> TokenStream {
    derive::derive_actor(input.into()).into()
}
