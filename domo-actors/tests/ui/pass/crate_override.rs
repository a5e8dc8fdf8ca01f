// `crate = path` names the runtime through a re-export.
mod reexport {
    pub use ::domo_actors as rt;
}

use reexport::rt;

#[rt::actor_protocol(crate = crate::reexport::rt)]
trait Echo {
    async fn echo(&mut self, n: u32) -> u32;
}

#[derive(rt::Actor)]
#[actor(crate = crate::reexport::rt)]
struct EchoActor;

// `#[actor(crate = ..)]` is honoured: this impl names a stand-in runtime, not `::domo_actors`.
mod stand_in {
    pub mod __private {
        pub trait Actor {
            const STARTS_EAGERLY: bool;
        }
    }
}

#[derive(rt::Actor)]
#[actor(crate = crate::stand_in)]
struct StandIn;

const _: () = assert!(!<StandIn as stand_in::__private::Actor>::STARTS_EAGERLY);

impl Echo for EchoActor {
    async fn echo(&mut self, n: u32) -> u32 {
        n
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = rt::Stage::new();
        let echo: EchoProxy = stage.actor_for(rt::Definition::new(|| EchoActor)).unwrap();
        assert_eq!(echo.echo(9).await, 9);
        stage.close().await;
    });
}
