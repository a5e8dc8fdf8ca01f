//! Messages: proxy calls, FIFO order, concurrent asks, `()` replies, handler panics, a busy
//! actor yielding its worker, actors with several protocols, and reply routes that are not
//! local promises. One test binary with a module per concern.

mod busy_actor_yields;
mod concurrent_asks;
mod example_chat_room;
mod example_price_ticker;
mod fifo_order;
mod handler_panic;
mod proxy_calls;
mod reply_routes;
mod several_protocols;
mod stream_into;
mod stream_out;
mod topics;
mod unit_replies;
