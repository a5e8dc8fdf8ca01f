use domo_actors::actor_protocol;

#[actor_protocol]
trait Counter {
    async fn stop(&mut self);
}

fn main() {}
