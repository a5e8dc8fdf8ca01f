//! Reliability (issue 13): what happens *around* a handler when user code misbehaves or the
//! world goes away: panics outside handlers, a close that must always end, a stage that must
//! free everything it held, a runtime that is gone, misnamed supervisors, suspension.
//!
//! One test binary with a module per concern: each binary costs link time on two cores.

mod close_always_ends;
mod panics_outside_handlers;
mod runtime_gone;
mod smoke;
mod stage_memory;
mod supervisors;
