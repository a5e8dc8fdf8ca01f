// Methods returning `()` are tells when their promise is ignored, even under
// `#![deny(unused_must_use)]`; a method answering a value is sent without waiting by dropping
// its promise explicitly. Both messages are delivered.
#![deny(unused_must_use)]

use domo_actors::{Actor, Definition, Stage, actor_protocol};

#[actor_protocol]
pub trait Counter {
    async fn increment(&mut self);
    async fn add(&mut self, n: u64) -> u64;
    async fn value(&self) -> u64;
}

#[derive(Actor, Default)]
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
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let counter: CounterProxy = stage.actor_for(Definition::new(CounterActor::default)).unwrap();
        counter.increment();
        counter.increment();
        drop(counter.add(10));
        assert_eq!(counter.value().await, 12);
        counter.stop();
        stage.close().await;
    });
}
