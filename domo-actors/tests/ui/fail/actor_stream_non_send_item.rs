use std::rc::Rc;

use domo_actors::{actor_protocol, ActorStream};

#[actor_protocol]
trait Ticker {
    async fn prices(&self) -> ActorStream<Rc<u64>>;
}

fn main() {}
