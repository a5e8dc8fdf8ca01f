use domo_actors::Actor;

#[derive(Actor)]
#[actor(crate = ::domo_actors, name = "echo")]
struct Echo;

fn assert_actor<A: domo_actors::Actor>() {}

fn main() {
    // The impl is still emitted: the mistake above is the only error.
    assert_actor::<Echo>();
}
