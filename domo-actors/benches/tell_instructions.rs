//! A fixed number of tells to one actor (the `Counter` of the other benches) on a
//! current-thread runtime, then one ask: a program to
//! run under `valgrind --tool=callgrind`, whose instruction counts (unlike times on this machine)
//! repeat from run to run. BENCHMARKS.md quotes them per tell:
//!
//! ```sh
//! cargo bench -p domo-actors --bench tell_instructions --no-run
//! valgrind --tool=callgrind target/release/deps/tell_instructions-* 200000
//! callgrind_annotate callgrind.out.*
//! ```
//!
//! Run directly (`cargo bench -p domo-actors --bench tell_instructions`), it does the same work
//! once and prints the wall time, for a quick check.

use std::time::Instant;

mod common;

use common::domo;
use domo_actors::Stage;

fn main() {
    // Cargo passes `--bench` to bench binaries: the count is the first numeric argument.
    let tells: u64 = std::env::args()
        .skip(1)
        .find_map(|argument| argument.parse().ok())
        .unwrap_or(200_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let started = Instant::now();
    runtime.block_on(async {
        let stage = Stage::new();
        let counter = domo::counter(&stage);
        for _ in 0..tells {
            counter.increment();
        }
        assert_eq!(counter.value().await, tells);
        stage.close().await;
    });
    println!("{tells} tells then one ask: {:?}", started.elapsed());
}
