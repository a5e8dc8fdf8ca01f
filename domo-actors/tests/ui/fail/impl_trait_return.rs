use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn keys(&mut self) -> impl Iterator<Item = u8>;
}

fn main() {}
