use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn name(&mut self) -> &'static str;
}

fn main() {}
