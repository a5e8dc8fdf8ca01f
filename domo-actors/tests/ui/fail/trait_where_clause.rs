use domo_actors::actor_protocol;

#[actor_protocol]
trait Store
where
    u8: Copy,
{
    async fn put(&mut self, value: u8);
}

fn main() {}
