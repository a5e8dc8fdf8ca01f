//! The workloads on actix 0.13: actors live on one single-threaded arbiter (actix's model), so
//! each run builds a fresh `System`, runs the caller in a task spawned on it, and drops the
//! system afterwards (which tears every actor down). `do_send` for tells, `send(..).await` for
//! asks.

use std::future::Future;
use std::rc::Rc;
use std::time::{Duration, Instant};

use actix::{Actor, Addr, Context, Handler, Message};
use tokio::sync::oneshot;

/// Runs `workload` in a task on a fresh actix system, then drops the system.
pub fn in_system<T, F>(workload: F) -> T
where
    F: Future<Output = T> + 'static,
    T: 'static,
{
    let system = actix_rt::System::new();
    let result = system.block_on(async move {
        actix_rt::spawn(workload)
            .await
            .expect("the workload panicked")
    });
    drop(system);
    result
}

pub struct Counter {
    count: u64,
}

impl Actor for Counter {
    type Context = Context<Self>;
}

pub struct Increment;
impl Message for Increment {
    type Result = ();
}

pub struct Add(u64);
impl Message for Add {
    type Result = u64;
}

pub struct Value;
impl Message for Value {
    type Result = u64;
}

impl Handler<Increment> for Counter {
    type Result = ();
    fn handle(&mut self, _: Increment, _: &mut Context<Self>) {
        self.count += 1;
    }
}

impl Handler<Add> for Counter {
    type Result = u64;
    fn handle(&mut self, Add(n): Add, _: &mut Context<Self>) -> u64 {
        self.count += n;
        self.count
    }
}

impl Handler<Value> for Counter {
    type Result = u64;
    fn handle(&mut self, _: Value, _: &mut Context<Self>) -> u64 {
        self.count
    }
}

fn counter() -> Addr<Counter> {
    Counter { count: 0 }.start()
}

pub async fn tell(tells: u64) -> Duration {
    let counter = counter();
    assert_eq!(counter.send(Value).await.expect("answered"), 0);
    let start = Instant::now();
    for _ in 0..tells {
        counter.do_send(Increment);
    }
    assert_eq!(counter.send(Value).await.expect("answered"), tells);
    start.elapsed()
}

pub async fn ask(asks: u64) -> Duration {
    let counter = counter();
    assert_eq!(counter.send(Value).await.expect("answered"), 0);
    let start = Instant::now();
    let mut last = 0;
    for _ in 0..asks {
        last = counter.send(Add(1)).await.expect("answered");
    }
    let elapsed = start.elapsed();
    assert_eq!(last, asks);
    elapsed
}

pub async fn concurrent_ask(actors: usize, callers: usize, asks: u64) -> Duration {
    let counters: Rc<Vec<Addr<Counter>>> = Rc::new((0..actors).map(|_| counter()).collect());
    for counter in counters.iter() {
        assert_eq!(counter.send(Value).await.expect("answered"), 0);
    }
    let per_caller = asks / callers as u64;
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|caller| {
            let counters = Rc::clone(&counters);
            actix_rt::spawn(async move {
                let offset = caller * actors / callers;
                for i in 0..per_caller as usize {
                    let counter = &counters[(offset + i) % actors];
                    counter.send(Add(1)).await.expect("answered");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a caller panicked");
    }
    start.elapsed()
}

pub async fn idle(actors: usize) -> Vec<Addr<Counter>> {
    let counters: Vec<_> = (0..actors).map(|_| counter()).collect();
    for counter in &counters {
        assert_eq!(counter.send(Value).await.expect("answered"), 0);
    }
    counters
}

/// Spawn only: actix has no handle to await an actor's stop; the system's drop tears down.
pub async fn spawn(actors: usize) -> Duration {
    let start = Instant::now();
    let counters = idle(actors).await;
    let elapsed = start.elapsed();
    drop(counters);
    elapsed
}

#[derive(Default)]
pub struct Player {
    peer: Option<Addr<Player>>,
    done: Option<oneshot::Sender<()>>,
}

impl Actor for Player {
    type Context = Context<Self>;
}

pub struct SetPeer(Addr<Player>);
impl Message for SetPeer {
    type Result = ();
}

pub struct Serve(u64, oneshot::Sender<()>);
impl Message for Serve {
    type Result = ();
}

pub struct Ball(u64);
impl Message for Ball {
    type Result = ();
}

impl Player {
    fn bounce(&mut self, hops: u64) {
        if hops == 0 {
            if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
        } else {
            self.peer.as_ref().expect("a peer").do_send(Ball(hops - 1));
        }
    }
}

impl Handler<SetPeer> for Player {
    type Result = ();
    fn handle(&mut self, SetPeer(peer): SetPeer, _: &mut Context<Self>) {
        self.peer = Some(peer);
    }
}

impl Handler<Serve> for Player {
    type Result = ();
    fn handle(&mut self, Serve(hops, done): Serve, _: &mut Context<Self>) {
        self.done = Some(done);
        self.bounce(hops);
    }
}

impl Handler<Ball> for Player {
    type Result = ();
    fn handle(&mut self, Ball(hops): Ball, _: &mut Context<Self>) {
        self.bounce(hops);
    }
}

pub async fn ping_pong(round_trips: u64) -> Duration {
    let ping = Player::default().start();
    let pong = Player::default().start();
    ping.send(SetPeer(pong.clone())).await.expect("answered");
    pong.send(SetPeer(ping.clone())).await.expect("answered");
    let (done, finished) = oneshot::channel();
    let start = Instant::now();
    ping.do_send(Serve(2 * round_trips, done));
    finished.await.expect("the rally ends");
    start.elapsed()
}

/// (8) `tells` tells spread round-robin over `receivers` counters (each started before the
/// clock by one ask), then one ask of each, all sent before any answer is awaited, answers
/// summed. `send` enqueues at once, even into a mailbox past its capacity of 16 (as here, behind
/// the tells): a full mailbox only holds back the next `send` through the same address, and each
/// address sends one ask. The `Request` it returns then only waits for the answer.
pub async fn tell_spread(receivers: usize, tells: u64) -> Duration {
    let counters = idle(receivers).await;
    let start = Instant::now();
    for i in 0..tells {
        counters[(i % receivers as u64) as usize].do_send(Increment);
    }
    let answers: Vec<_> = counters.iter().map(|counter| counter.send(Value)).collect();
    let mut total = 0;
    for answer in answers {
        total += answer.await.expect("answered");
    }
    let elapsed = start.elapsed();
    assert_eq!(total, tells);
    elapsed
}

/// (10) `actors` counters (started before the clock) each sent `Add(1)`, every ask sent before
/// the first answer is awaited, then every answer awaited and summed.
pub async fn scatter_gather(actors: usize) -> Duration {
    let counters = idle(actors).await;
    let start = Instant::now();
    let answers: Vec<_> = counters
        .iter()
        .map(|counter| counter.send(Add(1)))
        .collect();
    let mut total = 0;
    for answer in answers {
        total += answer.await.expect("answered");
    }
    let elapsed = start.elapsed();
    assert_eq!(total, actors as u64);
    elapsed
}

/// A worker of (9): passes what it is given on to the sink.
pub struct Worker {
    sink: Addr<Sink>,
}

impl Actor for Worker {
    type Context = Context<Self>;
}

/// The sink of (9): sums what the workers pass on, and answers when all have.
#[derive(Default)]
pub struct Sink {
    left: u64,
    sum: u64,
    done: Option<oneshot::Sender<u64>>,
}

impl Actor for Sink {
    type Context = Context<Self>;
}

/// Some work for a worker: it tells the sink it is done with `n`.
pub struct Work(u64);
impl Message for Work {
    type Result = ();
}

/// To the sink: expect this many results, send their sum here when the last arrives.
pub struct Expect(u64, oneshot::Sender<u64>);
impl Message for Expect {
    type Result = ();
}

/// To the sink: one worker's result.
pub struct Done(u64);
impl Message for Done {
    type Result = ();
}

impl Handler<Work> for Worker {
    type Result = ();
    fn handle(&mut self, Work(n): Work, _: &mut Context<Self>) {
        self.sink.do_send(Done(n));
    }
}

impl Handler<Expect> for Sink {
    type Result = ();
    fn handle(&mut self, Expect(count, done): Expect, _: &mut Context<Self>) {
        (self.left, self.sum, self.done) = (count, 0, Some(done));
    }
}

impl Handler<Done> for Sink {
    type Result = ();
    fn handle(&mut self, Done(n): Done, _: &mut Context<Self>) {
        self.sum += n;
        self.left -= 1;
        if self.left == 0
            && let Some(done) = self.done.take()
        {
            let _ = done.send(self.sum);
        }
    }
}

/// One round of (9): the sink told to expect one result per worker, a tell to each worker, and
/// the sink's sum awaited.
async fn fan_round(sink: &Addr<Sink>, workers: &[Addr<Worker>]) {
    let (done, summed) = oneshot::channel();
    let expected = workers.len() as u64;
    sink.do_send(Expect(expected, done));
    for worker in workers {
        worker.do_send(Work(1));
    }
    assert_eq!(summed.await.expect("the sink answers"), expected);
}

/// (9) fan-out / fan-in over `actors` workers: an untimed round starts them, a second is timed.
/// The system's drop tears them down.
pub async fn fan_out_in(actors: usize) -> Duration {
    let sink = Sink::default().start();
    let workers: Vec<Addr<Worker>> = (0..actors)
        .map(|_| Worker { sink: sink.clone() }.start())
        .collect();
    fan_round(&sink, &workers).await;
    let start = Instant::now();
    fan_round(&sink, &workers).await;
    start.elapsed()
}
