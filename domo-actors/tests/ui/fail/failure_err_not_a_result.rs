use domo_actors::actor_protocol;

#[actor_protocol]
trait Files {
    #[failure(err)]
    async fn size(&mut self) -> u64;
}

fn main() {}
