use domo_actors::actor_protocol;

#[actor_protocol(name = "Store")]
trait Store {
    async fn put(&mut self, value: u8);
}

fn main() {}
