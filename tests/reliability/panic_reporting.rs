//! Issue 16, part 3: `install_panic_reporting` reports a panic inside an actor as one `tracing`
//! error (actor, address, method, panic message, where it happened) instead of the panic hook's
//! raw output, and leaves every other panic to the hook installed before it.
//!
//! A panic hook is process-global: everything that installs or depends on it is in one test
//! function, the only one of this binary that touches the hook. The hook it installs first
//! (the "previous" hook) records the panics of this test, told apart by a marker in their
//! message, and passes every other panic on to the default hook, so that the other tests of
//! the binary running meanwhile are not affected.

use std::sync::{Arc, Mutex};

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use domo_actors_suite::{panicked, within};
use tracing::Level;

use crate::capture::{Capture, Captured};

/// What the panics of this test start with.
const MARK: &str = "panic-reporting test";

#[actor_protocol]
pub trait Fragile {
    /// Panics with `cause`.
    async fn explode(&mut self, cause: String) -> u32;
    /// Panics with `cause` in a task spawned with `tokio::spawn`; answers whether that task
    /// failed.
    async fn explode_elsewhere(&mut self, cause: String) -> bool;
}

/// Panics on request, and in its first `start` if given a cause for it.
struct FragileActor {
    panic_in_start: Arc<Mutex<Option<String>>>,
}

impl FragileActor {
    fn definition(panic_in_start: Option<String>) -> Definition<FragileActor> {
        let panic_in_start = Arc::new(Mutex::new(panic_in_start));
        Definition::new(move || FragileActor {
            panic_in_start: Arc::clone(&panic_in_start),
        })
    }
}

impl Actor for FragileActor {
    async fn start(&mut self) {
        // Taken: only the first instance panics, so that the restart that follows works.
        let cause = self.panic_in_start.lock().unwrap().take();
        if let Some(cause) = cause {
            panic!("{cause}");
        }
    }
}

impl Fragile for FragileActor {
    async fn explode(&mut self, cause: String) -> u32 {
        panic!("{cause}")
    }

    async fn explode_elsewhere(&mut self, cause: String) -> bool {
        tokio::spawn(async move { panic!("{cause}") })
            .await
            .is_err()
    }
}

/// The panics the previous hook saw (those of this test).
type Seen = Arc<Mutex<Vec<String>>>;

/// Installs the hook that `install_panic_reporting` will chain to.
fn install_previous_hook() -> Seen {
    let seen = Seen::default();
    let recorded = Arc::clone(&seen);
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied());
        match message {
            Some(message) if message.starts_with(MARK) => {
                recorded.lock().unwrap().push(message.to_owned());
            }
            _ => default(info),
        }
    }));
    seen
}

/// The panic reports captured whose cause is `cause`.
fn reports_of(capture: &Capture, cause: &str) -> Vec<Captured> {
    capture.matching(|event| {
        event.target == "domo_actors::panic" && event.field("cause") == Some(cause)
    })
}

#[tokio::test]
async fn panics_inside_actors_are_reported_once_and_the_others_go_to_the_previous_hook() {
    let seen = install_previous_hook();
    assert!(
        domo_actors::install_panic_reporting(),
        "the first call installs (no other test of this binary may call it)"
    );
    assert!(
        !domo_actors::install_panic_reporting(),
        "a second call installs nothing"
    );

    let (capture, guard) = Capture::install("info");
    let stage = Stage::new();

    // A handler's panic: one error event, with the actor, the method and the message.
    let fragile: FragileProxy = stage.actor_for(FragileActor::definition(None)).unwrap();
    let in_handler = format!("{MARK}: in a handler");
    let failed = within!(fragile.explode(in_handler.clone()).result());
    assert_eq!(panicked(&failed), Some(("explode", in_handler.as_str())));
    let reports = reports_of(&capture, &in_handler);
    assert_eq!(reports.len(), 1, "reported once: {reports:#?}");
    let report = &reports[0];
    assert_eq!(report.level, Level::ERROR);
    assert_eq!(report.message, "handler panicked");
    assert_eq!(report.field("actor"), Some(fragile.type_name()));
    assert_eq!(
        report.field("address"),
        Some(fragile.address().to_string().as_str())
    );
    assert_eq!(report.field("method"), Some("explode"));
    let location = report.field("location").expect("the hook says where");
    assert!(location.contains("panic_reporting.rs"), "{location}");
    let span = report.span("actor").expect("inside the actor's span");
    assert_eq!(span["type"], fragile.type_name());
    assert_eq!(span["id"], fragile.address().short().to_string());

    // A lifecycle hook's panic: the hook is the method.
    let in_start = format!("{MARK}: in start");
    let starting: FragileProxy = stage
        .actor_for(FragileActor::definition(Some(in_start.clone())))
        .unwrap();
    let in_handler_after_restart = format!("{MARK}: after the restart");
    let failed = within!(starting.explode(in_handler_after_restart.clone()).result());
    assert_eq!(
        panicked(&failed),
        Some(("explode", in_handler_after_restart.as_str())),
        "restarted after its start hook panicked, it handles the message"
    );
    let reports = reports_of(&capture, &in_start);
    assert_eq!(reports.len(), 1, "reported once: {reports:#?}");
    assert_eq!(reports[0].message, "lifecycle hook panicked");
    assert_eq!(reports[0].field("method"), Some("start"));
    assert_eq!(
        reports[0].field("address"),
        Some(starting.address().to_string().as_str())
    );

    // A panic in a task the actor spawned is not the actor's: the previous hook has it, and
    // the runtime reports nothing.
    let in_spawned_task = format!("{MARK}: in a task an actor spawned");
    assert!(within!(fragile.explode_elsewhere(in_spawned_task.clone())));
    assert!(reports_of(&capture, &in_spawned_task).is_empty());

    // Nor is a panic on another thread.
    let on_a_thread = format!("{MARK}: on another thread");
    let panicking = on_a_thread.clone();
    assert!(
        std::thread::spawn(move || panic!("{panicking}"))
            .join()
            .is_err()
    );

    // No other error than the reports of the actors' three panics.
    let errors = capture.matching(|event| event.level == Level::ERROR);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    drop(guard);

    // A subscriber that would drop the report: the actor's panic goes to the previous hook.
    let (filtered, _guard) = Capture::install("info,domo_actors::panic=off");
    let unrecorded = format!("{MARK}: not recorded by the subscriber");
    let failed = within!(fragile.explode(unrecorded.clone()).result());
    assert_eq!(panicked(&failed), Some(("explode", unrecorded.as_str())));
    assert!(reports_of(&filtered, &unrecorded).is_empty());

    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    let mut expected = vec![in_spawned_task, on_a_thread, unrecorded];
    expected.sort();
    assert_eq!(
        seen, expected,
        "the previous hook saw the panics outside actors, and only those of actors whose report \
         the subscriber would drop"
    );
    within!(stage.close());
}
