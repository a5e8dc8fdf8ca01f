//! The stream-into-actor workload (issue 17): a stream of items pulled into one actor that
//! counts them, at most `STREAM_WINDOW` in flight, against a raw tokio task fed by a bounded mpsc
//! channel of the same capacity. Kept apart from `common/`, which the peer comparison shares and
//! which has no `futures`.

use std::time::Duration;

use crate::common::{Metric, Workload};

/// Items streamed in one run.
pub const STREAM_ITEMS: u64 = 1_000_000;
/// Items in flight at most: the pump's window, the channel's capacity.
pub const STREAM_WINDOW: usize = 16;

pub const STREAM_INTO: Workload = Workload {
    id: "stream_into_actor",
    title: "stream into an actor: 1M items, window 16",
    ops: STREAM_ITEMS,
    metric: Metric::Rate,
};

pub mod domo {
    use std::time::Instant;

    use domo_actors::{Actor, Definition, Stage, StreamEnd, actor_protocol};

    use super::Duration;

    /// Counts the items it is sent.
    #[actor_protocol]
    pub trait Tally {
        /// One item of the stream.
        async fn item(&mut self, n: u64);
        /// How many items it has taken.
        async fn count(&self) -> u64;
    }

    #[derive(Actor, Default)]
    pub struct TallyActor {
        count: u64,
    }

    impl Tally for TallyActor {
        async fn item(&mut self, _n: u64) {
            self.count += 1;
        }

        async fn count(&self) -> u64 {
            self.count
        }
    }

    /// `items` items of a ready stream into one actor, `window` in flight.
    pub async fn stream_into_actor(items: u64, window: usize) -> Duration {
        let stage = Stage::new();
        let tally: TallyProxy = stage
            .actor_for(Definition::new(TallyActor::default))
            .expect("the stage is open");
        assert_eq!(tally.count().await, 0, "started before the clock");
        let start = Instant::now();
        let attached = stage
            .stream_into(&tally, |tally, n| tally.item(n))
            .window(window)
            .attach(futures::stream::iter(0..items));
        assert_eq!(attached.await, StreamEnd::Ended);
        let elapsed = start.elapsed();
        assert_eq!(tally.count().await, items);
        stage.close().await;
        elapsed
    }
}

pub mod raw {
    use std::time::Instant;

    use futures::StreamExt as _;
    use tokio::sync::mpsc;

    use super::Duration;

    /// The same on raw tokio: a task pulls the stream into a bounded channel of `window`, a
    /// task counts what it receives.
    pub async fn stream_into_actor(items: u64, window: usize) -> Duration {
        let start = Instant::now();
        let (sender, mut receiver) = mpsc::channel::<u64>(window);
        let counter = tokio::spawn(async move {
            let mut count = 0u64;
            while receiver.recv().await.is_some() {
                count += 1;
            }
            count
        });
        let pump = tokio::spawn(async move {
            let mut stream = futures::stream::iter(0..items);
            while let Some(n) = stream.next().await {
                sender.send(n).await.expect("the counter runs");
            }
        });
        pump.await.expect("the pump ends");
        let count = counter.await.expect("the counter ends");
        let elapsed = start.elapsed();
        assert_eq!(count, items);
        elapsed
    }
}
