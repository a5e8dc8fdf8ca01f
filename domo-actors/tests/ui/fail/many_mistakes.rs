use domo_actors::actor_protocol;

#[actor_protocol(debug)]
trait Store<T>: Send {
    type Key;
    fn put(&mut self, value: &str);
    async fn take<U>(self) -> impl Iterator<Item = u8>;
    async fn stop(&mut self);
}

fn main() {}
