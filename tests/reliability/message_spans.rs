//! Issue 16, part 1 (the message path): with `domo_actors::message` at debug level, every
//! delivered message runs in a span of its own (`message{method=..}`, inside the actor's span)
//! opened by a `received` event, and that span follows from the span its sender was in: a
//! request's span outside any actor, or the message span of the actor that asked. Below that
//! level no message span exists, and nothing travels with the messages.

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use domo_actors_suite::within;
use tracing::Instrument as _;

use crate::capture::{Capture, SpanSeen};

#[actor_protocol]
pub trait Front {
    /// Asks the back actor for `key`'s value and answers it doubled.
    async fn serve(&mut self, key: u32) -> u32;
}

#[actor_protocol]
pub trait Back {
    /// Answers `key` plus one.
    async fn lookup(&mut self, key: u32) -> u32;
}

#[derive(Actor)]
struct FrontActor {
    back: BackProxy,
}

impl Front for FrontActor {
    async fn serve(&mut self, key: u32) -> u32 {
        self.back.lookup(key).await * 2
    }
}

#[derive(Actor)]
struct BackActor;

impl Back for BackActor {
    async fn lookup(&mut self, key: u32) -> u32 {
        key + 1
    }
}

fn actors(stage: &Stage) -> FrontProxy {
    let back: BackProxy = stage
        .actor_for(Definition::new(|| BackActor).with_type("Back"))
        .unwrap();
    stage
        .actor_for(Definition::new(move || FrontActor { back: back.clone() }).with_type("Front"))
        .unwrap()
}

fn is_message_span(span: &SpanSeen, method: &str) -> bool {
    span.0 == "message" && span.1.get("method").map(String::as_str) == Some(method)
}

#[tokio::test]
async fn a_message_span_follows_from_its_senders_span_across_asks_and_actors() {
    let (capture, _guard) = Capture::install("info,domo_actors::message=debug");
    let stage = Stage::new();
    let front = actors(&stage);

    // A proxy sends when it is called (the promise only waits): the link is to the span the
    // call is made in, here a request handled in an instrumented future, as a server would.
    let request = tracing::info_span!("request", id = 7);
    let answer = within!(async { front.serve(20).await }.instrument(request));
    assert_eq!(answer, 42);

    // Each message was received inside its own span, itself inside its actor's span.
    let received = |method: &str, actor_type: &str| {
        capture
            .matching(|event| {
                event.target == "domo_actors::message"
                    && event.message == "received"
                    && event.span("message").and_then(|span| span.get("method"))
                        == Some(&method.to_owned())
            })
            .into_iter()
            .filter(|event| {
                event.span("actor").and_then(|span| span.get("type"))
                    == Some(&actor_type.to_owned())
            })
            .count()
    };
    assert_eq!(received("serve", "Front"), 1, "{:#?}", capture.events());
    assert_eq!(received("lookup", "Back"), 1, "{:#?}", capture.events());

    // The caller's request is linked to the front's message, and the front's message to the
    // back's: a request followed across an ask and two actors.
    let links = capture.links();
    let follows = |method: &str, from: &dyn Fn(&SpanSeen) -> bool| {
        links
            .iter()
            .filter(|(span, followed)| is_message_span(span, method) && from(followed))
            .count()
    };
    let from_request =
        |span: &SpanSeen| span.0 == "request" && span.1.get("id").map(String::as_str) == Some("7");
    assert_eq!(follows("serve", &from_request), 1, "{links:#?}");
    assert_eq!(
        follows("lookup", &|span| is_message_span(span, "serve")),
        1,
        "{links:#?}"
    );
    assert_eq!(links.len(), 2, "no other links: {links:#?}");

    within!(stage.close());
}

#[tokio::test]
async fn below_debug_there_are_no_message_spans_and_no_links() {
    let (capture, _guard) = Capture::install("info");
    let stage = Stage::new();
    let front = actors(&stage);

    let request = tracing::info_span!("request", id = 8);
    let answer = within!(async { front.serve(1).await }.instrument(request));
    assert_eq!(answer, 4);

    assert!(
        capture
            .matching(
                |event| event.target == "domo_actors::message" || event.span("message").is_some()
            )
            .is_empty(),
        "{:#?}",
        capture.events()
    );
    assert!(capture.links().is_empty(), "{:#?}", capture.links());
    within!(stage.close());
}

#[tokio::test]
async fn a_handler_in_a_message_span_still_sees_only_its_own_context() {
    // The sender's span travels in the message's execution-context snapshot: the handler
    // must not see it as a value, and the values it does carry must still arrive.
    let (capture, _guard) = Capture::install("info,domo_actors::message=debug");
    let stage = Stage::new();
    let inspector: InspectProxy = stage
        .actor_for(Definition::new(|| InspectActor).with_type("Inspect"))
        .unwrap();

    let request = tracing::info_span!("request", id = 9);
    let seen = within!(async { inspector.context_keys().await }.instrument(request.clone()));
    assert!(seen.is_empty(), "no values: {seen:?}");

    inspector.with_execution_context(|context| {
        context.set_value("trace", String::from("t-1"));
    });
    let seen = within!(async { inspector.context_keys().await }.instrument(request));
    assert_eq!(seen, vec![String::from("trace")]);
    assert_eq!(capture.links().len(), 2, "{:#?}", capture.links());
    within!(stage.close());
}

#[actor_protocol]
pub trait Inspect {
    /// The keys of the current message's execution context, sorted.
    async fn context_keys(&mut self) -> Vec<String>;
}

#[derive(Actor)]
struct InspectActor;

impl Inspect for InspectActor {
    async fn context_keys(&mut self) -> Vec<String> {
        let context = self.execution_context();
        let mut keys: Vec<String> = context.keys().map(str::to_owned).collect();
        keys.sort();
        assert_eq!(context.count(), keys.len());
        keys
    }
}

#[actor_protocol]
pub trait Nursery {
    /// Creates a child `Back` actor and asks it once.
    async fn raise(&mut self) -> u32;
}

#[derive(Actor)]
struct NurseryActor;

impl Nursery for NurseryActor {
    async fn raise(&mut self) -> u32 {
        let child: BackProxy = self
            .child_actor_for(Definition::new(|| ChildActor).with_type("Child"))
            .unwrap();
        child.lookup(1).await
    }
}

#[derive(Actor)]
struct ChildActor;

impl Back for ChildActor {
    async fn lookup(&mut self, key: u32) -> u32 {
        tracing::info!("child here");
        key + 1
    }
}

#[tokio::test]
async fn a_child_made_in_a_handler_is_under_its_parents_span_not_the_handlers_message() {
    // The child's span lives as long as the child: its parent is the parent actor's span, so
    // that the message span it was created in can close (the message link says who asked).
    let (capture, _guard) = Capture::install("info,domo_actors::message=debug");
    let stage = Stage::new();
    let nursery: NurseryProxy = stage
        .actor_for(Definition::new(|| NurseryActor).with_type("Nursery"))
        .unwrap();
    assert_eq!(within!(nursery.raise()), 2);

    let here = capture.matching(|event| event.message == "child here");
    assert_eq!(here.len(), 1, "{:#?}", capture.events());
    let spans: Vec<(&str, Option<&str>)> = here[0]
        .spans
        .iter()
        .map(|(name, fields)| {
            let detail = fields.get("type").or_else(|| fields.get("method"));
            (name.as_str(), detail.map(String::as_str))
        })
        .collect();
    assert_eq!(
        spans,
        [
            ("actor", Some("Nursery")),
            ("actor", Some("Child")),
            ("message", Some("lookup")),
        ]
    );
    // And the child's message still follows from the parent's.
    let links = capture.links();
    assert!(
        links
            .iter()
            .any(|(span, from)| is_message_span(span, "lookup") && is_message_span(from, "raise")),
        "{links:#?}"
    );
    within!(stage.close());
}
