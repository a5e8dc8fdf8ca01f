// Six arguments of different types, including `_` arguments and one without `Debug`.
use domo_actors::{Actor, Definition, Stage, actor_protocol};

struct NoDebug(u8);

#[actor_protocol]
trait Mixer {
    async fn mix(
        &mut self,
        a: u8,
        b: String,
        _: Vec<u32>,
        d: Option<(i64, bool)>,
        _: NoDebug,
        f: Box<dyn Fn(u8) -> u8 + Send>,
    ) -> String;
}

#[derive(Actor)]
struct MixerActor;

impl Mixer for MixerActor {
    async fn mix(
        &mut self,
        a: u8,
        b: String,
        c: Vec<u32>,
        d: Option<(i64, bool)>,
        e: NoDebug,
        f: Box<dyn Fn(u8) -> u8 + Send>,
    ) -> String {
        format!("{a} {b} {} {d:?} {} {}", c.len(), e.0, f(a))
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let mixer: MixerProxy = stage.actor_for(Definition::new(|| MixerActor)).unwrap();
        let out = mixer
            .mix(
                1,
                "b".into(),
                vec![1, 2],
                Some((-1, true)),
                NoDebug(7),
                Box::new(|x| x * 2),
            )
            .await;
        assert_eq!(out, "1 b 2 Some((-1, true)) 7 2");

        // How the runtime renders the call (dead letters, logs): `Debug` when the argument
        // type has it, `_` otherwise. The call enum is plain data: arguments only.
        use domo_actors::Call;
        let call = MixerCall::Mix {
            a: 1,
            b: "b".into(),
            __domo_arg2: vec![1, 2],
            d: None,
            __domo_arg4: NoDebug(7),
            f: Box::new(|x| x),
        };
        assert_eq!(call.method_name(), "mix");
        assert_eq!(call.representation(), r#"mix(1, "b", [1, 2], None, _, _)"#);
        stage.close().await;
    });
}
