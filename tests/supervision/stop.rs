//! Directive `Stop`: the failed actor stops, with its children; the messages queued behind the
//! failing one (and any sent later) fail with `ActorError::Stopped` and become dead letters. The
//! supervisor itself is not affected.

use domo_actors::{DeadLetterReason, Stage, SupervisionDirective};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{decisions, entries_of, panicked, within};
use domo_actors_testkit::{await_assert, test_stage};

/// A worker `w` supervised by `sup`, a supervisor that always stops.
fn stopped_worker(stage: &Stage) -> Scene {
    Scene::builder()
        .directive(SupervisionDirective::Stop)
        .build(stage)
}

#[tokio::test]
async fn stop_stops_the_failed_actor_and_its_children() {
    let stage = Stage::new();
    let Scene {
        log,
        supervisor,
        worker,
        ..
    } = stopped_worker(&stage);
    let child = within!(worker.create_child("c".into()));
    let grandchild = within!(child.create_child("g".into()));
    assert_eq!(within!(grandchild.add(1)), 1, "the hierarchy is running");

    assert!(within!(worker.fail("boom".into()).result()).is_err());
    // The stop promise of an actor already stopping resolves once its stop is complete.
    assert_eq!(within!(worker.stop().result()), Ok(()));

    assert!(worker.is_stopped());
    assert!(child.is_stopped(), "the child stopped with its parent");
    assert!(grandchild.is_stopped(), "and the grandchild");
    for address in [worker.address(), child.address(), grandchild.address()] {
        assert!(stage.directory().get(&address).is_none());
    }
    assert!(!stage.public_root().children().contains(&worker.actor_ref()));
    assert_eq!(decisions(&log), ["sup:decide(fail: boom)"]);
    assert_eq!(
        entries_of(&log, "w#1:before_stop").len(),
        1,
        "the failed instance itself is stopped: no restart first"
    );
    assert!(entries_of(&log, "w#2").is_empty());

    // The supervisor goes on.
    assert!(!supervisor.is_stopped());
    assert!(
        entries_of(&log, "sup:")
            .iter()
            .all(|e| e.contains("decide"))
    );
    within!(stage.close());
}

#[tokio::test]
async fn queued_messages_fail_as_stopped_and_become_dead_letters() {
    let (stage, dead_letters) = test_stage();
    let Scene { log, worker, .. } = stopped_worker(&stage);

    // All queued before the failing message is handled.
    let before = worker.add(1);
    let failing = worker.fail("boom".into());
    let queued_add = worker.add(2);
    let queued_value = worker.value();
    drop(worker.note(7));

    assert_eq!(within!(before), 1);
    assert_eq!(panicked(&within!(failing.result())), Some(("fail", "boom")));
    assert_eq!(
        within!(queued_add.result()),
        Err(worker.stopped_error("add"))
    );
    assert_eq!(
        within!(queued_value.result()),
        Err(worker.stopped_error("value"))
    );
    let letters = within!(dead_letters.await_count(3));
    let representations: Vec<&str> = letters.iter().map(|l| l.representation()).collect();
    assert_eq!(representations, ["add(2)", "value()", "note(7)"]);
    assert!(
        letters
            .iter()
            .all(|letter| letter.reason() == DeadLetterReason::ActorStopped
                && letter.address() == worker.address())
    );
    assert!(
        entries_of(&log, "w#1:add(2)").is_empty(),
        "nothing queued was delivered"
    );

    // Later messages too.
    assert_eq!(
        within!(worker.add(3).result()),
        Err(worker.stopped_error("add"))
    );
    assert_eq!(dead_letters.count(), 4);
    within!(stage.close());
}

#[tokio::test]
async fn the_stop_sequence_runs_children_first() {
    let stage = Stage::new();
    let Scene { log, worker, .. } = stopped_worker(&stage);
    let child = within!(worker.create_child("c".into()));
    assert_eq!(within!(child.add(1)), 1);

    drop(worker.fail("boom".into()));
    await_assert(|| async {
        assert!(worker.is_stopped() && child.is_stopped());
        assert_eq!(entries_of(&log, "w#1:after_stop").len(), 1);
    })
    .await;
    let stop_sequence: Vec<String> = entries_of(&log, "")
        .into_iter()
        .skip_while(|entry| entry != "w#1:fail(boom)")
        .collect();
    assert_eq!(
        stop_sequence,
        [
            "w#1:fail(boom)",
            "sup:decide(fail: boom)",
            "w#1:before_stop",
            "c#1:before_stop",
            "c#1:after_stop",
            "w#1:after_stop",
        ]
    );
    within!(stage.close());
}
