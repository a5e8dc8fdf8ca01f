//! The binary's own sanity check: a stage opens, answers and closes.

use domo_actors::Stage;
use domo_actors_suite::{CounterActor, CounterProxy, within};

#[tokio::test]
async fn a_stage_answers_and_closes() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(within!(counter.add(2)), 2);
    stage.close().await;
    assert!(counter.is_stopped());
}
