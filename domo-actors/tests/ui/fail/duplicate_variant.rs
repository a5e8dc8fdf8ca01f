use domo_actors::actor_protocol;

#[actor_protocol]
trait Store {
    async fn get_value(&mut self) -> u8;
    #[allow(non_snake_case)]
    async fn getValue(&mut self) -> u8;
}

fn main() {}
