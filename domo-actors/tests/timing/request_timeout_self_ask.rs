//! An actor that asks itself from inside a handler waits for a message queued behind the very
//! handler that waits: that can never complete. With a timeout, the ask fails with
//! `ActorError::TimedOut` instead of hanging, and the actor carries on (the self-sent message is
//! then handled, its answer discarded).

use std::time::Duration;

use domo_actors::{Actor, ActorError, Definition, Stage, actor_protocol};
use tokio::time::Instant;

const PATIENCE: Duration = Duration::from_millis(100);

#[actor_protocol]
trait Narcissist {
    /// Counts the calls to itself and answers the count.
    async fn admire(&mut self) -> u64;
    /// Asks itself `admire` and waits for the answer, at most `PATIENCE`.
    async fn ask_myself(&mut self) -> Result<u64, ActorError>;
}

#[derive(Actor)]
struct NarcissistActor {
    admired: u64,
}

impl Narcissist for NarcissistActor {
    async fn admire(&mut self) -> u64 {
        self.admired += 1;
        self.admired
    }

    async fn ask_myself(&mut self) -> Result<u64, ActorError> {
        let me = self.self_as::<NarcissistProxy>();
        me.admire().timeout(PATIENCE).result().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_self_ask_with_a_timeout_fails_instead_of_hanging() {
    let stage = Stage::new();
    let narcissist: NarcissistProxy = stage
        .actor_for(Definition::new(|| NarcissistActor { admired: 0 }))
        .unwrap();
    let start = Instant::now();

    assert_eq!(
        narcissist.ask_myself().await,
        Err(ActorError::TimedOut { after: PATIENCE })
    );
    assert_eq!(start.elapsed(), PATIENCE);

    // The self-sent `admire` was handled after `ask_myself` returned (answer discarded), so
    // this is the second call.
    assert_eq!(narcissist.admire().await, 2);
    stage.close().await;
}
