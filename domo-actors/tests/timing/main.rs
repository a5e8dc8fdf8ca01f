//! Time: request timeouts (a stage default, per call, an actor awaiting itself) and the
//! scheduler (timing, cancellation, a schedule whose target stops), on tokio's clock. One test
//! binary with a module per concern.

mod request_timeout;
mod request_timeout_self_ask;
mod scheduler_cancel;
mod scheduler_target;
mod scheduler_timing;
