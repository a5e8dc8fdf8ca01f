//! The stage's Directory: finds every live actor by address (typed through `actor_of`) and by
//! type, forgets stopped ones, and holds the two root actors.

use domo_actors::{Address, PRIVATE_ROOT_TYPE, PUBLIC_ROOT_TYPE, Stage};
use domo_actors_suite::{CounterActor, CounterProxy, NodeProxy};

#[tokio::test]
async fn a_new_stage_holds_the_two_root_actors() {
    let stage = Stage::new();
    assert_eq!(stage.directory().count(), 2);
    assert_eq!(
        stage.directory().find_by_type(PUBLIC_ROOT_TYPE),
        [stage.public_root()]
    );
    assert_eq!(
        stage.directory().find_by_type(PRIVATE_ROOT_TYPE),
        [stage.private_root()]
    );
    assert_eq!(stage.public_root().type_name(), PUBLIC_ROOT_TYPE);
    assert_eq!(stage.private_root().type_name(), PRIVATE_ROOT_TYPE);
    let root = stage.public_root().address();
    assert_eq!(stage.directory().get(&root), Some(stage.public_root()));
    stage.close().await;
}

#[tokio::test]
async fn the_directory_finds_every_live_actor() {
    let stage = Stage::new();
    let counters: Vec<CounterProxy> = (0..50)
        .map(|_| stage.actor_for(CounterActor::definition()).unwrap())
        .collect();
    assert_eq!(stage.directory().count(), 50 + 2);

    for (n, counter) in counters.iter().enumerate() {
        let address = counter.address();
        let found = stage.directory().get(&address).expect("registered");
        assert_eq!(found.address(), address);
        assert_eq!(found.type_name(), "Counter");
        assert_eq!(found, counter.actor_ref());

        let typed = stage
            .actor_of::<CounterProxy>(&address)
            .expect("a typed proxy");
        assert_eq!(typed, *counter);
        assert_eq!(
            typed.add(n as u64).await,
            n as u64,
            "the typed proxy reaches the actor"
        );
        assert_eq!(counter.value().await, n as u64);
    }
    stage.close().await;
}

#[tokio::test]
async fn actor_of_with_the_wrong_protocol_or_an_unknown_address_is_none() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert!(stage.actor_of::<NodeProxy>(&counter.address()).is_none());
    assert!(stage.actor_of::<CounterProxy>(&Address::unique()).is_none());
    assert!(stage.directory().get(&Address::unique()).is_none());
    assert!(
        stage
            .actor_of::<CounterProxy>(&stage.public_root().address())
            .is_none(),
        "a root actor does not speak Counter"
    );
    stage.close().await;
}

#[tokio::test]
async fn stopped_actors_are_forgotten() {
    let stage = Stage::new();
    let counters: Vec<CounterProxy> = (0..3)
        .map(|_| stage.actor_for(CounterActor::definition()).unwrap())
        .collect();
    assert_eq!(stage.directory().count(), 5);

    counters[1].stop().await;
    let gone = counters[1].address();
    assert!(stage.directory().get(&gone).is_none());
    assert!(!stage.directory().contains(&gone));
    assert!(stage.actor_of::<CounterProxy>(&gone).is_none());
    assert_eq!(stage.directory().count(), 4);
    for live in [&counters[0], &counters[2]] {
        assert_eq!(
            stage.actor_of::<CounterProxy>(&live.address()).as_ref(),
            Some(live)
        );
    }
    stage.close().await;
}

#[tokio::test]
async fn find_by_type_lists_every_live_actor_of_a_type() {
    let stage = Stage::new();
    let plain: Vec<CounterProxy> = (0..3)
        .map(|_| stage.actor_for(CounterActor::definition()).unwrap())
        .collect();
    let special: Vec<CounterProxy> = (0..2)
        .map(|_| {
            stage
                .actor_for(CounterActor::definition().with_type("Special"))
                .unwrap()
        })
        .collect();
    let refs = |proxies: &[CounterProxy]| {
        proxies
            .iter()
            .map(CounterProxy::actor_ref)
            .collect::<Vec<_>>()
    };

    assert_eq!(
        stage.directory().find_by_type("Counter"),
        refs(&plain),
        "all of them, in creation order"
    );
    assert_eq!(stage.directory().find_by_type("Special"), refs(&special));
    assert!(stage.directory().find_by_type("Nobody").is_empty());

    plain[0].stop().await;
    assert_eq!(
        stage.directory().find_by_type("Counter"),
        refs(&plain[1..]),
        "the others of the type remain"
    );
    special[1].stop().await;
    assert_eq!(
        stage.directory().find_by_type("Special"),
        refs(&special[..1])
    );
    stage.close().await;
}
