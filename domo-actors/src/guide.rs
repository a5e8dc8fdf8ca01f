//! Guides, one per concept: what to know about domo-actors, with small examples that run.
//!
//! Each guide is a page of `domo-actors/guide/` in the repository; here they are rendered as modules,
//! and every example in them is compiled and run as a doctest, so the guides cannot drift from
//! the API. Read them in this order:
//!
//! 1. [`protocols_and_proxies`]: the protocol trait, what `#[actor_protocol]` generates, tell and
//!    ask, failures, timeouts, execution contexts, and what does not compile.
//! 2. [`lifecycle`]: how an actor is built, started and stopped; parents and children; watching
//!    an actor's end; names; what an actor can reach of its runtime.
//! 3. [`supervision`]: what happens when a handler panics: supervisors, strategies, directives.
//! 4. [`mailboxes`]: unbounded and bounded mailboxes, overflow policies, the execution model.
//! 5. [`scheduler`]: running work later, once or repeatedly.
//! 6. [`streams`]: streams into and out of actors with back-pressure, and topics
//!    (publish/subscribe).
//! 7. [`testing`]: the testkit: waiting for actors instead of sleeping, dead letters, time.
//! 8. [`failures`]: what happens when something goes wrong, case by case: panics around
//!    handlers, stops and closes that cannot finish, a runtime that is gone.
//! 9. [`observability`]: what the runtime logs (targets, levels, fields, the actor's span and
//!    each message's),
//!    logging from an actor, what an application does about panics
//!    ([`install_panic_reporting`](crate::install_panic_reporting)), the metrics of the
//!    `metrics` feature, and a live view of the actors
//!    ([`Stage::introspect`](crate::Stage::introspect)).
//!
//! The modules are empty: they exist only to carry the guides.

#[doc = include_str!("../guide/protocols_and_proxies.md")]
pub mod protocols_and_proxies {}

#[doc = include_str!("../guide/lifecycle.md")]
pub mod lifecycle {}

#[doc = include_str!("../guide/supervision.md")]
pub mod supervision {}

#[doc = include_str!("../guide/mailboxes.md")]
pub mod mailboxes {}

#[doc = include_str!("../guide/scheduler.md")]
pub mod scheduler {}

#[doc = include_str!("../guide/streams.md")]
pub mod streams {}

#[doc = include_str!("../guide/testing.md")]
pub mod testing {}

#[doc = include_str!("../guide/failures.md")]
pub mod failures {}

#[doc = include_str!("../guide/observability.md")]
pub mod observability {}
