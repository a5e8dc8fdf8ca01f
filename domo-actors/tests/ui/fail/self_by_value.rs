use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put(self, value: u8);
}

fn main() {}
