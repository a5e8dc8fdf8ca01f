use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn merge(&mut self, other: Option<Self>);
}

fn main() {}
