//! Actors as a whole: lifecycle and hooks, hierarchy, stopping and what happens to queued
//! messages, stage close and values, the directory, addresses, lingering tasks, runners, execution
//! contexts, watching an actor's end, names, introspection. One test binary with a module per
//! concern.

mod address;
mod directory;
mod directory_concurrent;
mod example_dashboard;
mod execution_context;
mod hierarchy;
mod hierarchy_stop_depth;
mod introspection;
mod lifecycle;
mod lingering;
mod names;
mod runners;
mod self_send;
mod stage_close;
mod stage_values;
mod stopped_actor;
mod watch;
