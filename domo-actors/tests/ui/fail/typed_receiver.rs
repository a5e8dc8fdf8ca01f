use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put(self: Box<Self>, value: u8);
}

fn main() {}
