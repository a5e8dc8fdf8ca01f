use domo_actors::actor_protocol;

use std::rc::Rc;

#[actor_protocol]
trait Store {
    async fn put(&mut self, value: Rc<u8>);
}

fn main() {}
