//! Names (issue 17, part 5): a stage-wide registry of unique names, given with
//! `Definition::with_name` or `Stage::register_name`; `Stage::named::<P>` gives a typed proxy
//! (`None` for an unknown name or another protocol); a duplicate is `ActorError::NameInUse`;
//! a name is released when its actor stops, so a new actor can take it; of concurrent
//! registrations of one name exactly one wins.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use domo_actors::{Actor, ActorError, Definition, Stage, SupervisionDirective, actor_protocol};
use domo_actors_suite::scene::Scene;
use domo_actors_suite::{CounterActor, CounterProxy, NodeProxy, WorkerProxy, within};
use domo_actors_testkit::await_assert;
use tokio::sync::{Barrier, Notify};

fn counter(stage: &Stage) -> CounterProxy {
    stage.actor_for(CounterActor::definition()).unwrap()
}

fn name_in_use(name: &str, holder: &CounterProxy) -> ActorError {
    ActorError::NameInUse {
        name: Arc::from(name),
        address: holder.address(),
    }
}

#[tokio::test]
async fn a_registered_name_finds_the_actor_through_its_protocol() {
    let stage = Stage::new();
    let counter = counter(&stage);
    stage.register_name("teller", &counter.actor_ref()).unwrap();

    let found: CounterProxy = stage.named("teller").expect("registered");
    assert_eq!(found, counter);
    assert_eq!(within!(found.add(3)), 3);
    assert_eq!(within!(counter.value()), 3, "the same actor");

    assert_eq!(stage.named::<NodeProxy>("teller"), None, "another protocol");
    assert_eq!(stage.named::<CounterProxy>("cashier"), None, "unknown name");
    // Registering an actor's own name again changes nothing.
    stage.register_name("teller", &counter.actor_ref()).unwrap();
    stage.close().await;
}

#[tokio::test]
async fn a_definition_names_its_actor_as_it_is_created() {
    let stage = Stage::new();
    let definition = || CounterActor::definition().with_name("teller");
    assert_eq!(definition().name(), Some("teller"));
    let counter: CounterProxy = stage.actor_for(definition()).unwrap();
    assert_eq!(stage.named::<CounterProxy>("teller"), Some(counter.clone()));

    let actors = stage.directory().count();
    let duplicate = stage.actor_for::<CounterProxy, _>(definition());
    assert_eq!(duplicate, Err(name_in_use("teller", &counter)));
    assert_eq!(stage.directory().count(), actors, "nothing created");
    stage.close().await;
}

#[tokio::test]
async fn a_duplicate_name_is_a_typed_error_naming_the_holder() {
    let stage = Stage::new();
    let (first, second) = (counter(&stage), counter(&stage));
    stage.register_name("teller", &first.actor_ref()).unwrap();
    let duplicate = stage.register_name("teller", &second.actor_ref());
    assert_eq!(duplicate, Err(name_in_use("teller", &first)));
    assert_eq!(
        duplicate.unwrap_err().to_string(),
        format!(
            "name `teller` is already in use by the actor at {}",
            first.address()
        )
    );
    assert_eq!(stage.named::<CounterProxy>("teller"), Some(first.clone()));
    // An actor may have several names.
    stage.register_name("cashier", &first.actor_ref()).unwrap();
    assert_eq!(stage.named::<CounterProxy>("cashier"), Some(first));
    stage.close().await;
}

#[tokio::test]
async fn a_name_is_released_when_its_actor_stops_and_can_be_taken_again() {
    let stage = Stage::new();
    let definition = || CounterActor::definition().with_name("teller");
    let first: CounterProxy = stage.actor_for(definition()).unwrap();
    stage.register_name("cashier", &first.actor_ref()).unwrap();

    within!(first.stop());
    // Released before the stop promise resolved: the stage no longer holds the actor.
    assert_eq!(stage.named::<CounterProxy>("teller"), None);
    assert!(!stage.deregister_name("cashier"), "no actor has it");
    let second: CounterProxy = stage.actor_for(definition()).unwrap();
    stage.register_name("cashier", &second.actor_ref()).unwrap();
    assert_eq!(stage.named::<CounterProxy>("teller"), Some(second.clone()));
    assert_eq!(stage.named::<CounterProxy>("cashier"), Some(second));

    // A stopped actor gets no name.
    let refused = stage.register_name("former", &first.actor_ref());
    assert!(
        matches!(
            refused,
            Err(ActorError::Stopped {
                method: "register_name",
                ..
            })
        ),
        "{refused:?}"
    );
    stage.close().await;
}

#[tokio::test]
async fn deregistering_a_name_frees_it() {
    let stage = Stage::new();
    let (first, second) = (counter(&stage), counter(&stage));
    stage.register_name("teller", &first.actor_ref()).unwrap();
    assert!(stage.deregister_name("teller"));
    assert!(!stage.deregister_name("teller"));
    assert_eq!(stage.named::<CounterProxy>("teller"), None);
    stage.register_name("teller", &second.actor_ref()).unwrap();
    // The first one's stop does not take the name from the second.
    within!(first.stop());
    assert_eq!(stage.named::<CounterProxy>("teller"), Some(second));
    stage.close().await;
}

#[tokio::test]
async fn a_name_survives_a_restart_and_is_released_when_the_supervisor_stops_the_actor() {
    let stage = Stage::new();
    let restarted = Scene::builder()
        .directive(SupervisionDirective::Restart)
        .worker("r")
        .supervisor("restarts")
        .build(&stage);
    stage
        .register_name("restarted", &restarted.worker.actor_ref())
        .unwrap();
    let _ = within!(restarted.worker.fail("boom".into()).result());
    assert_eq!(within!(restarted.worker.instance()), 2);
    assert_eq!(
        stage.named::<WorkerProxy>("restarted"),
        Some(restarted.worker.clone())
    );

    let stopped = Scene::builder()
        .directive(SupervisionDirective::Stop)
        .worker("s")
        .supervisor("stops")
        .build(&stage);
    stage
        .register_name("stopped", &stopped.worker.actor_ref())
        .unwrap();
    let terminated = stopped.worker.actor_ref().terminated();
    let _ = within!(stopped.worker.fail("boom".into()).result());
    within!(terminated);
    assert_eq!(stage.named::<WorkerProxy>("stopped"), None);
    let other = counter(&stage);
    stage.register_name("stopped", &other.actor_ref()).unwrap();
    stage.close().await;
}

#[tokio::test]
async fn closing_the_stage_releases_every_name() {
    let stage = Stage::new();
    let counter = counter(&stage);
    stage.register_name("teller", &counter.actor_ref()).unwrap();
    stage.close().await;
    assert_eq!(stage.named::<CounterProxy>("teller"), None);
    assert_eq!(
        stage.register_name("teller", &counter.actor_ref()),
        Err(ActorError::StageClosed)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_concurrent_registrations_of_one_name_exactly_one_wins() {
    const CONTENDERS: usize = 16;
    let stage = Stage::new();
    let barrier = Arc::new(Barrier::new(CONTENDERS));
    let contenders: Vec<CounterProxy> = (0..CONTENDERS).map(|_| counter(&stage)).collect();
    let tasks: Vec<_> = contenders
        .iter()
        .map(|contender| {
            let (stage, barrier, actor) = (stage.clone(), barrier.clone(), contender.actor_ref());
            tokio::spawn(async move {
                barrier.wait().await;
                stage.register_name("winner", &actor)
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(within!(task).unwrap());
    }
    let winners: Vec<usize> = (0..CONTENDERS).filter(|&i| outcomes[i].is_ok()).collect();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    let winner = &contenders[winners[0]];
    assert_eq!(stage.named::<CounterProxy>("winner").as_ref(), Some(winner));
    for outcome in outcomes.into_iter().filter(Result::is_err) {
        assert_eq!(outcome, Err(name_in_use("winner", winner)));
    }
    stage.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_concurrent_creations_with_one_name_exactly_one_is_created() {
    const CONTENDERS: usize = 16;
    let stage = Stage::new();
    let actors = stage.directory().count();
    let barrier = Arc::new(Barrier::new(CONTENDERS));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let (stage, barrier) = (stage.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                stage.actor_for::<CounterProxy, _>(CounterActor::definition().with_name("solo"))
            })
        })
        .collect();
    let mut created = Vec::new();
    for task in tasks {
        if let Ok(counter) = within!(task).unwrap() {
            created.push(counter);
        }
    }
    assert_eq!(created.len(), 1);
    assert_eq!(stage.directory().count(), actors + 1);
    assert_eq!(stage.named::<CounterProxy>("solo"), Some(created.remove(0)));
    stage.close().await;
}

/// An actor whose `after_stop` waits until the test lets it go: its mailbox is closed (it is
/// stopping) while it still holds its name.
#[actor_protocol]
pub trait Slow {}

struct SlowActor {
    release: Arc<Notify>,
    after_stop: Arc<AtomicBool>,
}

impl Actor for SlowActor {
    async fn after_stop(&mut self) {
        self.release.notified().await;
        self.after_stop.store(true, Ordering::SeqCst);
    }
}

impl Slow for SlowActor {}

#[tokio::test]
async fn a_stopping_actor_gives_its_name_up_and_its_stop_leaves_the_new_holder_alone() {
    let stage = Stage::new();
    let (release, after_stop) = (Arc::new(Notify::new()), Arc::new(AtomicBool::new(false)));
    let (for_actor, ran) = (Arc::clone(&release), Arc::clone(&after_stop));
    let slow: SlowProxy = stage
        .actor_for(
            Definition::new(move || SlowActor {
                release: Arc::clone(&for_actor),
                after_stop: Arc::clone(&ran),
            })
            .with_name("teller"),
        )
        .unwrap();
    let stopped = slow.stop();
    await_assert(|| async { assert!(slow.is_stopped(), "the mailbox closed") }).await;
    assert_eq!(stage.named::<SlowProxy>("teller"), None, "stopping");

    let successor = counter(&stage);
    stage
        .register_name("teller", &successor.actor_ref())
        .unwrap();
    release.notify_one();
    within!(stopped);
    assert!(after_stop.load(Ordering::SeqCst));
    assert_eq!(
        stage.named::<CounterProxy>("teller"),
        Some(successor),
        "the old holder's stop released only its own name"
    );
    stage.close().await;
}
