use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put(&'static mut self, value: u8);
}

fn main() {}
