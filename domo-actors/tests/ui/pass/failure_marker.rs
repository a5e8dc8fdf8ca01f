// `#[failure(err)]` / `#[failure(panic)]` say which failure policy a reply the macro cannot read
// gets: a `Result` alias keeps `Err` semantics only when marked `err`.
use domo_actors::{actor_protocol, Actor, ActorError, Definition, Stage};

#[derive(Debug, PartialEq)]
enum FetchError {
    Unavailable,
}

impl From<ActorError> for FetchError {
    fn from(_: ActorError) -> Self {
        FetchError::Unavailable
    }
}

// An alias whose name the macro cannot recognise, and one it flags.
type Res<T> = Result<T, FetchError>;
type FetchResult<T> = Result<T, FetchError>;

/// Named like a result, but a plain struct.
#[derive(Debug, PartialEq)]
struct SearchResult(u64);

#[actor_protocol]
trait Fetch {
    #[failure(err)]
    async fn count(&mut self) -> Res<u64>;
    /// Docs and the marker, in either order.
    #[failure(err)]
    async fn first(&mut self) -> FetchResult<u64>;
    #[failure(panic)]
    async fn read(&mut self) -> std::io::Result<u64>;
    #[failure(panic)]
    async fn search(&mut self) -> SearchResult;
    // A literal `Result<T, E>` may opt out of `Err` (its `E` then needs no `From<ActorError>`).
    #[failure(panic)]
    async fn parse(&mut self) -> Result<u64, std::num::ParseIntError>;
}

#[derive(Actor)]
struct FetchActor;

impl Fetch for FetchActor {
    async fn count(&mut self) -> Res<u64> {
        Ok(1)
    }
    async fn first(&mut self) -> FetchResult<u64> {
        Err(FetchError::Unavailable)
    }
    async fn read(&mut self) -> std::io::Result<u64> {
        Ok(2)
    }
    async fn search(&mut self) -> SearchResult {
        SearchResult(3)
    }
    async fn parse(&mut self) -> Result<u64, std::num::ParseIntError> {
        "4".parse()
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let fetch: FetchProxy = stage.actor_for(Definition::new(|| FetchActor)).unwrap();
        assert_eq!(fetch.count().await, Ok(1));
        assert_eq!(fetch.first().await, Err(FetchError::Unavailable));
        assert_eq!(fetch.read().await.unwrap(), 2);
        assert_eq!(fetch.search().await, SearchResult(3));
        assert_eq!(fetch.parse().await, Ok(4));

        fetch.stop().await;
        // `err`: plain `.await` returns the failure as the alias's `Err`, it does not panic.
        assert_eq!(fetch.count().await, Err(FetchError::Unavailable));
        assert_eq!(fetch.first().await, Err(FetchError::Unavailable));
        // `panic`: plain `.await` would panic; `.result()` shows the failure.
        assert!(matches!(fetch.read().result().await, Err(ActorError::Stopped { .. })));
        assert!(matches!(fetch.search().result().await, Err(ActorError::Stopped { .. })));
        assert!(matches!(fetch.parse().result().await, Err(ActorError::Stopped { .. })));
        stage.close().await;
    });
}
