//! Services a stage offers that need nothing of the runtime: dead letters and the scheduler.

pub(crate) mod cancellable;
pub(crate) mod dead_letters;
pub(crate) mod recent_dead_letters;
pub(crate) mod scheduler;
