// Several methods: unit and non-unit replies, a `Result` reply, `&self` and `&mut self`
// receivers, `#[derive(Actor)]`, and the proxy's own methods.
use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};

#[derive(Debug, PartialEq)]
enum CounterError {
    TooMany { have: u64 },
    Actor(ActorError),
}

impl From<ActorError> for CounterError {
    fn from(error: ActorError) -> Self {
        CounterError::Actor(error)
    }
}

#[actor_protocol]
trait Counter {
    async fn increment(&mut self);
    async fn add(&mut self, n: u64) -> u64;
    async fn value(&self) -> u64;
    async fn try_take(&mut self, n: u64) -> Result<u64, CounterError>;
}

#[derive(Actor)]
struct CounterActor {
    count: u64,
}

impl Counter for CounterActor {
    async fn increment(&mut self) {
        self.count += 1;
    }

    async fn add(&mut self, n: u64) -> u64 {
        self.count += n;
        self.count
    }

    async fn value(&self) -> u64 {
        self.count
    }

    async fn try_take(&mut self, n: u64) -> Result<u64, CounterError> {
        if n > self.count {
            return Err(CounterError::TooMany { have: self.count });
        }
        self.count -= n;
        Ok(self.count)
    }
}

// Generic code over the protocol accepts the proxy.
async fn bump(counter: &mut impl Counter) -> u64 {
    counter.increment().await;
    counter.value().await
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let counter: CounterProxy = stage
            .actor_for(Definition::new(|| CounterActor { count: 0 }))
            .unwrap();
        counter.increment().await;
        assert_eq!(counter.add(2).await, 3);
        assert_eq!(counter.value().await, 3);
        assert_eq!(counter.try_take(1).await, Ok(2));
        assert_eq!(
            counter.try_take(5).await,
            Err(CounterError::TooMany { have: 2 })
        );

        let mut same = counter.clone();
        assert_eq!(same, counter);
        assert_eq!(bump(&mut same).await, 3);
        assert_eq!(
            format!("{counter:?}"),
            format!("CounterProxy({})", counter.address())
        );
        assert!(!counter.is_stopped());
        let _ = counter.type_name();
        let _ = counter.execution_context();
        counter.with_execution_context(|_| ());
        let _ = counter.actor_ref();

        counter.stop().await;
        assert!(counter.is_stopped());
        assert!(matches!(
            counter.try_take(1).await,
            Err(CounterError::Actor(_))
        ));
        stage.close().await;
    });
}
