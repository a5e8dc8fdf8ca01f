use domo_actors::actor_protocol;

#[actor_protocol]
trait Files {
    async fn size(&mut self) -> std::io::Result<u64>;
    async fn names(&mut self) -> Result<Vec<String>>;
    async fn fetch(&mut self) -> FetchResult;
}

type Result<T> = std::result::Result<T, std::io::Error>;
struct FetchResult;

fn main() {}
