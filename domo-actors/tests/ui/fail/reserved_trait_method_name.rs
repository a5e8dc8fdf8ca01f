use domo_actors::actor_protocol;

#[actor_protocol]
trait Counter {
    async fn clone(&mut self) -> u64;
}

fn main() {}
