//! Calls into user code outside a handler whose panic must not escape: the destructors of
//! actor values, answers and message arguments, and the `Debug` renderings of arguments.
//!
//! A handler's panic is caught where it is called (see `promise.rs`) and handed to
//! supervision. These calls happen elsewhere: in the actor's task between messages (where a
//! panic would end the task and wedge the actor), in a sender's proxy call (where a message it
//! could not queue is dead-lettered and dropped), or while a stopping actor rejects what was
//! queued. A panic in them is logged (one error event, target `domo_actors::panic`) and goes
//! no further.

use std::panic::AssertUnwindSafe;

use crate::base::error::panic_message;
use crate::base::panic_site::panic_event;

/// Runs `f`, containing a panic: `Err` carries the panic message.
pub(crate) fn call_contained<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(&*payload))
}

/// Drops `value` (user code: its destructor), logging a panic instead of letting it unwind.
/// `what` names the value in the log.
pub(crate) fn drop_contained<T>(value: T, what: &str) {
    if let Err(cause) = call_contained(move || drop(value)) {
        panic_event!(&cause, { what, } "a destructor panicked");
    }
}
