use domo_actors::actor_protocol;

use std::borrow::Cow;

#[actor_protocol]
trait Store {
    async fn put(&mut self, key: Cow<'_, str>);
}

fn main() {}
