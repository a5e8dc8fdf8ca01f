// A protocol without methods still expands (the generated matches are empty).
#![deny(warnings)]

use domo_actors::{Actor, Definition, Stage, actor_protocol};

#[actor_protocol]
pub trait Silent {}

#[derive(Actor)]
struct Quiet;

impl Silent for Quiet {}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let silent: SilentProxy = stage.actor_for(Definition::new(|| Quiet)).unwrap();
        silent.stop().await;
        stage.close().await;
    });
}
