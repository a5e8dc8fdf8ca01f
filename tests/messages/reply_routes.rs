//! Calls that are not local promises: a test-only destination that carries calls over channels
//! and answers through a remote reply route, as a remote node would (numbered requests, a
//! pending table on the caller's side, answers sent back as data).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use domo_actors::{
    ActorError, ActorRef, Call, Destination, Protocol, ProxyHandle, ReplyRoute, Request, Stage,
};
use domo_actors_suite::{
    CounterActor, CounterAnswer, CounterCall, CounterError, CounterProxy, within,
};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

type Pending<C> = Arc<Mutex<HashMap<u64, ReplyRoute<<C as Call>::Answer>>>>;

/// The caller's side of a link: numbers each request, keeps its route until the answer comes
/// back, and sends only the call (plain data) across.
struct Link<C: Call> {
    outgoing: mpsc::UnboundedSender<(u64, C)>,
    pending: Pending<C>,
    next: AtomicU64,
    actor: ActorRef,
}

impl<C: Call<Answer: Send> + Send> Destination<C> for Link<C> {
    fn send(&self, request: Request<C>) {
        let (call, reply) = request.into_parts();
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.pending.lock().unwrap().insert(id, reply);
        if self.outgoing.send((id, call)).is_err() {
            // The link is down: the route is dropped unanswered, and its promise fails.
            self.pending.lock().unwrap().remove(&id);
        }
    }

    fn actor(&self) -> &ActorRef {
        &self.actor
    }
}

/// Both ends of a link to `target`, and the tasks that carry it: the "remote" node serves each
/// call with a remote route that sends the outcome back; the caller's node settles the pending
/// route with it.
struct Loopback {
    proxy: CounterProxy,
    pending: Pending<CounterCall>,
    tasks: [JoinHandle<()>; 2],
}

fn loopback(target: &CounterProxy) -> Loopback {
    let (outgoing, mut incoming) = mpsc::unbounded_channel::<(u64, CounterCall)>();
    let (answers, mut answered) = mpsc::unbounded_channel();
    let pending: Pending<CounterCall> = Arc::default();
    let handle = target.handle().clone();
    let server = tokio::spawn(async move {
        while let Some((id, call)) = incoming.recv().await {
            let answers = answers.clone();
            let route = ReplyRoute::remote(move |outcome: Result<CounterAnswer, ActorError>| {
                let _ = answers.send((id, outcome));
            });
            handle.send(Request::new(call, route));
        }
    });
    let settled = Arc::clone(&pending);
    let client = tokio::spawn(async move {
        while let Some((id, outcome)) = answered.recv().await {
            let route = settled.lock().unwrap().remove(&id);
            match (route, outcome) {
                (Some(route), Ok(answer)) => route.answer(answer),
                (Some(route), Err(error)) => route.fail(error),
                (None, _) => {}
            }
        }
    });
    let link = Link {
        outgoing,
        pending: Arc::clone(&pending),
        next: AtomicU64::new(0),
        actor: target.actor_ref(),
    };
    Loopback {
        proxy: CounterProxy::from_handle(ProxyHandle::to(Arc::new(link))),
        pending,
        tasks: [server, client],
    }
}

#[tokio::test]
async fn a_non_local_route_answers_asks_tells_and_results() {
    let stage = Stage::new();
    let local: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    let remote = loopback(&local).proxy;
    assert_eq!(remote.address(), local.address());

    remote.increment();
    assert_eq!(within!(remote.add(2).into_future()), 3);
    within!(remote.increment().into_future());
    assert_eq!(within!(remote.value().into_future()), 4);
    assert_eq!(
        within!(remote.try_take(9).into_future()),
        Err(CounterError::Insufficient {
            available: 4,
            requested: 9
        })
    );
    assert_eq!(
        within!(local.value().into_future()),
        4,
        "one actor behind both"
    );
    within!(stage.close());
}

#[tokio::test]
async fn the_answer_enum_serves_a_call_from_elsewhere() {
    let stage = Stage::new();
    let local: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    let answer = within!(local.handle().call(CounterCall::Add { n: 5 }).into_future());
    assert!(matches!(answer, CounterAnswer::Add(5)));
    within!(stage.close());
}

#[tokio::test]
async fn failures_cross_the_route_as_typed_errors() {
    let stage = Stage::new();
    let local: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    let link = loopback(&local);
    within!(local.stop().into_future());

    // The actor has stopped: its mailbox refuses the call and fails the remote route, whose
    // outcome comes back as the typed error.
    let error = within!(link.proxy.add(1).result()).unwrap_err();
    assert!(
        matches!(error, ActorError::Stopped { method: "add", .. }),
        "{error:?}"
    );
    let error = within!(link.proxy.try_take(1).into_future()).unwrap_err();
    assert!(
        matches!(
            error,
            CounterError::Actor(ActorError::Stopped {
                method: "try_take",
                ..
            })
        ),
        "{error:?}"
    );
    within!(stage.close());
}

#[tokio::test]
async fn a_dropped_link_fails_what_it_was_carrying() {
    let stage = Stage::new();
    let local: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    let Loopback {
        proxy,
        pending,
        tasks,
    } = loopback(&local);
    // The caller's node stops reading answers, then the link goes down with requests pending.
    tasks[1].abort();
    let add = proxy.add(1);
    let unit = proxy.increment();
    for task in tasks {
        task.abort();
        let _ = task.await;
    }
    pending.lock().unwrap().clear();

    assert_eq!(within!(add.result()), Err(ActorError::NoReply));
    assert_eq!(within!(unit.result()), Err(ActorError::NoReply));
    // And a call sent after the link is down fails at once.
    assert_eq!(within!(proxy.value().result()), Err(ActorError::NoReply));
    within!(stage.close());
}
