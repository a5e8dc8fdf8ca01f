use domo_actors::actor_protocol;

#[actor_protocol]
trait Files {
    #[failure(retry)]
    async fn size(&mut self) -> u64;
    #[failure]
    async fn count(&mut self) -> u64;
    #[failure(err, panic)]
    async fn len(&mut self) -> u64;
    #[failure(panic)]
    #[failure(panic)]
    async fn twice(&mut self) -> u64;
    #[failure(err)]
    async fn touch(&mut self);
}

fn main() {}
