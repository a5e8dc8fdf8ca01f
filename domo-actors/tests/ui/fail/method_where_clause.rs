use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put(&mut self, value: u8)
    where
        u8: Copy;
}

fn main() {}
