//! The workloads on kameo 0.22: `tell(..).try_send()` on an unbounded mailbox (the default
//! mailbox is bounded at 64, which would make a million tells wait), `ask(..).await`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kameo::Actor;
use kameo::actor::{ActorRef, Spawn};
use kameo::mailbox;
use kameo::message::{Context, Message};
use tokio::sync::oneshot;

#[derive(Actor)]
pub struct Counter {
    count: u64,
}

pub struct Increment;
pub struct Add(u64);
pub struct Value;

impl Message<Increment> for Counter {
    type Reply = ();
    async fn handle(&mut self, _: Increment, _: &mut Context<Self, ()>) {
        self.count += 1;
    }
}

impl Message<Add> for Counter {
    type Reply = u64;
    async fn handle(&mut self, Add(n): Add, _: &mut Context<Self, u64>) -> u64 {
        self.count += n;
        self.count
    }
}

impl Message<Value> for Counter {
    type Reply = u64;
    async fn handle(&mut self, _: Value, _: &mut Context<Self, u64>) -> u64 {
        self.count
    }
}

fn counter() -> ActorRef<Counter> {
    Counter::spawn_with_mailbox(Counter { count: 0 }, mailbox::unbounded())
}

async fn value(counter: &ActorRef<Counter>) -> u64 {
    counter.ask(Value).await.expect("answered")
}

async fn add(counter: &ActorRef<Counter>, n: u64) -> u64 {
    counter.ask(Add(n)).await.expect("answered")
}

async fn stop(actor: &ActorRef<impl Actor>) {
    let _ = actor.stop_gracefully().await;
    actor.wait_for_shutdown().await;
}

pub async fn tell(tells: u64) -> Duration {
    let counter = counter();
    assert_eq!(value(&counter).await, 0);
    let start = Instant::now();
    for _ in 0..tells {
        counter.tell(Increment).try_send().expect("sent");
    }
    assert_eq!(value(&counter).await, tells);
    let elapsed = start.elapsed();
    stop(&counter).await;
    elapsed
}

pub async fn ask(asks: u64) -> Duration {
    let counter = counter();
    assert_eq!(value(&counter).await, 0);
    let start = Instant::now();
    let mut last = 0;
    for _ in 0..asks {
        last = add(&counter, 1).await;
    }
    let elapsed = start.elapsed();
    assert_eq!(last, asks);
    stop(&counter).await;
    elapsed
}

pub async fn concurrent_ask(actors: usize, callers: usize, asks: u64) -> Duration {
    let counters: Arc<Vec<ActorRef<Counter>>> = Arc::new((0..actors).map(|_| counter()).collect());
    for counter in counters.iter() {
        assert_eq!(value(counter).await, 0);
    }
    let per_caller = asks / callers as u64;
    let start = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|caller| {
            let counters = Arc::clone(&counters);
            tokio::spawn(async move {
                let offset = caller * actors / callers;
                for i in 0..per_caller as usize {
                    add(&counters[(offset + i) % actors], 1).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("a caller panicked");
    }
    let elapsed = start.elapsed();
    for counter in counters.iter() {
        stop(counter).await;
    }
    elapsed
}

pub async fn idle(actors: usize) -> Vec<ActorRef<Counter>> {
    let counters: Vec<_> = (0..actors).map(|_| counter()).collect();
    for counter in &counters {
        assert_eq!(value(counter).await, 0);
    }
    counters
}

pub async fn spawn_then_close(actors: usize) -> (Duration, Duration) {
    let start = Instant::now();
    let counters = idle(actors).await;
    let spawned = start.elapsed();
    let start = Instant::now();
    for counter in &counters {
        let _ = counter.stop_gracefully().await;
    }
    for counter in &counters {
        counter.wait_for_shutdown().await;
    }
    (spawned, start.elapsed())
}

#[derive(Actor, Default)]
pub struct Player {
    peer: Option<ActorRef<Player>>,
    done: Option<oneshot::Sender<()>>,
}

pub struct SetPeer(ActorRef<Player>);
pub struct Serve(u64, oneshot::Sender<()>);
pub struct Ball(u64);

impl Player {
    fn bounce(&mut self, hops: u64) {
        if hops == 0 {
            if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
        } else {
            let peer = self.peer.as_ref().expect("a peer");
            peer.tell(Ball(hops - 1)).try_send().expect("sent");
        }
    }
}

impl Message<SetPeer> for Player {
    type Reply = ();
    async fn handle(&mut self, SetPeer(peer): SetPeer, _: &mut Context<Self, ()>) {
        self.peer = Some(peer);
    }
}

impl Message<Serve> for Player {
    type Reply = ();
    async fn handle(&mut self, Serve(hops, done): Serve, _: &mut Context<Self, ()>) {
        self.done = Some(done);
        self.bounce(hops);
    }
}

impl Message<Ball> for Player {
    type Reply = ();
    async fn handle(&mut self, Ball(hops): Ball, _: &mut Context<Self, ()>) {
        self.bounce(hops);
    }
}

pub async fn ping_pong(round_trips: u64) -> Duration {
    let ping = Player::spawn_with_mailbox(Player::default(), mailbox::unbounded());
    let pong = Player::spawn_with_mailbox(Player::default(), mailbox::unbounded());
    ping.ask(SetPeer(pong.clone())).await.expect("answered");
    pong.ask(SetPeer(ping.clone())).await.expect("answered");
    let (done, finished) = oneshot::channel();
    let start = Instant::now();
    ping.tell(Serve(2 * round_trips, done))
        .try_send()
        .expect("sent");
    finished.await.expect("the rally ends");
    let elapsed = start.elapsed();
    stop(&ping).await;
    stop(&pong).await;
    elapsed
}

/// Stops every actor of `actors`, then waits for each: all the stops are sent before the first
/// wait, so the actors wind down side by side instead of one after the other.
async fn stop_all<A: Actor>(actors: &[ActorRef<A>]) {
    for actor in actors {
        let _ = actor.stop_gracefully().await;
    }
    for actor in actors {
        actor.wait_for_shutdown().await;
    }
}

/// (8) `tells` tells spread round-robin over `receivers` counters (each started before the
/// clock by one ask), then one ask of each, all enqueued (`try_enqueue`, kameo's way to send an
/// ask now and await its reply later) before any reply is awaited.
pub async fn tell_spread(receivers: usize, tells: u64) -> Duration {
    let counters = idle(receivers).await;
    let start = Instant::now();
    for i in 0..tells {
        let counter = &counters[(i % receivers as u64) as usize];
        counter.tell(Increment).try_send().expect("sent");
    }
    let replies: Vec<_> = counters
        .iter()
        .map(|counter| counter.ask(Value).try_enqueue().expect("sent"))
        .collect();
    let mut total = 0;
    for reply in replies {
        total += reply.await.expect("answered");
    }
    let elapsed = start.elapsed();
    assert_eq!(total, tells);
    stop_all(&counters).await;
    elapsed
}

/// (10) `actors` counters (started before the clock) each asked `add(1)`, every ask enqueued
/// before the first reply is awaited, then every reply awaited and summed.
pub async fn scatter_gather(actors: usize) -> Duration {
    let counters = idle(actors).await;
    let start = Instant::now();
    let replies: Vec<_> = counters
        .iter()
        .map(|counter| counter.ask(Add(1)).try_enqueue().expect("sent"))
        .collect();
    let mut total = 0;
    for reply in replies {
        total += reply.await.expect("answered");
    }
    let elapsed = start.elapsed();
    assert_eq!(total, actors as u64);
    stop_all(&counters).await;
    elapsed
}

/// A worker of (9): passes what it is given on to the sink.
#[derive(Actor)]
pub struct Worker {
    sink: ActorRef<Sink>,
}

/// The sink of (9): sums what the workers pass on, and answers when all have.
#[derive(Actor, Default)]
pub struct Sink {
    left: u64,
    sum: u64,
    done: Option<oneshot::Sender<u64>>,
}

/// Some work for a worker: it tells the sink it is done with `n`.
pub struct Work(u64);
/// To the sink: expect this many results, send their sum here when the last arrives.
pub struct Expect(u64, oneshot::Sender<u64>);
/// To the sink: one worker's result.
pub struct Done(u64);

impl Message<Work> for Worker {
    type Reply = ();
    async fn handle(&mut self, Work(n): Work, _: &mut Context<Self, ()>) {
        self.sink.tell(Done(n)).try_send().expect("sent");
    }
}

impl Message<Expect> for Sink {
    type Reply = ();
    async fn handle(&mut self, Expect(count, done): Expect, _: &mut Context<Self, ()>) {
        (self.left, self.sum, self.done) = (count, 0, Some(done));
    }
}

impl Message<Done> for Sink {
    type Reply = ();
    async fn handle(&mut self, Done(n): Done, _: &mut Context<Self, ()>) {
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
async fn fan_round(sink: &ActorRef<Sink>, workers: &[ActorRef<Worker>]) {
    let (done, summed) = oneshot::channel();
    let expected = workers.len() as u64;
    sink.tell(Expect(expected, done)).try_send().expect("sent");
    for worker in workers {
        worker.tell(Work(1)).try_send().expect("sent");
    }
    assert_eq!(summed.await.expect("the sink answers"), expected);
}

/// (9) fan-out / fan-in over `actors` workers: an untimed round starts them, a second is timed.
pub async fn fan_out_in(actors: usize) -> Duration {
    let sink = Sink::spawn_with_mailbox(Sink::default(), mailbox::unbounded());
    let workers: Vec<ActorRef<Worker>> = (0..actors)
        .map(|_| {
            let worker = Worker { sink: sink.clone() };
            Worker::spawn_with_mailbox(worker, mailbox::unbounded())
        })
        .collect();
    fan_round(&sink, &workers).await;
    let start = Instant::now();
    fan_round(&sink, &workers).await;
    let elapsed = start.elapsed();
    stop_all(&workers).await;
    stop(&sink).await;
    elapsed
}
