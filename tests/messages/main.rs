//! Messages: proxy calls, FIFO order, concurrent asks, `()` replies, handler panics, and a busy
//! actor yielding its worker. One test binary with a module per concern.

mod busy_actor_yields;
mod concurrent_asks;
mod fifo_order;
mod handler_panic;
mod proxy_calls;
mod unit_replies;
