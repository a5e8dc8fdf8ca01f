use domo_actors::{actor_protocol, ActorStream};

#[actor_protocol]
trait Ticker {
    async fn prices(&self) -> ActorStream;
}

fn main() {}
