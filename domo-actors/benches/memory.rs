//! Resident memory per idle actor: `cargo bench -p domo-actors --bench memory`.
//!
//! Creates 100,000 actors, asks each once (so each is built and started), and reads the process's
//! resident memory (`VmRSS`) before and after; the difference divided by 100,000 is the cost of
//! one idle actor, including its proxy or sender held by the caller (8 bytes; the raw tokio
//! baseline also keeps each task's `JoinHandle` to await its teardown: 8 more bytes).
//!
//! Freed memory stays in the allocator, so a second repetition in the same process would reuse
//! it and read low: each repetition runs in a fresh process (this binary re-executed with
//! `DOMO_MEMORY_CHILD` set), after one warm-up actor so that the runtime's own first allocations
//! are not counted. Every repetition also closes what it created and waits for the teardown
//! before it exits, and reports how long that took.
//!
//! A counting global allocator also gives the live heap bytes and the live allocations per idle
//! actor (what the actors hold, without the allocator's own overhead and fragmentation), which
//! says where the resident bytes go.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::process::Command;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use domo_actors::Stage;

/// Counts live heap bytes and live allocations (relaxed atomics: a few nanoseconds per call,
/// irrelevant here, where only memory is measured).
struct Counting;

static LIVE_BYTES: AtomicI64 = AtomicI64::new(0);
static LIVE_ALLOCATIONS: AtomicI64 = AtomicI64::new(0);

// SAFETY: forwards every call to the system allocator unchanged; counting never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as i64, Ordering::Relaxed);
        LIVE_ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as i64, Ordering::Relaxed);
        LIVE_ALLOCATIONS.fetch_sub(1, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size as i64 - layout.size() as i64, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What the process holds now: (resident bytes, live heap bytes, live allocations).
#[derive(Clone, Copy)]
struct Snapshot(u64, i64, i64);

fn snapshot() -> Snapshot {
    Snapshot(
        common::resident_bytes(),
        LIVE_BYTES.load(Ordering::Relaxed),
        LIVE_ALLOCATIONS.load(Ordering::Relaxed),
    )
}

/// Per actor: (resident bytes, heap bytes, allocations).
fn per_actor(before: Snapshot, after: Snapshot, actors: usize) -> (u64, f64, f64) {
    let n = actors as f64;
    (
        after.0.saturating_sub(before.0) / actors as u64,
        (after.1 - before.1) as f64 / n,
        (after.2 - before.2) as f64 / n,
    )
}

const REPETITIONS: usize = 5;
const CHILD: &str = "DOMO_MEMORY_CHILD";

/// One repetition, in this (fresh) process: prints
/// `<resident bytes> <heap bytes> <allocations> <teardown ns>` per idle actor.
fn child(which: &str) {
    let runtime = common::runtime();
    let actors = common::SPAWNS;
    let ((resident, heap, allocations), teardown) = common::run(&runtime, {
        let which = which.to_owned();
        async move {
            match which.as_str() {
                "domo" => {
                    let stage = Stage::new();
                    drop(common::domo::idle(&stage, 1).await);
                    let before = snapshot();
                    let counters = common::domo::idle(&stage, actors).await;
                    let after = snapshot();
                    let start = Instant::now();
                    stage.close().await;
                    let teardown = start.elapsed();
                    drop(counters);
                    (per_actor(before, after, actors), teardown)
                }
                "raw_tokio" => {
                    drop(common::raw::idle(1).await);
                    let before = snapshot();
                    let counters = common::raw::idle(actors).await;
                    let after = snapshot();
                    let start = Instant::now();
                    let tasks: Vec<_> = counters.into_iter().map(|(_, task)| task).collect();
                    for task in tasks {
                        task.await.expect("a counter ends");
                    }
                    (per_actor(before, after, actors), start.elapsed())
                }
                other => panic!("unknown implementation {other}"),
            }
        }
    });
    println!(
        "{resident} {heap:.1} {allocations:.2} {}",
        teardown.as_nanos()
    );
}

fn main() {
    if let Ok(which) = std::env::var(CHILD) {
        child(&which);
        return;
    }
    let exe = std::env::current_exe().expect("this binary's path");
    println!(
        "resident memory per idle actor, {} actors, median of {REPETITIONS} fresh processes",
        common::SPAWNS
    );
    println!();
    println!(
        "| implementation | resident bytes per idle actor (median) | all runs | live heap bytes per actor | live allocations per actor | teardown of 100k (median) |"
    );
    println!("|---|---|---|---|---|---|");
    for which in ["raw_tokio", "domo"] {
        let mut resident = Vec::new();
        let mut heap = Vec::new();
        let mut teardowns = Vec::new();
        let mut allocations = 0.0;
        for _ in 0..REPETITIONS {
            let output = Command::new(&exe)
                .env(CHILD, which)
                .output()
                .expect("re-executing the memory bench");
            assert!(
                output.status.success(),
                "{which}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let stdout = String::from_utf8(output.stdout).expect("UTF-8");
            let fields: Vec<f64> = stdout
                .split_whitespace()
                .map(|field| field.parse().expect("numbers"))
                .collect();
            let [bytes, heap_bytes, allocated, teardown] = fields[..] else {
                panic!("`<resident> <heap> <allocations> <ns>`, got {stdout:?}");
            };
            resident.push(bytes as u64);
            heap.push(heap_bytes);
            allocations = allocated;
            teardowns.push(Duration::from_nanos(teardown as u64));
        }
        let mut sorted = resident.clone();
        sorted.sort_unstable();
        heap.sort_by(f64::total_cmp);
        println!(
            "| {which} | {} B | {resident:?} | {:.0} B | {allocations:.1} | {:.1} ms |",
            sorted[sorted.len() / 2],
            heap[heap.len() / 2],
            common::median(&mut teardowns).as_secs_f64() * 1e3
        );
    }
}
