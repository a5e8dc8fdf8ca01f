// A protocol and its actor in different modules; pub, pub(crate) and private protocols.
mod protocols {
    use domo_actors::actor_protocol;

    #[actor_protocol]
    pub trait Public {
        async fn ping(&mut self) -> u8;
    }

    #[actor_protocol]
    pub(crate) trait Crate {
        async fn ping(&mut self) -> u8;
    }

    #[actor_protocol]
    trait Private {
        async fn ping(&mut self) -> u8;
    }

    #[derive(domo_actors::Actor)]
    struct Local;

    impl Private for Local {
        async fn ping(&mut self) -> u8 {
            3
        }
    }

    pub(crate) async fn private_ping(stage: &domo_actors::Stage) -> u8 {
        let p: PrivateProxy = stage
            .actor_for(domo_actors::Definition::new(|| Local))
            .unwrap();
        p.ping().await
    }
}

mod actors {
    use crate::protocols::{Crate, Public};

    #[derive(domo_actors::Actor)]
    pub struct Both;

    impl Public for Both {
        async fn ping(&mut self) -> u8 {
            1
        }
    }

    impl Crate for Both {
        async fn ping(&mut self) -> u8 {
            2
        }
    }
}

fn main() {
    use domo_actors::{Definition, Stage};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let public: protocols::PublicProxy =
            stage.actor_for(Definition::new(|| actors::Both)).unwrap();
        let krate: protocols::CrateProxy =
            stage.actor_for(Definition::new(|| actors::Both)).unwrap();
        assert_eq!(public.ping().await, 1);
        assert_eq!(krate.ping().await, 2);
        assert_eq!(protocols::private_ping(&stage).await, 3);
        stage.close().await;
    });
}
