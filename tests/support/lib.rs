//! Fixtures shared by the workspace's integration tests: protocols and actors that several test
//! files use.
//!
//! * [`Counter`] / [`CounterActor`]: the smallest useful actor, with unit, value and `Result`
//!   replies (proxy calls, stopped actors, stage close, directory, ...).
//! * [`Node`] / [`NodeActor`]: an actor that records its lifecycle hooks and messages into a
//!   shared [`Log`] and creates children of its own (lifecycle, hierarchy, stage close).
//! * [`Worker`] / [`WorkerActor`]: an actor with state that panics on request and records its
//!   hooks (with the failure reason and its instance number), and [`Supervisor`] /
//!   [`ScriptedSupervisor`]: a supervisor actor that answers one directive and records what it
//!   was asked (the `supervision_*` tests).
//! * [`scene::Scene`]: a `ScriptedSupervisor` and a `WorkerActor` it supervises, built by one
//!   builder (the supervision scenes of the `supervision` and `reliability` tests).
//! * [`panicked`]: whether an `ActorError` reports a panic, and which method's, with what cause.
//! * [`within!`] and [`assert_still_pending!`]: bounded waits, so that a runtime bug shows as a
//!   failed test instead of a hung suite.
//!
//! Protocols used by a single test file live in that file.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domo_actors::{
    Actor, ActorError, Address, Definition, Supervised, SupervisionDirective, SupervisionStrategy,
    actor_protocol,
};

pub mod scene;

// The panic helper is shared with the runtime crate's test binaries, which cannot depend on this
// package: one file, included by both.
#[path = "../../domo-actors/tests/support/panics.rs"]
mod panics;
pub use panics::{CallOutcome, panicked};

// ------------------------------------------------------------------------------------------------
// Counter
// ------------------------------------------------------------------------------------------------

/// A counter: the protocol most tests talk to.
#[actor_protocol]
pub trait Counter {
    /// Adds one (unit reply: usually sent as a tell).
    async fn increment(&mut self);
    /// Adds `n` and answers the new total.
    async fn add(&mut self, n: u64) -> u64;
    /// Answers the current total.
    async fn value(&self) -> u64;
    /// Takes `n` from the total and answers what is left, or fails with
    /// [`CounterError::Insufficient`] when the total is smaller than `n`.
    async fn try_take(&mut self, n: u64) -> Result<u64, CounterError>;
}

/// The error of [`Counter::try_take`]: a domain failure, or a delivery failure of the runtime
/// (which `From<ActorError>` lets plain `.await` return as `Err`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CounterError {
    /// The total was smaller than the amount requested.
    Insufficient {
        /// The total at the time of the request.
        available: u64,
        /// The amount requested.
        requested: u64,
    },
    /// The runtime could not deliver the message, or the handler panicked.
    Actor(ActorError),
}

impl From<ActorError> for CounterError {
    fn from(error: ActorError) -> Self {
        CounterError::Actor(error)
    }
}

impl fmt::Display for CounterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CounterError::Insufficient {
                available,
                requested,
            } => write!(f, "cannot take {requested}, only {available} available"),
            CounterError::Actor(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for CounterError {}

/// The actor behind [`CounterProxy`]: a plain `u64`.
#[derive(Actor, Debug, Default)]
pub struct CounterActor {
    /// The current total.
    pub count: u64,
}

impl CounterActor {
    /// A definition of a counter starting at zero.
    pub fn definition() -> Definition<CounterActor> {
        Definition::new(CounterActor::default)
    }
}

impl Counter for CounterActor {
    async fn increment(&mut self) {
        self.count += 1;
    }

    async fn add(&mut self, n: u64) -> u64 {
        self.count += n;
        self.count
    }

    async fn value(&self) -> u64 {
        self.count
    }

    async fn try_take(&mut self, n: u64) -> Result<u64, CounterError> {
        if n > self.count {
            return Err(CounterError::Insufficient {
                available: self.count,
                requested: n,
            });
        }
        self.count -= n;
        Ok(self.count)
    }
}

// ------------------------------------------------------------------------------------------------
// Log
// ------------------------------------------------------------------------------------------------

/// A shared, ordered record of what actors did, written from inside their tasks and read by the
/// test. It is handed to actors through their `Definition`'s closure.
pub type Log = Arc<Mutex<Vec<String>>>;

/// A new, empty [`Log`].
pub fn new_log() -> Log {
    Log::default()
}

/// Appends `entry` to `log`.
pub fn record(log: &Log, entry: impl Into<String>) {
    log.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .push(entry.into());
}

/// A copy of the entries of `log`, in the order they were recorded.
pub fn entries(log: &Log) -> Vec<String> {
    log.lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

/// The `before_stop` and `after_stop` entries of `log`, in order: the stop sequence of a
/// hierarchy of [`NodeActor`]s.
pub fn stop_hooks(log: &Log) -> Vec<String> {
    entries(log)
        .into_iter()
        .filter(|entry| entry.ends_with(":before_stop") || entry.ends_with(":after_stop"))
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Node
// ------------------------------------------------------------------------------------------------

/// A named actor in a hierarchy: records its lifecycle and its messages into a [`Log`] as
/// `"<name>:<what>"`, and creates children that share the log.
#[actor_protocol]
pub trait Node {
    /// Records `"<name>:<text>"`.
    async fn note(&mut self, text: String);
    /// Creates a child node named `name` (a child of this actor) and answers its proxy.
    async fn create_child(&mut self, name: String) -> NodeProxy;
    /// The addresses of this actor's live children, in creation order (`Actor::children`).
    async fn child_addresses(&self) -> Vec<Address>;
    /// The address of this actor's parent (`Actor::parent`).
    async fn parent_address(&self) -> Option<Address>;
}

/// The actor behind [`NodeProxy`]. Each hook records `"<name>:<hook>"` (`before_start`, `start`,
/// `before_stop`, `after_stop`).
#[derive(Debug)]
pub struct NodeActor {
    name: String,
    log: Log,
}

impl NodeActor {
    /// A definition of a node named `name` that records into `log`.
    pub fn definition(name: impl Into<String>, log: &Log) -> Definition<NodeActor> {
        let name = name.into();
        let log = log.clone();
        Definition::new(move || NodeActor {
            name: name.clone(),
            log: log.clone(),
        })
    }

    fn record(&self, what: &str) {
        record(&self.log, format!("{}:{what}", self.name));
    }
}

impl Actor for NodeActor {
    async fn before_start(&mut self) {
        self.record("before_start");
    }

    async fn start(&mut self) {
        self.record("start");
    }

    async fn before_stop(&mut self) {
        self.record("before_stop");
    }

    async fn after_stop(&mut self) {
        self.record("after_stop");
    }
}

impl Node for NodeActor {
    async fn note(&mut self, text: String) {
        self.record(&text);
    }

    async fn create_child(&mut self, name: String) -> NodeProxy {
        self.child_actor_for::<NodeProxy, _>(NodeActor::definition(name, &self.log))
            .expect("a running actor can create children")
    }

    async fn child_addresses(&self) -> Vec<Address> {
        self.children()
            .iter()
            .map(|child| child.address())
            .collect()
    }

    async fn parent_address(&self) -> Option<Address> {
        self.parent().map(|parent| parent.address())
    }
}

// ------------------------------------------------------------------------------------------------
// Supervision: Worker and ScriptedSupervisor
// ------------------------------------------------------------------------------------------------

/// The text of a failure as the supervision fixtures record it: `"<method>: <cause>"` for a
/// panic (`"fail: boom"`), the error's `Display` otherwise.
pub fn reason_text(error: &ActorError) -> String {
    match panicked(error) {
        Some((method, cause)) => format!("{method}: {cause}"),
        None => error.to_string(),
    }
}

/// An actor with state that fails on request: the subject of the supervision tests.
#[actor_protocol]
pub trait Worker {
    /// Adds `n` to the total and answers it; records `"<name>#<i>:add(<n>)"`.
    async fn add(&mut self, n: u64) -> u64;
    /// Answers the total (not recorded).
    async fn value(&self) -> u64;
    /// Records `"<name>#<i>:fail(<reason>)"`, then panics with `reason`.
    async fn fail(&mut self, reason: String);
    /// Appends `n` to the instance's notes (not recorded in the log): for ordering checks.
    async fn note(&mut self, n: u64);
    /// The notes of this instance, in arrival order.
    async fn notes(&self) -> Vec<u64>;
    /// Which instance is running: 1 for the first one built from the definition, 2 for the
    /// next (after a restart), ...
    async fn instance(&self) -> u64;
    /// Creates a child worker named `name` (sharing the log; supervised by this worker, its
    /// parent, which keeps the default supervision) and answers its proxy.
    async fn create_child(&mut self, name: String) -> WorkerProxy;
}

/// The actor behind [`WorkerProxy`]. Every instance built from one definition gets the next
/// instance number `i`, and records into the shared [`Log`]:
///
/// * `"<name>#<i>:<hook>"` for `before_start`, `start`, `before_stop`, `after_stop`;
/// * `"<name>#<i>:<hook>(<reason>)"` for `before_restart`, `after_restart`, `before_resume`,
///   with the reason as [`reason_text`] renders it;
/// * `add` and `fail` messages (see [`Worker`]).
///
/// It keeps the default supervision strategy (restart, intensity 1 per 5 s) for the actors
/// it supervises. A hook listed in its `panicking_hooks` panics with `"<hook> failed"` after
/// recording itself.
#[derive(Debug)]
pub struct WorkerActor {
    name: String,
    instance: u64,
    log: Log,
    panicking_hooks: &'static [&'static str],
    total: u64,
    notes: Vec<u64>,
}

impl WorkerActor {
    /// A definition of a worker named `name` that records into `log`.
    pub fn definition(name: impl Into<String>, log: &Log) -> Definition<WorkerActor> {
        Self::panicking_in(name, log, &[])
    }

    /// A definition of a worker whose `panicking_hooks` (`"before_start"`, `"after_restart"`,
    /// ...) panic, in every instance.
    pub fn panicking_in(
        name: impl Into<String>,
        log: &Log,
        panicking_hooks: &'static [&'static str],
    ) -> Definition<WorkerActor> {
        let name = name.into();
        let log = log.clone();
        let instances = Arc::new(std::sync::atomic::AtomicU64::new(0));
        Definition::new(move || WorkerActor {
            name: name.clone(),
            instance: instances.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1,
            log: log.clone(),
            panicking_hooks,
            total: 0,
            notes: Vec::new(),
        })
    }

    fn record(&self, what: &str) {
        record(&self.log, format!("{}#{}:{what}", self.name, self.instance));
    }

    fn hook(&self, hook: &str, reason: Option<&ActorError>) {
        match reason {
            Some(reason) => self.record(&format!("{hook}({})", reason_text(reason))),
            None => self.record(hook),
        }
        if self.panicking_hooks.contains(&hook) {
            panic!("{hook} failed");
        }
    }
}

impl Actor for WorkerActor {
    async fn before_start(&mut self) {
        self.hook("before_start", None);
    }

    async fn start(&mut self) {
        self.hook("start", None);
    }

    async fn before_stop(&mut self) {
        self.hook("before_stop", None);
    }

    async fn after_stop(&mut self) {
        self.hook("after_stop", None);
    }

    async fn before_restart(&mut self, reason: &ActorError) {
        self.hook("before_restart", Some(reason));
    }

    async fn after_restart(&mut self, reason: &ActorError) {
        self.hook("after_restart", Some(reason));
    }

    async fn before_resume(&mut self, reason: &ActorError) {
        self.hook("before_resume", Some(reason));
    }
}

impl Worker for WorkerActor {
    async fn add(&mut self, n: u64) -> u64 {
        self.record(&format!("add({n})"));
        self.total += n;
        self.total
    }

    async fn value(&self) -> u64 {
        self.total
    }

    async fn fail(&mut self, reason: String) {
        self.record(&format!("fail({reason})"));
        panic!("{reason}");
    }

    async fn note(&mut self, n: u64) {
        self.notes.push(n);
    }

    async fn notes(&self) -> Vec<u64> {
        self.notes.clone()
    }

    async fn instance(&self) -> u64 {
        self.instance
    }

    async fn create_child(&mut self, name: String) -> WorkerProxy {
        self.child_actor_for::<WorkerProxy, _>(WorkerActor::definition(name, &self.log))
            .expect("a running actor can create children")
    }
}

impl WorkerProxy {
    /// The error `fail(cause)` answers: `ActorError::HandlerPanicked` naming this worker (its
    /// address, type `Worker`), the method `fail` and `cause`.
    pub fn fail_error(&self, cause: &str) -> ActorError {
        ActorError::HandlerPanicked {
            address: self.address(),
            type_name: Arc::from("Worker"),
            method: "fail",
            cause: cause.to_owned(),
        }
    }

    /// The error a call to `method` answers once this worker has stopped:
    /// `ActorError::Stopped` naming this worker (its address, type `Worker`) and `method`.
    pub fn stopped_error(&self, method: &'static str) -> ActorError {
        ActorError::Stopped {
            address: self.address(),
            type_name: Arc::from("Worker"),
            method,
        }
    }
}

/// The protocol of supervisor actors: empty, since a supervisor is only ever told about
/// failures (the runtime asks the strategy it gave, `Actor::supervision_strategy`).
#[actor_protocol]
pub trait Supervisor {}

/// A supervisor actor that answers every failure with one directive, under one strategy, and
/// records what it saw into the shared [`Log`]:
///
/// * `"<name>:decide(<reason>)"` for each failure it is asked about, with the reason as
///   [`reason_text`] renders it (`"sup:decide(fail: boom)"`);
/// * `"<name>:<hook>"` for its own `before_restart`, `after_restart`, `before_resume`,
///   `before_stop`, `after_stop` (so a test can check that a directive did *not* apply to it).
///
/// Its definition has type name `name`, so actors find it with `with_supervisor(name)`.
#[derive(Debug)]
pub struct ScriptedSupervisor {
    name: String,
    log: Log,
    directive: SupervisionDirective,
    strategy: SupervisionStrategy,
}

impl ScriptedSupervisor {
    /// A supervisor named (and typed) `name` that answers `directive` under the default
    /// strategy (intensity 1, period 5 s, scope one).
    pub fn definition(
        name: impl Into<String>,
        log: &Log,
        directive: SupervisionDirective,
    ) -> Definition<ScriptedSupervisor> {
        Self::with_strategy(name, log, directive, SupervisionStrategy::default())
    }

    /// A supervisor named (and typed) `name` that answers `directive` under `strategy`.
    pub fn with_strategy(
        name: impl Into<String>,
        log: &Log,
        directive: SupervisionDirective,
        strategy: SupervisionStrategy,
    ) -> Definition<ScriptedSupervisor> {
        let name = name.into();
        let log = log.clone();
        let type_name = name.clone();
        Definition::new(move || ScriptedSupervisor {
            name: name.clone(),
            log: log.clone(),
            directive,
            strategy: strategy.clone(),
        })
        .with_type(type_name)
    }

    fn record(&self, what: &str) {
        record(&self.log, format!("{}:{what}", self.name));
    }
}

impl Actor for ScriptedSupervisor {
    async fn before_stop(&mut self) {
        self.record("before_stop");
    }

    async fn after_stop(&mut self) {
        self.record("after_stop");
    }

    async fn before_restart(&mut self, _reason: &ActorError) {
        self.record("before_restart");
    }

    async fn after_restart(&mut self, _reason: &ActorError) {
        self.record("after_restart");
    }

    async fn before_resume(&mut self, _reason: &ActorError) {
        self.record("before_resume");
    }

    fn supervision_strategy(&self) -> SupervisionStrategy {
        let (log, name, directive) = (self.log.clone(), self.name.clone(), self.directive);
        self.strategy
            .clone()
            .deciding(move |supervised: &Supervised| {
                record(
                    &log,
                    format!("{name}:decide({})", reason_text(supervised.error())),
                );
                directive
            })
    }
}

impl Supervisor for ScriptedSupervisor {}

/// The `":decide("` entries of `log`, in order: which supervisors were asked, about what.
pub fn decisions(log: &Log) -> Vec<String> {
    entries(log)
        .into_iter()
        .filter(|entry| entry.contains(":decide("))
        .collect()
}

/// The entries of `log` that start with `"<prefix>"` (such as `"w#"` or `"sup:"`), in order.
pub fn entries_of(log: &Log, prefix: &str) -> Vec<String> {
    entries(log)
        .into_iter()
        .filter(|entry| entry.starts_with(prefix))
        .collect()
}

// ------------------------------------------------------------------------------------------------
// Bounded waits
// ------------------------------------------------------------------------------------------------

/// How long [`within!`] waits, on tokio's clock, before it fails the test.
pub const GUARD: Duration = Duration::from_secs(10);

/// Awaits a future (or a promise, or anything `IntoFuture`), failing the test with the
/// expression's text if it has not finished within [`GUARD`] (tokio's clock: under a paused
/// clock a hang fails at once, since tokio advances time when no task can run).
///
/// A macro rather than a function so that the failure names the awaited expression. It expands
/// to `::tokio::time::timeout`, so it works in the test crates (which have tokio), not here.
#[macro_export]
macro_rules! within {
    ($future:expr) => {
        match ::tokio::time::timeout($crate::GUARD, $future).await {
            Ok(output) => output,
            Err(_) => panic!(
                "hung: `{}` did not finish within {:?}",
                stringify!($future),
                $crate::GUARD
            ),
        }
    };
}

/// Asserts that a pinned future (`std::pin::pin!(promise.result())`, passed as
/// `future.as_mut()`) is still pending after one second of tokio's time.
///
/// Meant for tests with a paused clock (`#[tokio::test(start_paused = true)]`): there tokio
/// advances time only when no task can run, so the second passes exactly when every actor has
/// done all it could, and the check is deterministic and instant. The future can be awaited
/// afterwards.
#[macro_export]
macro_rules! assert_still_pending {
    ($future:expr) => {
        assert!(
            ::tokio::time::timeout(::std::time::Duration::from_secs(1), $future)
                .await
                .is_err(),
            "`{}` should still be pending",
            stringify!($future)
        )
    };
}
