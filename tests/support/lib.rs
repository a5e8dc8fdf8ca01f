//! Fixtures shared by the workspace's integration tests: protocols and actors that several test
//! files use.
//!
//! * [`Counter`] / [`CounterActor`]: the smallest useful actor, with unit, value and `Result`
//!   replies (proxy calls, stopped actors, stage close, directory, ...).
//! * [`Node`] / [`NodeActor`]: an actor that records its lifecycle hooks and messages into a
//!   shared [`Log`] and creates children of its own (lifecycle, hierarchy, stage close).
//!
//! Protocols used by a single test file live in that file.

use std::fmt;
use std::sync::{Arc, Mutex};

use domo_actors::{Actor, ActorError, Address, Definition, actor_protocol};

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
