//! `install_panic_reporting`: a panic hook that leaves the panics of actors to the runtime's
//! `tracing` report, and every other panic to the hook that was installed before it.

use std::panic::PanicHookInfo;
use std::sync::Once;

use crate::base::error::panic_message;
use crate::base::logger::PANIC;
use crate::base::panic_site::{self, PanicSite};
use crate::runtime::environment;

/// Reports the panics of actors through `tracing` instead of the panic hook's raw message and
/// backtrace on standard error; leaves every other panic to the hook installed before.
///
/// The runtime contains every panic raised inside an actor (in a handler, a lifecycle hook, or
/// other user code it calls: an instantiator, a decider, a destructor) and reports it, whether
/// or not this is installed, with one `tracing` error event, target `domo_actors::panic`,
/// inside the actor's span (`actor{type=.. id=..}`), with the fields `actor` (its type),
/// `address`, `method` (the handler or hook) and `cause` (the panic message). What Rust's
/// default panic hook prints besides (`thread '..' panicked at ..`, and the backtrace hint) is
/// then noise, and it is not structured. With this installed, a panic inside an actor is
/// printed only by that event, which gains the fields `location` (`file:line:column`) and
/// `backtrace` (when `RUST_BACKTRACE` asks for one, as the default hook does).
///
/// Panics anywhere else (in `main`, another thread, a task an actor spawned with
/// `tokio::spawn`) go to the hook that was installed before this one, as before. So do the
/// panics of actors if the installed subscriber would not record the report (no subscriber,
/// or a filter that turns `domo_actors::panic` off), so that no panic goes unreported. A panic
/// that an actor's own code catches (`catch_unwind` inside a handler) never reaches the
/// runtime: with this installed, it is not printed either.
///
/// Call it once at startup, after installing a `tracing` subscriber (and after any panic hook
/// of your own, which it chains to). It installs its hook once per process: later calls do
/// nothing and return `false`. A hook set after it replaces it (`std::panic::set_hook`); chain
/// to it with `std::panic::take_hook` to keep it. With `panic = "abort"` there is nothing to
/// report: the process ends.
///
/// Costs nothing until something panics: the hook reads the current actor (a task-local) only
/// then, and the runtime reads where the panic happened only where it catches one.
///
/// ```
/// // At startup, after installing the subscriber (`tracing_subscriber::fmt().init()`, say):
/// domo_actors::install_panic_reporting();
/// assert!(!domo_actors::install_panic_reporting(), "installed once per process");
/// ```
///
/// See the [observability guide](crate::guide::observability).
pub fn install_panic_reporting() -> bool {
    static INSTALL: Once = Once::new();
    let mut installed = false;
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !leave_to_the_runtime(info) {
                previous(info);
            }
        }));
        installed = true;
    });
    installed
}

/// Whether the runtime will report this panic: it is an actor's (the runtime catches it where
/// it runs that actor's code, and reports it there), and the subscriber records the report.
/// If so, leaves where it happened for that report.
fn leave_to_the_runtime(info: &PanicHookInfo<'_>) -> bool {
    if !environment::in_actor() || !tracing::enabled!(target: PANIC, tracing::Level::ERROR) {
        return false;
    }
    panic_site::leave(PanicSite::new(
        panic_message(info.payload()),
        info.location().map(ToString::to_string),
    ));
    true
}
