//! The runtime: actors, their cells and tasks, references to them, the stage, supervision and
//! proxies.
//!
//! This folder is one node of the crate's module graph, and the one place where modules use
//! each other in a circle: an actor's cell holds its stage, the stage creates cells and their
//! tasks, the task sets the environment an actor reads, and the environment reaches the stage
//! and the actor's own cell again. Proxies hold cells and a stage makes proxies, so `proxy/` is
//! inside the circle too; and every value that names an actor (`ActorRef` in an
//! `ExecutionContext`, a `Supervised`, a `CloseError`, the directory) lives here because
//! `ActorRef` is the cell seen from outside. Everything outside this folder is used by it and
//! uses nothing of it (see `scripts/module-cycles.py`); the mailbox carries the execution
//! context and directives as its cell's associated types (`mailbox::Carries`).

pub(crate) mod actor;
pub(crate) mod actor_cell;
pub(crate) mod actor_handle;
pub(crate) mod actor_options;
pub(crate) mod actor_ref;
pub(crate) mod actor_task;
pub(crate) mod children;
pub(crate) mod close_error;
pub(crate) mod definition;
pub(crate) mod directory;
pub(crate) mod environment;
pub(crate) mod execution_context;
pub(crate) mod introspection;
pub(crate) mod linger;
pub(crate) mod names;
pub(crate) mod panic_reporting;
pub(crate) mod proxy;
pub(crate) mod root_actors;
pub(crate) mod runners;
pub(crate) mod stage;
pub(crate) mod supervision;
pub(crate) mod watch;
