//! Where the last panic inside an actor happened, from the panic hook to the place that catches
//! the panic and reports it; and the macro of that report.
//!
//! A panic hook runs where the panic starts, before it unwinds, and knows where it happened
//! (file and line, a backtrace) but not what the runtime was doing (the method being handled is
//! held by the actor task, not readable from a hook). The place that catches it knows the
//! method but not the site. So the hook that [`install_panic_reporting`] installs leaves the
//! site here, in a thread-local (a panic is caught on the thread where it started), and the
//! runtime's report of the panic, one `tracing` error per panic wherever the runtime catches
//! it, takes it from here. Nothing of this runs unless something panics.
//!
//! [`install_panic_reporting`]: crate::install_panic_reporting

use std::backtrace::{Backtrace, BacktraceStatus};
use std::cell::RefCell;

/// Where a panic happened, as its hook saw it.
pub(crate) struct PanicSite {
    /// The panic's message (as `panic_message` renders the payload): matched against the
    /// payload the catching code holds, so that a stale site (of a panic that code inside the
    /// actor caught itself) is never reported with another panic.
    cause: String,
    /// `file:line:column`.
    location: Option<String>,
    /// Captured only if `RUST_BACKTRACE` (or `RUST_LIB_BACKTRACE`) asks for one, and as short
    /// as the default hook prints it unless `RUST_BACKTRACE=full`.
    backtrace: Option<String>,
}

impl PanicSite {
    /// The site of the panic a hook is looking at.
    pub(crate) fn new(cause: String, location: Option<String>) -> Self {
        let backtrace = Backtrace::capture();
        let backtrace = (backtrace.status() == BacktraceStatus::Captured).then(|| {
            let full = backtrace.to_string();
            if std::env::var_os("RUST_BACKTRACE").is_some_and(|value| value == "full") {
                full
            } else {
                short_backtrace(&full)
            }
        });
        Self {
            cause,
            location,
            backtrace,
        }
    }

    /// The panic's message.
    pub(crate) fn cause(&self) -> &str {
        &self.cause
    }

    /// `file:line:column`, if the hook knew it.
    pub(crate) fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// The backtrace, if one was asked for.
    pub(crate) fn backtrace(&self) -> Option<&str> {
        self.backtrace.as_deref()
    }
}

/// The frames of a rendered backtrace that the default hook's short form keeps: those between
/// the standard library's markers, so not the panic machinery and the hook above the panicking
/// code (nor the thread's start below it). The whole text if the markers are not there.
fn short_backtrace(full: &str) -> String {
    let lines: Vec<&str> = full.lines().collect();
    let is_location = |line: &str| line.trim_start().starts_with("at ");
    let start = lines
        .iter()
        .position(|line| line.contains("__rust_end_short_backtrace"))
        .map_or(0, |marker| {
            marker
                + 1
                + lines[marker + 1..]
                    .iter()
                    .take_while(|line| is_location(line))
                    .count()
        });
    let end = lines[start..]
        .iter()
        .position(|line| line.contains("__rust_begin_short_backtrace"))
        .map_or(lines.len(), |marker| start + marker);
    lines[start..end].join("\n")
}

thread_local! {
    static LAST: RefCell<Option<PanicSite>> = const { RefCell::new(None) };
}

/// Leaves `site` for the code that will catch the panic (called by the panic hook).
pub(crate) fn leave(site: PanicSite) {
    let _ = LAST.try_with(|last| {
        if let Ok(mut last) = last.try_borrow_mut() {
            *last = Some(site);
        }
    });
}

/// Takes the site of the panic whose message is `cause`, if the hook left it on this thread.
/// Clears what was left either way.
pub(crate) fn take(cause: &str) -> Option<PanicSite> {
    take_any().filter(|site| site.cause == cause)
}

/// Takes the site of the last panic the hook saw on this thread, whatever it was (for a panic
/// that escaped, whose payload the runtime never holds).
pub(crate) fn take_any() -> Option<PanicSite> {
    LAST.try_with(|last| last.try_borrow_mut().ok().and_then(|mut last| last.take()))
        .ok()
        .flatten()
}

/// Reports a panic the runtime contained: one error event, target `domo_actors::panic`, with
/// the given fields (each followed by a comma), then `cause` (the panic message), and the
/// `location` and `backtrace` the panic hook left, if any. `in logger,` emits it inside that
/// logger's span (see `actor_event!`).
macro_rules! panic_event {
    (in $logger:expr, $cause:expr, { $($field:tt)* } $message:literal) => {
        $logger.span().in_scope(|| $crate::base::panic_site::panic_event!($cause, { $($field)* } $message))
    };
    ($cause:expr, { $($field:tt)* } $message:literal) => {{
        let cause: &str = $cause;
        let site = $crate::base::panic_site::take(cause);
        ::tracing::error!(
            target: $crate::base::logger::PANIC,
            $($field)*
            cause = %cause,
            location = site.as_ref().and_then(|site| site.location()),
            backtrace = site.as_ref().and_then(|site| site.backtrace()).map(::tracing::field::display),
            $message
        )
    }};
}
pub(crate) use panic_event;

#[cfg(test)]
mod tests {
    use super::{PanicSite, leave, short_backtrace, take, take_any};

    #[test]
    fn a_short_backtrace_keeps_the_frames_between_the_markers() {
        let full = "   0: hook\n             at src/hook.rs:1:1\n   \
                    1: std::sys::backtrace::__rust_end_short_backtrace\n             at std.rs:1:1\n   \
                    2: core::panicking::panic_fmt\n             at core.rs:1:1\n   \
                    3: app::handler\n             at src/app.rs:7:5\n   \
                    4: std::sys::backtrace::__rust_begin_short_backtrace\n             at std.rs:2:2\n   \
                    5: thread_start";
        assert_eq!(
            short_backtrace(full),
            "   2: core::panicking::panic_fmt\n             at core.rs:1:1\n   \
             3: app::handler\n             at src/app.rs:7:5"
        );
        assert_eq!(short_backtrace("   0: no markers"), "   0: no markers");
    }

    #[test]
    fn a_site_is_taken_once_and_only_for_its_own_panic() {
        leave(PanicSite::new("boom".into(), Some("src/a.rs:1:2".into())));
        let site = take("boom").expect("left for this panic");
        assert_eq!(site.location(), Some("src/a.rs:1:2"));
        assert!(take("boom").is_none(), "taken once");

        leave(PanicSite::new("caught by the actor itself".into(), None));
        assert!(
            take("another panic").is_none(),
            "a stale site is not reported"
        );
        assert!(take_any().is_none(), "and it is cleared");
    }
}
