// A forgotten `.await` on a method that answers a value loses the answer: its proxy method is
// `#[must_use]` (denied here), and so is a method the protocol marks `#[must_use]` itself. A
// method returning `()` stays a plain tell (see `ui/pass/tell_without_await.rs`). Through the
// protocol trait (generic code), every call returns an `impl Future`, which rustc already
// requires to be used.
#![deny(unused_must_use)]

use domo_actors::actor_protocol;

#[actor_protocol]
pub trait Pinger {
    async fn ping(&mut self) -> u64;
    async fn reset(&mut self);
    #[must_use = "a shutdown must be confirmed"]
    async fn shut_down(&mut self);
}

fn forgets(pinger: &PingerProxy) {
    pinger.ping();
    pinger.reset();
    pinger.shut_down();
}

fn forgets_generically(pinger: &mut impl Pinger) {
    pinger.ping();
}

fn main() {}
