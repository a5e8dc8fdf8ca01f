use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put(&mut self, value: dyn std::any::Any);
}

fn main() {}
