//! One workload of the other benches, once, on a current-thread runtime: a program to run under
//! `valgrind --tool=callgrind`, whose instruction counts (unlike times on this machine) repeat
//! from run to run. BENCHMARKS.md quotes them per operation:
//!
//! ```sh
//! cargo bench -p domo-actors --bench instructions --no-run
//! valgrind --tool=callgrind target/release/deps/instructions-* tell 200000
//! valgrind --tool=callgrind target/release/deps/instructions-* tell 200000 raw
//! valgrind --tool=callgrind target/release/deps/instructions-* ask 100000
//! callgrind_annotate callgrind.out.*
//! ```
//!
//! The workloads: `tell` (that many tells to one actor, then one ask that checks the count),
//! `ask` (that many sequential asks to one actor), `spawn` (that many actors, each asked
//! once, then the stage closed), `pingpong` (that many round trips between two actors),
//! `spread` (that many tells spread over 1,000 counters, then one ask each), `fan` (that many
//! rounds of a tell to each of 1,000 workers, each of which tells a sink) and `scatter` (that
//! many rounds of one ask to each of 1,000 counters at once). Per operation, `fan` and
//! `scatter` divide by rounds x 1,000.
//! With the argument `raw` it runs the raw tokio baseline instead (tasks fed by tokio unbounded
//! channels), so the two counts can be compared in one sitting. With the argument `two`, `tell`
//! and `ask` go to a counter created with two protocols, whose proxy sends through a
//! `Destination` (a virtual call) instead of straight to a local cell.
//!
//! Run directly (`cargo bench -p domo-actors --bench instructions -- tell 200000`), it does the
//! same work once and prints the wall time, for a quick check.

use std::time::Instant;

mod common;

use common::{domo, raw};

/// The actors of the `spread`, `fan` and `scatter` workloads: the many-actors shape on one
/// thread (the criterion rows use 10,000 and 100,000 on two workers).
const MANY: usize = 1_000;
use domo_actors::Stage;

fn main() {
    // Cargo passes `--bench` to bench binaries: the count is the first numeric argument.
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let count: u64 = arguments
        .iter()
        .find_map(|argument| argument.parse().ok())
        .unwrap_or(200_000);
    let baseline = arguments.iter().any(|argument| argument == "raw");
    // `two`: the counter is created with two protocols, so its proxy sends through a
    // `Destination` rather than to a local cell of its own protocol.
    let two = arguments.iter().any(|argument| argument == "two");
    let counter = if two {
        domo::counter_of_two
    } else {
        domo::counter
    };
    let workload = [
        "tell", "ask", "spawn", "pingpong", "spread", "fan", "scatter",
    ]
    .into_iter()
    .find(|workload| arguments.iter().any(|argument| argument == workload))
    .unwrap_or("tell");
    // `mt`: on the 2-worker runtime of the criterion benches instead (for `perf`, not for
    // callgrind's counts); `many=N`: N actors for `spread`, `fan` and `scatter`.
    let multi_thread = arguments.iter().any(|argument| argument == "mt");
    let runtime = if multi_thread {
        common::runtime()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    };
    let many: usize = arguments
        .iter()
        .find_map(|argument| argument.strip_prefix("many=")?.parse().ok())
        .unwrap_or(MANY);
    let work = async move {
        match (workload, baseline) {
            ("tell", false) => tell(count, counter).await,
            ("tell", true) => tell_raw(count).await,
            ("ask", false) => {
                let stage = Stage::new();
                let counter = counter(&stage);
                for n in 1..=count {
                    assert_eq!(counter.add(1).await, n);
                }
                stage.close().await;
            }
            ("ask", true) => {
                let (counter, task) = raw::Counter::spawn();
                for n in 1..=count {
                    assert_eq!(counter.add(1).await, n);
                }
                drop(counter);
                task.await.expect("the counter task ends cleanly");
            }
            ("pingpong", false) => {
                domo::ping_pong(count).await;
            }
            ("spread", false) => {
                domo::tell_spread(many, count).await;
            }
            ("spread", true) => {
                raw::tell_spread(many, count).await;
            }
            ("fan", false) => {
                let stage = Stage::new();
                let (sink, workers) = domo::fan(&stage, many);
                for _ in 0..count {
                    domo::fan_round(&sink, &workers).await;
                }
                stage.close().await;
            }
            ("fan", true) => {
                let (sink, workers) = raw::fan(many);
                for _ in 0..count {
                    raw::fan_round(&sink.0, &workers.0).await;
                }
                raw::end_fan(sink, workers).await;
            }
            ("scatter", false) => {
                let stage = Stage::new();
                let counters = domo::idle(&stage, many).await;
                for round in 1..=count {
                    let answers: Vec<_> = counters.iter().map(|c| c.add(1)).collect();
                    for answer in answers {
                        assert_eq!(answer.await, round);
                    }
                }
                stage.close().await;
            }
            ("scatter", true) => {
                let counters = raw::idle(many).await;
                for round in 1..=count {
                    let answers: Vec<_> = counters.iter().map(|(c, _)| c.add_soon(1)).collect();
                    for answer in answers {
                        assert_eq!(answer.await.expect("answered"), round);
                    }
                }
                raw::end(counters).await;
            }
            ("pingpong", true) => {
                raw::ping_pong(count).await;
            }
            (_, false) => {
                let stage = Stage::new();
                let counters = domo::idle(&stage, count as usize).await;
                stage.close().await;
                assert!(counters.iter().all(domo::CounterProxy::is_stopped));
            }
            (_, true) => {
                for (counter, task) in raw::idle(count as usize).await {
                    drop(counter);
                    task.await.expect("a counter ends");
                }
            }
        }
    };
    let started = Instant::now();
    if multi_thread {
        // In a spawned task, as the criterion benches run (not on `block_on`'s thread).
        common::run(&runtime, work);
    } else {
        runtime.block_on(work);
    }
    let which = if baseline { "raw tokio" } else { "domo-actors" };
    println!("{which}: {count} x {workload}: {:?}", started.elapsed());
}

async fn tell(tells: u64, counter: fn(&Stage) -> domo::CounterProxy) {
    let stage = Stage::new();
    let counter = counter(&stage);
    for _ in 0..tells {
        counter.increment();
    }
    assert_eq!(counter.value().await, tells);
    stage.close().await;
}

async fn tell_raw(tells: u64) {
    let (counter, task) = raw::Counter::spawn();
    for _ in 0..tells {
        counter.increment();
    }
    assert_eq!(counter.value().await, tells);
    drop(counter);
    task.await.expect("the counter task ends cleanly");
}
