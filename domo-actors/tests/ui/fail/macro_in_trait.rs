use domo_actors::actor_protocol;

macro_rules! methods {
    () => {};
}

#[actor_protocol]
trait Store {
    methods!();
    async fn put(&mut self, value: u8);
}

fn main() {}
