//! What a protocol is made of, as data: a call (the generated call enum) and the message a
//! mailbox holds. Traits only; the proxies that make calls live in `runtime/proxy/`.

pub(crate) mod call;
pub(crate) mod message;
