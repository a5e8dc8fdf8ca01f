// `#[derive(Actor)]` on structs and enums, generic or not.
use domo_actors::Actor;

#[derive(Actor)]
struct Unit;

#[derive(Actor)]
struct Named {
    _name: String,
}

#[derive(Actor)]
enum State {
    _Idle,
    _Busy(u32),
}

#[derive(Actor)]
struct Generic<K, V: Clone>
where
    K: Eq,
{
    _entries: Vec<(K, V)>,
}

fn assert_actor<A: Actor>() {}

fn main() {
    assert_actor::<Unit>();
    assert_actor::<Named>();
    assert_actor::<State>();
    assert_actor::<Generic<u8, String>>();
}
