//! Items 7 and 8: a supervisor name that names nothing is reported loudly; a supervisor's
//! strategy is known from the moment it can be named (no race with its start, on either runtime
//! flavour); a suspended actor can be resumed, delivering in order what queued meanwhile.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use domo_actors::{ActorError, ActorOptions, Stage, SupervisionDirective};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{
    CounterActor, CounterProxy, ScriptedSupervisor, SupervisorProxy, WorkerActor, WorkerProxy,
    assert_still_pending, decisions, entries_of, new_log, within,
};
use domo_actors_testkit::await_assert;

/// A subscriber layer that keeps the text of every warning.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Warnings {
    fn on_event(
        &self,
        event: &tracing::Event<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        /// The message, then ` name=value` for each other field.
        struct Message<'a>(&'a mut String);
        impl tracing::field::Visit for Message<'_> {
            fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                self.record_debug(field, &format_args!("{value}"));
            }

            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0.insert_str(0, &format!("{value:?}"));
                } else {
                    self.0.push_str(&format!(" {}={value:?}", field.name()));
                }
            }
        }
        if *event.metadata().level() == tracing::Level::WARN {
            let mut text = String::new();
            event.record(&mut Message(&mut text));
            self.0.lock().unwrap().push(text);
        }
    }
}

#[tokio::test]
async fn a_supervisor_name_that_names_nothing_is_a_warning_at_creation() {
    use tracing_subscriber::layer::SubscriberExt as _;

    let warnings = Warnings::default();
    let _subscriber =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(warnings.clone()));
    // Other tests' threads install subscribers too: recompute the callsites' cached interest
    // with this one, so that none stays "never" from before it existed.
    tracing::callsite::rebuild_interest_cache();
    let stage = Stage::new();
    let log = new_log();
    let _known: SupervisorProxy = stage
        .actor_for(ScriptedSupervisor::definition(
            "my-sup",
            &log,
            SupervisionDirective::Resume,
        ))
        .unwrap();
    let _fine: CounterProxy = stage
        .actor_for(CounterActor::definition().with_supervisor("my-sup"))
        .unwrap();
    let _default: CounterProxy = stage
        .actor_for_with(
            CounterActor::definition(),
            ActorOptions::new().with_supervisor("default"),
        )
        .unwrap();
    assert!(
        warnings.0.lock().unwrap().is_empty(),
        "{:?}",
        warnings.0.lock().unwrap()
    );

    let _typo: CounterProxy = stage
        .actor_for(CounterActor::definition().with_supervisor("my-supp"))
        .unwrap();
    let said = warnings.0.lock().unwrap().clone();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].starts_with("supervisor not found: the parent supervises instead")
            && said[0].ends_with(" supervisor=my-supp"),
        "{said:?}"
    );
    within!(stage.close());
}

/// The worker fails in `before_start` (or in its first handler) right after it is created; its
/// named supervisor, created just before it, must decide (stop), not the default (restart).
async fn named_supervisor_decides(fail_in_start: bool) {
    let stage = Stage::new();
    let hooks: &'static [&'static str] = if fail_in_start {
        &["before_start"]
    } else {
        &[]
    };
    let Scene { log, worker, .. } = Scene::builder()
        .supervisor("stopper")
        .directive(SupervisionDirective::Stop)
        .panicking_in(hooks)
        .build(&stage);
    if !fail_in_start {
        assert!(within!(worker.fail("boom".into()).result()).is_err());
    }
    // Queued behind the failure: answered only if the worker was restarted.
    assert!(matches!(
        within!(worker.value().result()),
        Err(ActorError::Stopped { .. })
    ));
    assert_eq!(decisions(&log).len(), 1, "{:?}", decisions(&log));
    assert!(decisions(&log)[0].starts_with("stopper:decide("));
    assert!(
        entries_of(&log, "w#2").is_empty(),
        "never restarted: {:?}",
        entries_of(&log, "w#")
    );
    within!(stage.close());
}

const RUNS: usize = 1_000;

#[tokio::test]
async fn a_named_supervisors_strategy_is_known_at_once_current_thread() {
    for _ in 0..RUNS {
        named_supervisor_decides(true).await;
        named_supervisor_decides(false).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_supervisors_strategy_is_known_at_once_multi_thread() {
    for _ in 0..RUNS {
        named_supervisor_decides(true).await;
        named_supervisor_decides(false).await;
    }
}

#[tokio::test]
async fn a_supervisor_created_after_the_actors_it_supervises_decides_their_failures() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = Scene::builder()
        .supervisor("late")
        .directive(SupervisionDirective::Stop)
        .supervisor_created_last()
        .build(&stage);
    assert!(within!(worker.fail("boom".into()).result()).is_err());
    await_assert(|| async { assert!(worker.is_stopped()) }).await;
    assert_eq!(decisions(&log), ["late:decide(fail: boom)"]);
    within!(stage.close());
}

#[tokio::test(start_paused = true)]
async fn suspend_and_resume_keep_the_order_over_repeated_cycles() {
    let stage = Stage::new();
    let log = new_log();
    let worker: WorkerProxy = stage.actor_for(WorkerActor::definition("w", &log)).unwrap();
    let actor = worker.actor_ref();
    let mut sent = Vec::new();
    for cycle in 0..5_u64 {
        within!(actor.suspend());
        assert!(actor.is_suspended());
        for n in 0..10 {
            worker.note(cycle * 100 + n);
            sent.push(cycle * 100 + n);
        }
        let mut notes = std::pin::pin!(worker.notes().result());
        assert_still_pending!(notes.as_mut());
        assert_eq!(actor.mailbox_stats().queued(), 11, "all held");
        within!(actor.resume());
        assert!(!actor.is_suspended());
        assert_eq!(within!(notes), Ok(sent.clone()), "delivered in order");
    }
    within!(actor.resume());
    within!(stage.close());
    assert!(matches!(
        within!(actor.suspend().result()),
        Err(ActorError::Stopped {
            method: "suspend",
            ..
        })
    ));
}

#[tokio::test(start_paused = true)]
async fn an_actor_its_supervisor_suspended_resumes_with_its_state_and_in_order() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = Scene::builder()
        .supervisor("suspender")
        .directive(SupervisionDirective::Suspend)
        .build(&stage);
    let actor = worker.actor_ref();
    for cycle in 0..3_u64 {
        worker.note(cycle);
        assert!(within!(worker.fail(format!("boom {cycle}")).result()).is_err());
        await_assert(|| async { assert!(actor.is_suspended()) }).await;
        worker.note(cycle + 10);
        let mut notes = std::pin::pin!(worker.notes().result());
        assert_still_pending!(notes.as_mut());
        within!(actor.resume());
        let expected: Vec<u64> = (0..=cycle).flat_map(|c| [c, c + 10]).collect();
        assert_eq!(within!(notes), Ok(expected), "state kept, order kept");
    }
    assert_eq!(decisions(&log).len(), 3);
    assert!(entries_of(&log, "w#2").is_empty(), "never restarted");
    // A suspended actor can always be stopped.
    within!(actor.suspend());
    within!(actor.stop_within(Duration::from_secs(1))).expect("stops while suspended");
    within!(stage.close());
}
