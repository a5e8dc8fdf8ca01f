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
