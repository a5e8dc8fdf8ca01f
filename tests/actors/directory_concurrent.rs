//! The Directory under concurrent registration: 10,000 actors created from 4 tasks at once are
//! all found, the count is exact, and the stopped ones are gone.

use std::collections::HashSet;

use domo_actors::{Address, Stage};
use domo_actors_suite::{CounterActor, CounterProxy};

const TASKS: usize = 4;
const PER_TASK: usize = 2_500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_actors_from_four_tasks_are_all_found_and_stopped_ones_are_gone() {
    let stage = Stage::new();
    let creators: Vec<_> = (0..TASKS)
        .map(|_| {
            let stage = stage.clone();
            tokio::spawn(async move {
                (0..PER_TASK)
                    .map(|_| {
                        stage
                            .actor_for::<CounterProxy, _>(CounterActor::definition())
                            .expect("the stage is open")
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut counters = Vec::with_capacity(TASKS * PER_TASK);
    for creator in creators {
        counters.extend(creator.await.expect("creator task"));
    }

    let addresses: HashSet<Address> = counters.iter().map(CounterProxy::address).collect();
    assert_eq!(addresses.len(), TASKS * PER_TASK, "every address is unique");
    // The two root actors are registered too.
    assert_eq!(stage.directory().count(), TASKS * PER_TASK + 2);
    assert_eq!(
        stage.directory().find_by_type("Counter").len(),
        TASKS * PER_TASK
    );
    for counter in &counters {
        let found: CounterProxy = stage
            .actor_of(&counter.address())
            .expect("every live actor is found");
        assert_eq!(&found, counter);
    }

    // Stop every other actor: those are forgotten, the rest stay.
    let (stopped, live): (Vec<_>, Vec<_>) =
        counters.iter().enumerate().partition(|(n, _)| n % 2 == 0);
    for (_, counter) in &stopped {
        counter.stop().await;
    }
    assert_eq!(stage.directory().count(), live.len() + 2);
    for (_, counter) in &stopped {
        assert!(stage.directory().get(&counter.address()).is_none());
        assert!(stage.actor_of::<CounterProxy>(&counter.address()).is_none());
    }
    for (_, counter) in &live {
        assert!(stage.actor_of::<CounterProxy>(&counter.address()).is_some());
    }
    assert_eq!(stage.directory().find_by_type("Counter").len(), live.len());

    stage.close().await;
    assert_eq!(stage.directory().count(), 0);
}
