//! Reliability (issue 13): what happens *around* a handler when user code misbehaves or the
//! world goes away: panics outside handlers, a close that must always end, a stage that must
//! free everything it held, a runtime that is gone, misnamed supervisors, suspension. And how
//! it is reported (issue 16): panics through `tracing`, structured runtime events.
//!
//! One test binary with a module per concern: each binary costs link time on two cores.

// A `tracing` layer that keeps events with their fields (needs `tracing-subscriber`, which the
// fixtures library cannot name).
#[path = "../support/capture.rs"]
mod capture;

mod close_always_ends;
#[cfg(feature = "metrics")]
mod example_prometheus;
mod message_spans;
#[cfg(feature = "metrics")]
mod metrics;
mod panic_reporting;
mod panics_outside_handlers;
mod runtime_gone;
mod smoke;
mod stage_memory;
mod structured_events;
mod supervisors;
