//! A price ticker: a stream of trades pulled into a pricing actor (with back-pressure), which
//! publishes prices on a topic; three board actors and a tape (a stream) subscribe. One board is
//! slow and keeps only the newest prices (a bounded mailbox that drops the oldest); one leaves
//! after five prices, and a watcher notices its end.
//!
//! Run it with `cargo run --example price_ticker`.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, ActorOptions, ActorRef, Address, DeadLetter, Definition, MailboxConfig, OverflowPolicy,
    Stage, StreamEnd, TerminationReason, Topic, actor_protocol,
};
use futures::StreamExt as _;

/// How many trades the source produces.
pub const TRADES: u64 = 20;

/// A trade on the market: its sequence number and price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trade {
    /// 1, 2, 3, ...
    pub seq: u64,
    /// The traded price, in cents.
    pub cents: u64,
}

/// A price the pricer publishes: the average of the last three trades.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Price {
    /// The trade it follows.
    pub seq: u64,
    /// The moving average, in cents.
    pub cents: u64,
}

/// Turns trades into prices.
#[actor_protocol]
pub trait Pricer {
    /// One trade of the source stream.
    async fn on_trade(&mut self, trade: Trade);
    /// The source stream has ended.
    async fn trades_ended(&mut self);
}

struct PricerActor {
    prices: Topic<Price>,
    last: VecDeque<u64>,
}

impl Actor for PricerActor {}

impl Pricer for PricerActor {
    async fn on_trade(&mut self, trade: Trade) {
        if self.last.len() == 3 {
            self.last.pop_front();
        }
        self.last.push_back(trade.cents);
        let cents = self.last.iter().sum::<u64>() / self.last.len() as u64;
        self.prices.publish(Price {
            seq: trade.seq,
            cents,
        });
    }

    async fn trades_ended(&mut self) {
        println!("pricer: the trades have ended");
    }
}

/// Shows prices.
#[actor_protocol]
pub trait Board {
    /// One price of the topic.
    async fn on_price(&mut self, price: Price);
    /// The sequence numbers of the prices it showed.
    async fn shown(&self) -> Vec<u64>;
}

struct BoardActor {
    name: &'static str,
    /// How long drawing a price takes.
    redraw: Duration,
    /// Leaves (stops) after this many prices.
    leave_after: Option<usize>,
    shown: Vec<u64>,
}

impl Actor for BoardActor {}

impl Board for BoardActor {
    async fn on_price(&mut self, price: Price) {
        tokio::time::sleep(self.redraw).await;
        println!(
            "{} board: #{} at {} cents",
            self.name, price.seq, price.cents
        );
        self.shown.push(price.seq);
        if Some(self.shown.len()) == self.leave_after {
            println!("{} board: leaving", self.name);
            self.stop();
        }
    }

    async fn shown(&self) -> Vec<u64> {
        self.shown.clone()
    }
}

fn board(
    name: &'static str,
    redraw: Duration,
    leave_after: Option<usize>,
) -> Definition<BoardActor> {
    Definition::new(move || BoardActor {
        name,
        redraw,
        leave_after,
        shown: Vec::new(),
    })
}

/// Notices when a board ends.
#[actor_protocol]
pub trait Watcher {
    /// Watches `board`, known as `name`.
    async fn watch_board(&mut self, name: String, board: ActorRef);
    /// What a watched board's end sends.
    async fn ended(&mut self, name: String, who: Address, reason: TerminationReason);
    /// The ends it noticed, as "name reason".
    async fn endings(&self) -> Vec<String>;
}

#[derive(Actor, Default)]
struct WatcherActor {
    endings: Vec<String>,
}

impl Watcher for WatcherActor {
    async fn watch_board(&mut self, name: String, board: ActorRef) {
        self.watch(&board, move |me: &WatcherProxy, who, reason| {
            me.ended(name, who, reason);
        });
    }

    async fn ended(&mut self, name: String, who: Address, reason: TerminationReason) {
        println!("watcher: the {name} board ({who}) has {reason}");
        self.endings.push(format!("{name} {reason}"));
    }

    async fn endings(&self) -> Vec<String> {
        self.endings.clone()
    }
}

/// What the run observed (its test checks it).
#[derive(Debug)]
pub struct Outcome {
    /// How the trade stream ended.
    pub trades: StreamEnd,
    /// The prices each board showed (sequence numbers), in order.
    pub fast: Vec<u64>,
    /// The slow board's: the newest it could keep up with.
    pub slow: Vec<u64>,
    /// Whether the board that leaves after five prices had stopped.
    pub audit_stopped: bool,
    /// The prices the tape (a stream subscriber) read.
    pub tape: Vec<u64>,
    /// The ends the watcher noticed.
    pub endings: Vec<String>,
    /// Dead letters recorded in all: prices the slow board dropped, and those sent to the
    /// board that had left.
    pub dead_letters: u64,
}

/// Runs the example, printing what happens.
pub async fn run() -> Outcome {
    let stage = Stage::new();
    let dead_letters = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&dead_letters);
    stage.dead_letters().subscribe(move |letter: &DeadLetter| {
        counted.fetch_add(1, Ordering::Relaxed);
        println!("dead letter: {letter}");
    });

    let prices: Topic<Price> = Topic::new();
    let fast: BoardProxy = stage
        .actor_for(board("fast", Duration::ZERO, None))
        .unwrap();
    // Redraws take five times as long as trades come: it keeps the two newest prices.
    let slow: BoardProxy = stage
        .actor_for_with(
            board("slow", Duration::from_millis(50), None),
            ActorOptions::new().with_mailbox(MailboxConfig::bounded(2, OverflowPolicy::DropOldest)),
        )
        .unwrap();
    let audit: BoardProxy = stage
        .actor_for(board("audit", Duration::ZERO, Some(5)))
        .unwrap();
    for board in [&fast, &slow, &audit] {
        prices.subscribe(board, |board, price| board.on_price(price));
    }
    let tape = prices.subscribe_stream(64, OverflowPolicy::DropOldest);

    let watcher: WatcherProxy = stage
        .actor_for(Definition::new(WatcherActor::default))
        .unwrap();
    watcher
        .watch_board("audit".to_owned(), audit.actor_ref())
        .await;

    let topic = prices.clone();
    let pricer: PricerProxy = stage
        .actor_for(Definition::new(move || PricerActor {
            prices: topic.clone(),
            last: VecDeque::new(),
        }))
        .unwrap();

    // The source: a trade every 10 ms, pulled into the pricer at most 4 at a time.
    let source = futures::stream::unfold(1, |seq| async move {
        if seq > TRADES {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        let cents = 10_000 + (seq * 37) % 100;
        Some((Trade { seq, cents }, seq + 1))
    });
    let trades = stage
        .stream_into(&pricer, |pricer, trade| pricer.on_trade(trade))
        .window(4)
        .on_end(|pricer| pricer.trades_ended())
        .attach(source)
        .await;
    println!("trades: {trades}");

    // Every price is published; each board's answer queues behind the prices it was sent.
    let fast = fast.shown().await;
    let slow = slow.shown().await;
    let audit_stopped = audit.is_stopped();
    // The tape reads what is buffered, then ends: the topic lets go of it.
    prices.close();
    let tape: Vec<u64> = tape.map(|price| price.seq).collect().await;
    let endings = watcher.endings().await;

    stage.close().await;
    Outcome {
        trades,
        fast,
        slow,
        audit_stopped,
        tape,
        endings,
        dead_letters: dead_letters.load(Ordering::Relaxed),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    tracing_subscriber::fmt()
        // Colours only on a terminal: not in a file or a CI log.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .with_env_filter(
            // domo-actors also logs each dead letter at warn level; here the listener prints them.
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "error".into()),
        )
        .init();
    let outcome = run().await;
    println!("fast board showed {:?}", outcome.fast);
    println!("slow board showed {:?}", outcome.slow);
    println!("tape read {:?}", outcome.tape);
    println!("watcher noticed {:?}", outcome.endings);
    println!("{} dead letters", outcome.dead_letters);
}
