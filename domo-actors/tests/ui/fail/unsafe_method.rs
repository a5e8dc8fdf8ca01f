use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async unsafe fn put(&mut self, value: u8);
}

fn main() {}
