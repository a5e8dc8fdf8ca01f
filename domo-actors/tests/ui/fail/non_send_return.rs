use domo_actors::actor_protocol;

use std::rc::Rc;

#[actor_protocol]
trait Store {
    async fn get(&mut self) -> Rc<u8>;
}

fn main() {}
