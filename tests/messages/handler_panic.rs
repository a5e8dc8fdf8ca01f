//! A panicking handler fails only its own caller's promise, with `ActorError::HandlerPanicked`
//! naming the actor, the method and the cause; the actor, its other callers and the stage carry
//! on. (A top-level actor's supervisor, the public root, restarts it: a fresh instance with the
//! same address and mailbox, so the state starts over.)

use std::any::Any;
use std::future::IntoFuture as _;
use std::sync::Arc;

use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};
use domo_actors_suite::{CounterActor, CounterProxy};

/// A counter with handlers that panic on request.
#[actor_protocol]
trait Fragile {
    async fn add(&mut self, n: u64) -> u64;
    async fn value(&self) -> u64;
    /// Compiled out: the methods after it are still named by their own names when they panic.
    #[cfg(any())]
    async fn compiled_out(&mut self);
    /// Panics with a `&'static str` payload.
    async fn explode(&mut self);
    /// Panics with a `String` payload built by `format!`.
    async fn explode_with(&mut self, reason: String) -> u64;
    /// Takes `n`; panics (instead of answering `Err`) when there is not enough, after an await.
    async fn take(&mut self, n: u64) -> Result<u64, FragileError>;
}

#[derive(Debug, PartialEq)]
enum FragileError {
    Actor(ActorError),
}

impl From<ActorError> for FragileError {
    fn from(error: ActorError) -> Self {
        FragileError::Actor(error)
    }
}

#[derive(Actor, Default)]
struct FragileActor {
    total: u64,
}

impl Fragile for FragileActor {
    async fn add(&mut self, n: u64) -> u64 {
        self.total += n;
        self.total
    }

    async fn value(&self) -> u64 {
        self.total
    }

    #[cfg(any())]
    async fn compiled_out(&mut self) {}

    async fn explode(&mut self) {
        panic!("static boom");
    }

    async fn explode_with(&mut self, reason: String) -> u64 {
        panic!("exploded at {}: {reason}", self.total);
    }

    async fn take(&mut self, n: u64) -> Result<u64, FragileError> {
        // The panic comes after an await point.
        tokio::task::yield_now().await;
        assert!(n <= self.total, "cannot take {n} from {}", self.total);
        self.total -= n;
        Ok(self.total)
    }
}

fn fragile(stage: &Stage) -> FragileProxy {
    stage
        .actor_for(Definition::new(FragileActor::default))
        .unwrap()
}

/// The error a caller of `fragile` gets when `method` panics with `cause`.
fn fragile_panic(fragile: &FragileProxy, method: &'static str, cause: &str) -> ActorError {
    ActorError::HandlerPanicked {
        address: fragile.address(),
        type_name: Arc::from("Fragile"),
        method,
        cause: cause.to_owned(),
    }
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else {
        panic!("the panic payload is not a string")
    }
}

#[tokio::test]
async fn a_str_panic_fails_its_promise_naming_actor_method_and_cause() {
    let stage = Stage::new();
    let fragile = fragile(&stage);

    let error = fragile.explode().result().await.unwrap_err();
    assert_eq!(error, fragile_panic(&fragile, "explode", "static boom"));
    assert_eq!(error.address(), Some(fragile.address()));
    assert_eq!(error.method(), Some("explode"));
    let text = error.to_string();
    assert!(text.contains(&fragile.address().to_string()), "{text}");
    assert!(text.contains("explode"), "{text}");
    assert!(text.contains("static boom"), "{text}");
    stage.close().await;
}

#[tokio::test]
async fn a_format_string_panic_carries_the_formatted_cause() {
    let stage = Stage::new();
    let fragile = fragile(&stage);
    drop(fragile.add(4));

    let error = fragile
        .explode_with("disk full".into())
        .result()
        .await
        .unwrap_err();
    assert_eq!(
        error,
        fragile_panic(&fragile, "explode_with", "exploded at 4: disk full")
    );
    stage.close().await;
}

#[tokio::test]
async fn other_queued_callers_are_answered_in_order_after_the_restart() {
    let stage = Stage::new();
    let fragile = fragile(&stage);

    // All queued before anything is awaited: the panic happens in the middle of the queue.
    let before = fragile.add(1);
    let second = fragile.add(1);
    let failing = fragile.explode_with("mid-queue".into());
    let after = fragile.add(10);
    let read = fragile.value();
    let failing_again = fragile.explode();
    let last = fragile.add(100);

    assert_eq!(before.await, 1);
    assert_eq!(second.await, 2);
    assert_eq!(
        failing.result().await,
        Err(fragile_panic(
            &fragile,
            "explode_with",
            "exploded at 2: mid-queue"
        ))
    );
    assert_eq!(
        after.await,
        10,
        "answered, in order, by the restarted (fresh) instance"
    );
    assert_eq!(read.await, 10);
    assert_eq!(
        failing_again.result().await,
        Err(fragile_panic(&fragile, "explode", "static boom"))
    );
    assert_eq!(
        last.await,
        100,
        "restarted again: the public root restarts forever"
    );
    assert!(!fragile.is_stopped());
    stage.close().await;
}

#[tokio::test]
async fn the_callers_task_does_not_panic_when_it_uses_result() {
    let stage = Stage::new();
    let fragile = fragile(&stage);

    let promise = fragile.explode();
    let outcome = tokio::spawn(async move { promise.result().await })
        .await
        .expect("the caller's task completes normally");
    assert_eq!(
        outcome,
        Err(fragile_panic(&fragile, "explode", "static boom"))
    );
    stage.close().await;
}

#[tokio::test]
async fn the_stage_keeps_working_after_a_panic() {
    let stage = Stage::new();
    let fragile = fragile(&stage);
    assert!(fragile.explode().result().await.is_err());
    // A tell whose handler panics: nobody hears of it, and nothing else is affected.
    drop(fragile.explode_with("told".into()));

    assert!(!stage.is_closed());
    assert!(stage.directory().get(&fragile.address()).is_some());
    assert_eq!(fragile.add(5).await, 5, "the same actor goes on");

    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(counter.add(3).await, 3, "new actors work as well");
    let another = self::fragile(&stage);
    assert_eq!(another.add(1).await, 1);
    stage.close().await;
}

#[tokio::test]
async fn a_result_method_gets_err_through_plain_await() {
    let stage = Stage::new();
    let fragile = fragile(&stage);
    drop(fragile.add(3));

    assert_eq!(fragile.take(1).await, Ok(2));
    let outcome: Result<u64, FragileError> = fragile.take(100).await;
    assert_eq!(
        outcome,
        Err(FragileError::Actor(fragile_panic(
            &fragile,
            "take",
            "cannot take 100 from 2"
        )))
    );
    assert_eq!(fragile.value().await, 0, "restarted: a fresh instance");
    stage.close().await;
}

#[tokio::test]
async fn plain_await_on_a_failed_non_result_method_panics_in_the_caller() {
    let stage = Stage::new();
    let fragile = fragile(&stage);
    drop(fragile.add(7));
    let expected = fragile_panic(&fragile, "explode_with", "exploded at 7: unanswerable");

    let promise = fragile.explode_with("unanswerable".into());
    let join_error = tokio::spawn(promise.into_future()).await.unwrap_err();
    assert!(join_error.is_panic());
    let message = panic_text(join_error.into_panic().as_ref());
    assert!(
        message.contains(&expected.to_string()),
        "{message:?} should contain {:?}",
        expected.to_string()
    );

    // Unit replies too.
    let promise = fragile.explode();
    let join_error = tokio::spawn(promise.into_future()).await.unwrap_err();
    assert!(join_error.is_panic());
    let message = panic_text(join_error.into_panic().as_ref());
    assert!(message.contains(&fragile_panic(&fragile, "explode", "static boom").to_string()));

    assert_eq!(fragile.value().await, 0, "restarted: a fresh instance");
    stage.close().await;
}
