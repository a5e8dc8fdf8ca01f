// One mistake in a protocol is one error: the proxy and message enum still exist (as stand-ins),
// so the code that uses them raises nothing more.
use domo_actors::{actor_protocol, Actor, Definition, Stage};

#[actor_protocol]
trait Counter {
    fn add(&mut self, n: u64) -> u64;
}

#[derive(Actor)]
struct CounterActor;

impl Counter for CounterActor {
    fn add(&mut self, n: u64) -> u64 {
        n
    }
}

fn main() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(Definition::new(|| CounterActor)).unwrap();
    let _ = counter.clone().address();
    let _: Option<CounterMessage> = None;
}
