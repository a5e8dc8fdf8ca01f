//! Panics inside lifecycle hooks, as the runtime handles them: a panic in `before_start` or
//! `start` is a failure handed to the actor's supervisor (which sees the hook as the method); a
//! panic in `before_stop`, `after_stop`, `before_restart`, `after_restart` or `before_resume` is
//! logged (one error event with the hook as the method and the panic message as the cause) and the lifecycle goes on, without supervision. On
//! the restart path the fresh instance's `before_start` and `start` are only logged too: a
//! restart does not restart itself.
//!
//! The tests run on the current-thread runtime, so the actors' tasks run on the test's thread
//! and a thread-local `tracing` subscriber captures their logs.

use std::io;
use std::sync::{Arc, Mutex};

use domo_actors::{ActorError, Stage, SupervisionDirective};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{decisions, entries, entries_of, within};
use tracing::subscriber::DefaultGuard;
use tracing_subscriber::fmt::MakeWriter;

/// Log output captured from a thread-local subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Installs a subscriber writing into a new capture, for this thread, until the guard drops.
    fn install() -> (Captured, DefaultGuard) {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(captured.clone())
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO)
            .finish();
        let guard = tracing::subscriber::set_default(subscriber);
        // Tests on other threads install subscribers of their own at the same moment; a
        // callsite first reached while none of them enabled it can keep a cached "never"
        // (seen once under load: the log line missing). Recompute the interest with this one.
        tracing::callsite::rebuild_interest_cache();
        (captured, guard)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Asserts that the runtime reported the panic of `hook` with `cause`: one error event
    /// (target `domo_actors::panic`) with the hook as the method.
    fn assert_hook_panicked(&self, hook: &str, cause: &str) {
        let text = self.text();
        let method = format!("method=\"{hook}\"");
        let cause = format!("cause={cause}");
        let reports = text
            .lines()
            .filter(|line| {
                line.contains("ERROR")
                    && line.contains("domo_actors::panic: lifecycle hook panicked")
                    && line.contains(&method)
                    && line.contains(&cause)
            })
            .count();
        assert_eq!(reports, 1, "{method} {cause} not reported once in:\n{text}");
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A supervisor `sup` answering `directive` (forever), and a worker `w` it supervises whose
/// `hooks` panic.
fn supervised_worker(
    stage: &Stage,
    directive: SupervisionDirective,
    hooks: &'static [&'static str],
) -> Scene {
    Scene::builder()
        .directive(directive)
        .forever()
        .panicking_in(hooks)
        .build(stage)
}

#[tokio::test]
async fn a_panic_in_before_start_goes_to_the_supervisor() {
    let (captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Resume, &["before_start"]);

    assert_eq!(within!(worker.add(1)), 1, "resumed: the actor goes on");
    assert_eq!(
        entries(&log),
        [
            "w#1:before_start",
            "sup:decide(before_start: before_start failed)",
            "w#1:before_resume(before_start: before_start failed)",
            "w#1:start",
            "w#1:add(1)",
        ]
    );
    captured.assert_hook_panicked("before_start", "before_start failed");
    within!(stage.close());
}

#[tokio::test]
async fn a_panic_in_start_goes_to_the_supervisor() {
    let (captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Resume, &["start"]);

    assert_eq!(within!(worker.add(1)), 1);
    assert_eq!(
        entries(&log),
        [
            "w#1:before_start",
            "w#1:start",
            "sup:decide(start: start failed)",
            "w#1:before_resume(start: start failed)",
            "w#1:add(1)",
        ]
    );
    captured.assert_hook_panicked("start", "start failed");
    within!(stage.close());
}

#[tokio::test]
async fn the_supervisor_sees_the_hook_as_the_method() {
    let (_captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } = supervised_worker(
        &stage,
        SupervisionDirective::Resume,
        &["before_start", "start"],
    );
    within!(worker.value());
    assert_eq!(
        decisions(&log),
        [
            "sup:decide(before_start: before_start failed)",
            "sup:decide(start: start failed)"
        ]
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_start_failure_restarted_by_the_supervisor_gives_a_fresh_instance() {
    let (_captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Restart, &["start"]);

    assert_eq!(within!(worker.add(1)), 1);
    assert_eq!(within!(worker.instance()), 2);
    assert_eq!(decisions(&log), ["sup:decide(start: start failed)"]);
    assert_eq!(
        entries_of(&log, "w#2:after_restart"),
        ["w#2:after_restart(start: start failed)"]
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_start_failure_stopped_by_the_supervisor_fails_the_queued_messages() {
    let (_captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Stop, &["before_start"]);
    // Sent before the actor's task ran its start hooks.
    let queued = worker.add(1);

    assert!(matches!(
        within!(queued.result()),
        Err(ActorError::Stopped { method: "add", .. })
    ));
    assert_eq!(within!(worker.stop().result()), Ok(()));
    assert_eq!(
        entries(&log),
        [
            "w#1:before_start",
            "sup:decide(before_start: before_start failed)",
            "w#1:before_stop",
            "w#1:after_stop",
        ],
        "stopped before start, and before any message"
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_panic_in_before_stop_is_logged_and_the_stop_goes_on() {
    let (captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Resume, &["before_stop"]);
    let child = within!(worker.create_child("c".into()));
    assert_eq!(within!(child.add(1)), 1);

    assert_eq!(within!(worker.stop().result()), Ok(()));
    assert!(worker.is_stopped() && child.is_stopped());
    assert!(stage.directory().get(&worker.address()).is_none());
    assert_eq!(
        entries_of(&log, "")
            .into_iter()
            .filter(|e| e.contains("stop"))
            .collect::<Vec<_>>(),
        [
            "w#1:before_stop",
            "c#1:before_stop",
            "c#1:after_stop",
            "w#1:after_stop"
        ]
    );
    assert!(decisions(&log).is_empty(), "no supervision");
    captured.assert_hook_panicked("before_stop", "before_stop failed");
    within!(stage.close());
}

#[tokio::test]
async fn a_panic_in_after_stop_is_logged_and_the_stop_completes() {
    let (captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Resume, &["after_stop"]);
    assert_eq!(within!(worker.add(1)), 1);

    assert_eq!(within!(worker.stop().result()), Ok(()));
    assert!(worker.is_stopped());
    assert!(stage.directory().get(&worker.address()).is_none());
    assert!(!stage.public_root().children().contains(&worker.actor_ref()));
    assert!(decisions(&log).is_empty());
    captured.assert_hook_panicked("after_stop", "after_stop failed");
    within!(stage.close());
}

#[tokio::test]
async fn a_panic_in_before_restart_is_logged_and_the_restart_goes_on() {
    let (captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Restart, &["before_restart"]);
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.value()), 0, "restarted all the same");
    assert_eq!(within!(worker.instance()), 2);
    assert_eq!(
        entries_of(&log, "w#")[3..],
        [
            "w#1:fail(boom)",
            "w#1:before_restart(fail: boom)",
            "w#2:before_start",
            "w#2:start",
            "w#2:after_restart(fail: boom)"
        ]
    );
    assert_eq!(
        decisions(&log),
        ["sup:decide(fail: boom)"],
        "the hook's panic is not supervised"
    );
    captured.assert_hook_panicked("before_restart", "before_restart failed");
    within!(stage.close());
}

#[tokio::test]
async fn a_panic_in_after_restart_is_logged_and_the_new_instance_goes_on() {
    let (captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Restart, &["after_restart"]);
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.add(1)), 1, "the fresh instance serves");
    assert_eq!(within!(worker.instance()), 2);
    assert!(!worker.is_stopped());
    assert_eq!(decisions(&log), ["sup:decide(fail: boom)"]);
    captured.assert_hook_panicked("after_restart", "after_restart failed");
    within!(stage.close());
}

#[tokio::test]
async fn a_panic_in_before_resume_is_logged_and_the_actor_resumes() {
    let (captured, _guard) = Captured::install();
    let stage = Stage::new();
    let Scene { log, worker, .. } =
        supervised_worker(&stage, SupervisionDirective::Resume, &["before_resume"]);
    assert_eq!(within!(worker.add(5)), 5);

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    assert_eq!(within!(worker.add(1)), 6, "resumed, state kept");
    assert_eq!(within!(worker.instance()), 1);
    assert_eq!(decisions(&log), ["sup:decide(fail: boom)"]);
    captured.assert_hook_panicked("before_resume", "before_resume failed");
    within!(stage.close());
}
