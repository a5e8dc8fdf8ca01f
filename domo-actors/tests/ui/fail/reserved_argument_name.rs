use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put(&mut self, __domo_reply: u8);
}

fn main() {}
