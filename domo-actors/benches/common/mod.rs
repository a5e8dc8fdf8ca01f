//! The workloads of `BENCHMARKS.md`, written once for domo-actors and once for the raw tokio
//! baseline (a task owning the state, a tokio unbounded mpsc channel, a oneshot per ask).
//!
//! Shared, through `#[path]`, by the criterion benches (`benches/workloads.rs`), the memory bench
//! (`benches/memory.rs`) and the peer comparison (`benches/peers/`), so that every table measures
//! the same code. Each workload runs inside a task spawned on a 2-worker multi-thread runtime
//! (see [`run`]) and returns the time of its measured part only: setup and teardown (creating
//! the stage, closing it, stopping the tasks) are outside the clock, but always awaited before
//! the workload returns, so the next repetition starts from a quiet runtime.

// Each bench target uses a different part of this module.
#![allow(dead_code)]

use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::runtime::Runtime;

/// (1) tells to one actor, then one ask that checks the count.
pub const TELLS: u64 = 1_000_000;
/// (2) sequential asks to one actor.
pub const ASKS: u64 = 100_000;
/// (3) actors asked concurrently.
pub const CONCURRENT_ACTORS: usize = 100;
/// (3) caller tasks asking concurrently.
pub const CONCURRENT_CALLERS: usize = 10;
/// (3) asks in all, shared by the callers.
pub const CONCURRENT_ASKS: u64 = 100_000;
/// (4) actors created, then asked once each; also the actors closed by "close 100k" and the
/// idle actors of the memory bench.
pub const SPAWNS: usize = 100_000;
/// (5) ping-pong round trips (two messages each).
pub const ROUND_TRIPS: u64 = 100_000;
/// (6) stages started and closed.
pub const STAGES: usize = 1_000;
/// (8): receivers of the spread tells, and the tells.
pub const SPREAD_RECEIVERS: usize = 10_000;
pub const SPREAD_TELLS: u64 = 1_000_000;
/// (9): workers fanned out to (and back in from).
pub const FAN_ACTORS: usize = 100_000;
/// (10): actors asked at once.
pub const SCATTER_ACTORS: usize = 100_000;
/// (7) caller tasks asking one actor once each, all at once (issue 13).
pub const MANY_CALLERS: [usize; 3] = [1_000, 8_000, 32_000];

/// The runtime of every workload: tokio multi-thread with 2 workers (this machine has 2 cores).
pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs `workload` in a task spawned on `runtime`, not on the thread blocked in `block_on`
/// (waking that thread is much slower than waking a worker, and would distort every ask).
pub fn run<T, F>(runtime: &Runtime, workload: F) -> T
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    runtime.block_on(async move { tokio::spawn(workload).await.expect("the workload panicked") })
}

/// How a workload's time is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// Operations per second (higher is better).
    Rate,
    /// Time per operation (lower is better).
    PerOp,
    /// Time of the whole workload (lower is better).
    Total,
}

/// One row of the tables.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    /// The criterion group name, also the row's key.
    pub id: &'static str,
    /// What the row says.
    pub title: &'static str,
    /// Operations in one run (messages, asks, actors, round trips, stages).
    pub ops: u64,
    pub metric: Metric,
}

pub const TELL: Workload = Workload {
    id: "tell_1m",
    title: "tell: 1 actor, 1M tells then one ask",
    ops: TELLS,
    metric: Metric::Rate,
};
pub const ASK: Workload = Workload {
    id: "ask_100k",
    title: "ask: 100k sequential, per ask",
    ops: ASKS,
    metric: Metric::PerOp,
};
pub const CONCURRENT_ASK: Workload = Workload {
    id: "concurrent_ask_100k",
    title: "ask: 10 callers -> 100 actors, 100k in all",
    ops: CONCURRENT_ASKS,
    metric: Metric::Rate,
};
pub const SPAWN: Workload = Workload {
    id: "spawn_100k",
    title: "spawn 100k actors, then ask each once",
    ops: SPAWNS as u64,
    metric: Metric::Rate,
};
pub const PING_PONG: Workload = Workload {
    id: "ping_pong_100k",
    title: "ping-pong: 2 actors, per round trip",
    ops: ROUND_TRIPS,
    metric: Metric::PerOp,
};
pub const STAGE: Workload = Workload {
    id: "stage_start_close",
    title: "stage: start then close (empty), each",
    ops: STAGES as u64,
    metric: Metric::PerOp,
};
pub const CLOSE: Workload = Workload {
    id: "close_100k",
    title: "close 100k idle actors (whole teardown)",
    ops: SPAWNS as u64,
    metric: Metric::Total,
};

pub const TELL_SPREAD: Workload = Workload {
    id: "tell_spread_10k",
    title: "tell: 1M over 10k actors, then one ask each",
    ops: SPREAD_TELLS,
    metric: Metric::Rate,
};
pub const FAN_OUT_IN: Workload = Workload {
    id: "fan_out_in_100k",
    title: "fan-out / fan-in: 100k actors, one tell each, each tells a sink",
    ops: FAN_ACTORS as u64,
    metric: Metric::Rate,
};
pub const SCATTER_GATHER: Workload = Workload {
    id: "scatter_gather_100k",
    title: "scatter-gather: one ask to each of 100k actors at once",
    ops: SCATTER_ACTORS as u64,
    metric: Metric::Rate,
};

/// Every workload, in table order.
pub const WORKLOADS: [Workload; 10] = [
    TELL,
    ASK,
    CONCURRENT_ASK,
    SPAWN,
    PING_PONG,
    STAGE,
    CLOSE,
    TELL_SPREAD,
    FAN_OUT_IN,
    SCATTER_GATHER,
];

/// (7), one row per count of [`MANY_CALLERS`]: each caller asks the one actor once, through a
/// method returning `()` (its promise a ledger ticket) or a value (a reply channel).
pub const MANY_CALLERS_WORKLOADS: [Workload; 3] = [
    many_callers(
        "many_callers_1k",
        "1k callers -> 1 actor, one ask each",
        MANY_CALLERS[0],
    ),
    many_callers(
        "many_callers_8k",
        "8k callers -> 1 actor, one ask each",
        MANY_CALLERS[1],
    ),
    many_callers(
        "many_callers_32k",
        "32k callers -> 1 actor, one ask each",
        MANY_CALLERS[2],
    ),
];

const fn many_callers(id: &'static str, title: &'static str, callers: usize) -> Workload {
    Workload {
        id,
        title,
        ops: callers as u64,
        metric: Metric::Total,
    }
}

impl Workload {
    /// The row's value for a run that took `elapsed`.
    pub fn value(&self, elapsed: Duration) -> f64 {
        let seconds = elapsed.as_secs_f64();
        match self.metric {
            Metric::Rate => self.ops as f64 / seconds,
            Metric::PerOp => seconds / self.ops as f64,
            Metric::Total => seconds,
        }
    }

    /// The value formatted with its unit.
    pub fn format(&self, elapsed: Duration) -> String {
        Value(self.metric, self.value(elapsed)).to_string()
    }

    /// `mine` measured against `baseline` in the row's own metric (a rate ratio for rates, a
    /// time ratio for times), formatted as `0.42x`.
    pub fn ratio(&self, mine: Duration, baseline: Duration) -> String {
        format!("{:.2}x", self.value(mine) / self.value(baseline))
    }
}

struct Value(Metric, f64);

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Value(metric, value) = *self;
        match metric {
            Metric::Rate if value >= 1e6 => write!(f, "{:.2} M/s", value / 1e6),
            Metric::Rate => write!(f, "{:.0} k/s", value / 1e3),
            Metric::PerOp | Metric::Total => {
                let ns = value * 1e9;
                if ns < 10_000.0 {
                    write!(f, "{ns:.0} ns")
                } else if ns < 10_000_000.0 {
                    write!(f, "{:.1} µs", ns / 1e3)
                } else {
                    write!(f, "{:.1} ms", ns / 1e6)
                }
            }
        }
    }
}

/// The median of `samples` (sorted in place).
pub fn median(samples: &mut [Duration]) -> Duration {
    assert!(!samples.is_empty(), "no samples");
    samples.sort();
    let middle = samples.len() / 2;
    if samples.len() % 2 == 1 {
        samples[middle]
    } else {
        (samples[middle - 1] + samples[middle]) / 2
    }
}

/// Resident memory of this process: `VmRSS` in `/proc/self/status` (Linux only).
pub fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/self/status");
    kib * 1024
}

/// The workloads on domo-actors, through generated proxies.
/// The end of the `many_callers` workload, raw or not: waits until all `callers` have sent their
/// asks (`lined_up` counts them), opens the turnstile that held the actor, and waits for every
/// caller's answer.
pub async fn release_when_lined_up(
    lined_up: &std::sync::atomic::AtomicUsize,
    callers: usize,
    open: tokio::sync::oneshot::Sender<()>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
) {
    while lined_up.load(std::sync::atomic::Ordering::Relaxed) < callers {
        tokio::task::yield_now().await;
    }
    open.send(()).expect("the turnstile holds");
    for task in tasks {
        task.await.expect("a caller panicked");
    }
}

pub mod domo {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use domo_actors::{Actor, Definition, Stage, actor_protocol};
    use tokio::sync::oneshot;

    /// The counter of workloads (1)-(4).
    #[actor_protocol]
    pub trait Counter {
        /// Adds one (sent as a tell).
        async fn increment(&mut self);
        /// Adds `n`, answers the new count.
        async fn add(&mut self, n: u64) -> u64;
        /// Answers the count.
        async fn value(&mut self) -> u64;
    }

    #[derive(Actor)]
    pub struct CounterActor {
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

        async fn value(&mut self) -> u64 {
            self.count
        }
    }

    pub fn counter(stage: &Stage) -> CounterProxy {
        stage
            .actor_for(Definition::new(|| CounterActor { count: 0 }))
            .expect("the stage is open")
    }

    /// A second protocol of the counter: its proxies reach the counter through a
    /// `Destination` (a virtual call per send) instead of a local cell of their own.
    #[actor_protocol]
    pub trait Tally {
        /// Answers the count.
        async fn total(&mut self) -> u64;
    }

    impl Tally for CounterActor {
        async fn total(&mut self) -> u64 {
            self.count
        }
    }

    /// A counter created with two protocols; its `Counter` proxy sends through a destination.
    pub fn counter_of_two(stage: &Stage) -> CounterProxy {
        let (counter, _tally): (CounterProxy, TallyProxy) = stage
            .actor_for(Definition::new(|| CounterActor { count: 0 }))
            .expect("the stage is open");
        counter
    }

    /// (1) `tells` tells whose promises are dropped, then one ask that checks the count.
    pub async fn tell(tells: u64) -> Duration {
        let stage = Stage::new();
        let counter = counter(&stage);
        assert_eq!(counter.value().await, 0, "started before the clock");
        let start = Instant::now();
        for _ in 0..tells {
            counter.increment();
        }
        assert_eq!(counter.value().await, tells);
        let elapsed = start.elapsed();
        stage.close().await;
        elapsed
    }

    /// (2) `asks` sequential asks.
    pub async fn ask(asks: u64) -> Duration {
        let stage = Stage::new();
        let counter = counter(&stage);
        assert_eq!(counter.value().await, 0, "started before the clock");
        let start = Instant::now();
        let mut last = 0;
        for _ in 0..asks {
            last = counter.add(1).await;
        }
        let elapsed = start.elapsed();
        assert_eq!(last, asks);
        stage.close().await;
        elapsed
    }

    /// (3) `callers` tasks share `asks` asks over `actors` actors, each caller cycling through
    /// all of them from its own offset.
    pub async fn concurrent_ask(actors: usize, callers: usize, asks: u64) -> Duration {
        let stage = Stage::new();
        let counters: Arc<Vec<CounterProxy>> =
            Arc::new((0..actors).map(|_| counter(&stage)).collect());
        for counter in counters.iter() {
            assert_eq!(counter.value().await, 0, "started before the clock");
        }
        let per_caller = asks / callers as u64;
        let start = Instant::now();
        let tasks: Vec<_> = (0..callers)
            .map(|caller| {
                let counters = Arc::clone(&counters);
                tokio::spawn(async move {
                    let offset = caller * actors / callers;
                    for i in 0..per_caller as usize {
                        counters[(offset + i) % actors].add(1).await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a caller panicked");
        }
        let elapsed = start.elapsed();
        let mut total = 0;
        for counter in counters.iter() {
            total += counter.value().await;
        }
        assert_eq!(total, per_caller * callers as u64);
        stage.close().await;
        elapsed
    }

    /// The actor of workload (7): held shut while the callers line up, then passed by each.
    #[actor_protocol]
    pub trait Turnstile {
        /// Holds every later message until `open` is sent (or dropped).
        async fn hold(&mut self, open: oneshot::Receiver<()>);
        /// Counts a pass (returns `()`: its promise is a ledger ticket).
        async fn pass(&mut self);
        /// Counts a pass, answers the count (a reply channel).
        async fn pass_counted(&mut self) -> u64;
        /// Answers the count.
        async fn passes(&mut self) -> u64;
    }

    #[derive(Actor, Default)]
    pub struct TurnstileActor {
        passes: u64,
    }

    impl Turnstile for TurnstileActor {
        async fn hold(&mut self, open: oneshot::Receiver<()>) {
            let _ = open.await;
        }

        async fn pass(&mut self) {
            self.passes += 1;
        }

        async fn pass_counted(&mut self) -> u64 {
            self.passes += 1;
            self.passes
        }

        async fn passes(&mut self) -> u64 {
            self.passes
        }
    }

    /// (7) `callers` tasks each ask one actor once, all waiting at the same time: the actor is
    /// held until every caller has sent its ask and is about to await it. `pass().await` if
    /// `unit` (a `()`-returning method: its promise is a ledger ticket), `pass_counted().await`
    /// otherwise (a reply channel). Timed from the first spawn to the last caller's end.
    pub async fn many_callers(callers: usize, unit: bool) -> Duration {
        let stage = Stage::new();
        let turnstile: TurnstileProxy = stage
            .actor_for(Definition::new(TurnstileActor::default))
            .expect("the stage is open");
        assert_eq!(turnstile.passes().await, 0, "started before the clock");
        let (open, opened) = oneshot::channel();
        turnstile.hold(opened);
        let lined_up = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let tasks: Vec<_> = (0..callers)
            .map(|_| {
                let turnstile = turnstile.clone();
                let lined_up = Arc::clone(&lined_up);
                tokio::spawn(async move {
                    if unit {
                        let pass = turnstile.pass();
                        lined_up.fetch_add(1, Ordering::Relaxed);
                        pass.await;
                    } else {
                        let pass = turnstile.pass_counted();
                        lined_up.fetch_add(1, Ordering::Relaxed);
                        pass.await;
                    }
                })
            })
            .collect();
        super::release_when_lined_up(&lined_up, callers, open, tasks).await;
        let elapsed = start.elapsed();
        assert_eq!(turnstile.passes().await, callers as u64);
        stage.close().await;
        elapsed
    }

    /// `actors` counters, each asked once (so each is built and started), then idle.
    pub async fn idle(stage: &Stage, actors: usize) -> Vec<CounterProxy> {
        let counters: Vec<CounterProxy> = (0..actors).map(|_| counter(stage)).collect();
        for counter in &counters {
            assert_eq!(counter.value().await, 0);
        }
        counters
    }

    /// (4) and "close 100k": creates `actors` actors and asks each once (the first time), then
    /// closes the stage (the second time).
    pub async fn spawn_then_close(actors: usize) -> (Duration, Duration) {
        let stage = Stage::new();
        let start = Instant::now();
        let counters = idle(&stage, actors).await;
        let spawned = start.elapsed();
        let start = Instant::now();
        stage.close().await;
        let closed = start.elapsed();
        assert!(counters.iter().all(CounterProxy::is_stopped));
        (spawned, closed)
    }

    /// The players of workload (5): each bounces the ball back to its peer until the count runs
    /// out; the server is told when it does.
    #[actor_protocol]
    pub trait Player {
        /// Whom to bounce the ball to.
        async fn set_peer(&mut self, peer: PlayerProxy);
        /// Starts a rally of `hops` messages; `done` is sent when the last one arrives here.
        async fn serve(&mut self, hops: u64, done: oneshot::Sender<()>);
        /// The ball, with the hops left.
        async fn ball(&mut self, hops: u64);
    }

    #[derive(Actor, Default)]
    pub struct PlayerActor {
        peer: Option<PlayerProxy>,
        done: Option<oneshot::Sender<()>>,
    }

    impl Player for PlayerActor {
        async fn set_peer(&mut self, peer: PlayerProxy) {
            self.peer = Some(peer);
        }

        async fn serve(&mut self, hops: u64, done: oneshot::Sender<()>) {
            self.done = Some(done);
            self.ball(hops).await;
        }

        async fn ball(&mut self, hops: u64) {
            if hops == 0 {
                if let Some(done) = self.done.take() {
                    let _ = done.send(());
                }
            } else {
                self.peer.as_ref().expect("a peer").ball(hops - 1);
            }
        }
    }

    /// (5) `round_trips` round trips between two actors (two tells each, promises dropped).
    pub async fn ping_pong(round_trips: u64) -> Duration {
        let stage = Stage::new();
        let ping: PlayerProxy = stage
            .actor_for(Definition::new(PlayerActor::default))
            .expect("the stage is open");
        let pong: PlayerProxy = stage
            .actor_for(Definition::new(PlayerActor::default))
            .expect("the stage is open");
        ping.set_peer(pong.clone()).await;
        pong.set_peer(ping.clone()).await;
        let (done, finished) = oneshot::channel();
        let start = Instant::now();
        ping.serve(2 * round_trips, done);
        finished.await.expect("the rally ends");
        let elapsed = start.elapsed();
        stage.close().await;
        elapsed
    }

    /// (8) `tells` tells spread round-robin over `receivers` counters (each started before
    /// the clock), then one ask of each, all sent before any is awaited, whose answers must add
    /// up to `tells`.
    pub async fn tell_spread(receivers: usize, tells: u64) -> Duration {
        let stage = Stage::new();
        let counters = idle(&stage, receivers).await;
        let start = Instant::now();
        for i in 0..tells {
            counters[(i % receivers as u64) as usize].increment();
        }
        let answers: Vec<_> = counters.iter().map(CounterProxy::value).collect();
        let mut total = 0;
        for answer in answers {
            total += answer.await;
        }
        let elapsed = start.elapsed();
        assert_eq!(total, tells);
        stage.close().await;
        elapsed
    }

    /// (10) `actors` counters each asked `add(1)` at once (a scatter), and every answer awaited
    /// (the gather); a first untimed round starts them.
    pub async fn scatter_gather(actors: usize) -> Duration {
        let stage = Stage::new();
        let counters = idle(&stage, actors).await;
        let start = Instant::now();
        let answers: Vec<_> = counters.iter().map(|counter| counter.add(1)).collect();
        let mut total = 0;
        for answer in answers {
            total += answer.await;
        }
        let elapsed = start.elapsed();
        assert_eq!(total, actors as u64);
        stage.close().await;
        elapsed
    }

    /// The workers of workload (9): each passes what it is given on to the sink.
    #[actor_protocol]
    pub trait Worker {
        /// Some work: tells the sink it is done.
        async fn work(&mut self, n: u64);
    }

    /// The sink of workload (9): counts what the workers pass on.
    #[actor_protocol]
    pub trait Sink {
        /// Expect `count` results, and send their sum on `done` when the last arrives.
        async fn expect(&mut self, count: u64, done: oneshot::Sender<u64>);
        /// One worker's result.
        async fn done(&mut self, n: u64);
    }

    #[derive(Actor)]
    pub struct WorkerActor {
        sink: SinkProxy,
    }

    impl Worker for WorkerActor {
        async fn work(&mut self, n: u64) {
            self.sink.done(n);
        }
    }

    #[derive(Actor, Default)]
    pub struct SinkActor {
        left: u64,
        sum: u64,
        done: Option<oneshot::Sender<u64>>,
    }

    impl Sink for SinkActor {
        async fn expect(&mut self, count: u64, done: oneshot::Sender<u64>) {
            self.left = count;
            self.sum = 0;
            self.done = Some(done);
        }

        async fn done(&mut self, n: u64) {
            self.sum += n;
            self.left -= 1;
            if self.left == 0 {
                if let Some(done) = self.done.take() {
                    let _ = done.send(self.sum);
                }
            }
        }
    }

    /// One round of (9): a tell to each worker, each of which tells the sink.
    pub async fn fan_round(sink: &SinkProxy, workers: &[WorkerProxy]) {
        let (done, summed) = oneshot::channel();
        sink.expect(workers.len() as u64, done);
        for worker in workers {
            worker.work(1);
        }
        assert_eq!(
            summed.await.expect("the sink answers"),
            workers.len() as u64
        );
    }

    /// The sink and `actors` workers of (9).
    pub fn fan(stage: &Stage, actors: usize) -> (SinkProxy, Vec<WorkerProxy>) {
        let sink: SinkProxy = stage
            .actor_for(Definition::new(SinkActor::default))
            .expect("the stage is open");
        let workers = (0..actors)
            .map(|_| {
                let sink = sink.clone();
                stage
                    .actor_for(Definition::new(move || WorkerActor { sink: sink.clone() }))
                    .expect("the stage is open")
            })
            .collect();
        (sink, workers)
    }

    /// (9) fan-out / fan-in: one tell to each of `actors` workers, each of which tells one
    /// sink; timed until the sink has heard from all. A first untimed round starts them.
    pub async fn fan_out_in(actors: usize) -> Duration {
        let stage = Stage::new();
        let (sink, workers) = fan(&stage, actors);
        fan_round(&sink, &workers).await;
        let start = Instant::now();
        fan_round(&sink, &workers).await;
        let elapsed = start.elapsed();
        stage.close().await;
        elapsed
    }

    /// (6) `stages` stages started and closed, one after the other.
    pub async fn stage_start_close(stages: usize) -> Duration {
        let start = Instant::now();
        for _ in 0..stages {
            let stage = Stage::new();
            stage.close().await;
        }
        start.elapsed()
    }
}

/// The same workloads on the raw tokio baseline: a task owning the state, an unbounded mpsc
/// channel, a oneshot per ask.
pub mod raw {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use tokio::sync::{mpsc, oneshot};
    use tokio::task::JoinHandle;

    enum CounterMessage {
        Increment,
        Add(u64, oneshot::Sender<u64>),
        Value(oneshot::Sender<u64>),
    }

    /// The sending half of a counter task; the task ends when every sender is dropped.
    #[derive(Clone)]
    pub struct Counter {
        sender: mpsc::UnboundedSender<CounterMessage>,
    }

    impl Counter {
        pub fn spawn() -> (Self, JoinHandle<()>) {
            let (sender, mut receiver) = mpsc::unbounded_channel();
            let task = tokio::spawn(async move {
                let mut count = 0u64;
                while let Some(message) = receiver.recv().await {
                    match message {
                        CounterMessage::Increment => count += 1,
                        CounterMessage::Add(n, reply) => {
                            count += n;
                            let _ = reply.send(count);
                        }
                        CounterMessage::Value(reply) => {
                            let _ = reply.send(count);
                        }
                    }
                }
            });
            (Self { sender }, task)
        }

        pub fn increment(&self) {
            assert!(self.sender.send(CounterMessage::Increment).is_ok());
        }

        pub async fn add(&self, n: u64) -> u64 {
            let (reply, answer) = oneshot::channel();
            assert!(self.sender.send(CounterMessage::Add(n, reply)).is_ok());
            answer.await.expect("answered")
        }

        pub async fn value(&self) -> u64 {
            let (reply, answer) = oneshot::channel();
            assert!(self.sender.send(CounterMessage::Value(reply)).is_ok());
            answer.await.expect("answered")
        }

        /// Sends an ask of the count now; the answer comes on the receiver.
        pub fn value_soon(&self) -> oneshot::Receiver<u64> {
            let (reply, answer) = oneshot::channel();
            assert!(self.sender.send(CounterMessage::Value(reply)).is_ok());
            answer
        }

        /// Sends `add(n)` now; the answer comes on the receiver.
        pub fn add_soon(&self, n: u64) -> oneshot::Receiver<u64> {
            let (reply, answer) = oneshot::channel();
            assert!(self.sender.send(CounterMessage::Add(n, reply)).is_ok());
            answer
        }
    }

    /// (1)
    pub async fn tell(tells: u64) -> Duration {
        let (counter, task) = Counter::spawn();
        assert_eq!(counter.value().await, 0, "started before the clock");
        let start = Instant::now();
        for _ in 0..tells {
            counter.increment();
        }
        assert_eq!(counter.value().await, tells);
        let elapsed = start.elapsed();
        drop(counter);
        task.await.expect("the counter ends");
        elapsed
    }

    /// (2)
    pub async fn ask(asks: u64) -> Duration {
        let (counter, task) = Counter::spawn();
        assert_eq!(counter.value().await, 0, "started before the clock");
        let start = Instant::now();
        let mut last = 0;
        for _ in 0..asks {
            last = counter.add(1).await;
        }
        let elapsed = start.elapsed();
        assert_eq!(last, asks);
        drop(counter);
        task.await.expect("the counter ends");
        elapsed
    }

    /// (3)
    pub async fn concurrent_ask(actors: usize, callers: usize, asks: u64) -> Duration {
        let (counters, tasks): (Vec<Counter>, Vec<JoinHandle<()>>) =
            (0..actors).map(|_| Counter::spawn()).unzip();
        let counters = Arc::new(counters);
        for counter in counters.iter() {
            assert_eq!(counter.value().await, 0, "started before the clock");
        }
        let per_caller = asks / callers as u64;
        let start = Instant::now();
        let callers_tasks: Vec<_> = (0..callers)
            .map(|caller| {
                let counters = Arc::clone(&counters);
                tokio::spawn(async move {
                    let offset = caller * actors / callers;
                    for i in 0..per_caller as usize {
                        counters[(offset + i) % actors].add(1).await;
                    }
                })
            })
            .collect();
        for task in callers_tasks {
            task.await.expect("a caller panicked");
        }
        let elapsed = start.elapsed();
        let mut total = 0;
        for counter in counters.iter() {
            total += counter.value().await;
        }
        assert_eq!(total, per_caller * callers as u64);
        drop(counters);
        for task in tasks {
            task.await.expect("a counter ends");
        }
        elapsed
    }

    enum TurnstileMessage {
        Hold(oneshot::Receiver<()>),
        Pass(oneshot::Sender<u64>),
    }

    /// Asks the turnstile task for a pass.
    fn pass(sender: &mpsc::UnboundedSender<TurnstileMessage>) -> oneshot::Receiver<u64> {
        let (reply, answer) = oneshot::channel();
        assert!(sender.send(TurnstileMessage::Pass(reply)).is_ok());
        answer
    }

    /// (7) `callers` tasks each ask one task once (a oneshot per ask: raw tokio has no other
    /// way to learn that a message was handled), all waiting at the same time: the task is
    /// held until every caller has sent its ask and is about to await it.
    pub async fn many_callers(callers: usize) -> Duration {
        let (sender, mut receiver) = mpsc::unbounded_channel();
        let turnstile = tokio::spawn(async move {
            let mut passes = 0u64;
            while let Some(message) = receiver.recv().await {
                match message {
                    TurnstileMessage::Hold(open) => {
                        let _ = open.await;
                    }
                    TurnstileMessage::Pass(reply) => {
                        passes += 1;
                        let _ = reply.send(passes);
                    }
                }
            }
            passes
        });
        assert_eq!(pass(&sender).await, Ok(1), "started before the clock");
        let (open, opened) = oneshot::channel();
        assert!(sender.send(TurnstileMessage::Hold(opened)).is_ok());
        let lined_up = Arc::new(AtomicUsize::new(0));
        let start = Instant::now();
        let tasks: Vec<_> = (0..callers)
            .map(|_| {
                let sender = sender.clone();
                let lined_up = Arc::clone(&lined_up);
                tokio::spawn(async move {
                    let answer = pass(&sender);
                    lined_up.fetch_add(1, Ordering::Relaxed);
                    answer.await.expect("answered");
                })
            })
            .collect();
        super::release_when_lined_up(&lined_up, callers, open, tasks).await;
        let elapsed = start.elapsed();
        drop(sender);
        assert_eq!(
            turnstile.await.expect("the turnstile ends"),
            callers as u64 + 1
        );
        elapsed
    }

    /// `actors` counter tasks, each asked once, then idle (parked in `recv`).
    pub async fn idle(actors: usize) -> Vec<(Counter, JoinHandle<()>)> {
        let counters: Vec<_> = (0..actors).map(|_| Counter::spawn()).collect();
        for (counter, _) in &counters {
            assert_eq!(counter.value().await, 0);
        }
        counters
    }

    /// (4) and "close 100k": drop every sender and await every task.
    pub async fn spawn_then_close(actors: usize) -> (Duration, Duration) {
        let start = Instant::now();
        let counters = idle(actors).await;
        let spawned = start.elapsed();
        let start = Instant::now();
        let tasks: Vec<JoinHandle<()>> = counters.into_iter().map(|(_, task)| task).collect();
        for task in tasks {
            task.await.expect("a counter ends");
        }
        let closed = start.elapsed();
        (spawned, closed)
    }

    enum Rally {
        Serve(u64, oneshot::Sender<()>),
        Ball(u64),
        Stop,
    }

    async fn player(mut inbox: mpsc::UnboundedReceiver<Rally>, peer: mpsc::UnboundedSender<Rally>) {
        let mut done = None;
        while let Some(message) = inbox.recv().await {
            let hops = match message {
                Rally::Serve(hops, reply) => {
                    done = Some(reply);
                    hops
                }
                Rally::Ball(hops) => hops,
                Rally::Stop => return,
            };
            if hops == 0 {
                if let Some(done) = done.take() {
                    let _ = done.send(());
                }
            } else {
                assert!(peer.send(Rally::Ball(hops - 1)).is_ok());
            }
        }
    }

    /// (5)
    pub async fn ping_pong(round_trips: u64) -> Duration {
        let (to_ping, ping_inbox) = mpsc::unbounded_channel();
        let (to_pong, pong_inbox) = mpsc::unbounded_channel();
        let ping = tokio::spawn(player(ping_inbox, to_pong.clone()));
        let pong = tokio::spawn(player(pong_inbox, to_ping.clone()));
        let (done, finished) = oneshot::channel();
        let start = Instant::now();
        assert!(to_ping.send(Rally::Serve(2 * round_trips, done)).is_ok());
        finished.await.expect("the rally ends");
        let elapsed = start.elapsed();
        assert!(to_ping.send(Rally::Stop).is_ok());
        assert!(to_pong.send(Rally::Stop).is_ok());
        ping.await.expect("ping ends");
        pong.await.expect("pong ends");
        elapsed
    }

    /// Drops every counter's sender and awaits every task.
    pub async fn end(counters: Vec<(Counter, JoinHandle<()>)>) {
        let tasks: Vec<JoinHandle<()>> = counters.into_iter().map(|(_, task)| task).collect();
        for task in tasks {
            task.await.expect("a counter ends");
        }
    }

    /// (8)
    pub async fn tell_spread(receivers: usize, tells: u64) -> Duration {
        let counters = idle(receivers).await;
        let start = Instant::now();
        for i in 0..tells {
            counters[(i % receivers as u64) as usize].0.increment();
        }
        let answers: Vec<_> = counters
            .iter()
            .map(|(counter, _)| counter.value_soon())
            .collect();
        let mut total = 0;
        for answer in answers {
            total += answer.await.expect("answered");
        }
        let elapsed = start.elapsed();
        assert_eq!(total, tells);
        end(counters).await;
        elapsed
    }

    /// (10)
    pub async fn scatter_gather(actors: usize) -> Duration {
        let counters = idle(actors).await;
        let start = Instant::now();
        let answers: Vec<_> = counters
            .iter()
            .map(|(counter, _)| counter.add_soon(1))
            .collect();
        let mut total = 0;
        for answer in answers {
            total += answer.await.expect("answered");
        }
        let elapsed = start.elapsed();
        assert_eq!(total, actors as u64);
        end(counters).await;
        elapsed
    }

    pub enum SinkMessage {
        Expect(u64, oneshot::Sender<u64>),
        Done(u64),
    }

    async fn sink(mut inbox: mpsc::UnboundedReceiver<SinkMessage>) {
        let (mut left, mut sum, mut done) = (0u64, 0u64, None);
        while let Some(message) = inbox.recv().await {
            match message {
                SinkMessage::Expect(count, reply) => {
                    (left, sum, done) = (count, 0, Some(reply));
                }
                SinkMessage::Done(n) => {
                    sum += n;
                    left -= 1;
                    if left == 0 {
                        if let Some(done) = done.take() {
                            let _ = done.send(sum);
                        }
                    }
                }
            }
        }
    }

    async fn worker(
        mut inbox: mpsc::UnboundedReceiver<u64>,
        sink: mpsc::UnboundedSender<SinkMessage>,
    ) {
        while let Some(n) = inbox.recv().await {
            assert!(sink.send(SinkMessage::Done(n)).is_ok());
        }
    }

    /// One round of (9).
    pub async fn fan_round(
        sink: &mpsc::UnboundedSender<SinkMessage>,
        workers: &[mpsc::UnboundedSender<u64>],
    ) {
        let (done, summed) = oneshot::channel();
        assert!(
            sink.send(SinkMessage::Expect(workers.len() as u64, done))
                .is_ok()
        );
        for worker in workers {
            assert!(worker.send(1).is_ok());
        }
        assert_eq!(
            summed.await.expect("the sink answers"),
            workers.len() as u64
        );
    }

    /// The sink task and `actors` worker tasks of (9): their senders and their tasks.
    #[allow(clippy::type_complexity)]
    pub fn fan(
        actors: usize,
    ) -> (
        (mpsc::UnboundedSender<SinkMessage>, JoinHandle<()>),
        (Vec<mpsc::UnboundedSender<u64>>, Vec<JoinHandle<()>>),
    ) {
        let (to_sink, sink_inbox) = mpsc::unbounded_channel();
        let sink_task = tokio::spawn(sink(sink_inbox));
        let workers = (0..actors)
            .map(|_| {
                let (to_worker, inbox) = mpsc::unbounded_channel();
                (to_worker, tokio::spawn(worker(inbox, to_sink.clone())))
            })
            .unzip();
        ((to_sink, sink_task), workers)
    }

    /// Ends the tasks of (9).
    pub async fn end_fan(
        (to_sink, sink_task): (mpsc::UnboundedSender<SinkMessage>, JoinHandle<()>),
        (workers, tasks): (Vec<mpsc::UnboundedSender<u64>>, Vec<JoinHandle<()>>),
    ) {
        drop(workers);
        for task in tasks {
            task.await.expect("a worker ends");
        }
        drop(to_sink);
        sink_task.await.expect("the sink ends");
    }

    /// (9)
    pub async fn fan_out_in(actors: usize) -> Duration {
        let (sink, workers) = fan(actors);
        fan_round(&sink.0, &workers.0).await;
        let start = Instant::now();
        fan_round(&sink.0, &workers.0).await;
        let elapsed = start.elapsed();
        end_fan(sink, workers).await;
        elapsed
    }
}
