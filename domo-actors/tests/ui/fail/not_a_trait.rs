use domo_actors::actor_protocol;

#[actor_protocol]
struct Store {
    value: u8,
}

fn main() {}
