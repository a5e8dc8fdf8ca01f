use domo_actors::actor_protocol;

// The user's own type takes the name of the generated proxy. The clash is reported on the
// trait's name. Known limitation: the user's item wins the name, so the generated impls land on
// it and two follow-ons about the proxy's `__domo_handle` field remain (they were three).
struct CounterProxy;

#[actor_protocol]
trait Counter {
    async fn add(&mut self, n: u64) -> u64;
}

fn main() {
    let _ = CounterProxy;
}
