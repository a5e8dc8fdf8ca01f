use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put(&mut self, key: impl Into<String>);
}

fn main() {}
