//! Proxies and where they send: `ProxyHandle`, the `Request` a proxy queues, a `Destination`
//! other than a local cell, the `Protocol`/`Protocols` traits of generated proxies, and the
//! scheduler's methods that take a proxy.
//!
//! Proxies and the rest of the runtime use each other (a stage makes proxies, a proxy holds a
//! cell), so this folder is part of the runtime's circle (see `runtime/mod.rs`).

pub(crate) mod destination;
pub(crate) mod protocol;
pub(crate) mod proxy_handle;
pub(crate) mod request;
mod schedule_to;
