//! Typed, transparent-proxy actors for Rust: the DomoActors model on tokio.
//!
//! Annotate a trait with [`#[actor_protocol]`](actor_protocol), implement it on an actor, and
//! call the actor through its generated proxy as if it were a local object:
//!
//! ```
//! use domo_actors::{actor_protocol, Actor, Definition, Stage};
//!
//! #[actor_protocol]
//! pub trait Counter {
//!     async fn increment(&mut self);
//!     async fn add(&mut self, n: u64) -> u64;
//!     async fn value(&mut self) -> u64;
//! }
//!
//! #[derive(Actor)]
//! struct CounterActor {
//!     count: u64,
//! }
//!
//! impl Counter for CounterActor {
//!     async fn increment(&mut self) {
//!         self.count += 1;
//!     }
//!     async fn add(&mut self, n: u64) -> u64 {
//!         self.count += n;
//!         self.count
//!     }
//!     async fn value(&mut self) -> u64 {
//!         self.count
//!     }
//! }
//!
//! # #[tokio::main]
//! # async fn main() {
//! let stage = Stage::new();
//! let counter: CounterProxy = stage
//!     .actor_for(Definition::new(|| CounterActor { count: 0 }))
//!     .expect("the stage is open");
//!
//! counter.increment(); // tell: enqueued now, answer never awaited
//! assert_eq!(counter.add(2).await, 3); // ask: the promise resolves with the answer
//! assert_eq!(counter.value().await, 3);
//!
//! stage.close().await;
//! # }
//! ```
//!
//! # The path of a message
//!
//! ```text
//!  caller ── proxy.add(2) ──▶ mailbox (FIFO, one consumer) ──▶ dispatcher ──▶ actor.add(2)
//!    ▲                                                                          │
//!    └────────────────────── DeferredPromise<u64> ◀──── Reply::resolve(3) ◀────┘
//! ```
//!
//! * [`#[actor_protocol]`](actor_protocol) turns the trait into a call enum (`CounterCall`,
//!   arguments only), an answer enum (`CounterAnswer`), a proxy (`CounterProxy`) and a
//!   dispatcher; the proxy implements the trait too, so generic code over `impl Counter` takes
//!   either. An actor can speak several protocols ([`Protocols`]).
//! * A proxy method enqueues the message at the call and returns a [`DeferredPromise`]. Ignore
//!   it to send and forget; `.await` it for the answer; `.result().await` for a
//!   `Result<T, ActorError>` that never panics.
//! * An idle actor owns no task: a send to an idle mailbox schedules one actor task that
//!   delivers messages one at a time, in order, then goes idle again.
//!
//! # Failures
//!
//! Every promise settles. A message to a stopped actor fails with [`ActorError::Stopped`] and is
//! recorded in [`DeadLetters`]. A full bounded mailbox ([`MailboxConfig::bounded`]) applies its
//! [`OverflowPolicy`]: the message it drops or refuses is a dead letter too, and its promise
//! fails with [`ActorError::DroppedByOverflow`] or [`ActorError::MailboxFull`]. A handler that
//! panics fails only its own caller's promise, with
//! [`ActorError::HandlerPanicked`] naming the actor, the method and the panic message; the
//! actor's supervisor then decides (see [Supervision](#supervision)). Plain `.await` on a method
//! that returns
//! `Result<T, E>` with `E: From<ActorError>` yields `Err`; on other methods it panics in the
//! caller (use `.result()` to handle the failure). A handler that *returns* `Err` has not
//! failed: that is an answer, and the actor carries on untouched.
//!
//! # Supervision
//!
//! When a handler panics, the actor takes no more messages until its supervisor has decided
//! (DomoActors' model, after XOOM Actors). The supervisor is the one named in the actor's
//! `Definition` or `ActorOptions`, else one registered on the stage for the actor's type, else
//! its parent. Every actor can supervise: override [`Actor::supervision_strategy`] and give the
//! strategy a decider ([`SupervisionStrategy::deciding`]). The decider runs the moment an actor
//! fails, without a message to the supervisor, so a supervisor busy in a handler (even one
//! awaiting the very actor that failed) never holds the decision up.
//!
//! | directive | effect on the failed actor |
//! |---|---|
//! | [`Resume`](SupervisionDirective::Resume) | keeps its state; `before_resume`; next message |
//! | [`Restart`](SupervisionDirective::Restart) | `before_restart` (old), its children stopped, a fresh instance from the `Definition` through `before_start`, `start`, `after_restart`; same address, mailbox and proxies |
//! | [`Stop`](SupervisionDirective::Stop) | stops with its children; queued messages fail and become dead letters |
//! | [`Escalate`](SupervisionDirective::Escalate) | the supervisor's own supervisor decides |
//! | [`Suspend`](SupervisionDirective::Suspend) | keeps its state, delivers nothing until [resumed](ActorRef::resume) or stopped |
//!
//! More than `intensity` restarts within `period` turn a restart into a stop; scope
//! [`All`](SupervisionScope::All) applies the directive to the failed actor's siblings too.
//!
//! ```text
//! private root ── stops what reaches it
//!  └─ public root ── restarts forever: the default for top-level actors
//!      ├─ bank-supervisor        (supervisors are ordinary actors, found by name)
//!      └─ Bank                   (supervised by "bank-supervisor", named in its Definition)
//!          └─ Account            (supervised by its parent, Bank: restart, once per 5 s)
//! ```
//!
//! Unlike DomoActors-TS, which restarts the same instance, a restart here builds a fresh
//! instance from the `Definition`: state starts over, as Rust and Erlang users expect.
//!
//! # Features
//!
//! * `metrics` (off by default): counts and times messages, failures, supervision, stops, dead
//!   letters and promise timeouts through the [`metrics`](https://docs.rs/metrics) facade, for
//!   the exporter the application installs (Prometheus, StatsD, OpenTelemetry, ...). The names
//!   and labels are in the [observability guide](guide::observability#metrics). Without it the
//!   runtime has no metrics code.
//!
//! See `docs/ARCHITECTURE.md` in the repository for what the macro generates.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

// Generated code names runtime items as `::domo_actors::__private::...`; this lets the crate's
// own code and doctests use the macros too.
extern crate self as domo_actors;

// The map of the crate: one folder per layer, lower layers first. A layer uses only the layers
// above it in this list (`scripts/module-cycles.py` checks this; `runtime/mod.rs` explains the
// runtime's own circle).

// Guide: the long-form documentation, rendered by rustdoc.
pub mod guide;

// base/: values every layer shares: addresses, errors, logging, metrics, type names, locks.
mod base;

// contained.rs: runs user code (hooks, destructors) with its panics caught and logged.
mod contained;

// ledger.rs: sequence numbers that settle the promises of `()` calls (imports only errors).
mod ledger;

// answer/: how an answer reaches its caller: promises, answer slots, reply routes.
mod answer;

// protocol/: calls and messages as data (traits the generated code implements).
mod protocol;

// mailbox/: queues, batches, overflow, configuration and stats (the cell is a type parameter,
// which names what the mailbox carries for it).
mod mailbox;

// services/: dead letters and the scheduler, which need nothing of the runtime.
mod services;

// runtime/: actors, cells, actor tasks, the stage, supervision, proxies (one circle, explained
// in its `mod.rs`).
mod runtime;

// streams/: streams into and out of actors with back-pressure, and topics (publish/subscribe); above the
// runtime, which uses nothing of it.
mod streams;

// The macros.
pub use domo_actors_macros::{Actor, actor_protocol};

// base/
pub use base::address::{Address, ParseAddressError};
pub use base::error::{ActorError, HandlerFailure};
pub use base::logger::Logger;
pub use base::overflow_policy::OverflowPolicy;

// answer/
pub use answer::promise::{
    DeferredPromise, ErrOnFailure, OnFailure, PanicOnFailure, PromiseResult,
};
pub use answer::reply_route::{RemoteReply, ReplyRoute};

// protocol/
pub use protocol::call::{Call, Dispatch};
pub use protocol::message::{Deliver, Message};

// mailbox/
pub use mailbox::config::MailboxConfig;
pub use mailbox::stats::MailboxStats;

// services/
pub use services::cancellable::Cancellable;
pub use services::dead_letters::{
    DeadLetter, DeadLetterReason, DeadLetters, DeadLettersListener, ListenerId,
};
pub use services::scheduler::Scheduler;

// runtime/
pub use runtime::actor::Actor;
pub use runtime::actor_handle::ActorHandle;
pub use runtime::actor_options::ActorOptions;
pub use runtime::actor_ref::ActorRef;
pub use runtime::close_error::CloseError;
pub use runtime::definition::Definition;
pub use runtime::directory::{Directory, DirectoryConfig, DirectoryStats};
pub use runtime::environment::Environment;
pub use runtime::execution_context::ExecutionContext;
pub use runtime::introspection::actor_state::ActorState;
pub use runtime::introspection::snapshot::{ActorSnapshot, StageSnapshot};
pub use runtime::panic_reporting::install_panic_reporting;
pub use runtime::proxy::destination::Destination;
pub use runtime::proxy::protocol::{Protocol, Protocols};
pub use runtime::proxy::proxy_handle::ProxyHandle;
pub use runtime::proxy::request::Request;
pub use runtime::root_actors::{PRIVATE_ROOT_TYPE, PUBLIC_ROOT_TYPE};
pub use runtime::stage::Stage;
pub use runtime::supervision::directive::SupervisionDirective;
pub use runtime::supervision::strategy::{SupervisionScope, SupervisionStrategy};
pub use runtime::supervision::supervised::Supervised;
pub use runtime::watch::{Terminated, TerminationReason};

// streams/
pub use streams::actor_stream::{ActorStream, StreamOnFailure, StreamSink};
pub use streams::attach::{AttachedStream, DEFAULT_STREAM_WINDOW, StreamEnd, StreamInto};
pub use streams::stream_error::{Cancelled, StreamError, TrySendError};
pub use streams::subscription::SubscriptionId;
pub use streams::topic::Topic;
pub use streams::topic_stream::TopicStream;

/// Items used by code that `#[actor_protocol]` generates. Not public API: no stability promise.
#[doc(hidden)]
pub mod __private {
    pub use crate::base::representation::{DebugOrPlaceholder, Represent};
    pub use crate::runtime::proxy::protocol::{Requests2, Requests3, Requests4};
    pub use crate::{
        Actor, ActorError, ActorRef, Address, Call, DeferredPromise, Dispatch, ErrOnFailure,
        ExecutionContext, OnFailure, Protocol, ProxyHandle, StreamOnFailure,
    };
}
