//! Heap allocations per tell and per ask on the generated-proxy path, counted by a global
//! allocator. The bounds are today's numbers (see BENCHMARKS.md): a change that allocates more
//! fails here; a change that allocates less should tighten them.
//!
//! Each test runs a current-thread runtime on its own thread, so every allocation of the caller,
//! the mailbox, the actor task and the reply happens on that thread; the counter is
//! per thread, so tests running side by side do not disturb each other. Each measurement follows
//! a warm-up of the same loop, so that queues and the runtime have already grown to size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use domo_actors::{Actor, Definition, Stage, actor_protocol};

/// Counts the allocations (and bytes) made by the current thread.
struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

fn count(size: usize) {
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
    let _ = BYTES.try_with(|n| n.set(n.get() + size as u64));
}

// SAFETY: forwards every call to the system allocator unchanged; counting touches only
// const-initialised thread-locals without destructors (it never allocates).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// (allocations, bytes) made by this thread so far.
fn allocated() -> (u64, u64) {
    (ALLOCATIONS.with(Cell::get), BYTES.with(Cell::get))
}

#[actor_protocol]
pub trait Counter {
    async fn increment(&mut self);
    async fn add(&mut self, n: u64) -> u64;
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
}

const LOOP: u64 = 10_000;

/// Allocations per operation, measured over `LOOP` operations after a warm-up of as many, on a
/// current-thread runtime: `body(counter, round)` runs one round of `LOOP` operations.
fn measure<F, Fut>(body: F) -> (f64, f64)
where
    F: Fn(CounterProxy, u64) -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let stage = Stage::new();
        let counter: CounterProxy = stage
            .actor_for(Definition::new(|| CounterActor { count: 0 }))
            .expect("the stage is open");
        body(counter.clone(), 1).await; // warm-up
        let (allocations, bytes) = allocated();
        body(counter.clone(), 2).await;
        let (allocations_after, bytes_after) = allocated();
        stage.close().await;
        (
            (allocations_after - allocations) as f64 / LOOP as f64,
            (bytes_after - bytes) as f64 / LOOP as f64,
        )
    })
}

fn report(what: &str, (allocations, bytes): (f64, f64)) {
    println!("{what}: {allocations:.4} allocations, {bytes:.1} bytes per operation");
}

/// A burst of tells (promises dropped), then one ask that waits for their delivery: the cost of
/// a tell to a busy actor, its delivery included (the one ask is amortised over the burst).
#[test]
fn a_tell_in_a_burst_allocates_nothing() {
    let per_tell = measure(|counter, round| async move {
        for _ in 0..LOOP {
            counter.increment();
        }
        assert_eq!(counter.add(0).await, round * LOOP);
    });
    report("tell (burst of 10,000, then one ask)", per_tell);
    // A `()` method's promise is settled by the actor's ledger, not a reply channel: nothing
    // per tell. What the burst allocates at all is the queue's own: its buffer doubles as the
    // burst piles up (about log2(10,000) = 14 times; an idle mailbox gives its buffer back),
    // plus the one ask and the actor's activation.
    let burst_allowance = 2.0 * (LOOP as f64).log2() + 2.0;
    assert!(
        per_tell.0 * LOOP as f64 <= burst_allowance,
        "a burst of {LOOP} tells allocates {:.0} times (bound: {burst_allowance:.0}, the queue's \
         growth)",
        per_tell.0 * LOOP as f64
    );
}

/// One tell at a time, each delivered before the next (the caller yields): every tell finds the
/// actor's queue empty.
#[test]
fn a_tell_to_an_idle_actor_allocates_at_most_once() {
    let per_tell = measure(|counter, _| async move {
        for _ in 0..LOOP {
            counter.increment();
            tokio::task::yield_now().await;
        }
    });
    report("tell (actor idle: each tell wakes it)", per_tell);
    // At most the actor task spawned to wake the idle actor (none when it is still lingering
    // after its last message, see `Linger` in `linger.rs`).
    assert!(
        per_tell.0 <= 1.0,
        "a tell to an idle actor allocates {:.3} times (bound: 1)",
        per_tell.0
    );
}

/// Sequential asks: each finds the actor idle, wakes it and waits for the answer.
#[test]
fn an_ask_allocates_at_most_once() {
    let per_ask = measure(|counter, round| async move {
        let first = (round - 1) * LOOP;
        for i in 1..=LOOP {
            assert_eq!(counter.add(1).await, first + i);
        }
    });
    report("ask (sequential)", per_ask);
    // The reply channel. (The actor task lingers between asks instead of being
    // spawned again.)
    assert!(
        per_ask.0 <= 1.0,
        "an ask allocates {:.3} times (bound: 1)",
        per_ask.0
    );
    // And that channel is small: its answer's error is boxed (an `ActorError` inline made it
    // 136 bytes). The bound leaves room for tokio's channel header to grow a little.
    assert!(
        per_ask.1 <= 96.0,
        "an ask allocates {:.1} bytes (bound: 96)",
        per_ask.1
    );
}

/// Counts into a total shared with the test.
#[actor_protocol]
pub trait Tally {
    async fn increment(&mut self);
}

#[derive(Actor)]
struct TallyActor {
    total: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Tally for TallyActor {
    async fn increment(&mut self) {
        self.total
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Tells spread over many actors, each delivered before the next round: every tell activates an
/// idle actor (issue 15's many-actors shape), and none may allocate (no task spawned, no queue
/// buffer grown: a runner of the type takes the activation, and an idle mailbox keeps room for
/// one message).
#[test]
fn a_tell_spread_over_many_idle_actors_allocates_nothing() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};

    // As many receivers as the `tell_spread_10k` row of the benches.
    const ACTORS: usize = 10_000;
    const ROUNDS: u64 = 10;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let per_tell = runtime.block_on(async {
        let stage = Stage::new();
        let total = Arc::new(AtomicU64::new(0));
        let tallies: Vec<TallyProxy> = (0..ACTORS)
            .map(|_| {
                let total = Arc::clone(&total);
                stage
                    .actor_for(Definition::new(move || TallyActor {
                        total: Arc::clone(&total),
                    }))
                    .expect("the stage is open")
            })
            .collect();
        let round = |rounds_before: u64| {
            let (tallies, total) = (&tallies, &total);
            async move {
                for tally in tallies {
                    tally.increment();
                }
                // Until every actor has handled its tell and gone idle again.
                let expected = (rounds_before + 1) * ACTORS as u64;
                while total.load(Ordering::Relaxed) < expected {
                    tokio::task::yield_now().await;
                }
            }
        };
        round(0).await; // warm-up: first activations, runners, queue buffers
        round(1).await;
        let (allocations, bytes) = allocated();
        for r in 2..2 + ROUNDS {
            round(r).await;
        }
        let (allocations_after, bytes_after) = allocated();
        stage.close().await;
        let tells = (ROUNDS * ACTORS as u64) as f64;
        (
            (allocations_after - allocations) as f64 / tells,
            (bytes_after - bytes) as f64 / tells,
        )
    });
    report("tell (spread over 10,000 idle actors)", per_tell);
    assert!(
        per_tell.0 <= 0.001,
        "a tell that activates an idle actor allocates {:.4} times (bound: 0)",
        per_tell.0
    );
}
