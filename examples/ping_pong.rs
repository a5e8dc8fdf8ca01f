//! Two actors playing ping-pong through each other's proxies.
//!
//! Neither player knows the other when it is created: each is introduced to its partner by a
//! message carrying the partner's proxy. Then one serves, and every stroke is a *tell* to the
//! partner: no one waits for an answer, the ball just goes back and forth through the two
//! mailboxes until the rally has its rounds. The server reports the end of the rally through a
//! one-shot channel it was given with the serve.
//!
//! Run it with `cargo run --example ping_pong`.

use std::time::Duration;

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use tokio::sync::oneshot;
use tokio::time::Instant;

/// What a player can be asked to do.
#[actor_protocol]
pub trait Player {
    /// Introduces the partner this player hits the ball to.
    async fn meet(&mut self, partner: PlayerProxy);
    /// Serves a rally of `rounds` rounds (a round: there and back), and reports on `finished`
    /// when the last ball comes back.
    async fn serve(&mut self, rounds: u32, finished: oneshot::Sender<Rally>);
    /// Receives the ball for stroke number `stroke`, and hits it back unless the rally is over.
    async fn hit(&mut self, stroke: u32);
    /// How many balls this player has received.
    async fn received(&self) -> u32;
}

/// How a rally went, as its server saw it.
#[derive(Debug, PartialEq, Eq)]
pub struct Rally {
    /// Rounds played.
    pub rounds: u32,
    /// Strokes played in all (two per round).
    pub strokes: u32,
}

/// A rally in progress, kept by its server.
struct Serving {
    rounds: u32,
    finished: oneshot::Sender<Rally>,
}

/// A player: its name, its partner once introduced, and what it has received.
struct PlayerActor {
    name: &'static str,
    /// Whether each stroke is printed: the short rally shows the ball going back and forth; the
    /// long one is about speed.
    announce: bool,
    partner: Option<PlayerProxy>,
    received: u32,
    serving: Option<Serving>,
}

impl PlayerActor {
    fn new(name: &'static str, announce: bool) -> Self {
        Self {
            name,
            announce,
            partner: None,
            received: 0,
            serving: None,
        }
    }

    fn hit_to_partner(&self, stroke: u32) {
        if self.announce {
            println!("  {:>4}: stroke {stroke}", self.name);
        }
        self.partner
            .as_ref()
            .expect("a player meets its partner before the rally")
            .hit(stroke);
    }
}

impl Actor for PlayerActor {}

impl Player for PlayerActor {
    async fn meet(&mut self, partner: PlayerProxy) {
        self.partner = Some(partner);
    }

    async fn serve(&mut self, rounds: u32, finished: oneshot::Sender<Rally>) {
        self.serving = Some(Serving { rounds, finished });
        self.hit_to_partner(1);
    }

    async fn hit(&mut self, stroke: u32) {
        self.received += 1;
        // The server's own strokes are the odd ones; the rally ends when the partner's return
        // of the last round arrives.
        if let Some(serving) = self.serving.take_if(|serving| stroke == 2 * serving.rounds) {
            let _ = serving.finished.send(Rally {
                rounds: serving.rounds,
                strokes: stroke,
            });
            return;
        }
        self.hit_to_partner(stroke + 1);
    }

    async fn received(&self) -> u32 {
        self.received
    }
}

/// What came of one rally.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The server's report.
    pub rally: Rally,
    /// Balls received by ping.
    pub ping_received: u32,
    /// Balls received by pong.
    pub pong_received: u32,
    /// How long the rally took.
    pub elapsed: Duration,
}

/// Plays one rally of `rounds` rounds between two new players; prints every stroke if
/// `announce`.
pub async fn play(rounds: u32, announce: bool) -> Outcome {
    let stage = Stage::new();
    let ping: PlayerProxy = stage
        .actor_for(Definition::new(move || PlayerActor::new("ping", announce)).with_type("ping"))
        .expect("a new stage is open");
    let pong: PlayerProxy = stage
        .actor_for(Definition::new(move || PlayerActor::new("pong", announce)).with_type("pong"))
        .expect("a new stage is open");

    // Each meets the other by message. Both introductions are queued before the serve, in the
    // order sent, so neither player can receive a ball before it knows whom to return it to.
    ping.meet(pong.clone());
    pong.meet(ping.clone());

    let started = Instant::now();
    let (finished, rally) = oneshot::channel();
    ping.serve(rounds, finished);
    let rally = rally
        .await
        .expect("the server reports the end of the rally");
    let elapsed = started.elapsed();

    let outcome = Outcome {
        rally,
        ping_received: ping.received().await,
        pong_received: pong.received().await,
        elapsed,
    };
    stage.close().await;
    outcome
}

#[tokio::main]
async fn main() {
    println!("A short rally, stroke by stroke:");
    let short = play(3, true).await;
    println!(
        "  {} rounds, {} strokes: ping received {}, pong received {}\n",
        short.rally.rounds, short.rally.strokes, short.ping_received, short.pong_received
    );

    let rounds = 10_000;
    let long = play(rounds, false).await;
    println!(
        "A rally of {rounds} rounds: {} strokes in {} ms ({:.0} messages a second)",
        long.rally.strokes,
        long.elapsed.as_millis(),
        f64::from(long.rally.strokes) / long.elapsed.as_secs_f64()
    );
    println!(
        "  ping received {}, pong received {}",
        long.ping_received, long.pong_received
    );
}
