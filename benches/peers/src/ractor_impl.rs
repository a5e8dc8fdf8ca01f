//! The workloads on ractor 0.16 (default features): `cast` for tells, `call` for asks.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ractor::{Actor, ActorProcessingErr, ActorRef, RpcReplyPort};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub struct Counter;

pub enum CounterMessage {
    Increment,
    Add(u64, RpcReplyPort<u64>),
    Value(RpcReplyPort<u64>),
}

impl Actor for Counter {
    type Msg = CounterMessage;
    type State = u64;
    type Arguments = ();

    async fn pre_start(
        &self,
        _: ActorRef<CounterMessage>,
        _: (),
    ) -> Result<u64, ActorProcessingErr> {
        Ok(0)
    }

    async fn handle(
        &self,
        _: ActorRef<CounterMessage>,
        message: CounterMessage,
        count: &mut u64,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            CounterMessage::Increment => *count += 1,
            CounterMessage::Add(n, reply) => {
                *count += n;
                let _ = reply.send(*count);
            }
            CounterMessage::Value(reply) => {
                let _ = reply.send(*count);
            }
        }
        Ok(())
    }
}

type Handle = (ActorRef<CounterMessage>, JoinHandle<()>);

async fn counter() -> Handle {
    Actor::spawn(None, Counter, ()).await.expect("spawned")
}

async fn value(counter: &ActorRef<CounterMessage>) -> u64 {
    let answer = counter.call(CounterMessage::Value, None).await;
    match answer.expect("sent") {
        ractor::rpc::CallResult::Success(value) => value,
        _ => panic!("no answer"),
    }
}

async fn add(counter: &ActorRef<CounterMessage>, n: u64) -> u64 {
    let answer = counter
        .call(|reply| CounterMessage::Add(n, reply), None)
        .await;
    match answer.expect("sent") {
        ractor::rpc::CallResult::Success(value) => value,
        _ => panic!("no answer"),
    }
}

async fn stop((actor, task): Handle) {
    actor.stop(None);
    task.await.expect("stopped");
}

pub async fn tell(tells: u64) -> Duration {
    let counter = counter().await;
    assert_eq!(value(&counter.0).await, 0);
    let start = Instant::now();
    for _ in 0..tells {
        counter.0.cast(CounterMessage::Increment).expect("sent");
    }
    assert_eq!(value(&counter.0).await, tells);
    let elapsed = start.elapsed();
    stop(counter).await;
    elapsed
}

pub async fn ask(asks: u64) -> Duration {
    let counter = counter().await;
    assert_eq!(value(&counter.0).await, 0);
    let start = Instant::now();
    let mut last = 0;
    for _ in 0..asks {
        last = add(&counter.0, 1).await;
    }
    let elapsed = start.elapsed();
    assert_eq!(last, asks);
    stop(counter).await;
    elapsed
}

pub async fn concurrent_ask(actors: usize, callers: usize, asks: u64) -> Duration {
    let mut handles = Vec::with_capacity(actors);
    for _ in 0..actors {
        handles.push(counter().await);
    }
    let counters: Arc<Vec<ActorRef<CounterMessage>>> =
        Arc::new(handles.iter().map(|(actor, _)| actor.clone()).collect());
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
    drop(counters);
    for handle in handles {
        stop(handle).await;
    }
    elapsed
}

pub async fn idle(actors: usize) -> Vec<Handle> {
    let mut counters = Vec::with_capacity(actors);
    for _ in 0..actors {
        counters.push(counter().await);
    }
    for (counter, _) in &counters {
        assert_eq!(value(counter).await, 0);
    }
    counters
}

pub async fn spawn_then_close(actors: usize) -> (Duration, Duration) {
    let start = Instant::now();
    let counters = idle(actors).await;
    let spawned = start.elapsed();
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(actors);
    for (actor, task) in counters {
        actor.stop(None);
        tasks.push(task);
    }
    for task in tasks {
        task.await.expect("stopped");
    }
    (spawned, start.elapsed())
}

pub struct Player;

pub enum Rally {
    SetPeer(ActorRef<Rally>, RpcReplyPort<()>),
    Serve(u64, oneshot::Sender<()>),
    Ball(u64),
}

#[derive(Default)]
pub struct PlayerState {
    peer: Option<ActorRef<Rally>>,
    done: Option<oneshot::Sender<()>>,
}

impl Actor for Player {
    type Msg = Rally;
    type State = PlayerState;
    type Arguments = ();

    async fn pre_start(
        &self,
        _: ActorRef<Rally>,
        _: (),
    ) -> Result<PlayerState, ActorProcessingErr> {
        Ok(PlayerState::default())
    }

    async fn handle(
        &self,
        _: ActorRef<Rally>,
        message: Rally,
        state: &mut PlayerState,
    ) -> Result<(), ActorProcessingErr> {
        let hops = match message {
            Rally::SetPeer(peer, reply) => {
                state.peer = Some(peer);
                let _ = reply.send(());
                return Ok(());
            }
            Rally::Serve(hops, done) => {
                state.done = Some(done);
                hops
            }
            Rally::Ball(hops) => hops,
        };
        if hops == 0 {
            if let Some(done) = state.done.take() {
                let _ = done.send(());
            }
        } else {
            let peer = state.peer.as_ref().expect("a peer");
            peer.cast(Rally::Ball(hops - 1)).expect("sent");
        }
        Ok(())
    }
}

pub async fn ping_pong(round_trips: u64) -> Duration {
    let (ping, ping_task) = Actor::spawn(None, Player, ()).await.expect("spawned");
    let (pong, pong_task) = Actor::spawn(None, Player, ()).await.expect("spawned");
    let peer = pong.clone();
    ping.call(|reply| Rally::SetPeer(peer, reply), None)
        .await
        .expect("sent");
    let peer = ping.clone();
    pong.call(|reply| Rally::SetPeer(peer, reply), None)
        .await
        .expect("sent");
    let (done, finished) = oneshot::channel();
    let start = Instant::now();
    ping.cast(Rally::Serve(2 * round_trips, done))
        .expect("sent");
    finished.await.expect("the rally ends");
    let elapsed = start.elapsed();
    ping.stop(None);
    pong.stop(None);
    ping_task.await.expect("stopped");
    pong_task.await.expect("stopped");
    elapsed
}

/// Sends `message` (built around a fresh reply port) now, and returns the receiver its answer
/// comes on. This is what `call` does inside; `call` itself is an `async fn`, so nothing is sent
/// until it is first polled, and a scatter has to send every ask before awaiting any. (ractor's
/// `multi_call` does send first, but spawns one task per reply to gather them.)
fn call_soon<T: Send + 'static>(
    counter: &ActorRef<CounterMessage>,
    message: impl FnOnce(RpcReplyPort<T>) -> CounterMessage,
) -> oneshot::Receiver<T> {
    let (reply, answer) = oneshot::channel();
    counter.cast(message(reply.into())).expect("sent");
    answer
}

/// Stops every counter of `counters`, then awaits each one's task: all the stops are sent
/// before the first wait, so the counters wind down side by side.
async fn stop_all(counters: Vec<Handle>) {
    let mut tasks = Vec::with_capacity(counters.len());
    for (counter, task) in counters {
        counter.stop(None);
        tasks.push(task);
    }
    for task in tasks {
        task.await.expect("stopped");
    }
}

/// (8) `tells` casts spread round-robin over `receivers` counters (each started before the
/// clock by one call), then one ask of each, all sent before any answer is awaited.
pub async fn tell_spread(receivers: usize, tells: u64) -> Duration {
    let counters = idle(receivers).await;
    let start = Instant::now();
    for i in 0..tells {
        let (counter, _) = &counters[(i % receivers as u64) as usize];
        counter.cast(CounterMessage::Increment).expect("sent");
    }
    let answers: Vec<_> = counters
        .iter()
        .map(|(counter, _)| call_soon(counter, CounterMessage::Value))
        .collect();
    let mut total = 0;
    for answer in answers {
        total += answer.await.expect("answered");
    }
    let elapsed = start.elapsed();
    assert_eq!(total, tells);
    stop_all(counters).await;
    elapsed
}

/// (10) `actors` counters (started before the clock) each asked `Add(1)`, every ask sent before
/// the first answer is awaited, then every answer awaited and summed.
pub async fn scatter_gather(actors: usize) -> Duration {
    let counters = idle(actors).await;
    let start = Instant::now();
    let answers: Vec<_> = counters
        .iter()
        .map(|(counter, _)| call_soon(counter, |reply| CounterMessage::Add(1, reply)))
        .collect();
    let mut total = 0;
    for answer in answers {
        total += answer.await.expect("answered");
    }
    let elapsed = start.elapsed();
    assert_eq!(total, actors as u64);
    stop_all(counters).await;
    elapsed
}

/// A worker of (9): passes what it is given on to the sink, whose reference is its state.
pub struct Worker;

/// Some work for a worker: it tells the sink it is done with the number.
pub struct Work(u64);

impl Actor for Worker {
    type Msg = Work;
    type State = ActorRef<SinkMessage>;
    type Arguments = ActorRef<SinkMessage>;

    async fn pre_start(
        &self,
        _: ActorRef<Work>,
        sink: ActorRef<SinkMessage>,
    ) -> Result<ActorRef<SinkMessage>, ActorProcessingErr> {
        Ok(sink)
    }

    async fn handle(
        &self,
        _: ActorRef<Work>,
        Work(n): Work,
        sink: &mut ActorRef<SinkMessage>,
    ) -> Result<(), ActorProcessingErr> {
        sink.cast(SinkMessage::Done(n)).expect("sent");
        Ok(())
    }
}

/// The sink of (9): sums what the workers pass on, and answers when all have.
pub struct Sink;

/// The sink's messages.
pub enum SinkMessage {
    /// Expect this many results, send their sum here when the last arrives.
    Expect(u64, oneshot::Sender<u64>),
    /// One worker's result.
    Done(u64),
}

/// The sink's state: results still expected, their sum so far, where to send it.
#[derive(Default)]
pub struct SinkState {
    left: u64,
    sum: u64,
    done: Option<oneshot::Sender<u64>>,
}

impl Actor for Sink {
    type Msg = SinkMessage;
    type State = SinkState;
    type Arguments = ();

    async fn pre_start(
        &self,
        _: ActorRef<SinkMessage>,
        _: (),
    ) -> Result<SinkState, ActorProcessingErr> {
        Ok(SinkState::default())
    }

    async fn handle(
        &self,
        _: ActorRef<SinkMessage>,
        message: SinkMessage,
        state: &mut SinkState,
    ) -> Result<(), ActorProcessingErr> {
        match message {
            SinkMessage::Expect(count, done) => {
                (state.left, state.sum, state.done) = (count, 0, Some(done));
            }
            SinkMessage::Done(n) => {
                state.sum += n;
                state.left -= 1;
                if state.left == 0
                    && let Some(done) = state.done.take()
                {
                    let _ = done.send(state.sum);
                }
            }
        }
        Ok(())
    }
}

/// One round of (9): the sink told to expect one result per worker, a cast to each worker, and
/// the sink's sum awaited.
async fn fan_round(sink: &ActorRef<SinkMessage>, workers: &[ActorRef<Work>]) {
    let (done, summed) = oneshot::channel();
    let expected = workers.len() as u64;
    sink.cast(SinkMessage::Expect(expected, done))
        .expect("sent");
    for worker in workers {
        worker.cast(Work(1)).expect("sent");
    }
    assert_eq!(summed.await.expect("the sink answers"), expected);
}

/// (9) fan-out / fan-in over `actors` workers: an untimed round starts them, a second is timed.
pub async fn fan_out_in(actors: usize) -> Duration {
    let (sink, sink_task) = Actor::spawn(None, Sink, ()).await.expect("spawned");
    let mut workers = Vec::with_capacity(actors);
    let mut tasks = Vec::with_capacity(actors);
    for _ in 0..actors {
        let (worker, task) = Actor::spawn(None, Worker, sink.clone())
            .await
            .expect("spawned");
        workers.push(worker);
        tasks.push(task);
    }
    fan_round(&sink, &workers).await;
    let start = Instant::now();
    fan_round(&sink, &workers).await;
    let elapsed = start.elapsed();
    for worker in &workers {
        worker.stop(None);
    }
    for task in tasks {
        task.await.expect("stopped");
    }
    sink.stop(None);
    sink_task.await.expect("stopped");
    elapsed
}
