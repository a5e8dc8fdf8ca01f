//! A chat room: members join, post and leave; every line is broadcast to the members on a
//! `Topic`. The room watches each member, so one that stops without leaving is removed too, and
//! it hands out its history as a stream (`ActorStream`) that a newcomer or a logger can read.
//!
//! Run it with `cargo run --example chat_room`.

use std::collections::BTreeMap;
use std::fmt;

use domo_actors::{
    Actor, ActorRef, ActorStream, Definition, Stage, SubscriptionId, Topic, actor_protocol,
};
use futures::TryStreamExt as _;

/// One line of the chat: who said what ("room" for the room's own announcements).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The member's name, or "room".
    pub from: String,
    /// What was said.
    pub text: String,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.from, self.text)
    }
}

/// A member hears every line posted while it is in the room.
#[actor_protocol]
pub trait Member {
    /// One line of the room's topic.
    async fn hear(&mut self, line: Line);
    /// What it heard, in order.
    async fn heard(&self) -> Vec<String>;
}

#[derive(Actor, Default)]
struct MemberActor(Vec<String>);

impl Member for MemberActor {
    async fn hear(&mut self, line: Line) {
        self.0.push(line.to_string());
    }
    async fn heard(&self) -> Vec<String> {
        self.0.clone()
    }
}

/// The room: who is in it, and what was said.
#[actor_protocol]
pub trait Room {
    /// `member` joins as `name` (unless the name is taken).
    async fn join(&mut self, name: String, member: MemberProxy);
    /// `name` leaves.
    async fn leave(&mut self, name: String);
    /// `from` says `text` to everyone (if `from` is in the room).
    async fn post(&mut self, from: String, text: String);
    /// The room's watch saw `name`'s actor stop.
    async fn member_stopped(&mut self, name: String);
    /// Who is in the room.
    async fn members(&self) -> Vec<String>;
    /// Every line so far, as a stream that ends with the last one.
    async fn history(&self) -> ActorStream<Line>;
}

struct RoomActor {
    /// The broadcast: each member subscribes with its `hear`.
    chat: Topic<Line>,
    /// Each member's subscription, and its actor (to stop watching it when it leaves).
    members: BTreeMap<String, (SubscriptionId, ActorRef)>,
    history: Vec<Line>,
}

impl Actor for RoomActor {}

impl RoomActor {
    /// Records `text` and hands it to every member (in the room's handler, so every member
    /// hears the lines in the order the room handled them).
    fn say(&mut self, from: &str, text: String) {
        let line = Line {
            from: from.to_owned(),
            text,
        };
        self.history.push(line.clone());
        self.chat.publish(line);
    }

    /// Takes `name` out of the topic; `false` if it was not in the room.
    fn remove(&mut self, name: &str) -> bool {
        let Some((subscription, member)) = self.members.remove(name) else {
            return false;
        };
        self.chat.unsubscribe(subscription);
        self.unwatch(&member);
        true
    }
}

impl Room for RoomActor {
    async fn join(&mut self, name: String, member: MemberProxy) {
        if self.members.contains_key(&name) {
            return;
        }
        let subscription = self.chat.subscribe(&member, |m, line| m.hear(line));
        // A member that stops without leaving: the room learns it in a message of its own.
        let who = name.clone();
        self.watch(&member.actor_ref(), move |room: &RoomProxy, _, _| {
            room.member_stopped(who);
        });
        self.members
            .insert(name.clone(), (subscription, member.actor_ref()));
        self.say("room", format!("{name} joined"));
    }

    async fn leave(&mut self, name: String) {
        if self.remove(&name) {
            self.say("room", format!("{name} left"));
        }
    }

    async fn post(&mut self, from: String, text: String) {
        if self.members.contains_key(&from) {
            self.say(&from, text);
        }
    }

    async fn member_stopped(&mut self, name: String) {
        if self.remove(&name) {
            self.say("room", format!("{name} is gone"));
        }
    }

    async fn members(&self) -> Vec<String> {
        self.members.keys().cloned().collect()
    }

    async fn history(&self) -> ActorStream<Line> {
        // Room for every line: `try_send` never finds the buffer full, and the stream is
        // complete before the reader polls it.
        let (sink, stream) = ActorStream::channel(self.history.len().max(1));
        for line in &self.history {
            let _ = sink.try_send(line.clone());
        }
        sink.finish();
        stream
    }
}

/// What the chat came to.
#[derive(Debug)]
pub struct Outcome {
    /// What each member heard, by name.
    pub heard: BTreeMap<String, Vec<String>>,
    /// Who was still in the room at the end.
    pub members: Vec<String>,
    /// The room's history, read as a stream.
    pub history: Vec<String>,
}

/// Ann, Bob and Cid chat; Cid leaves, Bob's actor stops without leaving.
pub async fn run() -> Outcome {
    let stage = Stage::new();
    let room: RoomProxy = stage
        .actor_for(Definition::new(|| RoomActor {
            chat: Topic::new(),
            members: BTreeMap::new(),
            history: Vec::new(),
        }))
        .unwrap();

    let mut members = BTreeMap::new();
    for name in ["ann", "bob", "cid"] {
        let member: MemberProxy = stage
            .actor_for(Definition::new(MemberActor::default))
            .unwrap();
        room.join(name.to_owned(), member.clone());
        members.insert(name.to_owned(), member);
    }
    room.post("ann".to_owned(), "hi all".to_owned());
    room.post("bob".to_owned(), "hello".to_owned());
    room.leave("cid".to_owned());
    room.post("ann".to_owned(), "where did cid go?".to_owned());
    // Bob's actor stops; the room's watch tells it before `stop` returns.
    members["bob"].stop().await;
    room.post("ann".to_owned(), "alone now".to_owned());
    room.post("eve".to_owned(), "psst".to_owned()); // not in the room: ignored

    // Answered after the posts above: every line is in the members' mailboxes by then, ahead
    // of the questions below.
    let still_in = room.members().await;
    let mut heard = BTreeMap::new();
    for (name, member) in &members {
        // A stopped member cannot answer: what it heard is lost with it.
        heard.insert(
            name.clone(),
            member.heard().result().await.unwrap_or_default(),
        );
    }
    let history: Vec<Line> = room.history().await.try_collect().await.unwrap();
    let outcome = Outcome {
        heard,
        members: still_in,
        history: history.iter().map(Line::to_string).collect(),
    };
    stage.close().await;
    outcome
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let outcome = run().await;
    println!("{}", outcome.history.join("\n"));
    println!(
        "still in the room: {:?}; heard: {:?}",
        outcome.members, outcome.heard
    );
}
