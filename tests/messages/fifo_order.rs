//! Message order is FIFO per sender: each sender's messages are handled in the order it sent
//! them, however the senders' messages interleave.

use std::sync::Arc;

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use domo_actors_suite::{CounterActor, CounterProxy};
use tokio::sync::Barrier;

const SENDERS: usize = 8;
const PER_SENDER: u64 = 1_000;

/// Records `(sender, seq)` pairs in the order the messages are handled.
#[actor_protocol]
trait SequenceLog {
    async fn record(&mut self, sender: usize, seq: u64);
    async fn entries(&self) -> Vec<(usize, u64)>;
}

#[derive(Actor, Default)]
struct SequenceLogActor {
    entries: Vec<(usize, u64)>,
}

impl SequenceLog for SequenceLogActor {
    async fn record(&mut self, sender: usize, seq: u64) {
        self.entries.push((sender, seq));
    }

    async fn entries(&self) -> Vec<(usize, u64)> {
        self.entries.clone()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_senders_messages_arrive_in_order_and_complete() {
    let stage = Stage::new();
    let log: SequenceLogProxy = stage
        .actor_for(Definition::new(SequenceLogActor::default))
        .unwrap();

    let start = Arc::new(Barrier::new(SENDERS));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let log = log.clone();
            let start = Arc::clone(&start);
            tokio::spawn(async move {
                start.wait().await;
                for seq in 0..PER_SENDER {
                    drop(log.record(sender, seq));
                    if seq % 64 == 0 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    for sender in senders {
        sender.await.expect("sender task");
    }

    // Every tell above was enqueued before this ask.
    let entries = log.entries().await;
    assert_eq!(entries.len(), SENDERS * PER_SENDER as usize);
    for sender in 0..SENDERS {
        let sequence: Vec<u64> = entries
            .iter()
            .filter(|(from, _)| *from == sender)
            .map(|(_, seq)| *seq)
            .collect();
        assert_eq!(
            sequence,
            (0..PER_SENDER).collect::<Vec<_>>(),
            "sender {sender}: increasing and complete"
        );
    }
    stage.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tells_and_asks_from_one_sender_are_handled_in_send_order() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();

    // Interleaved tells and asks, all sent before any answer is awaited: each ask sees exactly
    // the messages sent before it.
    let asks: Vec<_> = (1..=500_u64)
        .map(|n| {
            drop(counter.increment());
            (n * 2, counter.add(1))
        })
        .collect();
    for (expected, ask) in asks {
        assert_eq!(ask.await, expected);
    }
    stage.close().await;
}

/// Records values in a log that outlives restarts; `record` panics on one value.
#[actor_protocol]
trait FragileLog {
    async fn record(&mut self, value: u64);
    /// An ask (it returns a value): never batched.
    async fn recorded(&self) -> usize;
}

struct FragileLogActor {
    log: Arc<std::sync::Mutex<Vec<u64>>>,
    fails_on: u64,
}

impl Actor for FragileLogActor {}

impl FragileLog for FragileLogActor {
    async fn record(&mut self, value: u64) {
        assert_ne!(value, self.fails_on, "the fragile value");
        self.log.lock().unwrap().push(value);
    }

    async fn recorded(&self) -> usize {
        self.log.lock().unwrap().len()
    }
}

#[tokio::test]
async fn a_burst_of_tells_keeps_its_order_across_a_failure_in_its_middle() {
    let stage = Stage::new();
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let fragile: FragileLogProxy = stage
        .actor_for(Definition::new({
            let log = Arc::clone(&log);
            move || FragileLogActor {
                log: Arc::clone(&log),
                fails_on: 50,
            }
        }))
        .unwrap();
    // All sent before the actor runs (one thread): the tells behind the first are delivered as
    // one batch, which the failure of the 50th interrupts; the ask behind them waits its turn.
    let promises: Vec<_> = (1..=100).map(|value| fragile.record(value)).collect();
    assert_eq!(fragile.recorded().await, 99);

    let expected: Vec<u64> = (1..=100).filter(|value| *value != 50).collect();
    assert_eq!(
        *log.lock().unwrap(),
        expected,
        "the supervisor restarted it"
    );
    for (value, promise) in (1..=100).zip(promises) {
        assert_eq!(promise.result().await.is_err(), value == 50, "{value}");
    }
    stage.close().await;
}
