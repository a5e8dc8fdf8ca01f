//! `test_stage` gives each test a stage of its own, with its dead letters recorded.

mod support;

use domo_actors_testkit::test_stage;

#[tokio::test]
async fn the_listener_hears_only_its_own_stage() {
    let (stage, dead_letters) = test_stage();
    let (other_stage, other_dead_letters) = test_stage();
    let counter = support::counter(&stage);
    counter.stop().await;

    drop(counter.increment());

    assert_eq!(dead_letters.count(), 1);
    assert_eq!(dead_letters.latest().unwrap().type_name(), "Counter");
    assert!(!other_dead_letters.has_dead_letters());
    stage.close().await;
    other_stage.close().await;
}
