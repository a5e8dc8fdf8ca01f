use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async extern "C" fn put(&mut self, value: u8);
}

fn main() {}
