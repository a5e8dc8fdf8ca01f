// Generated code names everything by absolute path: it compiles in a `#![no_implicit_prelude]`
// module where `Result`, `Ok`, `Send`, `Box`, `String`, `Option`, `Future` are shadowed, and
// arguments may be named like the macro's own locals and parameters.
#![allow(dead_code)]

mod hygienic {
    #![no_implicit_prelude]

    pub struct Result;
    pub struct Ok;
    pub struct Send;
    pub struct Box;
    pub struct String;
    pub struct Option;
    pub struct Future;
    pub struct Vec;
    pub struct Some;
    pub struct None;
    pub struct Err;
    pub struct From;
    pub struct ToOwned;
    pub struct Sync;
    pub trait Clone {}
    pub trait Debug {}
    pub trait Message {}
    pub trait Dispatch {}
    pub trait Protocol {}

    #[::domo_actors::actor_protocol]
    pub trait Shadowed {
        async fn echo(
            &mut self,
            actor: u8,
            error: u8,
            f: u8,
            state: u8,
            other: u8,
            handle: u8,
            reply: u8,
            promise: u8,
        ) -> ::std::string::String;
        async fn send(&mut self);
        async fn dispatch(&mut self);
        async fn fail(&mut self);
        async fn complete(&self);
        async fn represent(&self);
        async fn method_name(&self) -> ::core::result::Result<u8, ::domo_actors::ActorError>;
        async fn stream(&self) -> ::domo_actors::ActorStream<u8>;
    }

    #[derive(::domo_actors::Actor)]
    pub struct ShadowedActor;

    impl ShadowedActor {
        // Dispatch goes through `<A as Shadowed>::send`, never this inherent method.
        pub fn send(&mut self) {
            ::std::panic!("inherent method called instead of the protocol's");
        }
    }

    impl Shadowed for ShadowedActor {
        async fn echo(
            &mut self,
            actor: u8,
            error: u8,
            f: u8,
            state: u8,
            other: u8,
            handle: u8,
            reply: u8,
            promise: u8,
        ) -> ::std::string::String {
            ::std::format!("{actor}{error}{f}{state}{other}{handle}{reply}{promise}")
        }
        async fn send(&mut self) {}
        async fn dispatch(&mut self) {}
        async fn fail(&mut self) {}
        async fn complete(&self) {}
        async fn represent(&self) {}
        async fn method_name(&self) -> ::core::result::Result<u8, ::domo_actors::ActorError> {
            ::core::result::Result::Ok(7)
        }
        async fn stream(&self) -> ::domo_actors::ActorStream<u8> {
            let (sink, stream) = ::domo_actors::ActorStream::channel(1);
            let _ = sink.try_send(9);
            sink.finish();
            stream
        }
    }
}

fn main() {
    use domo_actors::{Definition, Stage};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let p: hygienic::ShadowedProxy = stage
            .actor_for(Definition::new(|| hygienic::ShadowedActor))
            .unwrap();
        assert_eq!(p.echo(1, 2, 3, 4, 5, 6, 7, 8).await, "12345678");
        p.send().await;
        p.dispatch().await;
        p.fail().await;
        p.complete().await;
        p.represent().await;
        assert_eq!(p.method_name().await.unwrap(), 7);
        let items: ::std::vec::Vec<_> = futures::StreamExt::collect(p.stream().await).await;
        assert_eq!(items, [Ok(9)]);
        stage.close().await;
    });
}
