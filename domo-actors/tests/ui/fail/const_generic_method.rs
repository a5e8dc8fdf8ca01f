use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put<const N: usize>(&mut self, value: [u8; N]);
}

fn main() {}
