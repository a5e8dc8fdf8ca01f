// A documented pub protocol compiles cleanly under strict lints: docs and attributes are kept,
// `#[cfg]` on a method removes it everywhere, and generated items are documented.
#![deny(
    warnings,
    missing_docs,
    unused_qualifications,
    unused_results,
    trivial_casts
)]
//! A crate with a documented protocol.

/// Documented protocol.
pub mod protocol {
    use domo_actors::actor_protocol;

    /// Greets people.
    #[actor_protocol]
    pub trait Greeter {
        /// Greets `name`.
        ///
        /// Second paragraph.
        #[must_use]
        async fn greet(&mut self, name: String) -> String;

        /// Only in some builds.
        #[cfg(any())]
        async fn hidden(&mut self, x: NotAType);

        /// Deprecated but still a message.
        #[deprecated = "use greet"]
        async fn hello(&mut self);
    }
}

mod actor {
    use crate::protocol::Greeter;

    #[derive(domo_actors::Actor)]
    pub(crate) struct GreeterActor;

    #[allow(deprecated)]
    impl Greeter for GreeterActor {
        async fn greet(&mut self, name: String) -> String {
            format!("hello, {name}")
        }

        async fn hello(&mut self) {}
    }
}

fn main() {
    use domo_actors::{Definition, Stage};
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let stage = Stage::new();
        let greeter: protocol::GreeterProxy = stage
            .actor_for(Definition::new(|| actor::GreeterActor))
            .unwrap();
        assert_eq!(greeter.greet("x".to_owned()).await, "hello, x");
        stage.close().await;
    });
}
