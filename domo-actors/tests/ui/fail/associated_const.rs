use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    const CAPACITY: usize;
    async fn put(&mut self, value: u8);
}

fn main() {}
