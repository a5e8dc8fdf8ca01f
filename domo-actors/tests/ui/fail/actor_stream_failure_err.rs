use domo_actors::{actor_protocol, ActorStream};

#[actor_protocol]
trait Ticker {
    #[failure(err)]
    async fn prices(&self) -> ActorStream<u64>;
}

fn main() {}
