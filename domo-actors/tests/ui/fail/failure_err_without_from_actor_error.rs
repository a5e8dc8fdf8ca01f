use domo_actors::actor_protocol;

#[derive(Debug)]
struct FileError;

type FileResult<T> = Result<T, FileError>;

#[actor_protocol]
trait Files {
    // `FileError` cannot be built from an `ActorError`: give it `From<ActorError>`, or mark the
    // method `#[failure(panic)]`.
    #[failure(err)]
    async fn size(&mut self) -> FileResult<u64>;
}

fn main() {}
