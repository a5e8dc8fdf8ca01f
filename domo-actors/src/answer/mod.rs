//! How an answer reaches its caller: the caller's promise, the answer slot a local ask waits
//! on, and the reply route an actor settles. Uses only `base/` and the ledger.

pub(crate) mod answer_slot;
pub(crate) mod promise;
pub(crate) mod reply_route;
