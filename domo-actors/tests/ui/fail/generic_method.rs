use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn put<T>(&mut self, value: T);
}

fn main() {}
