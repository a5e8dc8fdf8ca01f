// A protocol method may answer a stream of items, `ActorStream<T>`: plain `.await` gives the
// stream, with a failure to open it as its only item; `Result<ActorStream<T>, E>` refuses a
// stream with an error of the method's own.
use domo_actors::{
    actor_protocol, Actor, ActorError, ActorStream, Definition, Stage, StreamError,
};
use futures::{StreamExt as _, TryStreamExt as _};

#[derive(Debug, PartialEq)]
enum TickerError {
    UnknownSymbol,
    Unavailable,
}

impl From<ActorError> for TickerError {
    fn from(_: ActorError) -> Self {
        TickerError::Unavailable
    }
}

#[actor_protocol]
trait Ticker {
    /// The prices of `symbol`.
    async fn prices(&self, symbol: String) -> ActorStream<(String, u64)>;
    /// Qualified, and refusable.
    async fn checked(&self, symbol: String)
        -> Result<domo_actors::ActorStream<u64>, TickerError>;
}

#[derive(Actor)]
struct TickerActor;

impl Ticker for TickerActor {
    async fn prices(&self, symbol: String) -> ActorStream<(String, u64)> {
        let (sink, stream) = ActorStream::channel(2);
        tokio::spawn(async move {
            for price in [100, 101] {
                if sink.send((symbol.clone(), price)).await.is_err() {
                    return;
                }
            }
            sink.finish();
        });
        stream
    }

    async fn checked(&self, symbol: String) -> Result<ActorStream<u64>, TickerError> {
        if symbol != "ACME" {
            return Err(TickerError::UnknownSymbol);
        }
        let (sink, stream) = ActorStream::channel(1);
        sink.finish();
        Ok(stream)
    }
}

/// Generic code over the trait takes the proxy.
async fn first_price(ticker: &impl Ticker) -> Option<Result<(String, u64), StreamError>> {
    ticker.prices("ACME".to_owned()).await.next().await
}

/// A type of the user's own that happens to share the name: the marker says it is a plain value.
mod own {
    #[derive(Debug, PartialEq)]
    pub struct ActorStream;

    #[domo_actors::actor_protocol]
    pub trait Legacy {
        #[failure(panic)]
        async fn stream(&self) -> ActorStream;
    }
}

#[derive(Actor)]
struct LegacyActor;

impl own::Legacy for LegacyActor {
    async fn stream(&self) -> own::ActorStream {
        own::ActorStream
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let stage = Stage::new();
    let ticker: TickerProxy = stage.actor_for(Definition::new(|| TickerActor)).unwrap();
    let prices: Vec<(String, u64)> =
        ticker.prices("ACME".to_owned()).await.try_collect().await.unwrap();
    assert_eq!(prices, [("ACME".to_owned(), 100), ("ACME".to_owned(), 101)]);
    assert_eq!(first_price(&ticker).await, Some(Ok(("ACME".to_owned(), 100))));
    assert!(ticker.checked("ACME".to_owned()).await.is_ok());
    assert_eq!(
        ticker.checked("WAT".to_owned()).await.err(),
        Some(TickerError::UnknownSymbol)
    );

    let legacy: own::LegacyProxy = stage.actor_for(Definition::new(|| LegacyActor)).unwrap();
    assert_eq!(legacy.stream().await, own::ActorStream);

    ticker.stop().await;
    let mut closed = ticker.prices("ACME".to_owned()).await;
    assert!(matches!(closed.next().await, Some(Err(StreamError::NotOpened(_)))));
    assert_eq!(
        ticker.checked("ACME".to_owned()).await.err(),
        Some(TickerError::Unavailable)
    );
    stage.close().await;
}
