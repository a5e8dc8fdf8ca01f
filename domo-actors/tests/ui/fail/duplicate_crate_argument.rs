use domo_actors::actor_protocol;

#[actor_protocol(crate = domo_actors, crate = domo_actors)]
trait Store {
    async fn put(&mut self, value: u8);
}

fn main() {}
