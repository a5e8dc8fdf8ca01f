use domo_actors::actor_protocol;

#[derive(Debug)]
struct StoreError;

#[actor_protocol]
trait Store {
    async fn get(&mut self) -> Result<u8, StoreError>;
}

fn main() {}
