//! Resident memory comes back (issue 13, item 3): stages filled with actors, then closed, or
//! dropped without a close, leave nothing behind once their last handle is dropped.
//!
//! One test in its own binary, since it reads the whole process's resident memory
//! (`/proc/self/statm`, after glibc's `malloc_trim(0)` hands freed memory back to the system):
//! another test running alongside would move it. Each phase runs a few warm-up cycles (the
//! allocator, the runtime and the tracing registry keep what they first allocate), reads the
//! resident memory, runs 50 more cycles and reads it again. Before the fix each cycle kept what
//! it created (about 70 bytes per actor closed, 880 per actor dropped unclosed, 5 KB per stage):
//! the margin is a small fraction of that.

#![cfg(all(target_os = "linux", target_env = "gnu"))]

use std::sync::Arc;
use std::time::Duration;

use domo_actors::{DeadLetter, Definition, Stage};
use domo_actors_suite::{CounterActor, CounterProxy};
use domo_actors_testkit::{AwaitOptions, ObservableState, await_state_value_with};

unsafe extern "C" {
    /// glibc: returns the free memory of every arena to the system.
    fn malloc_trim(pad: usize) -> i32;
}

/// Resident bytes, after handing freed memory back to the system.
fn trimmed_resident_bytes() -> u64 {
    // SAFETY: `malloc_trim` only walks glibc's own arenas; it takes no pointer.
    unsafe { malloc_trim(0) };
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|resident| resident.parse().ok())
        .expect("the resident size in /proc/self/statm");
    pages * 4096
}

/// Actors per cycle, in stages of `ACTORS / STAGES` actors.
const ACTORS: usize = 4_000;
const STAGES: usize = 4;
const WARM_UP: usize = 5;
const CYCLES: usize = 50;
/// What 50 cycles may leave behind: against 14 MB for the closed stages and 176 MB for the
/// dropped ones before the fix.
const MARGIN: u64 = 3 << 20;

/// One cycle: stages of actors (each asked, so built and started), each holding references back
/// into the stage (a registered value and a dead-letter listener holding a proxy, a scheduled
/// task), closed or only dropped; then waits until every definition was dropped.
async fn cycle(close: bool) {
    let definitions = Arc::new(());
    for _ in 0..STAGES {
        let stage = Stage::new();
        let mut counters = Vec::with_capacity(ACTORS / STAGES);
        for _ in 0..ACTORS / STAGES {
            let token = Arc::clone(&definitions);
            let counter: CounterProxy = stage
                .actor_for(Definition::new(move || {
                    let _ = &token;
                    CounterActor::default()
                }))
                .unwrap();
            counter.increment();
            counters.push(counter);
        }
        for counter in &counters {
            assert_eq!(counter.value().await, 1);
        }
        let first = counters[0].clone();
        stage.register_value("first", first.clone());
        stage
            .dead_letters()
            .subscribe(move |_: &DeadLetter| drop(first.clone()));
        stage.scheduler().schedule_repeat_to(
            &counters[1],
            Duration::from_secs(3600),
            Duration::from_secs(3600),
            |counter| {
                counter.increment();
            },
        );
        if close {
            stage.close().await;
        }
        drop((stage, counters));
    }
    let every_millisecond = AwaitOptions::new()
        .with_timeout(Duration::from_secs(10))
        .with_interval(Duration::from_millis(1));
    // Polled without a panic per try: a panic's message and backtrace would be memory too.
    let live = || async {
        ObservableState::new().with_value("definitions", Arc::strong_count(&definitions) - 1)
    };
    await_state_value_with(every_millisecond, live, "definitions", 0usize).await;
}

/// Resident growth over `CYCLES` cycles, after the warm-up.
fn growth(runtime: &tokio::runtime::Runtime, close: bool) -> u64 {
    let run = |cycles: usize| {
        runtime.block_on(async {
            tokio::spawn(async move {
                for _ in 0..cycles {
                    cycle(close).await;
                }
            })
            .await
            .unwrap()
        })
    };
    run(WARM_UP);
    let before = trimmed_resident_bytes();
    run(CYCLES);
    let after = trimmed_resident_bytes();
    eprintln!(
        "{}: {} KiB before, {} KiB after {CYCLES} cycles of {ACTORS} actors",
        if close { "closed" } else { "dropped unclosed" },
        before >> 10,
        after >> 10
    );
    after.saturating_sub(before)
}

#[test]
fn stages_closed_or_dropped_give_their_memory_back() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let closed = growth(&runtime, true);
    assert!(closed < MARGIN, "closed stages kept {closed} bytes");
    let dropped = growth(&runtime, false);
    assert!(
        dropped < MARGIN,
        "stages dropped unclosed kept {dropped} bytes"
    );
}
