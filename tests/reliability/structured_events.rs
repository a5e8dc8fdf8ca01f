//! Issue 16, part 1 (the parts off the message path): the runtime's lifecycle and supervision
//! events carry structured fields under targets of their own, inside the actor's span, which
//! holds the short form of its address (the full one is logged once, at creation); what actors
//! log through `self.logger()` has a target of its own, apart from the runtime's, and what they
//! log with `tracing`'s macros has their own crate's.
//!
//! Each test captures the events of its own thread (current-thread runtime), filtered as
//! `RUST_LOG` would filter them.

use domo_actors::{Actor, Definition, Stage, actor_protocol};
use domo_actors_suite::{panicked, within};
use tracing::Level;

use crate::capture::Capture;

#[actor_protocol]
pub trait Chatty {
    /// Logs `note` through `self.logger()` and through `tracing::info!`.
    async fn note(&mut self, note: String);
    /// Logs `note` at debug level with `tracing::debug!`.
    async fn whisper(&mut self, note: String);
    /// Panics with `cause`.
    async fn fail(&mut self, cause: String);
}

#[derive(Actor)]
struct ChattyActor;

impl Chatty for ChattyActor {
    async fn note(&mut self, note: String) {
        self.logger()
            .info(format_args!("through the logger: {note}"));
        tracing::info!(%note, "through tracing");
    }

    async fn whisper(&mut self, note: String) {
        tracing::debug!(%note, "whispered");
    }

    async fn fail(&mut self, cause: String) {
        panic!("{cause}")
    }
}

#[tokio::test]
async fn supervision_and_lifecycle_events_have_structured_fields() {
    let (capture, _guard) = Capture::install("info,domo_actors::lifecycle=debug");
    let stage = Stage::new();
    let chatty: ChattyProxy = stage
        .actor_for(Definition::new(|| ChattyActor).with_type("Chatty"))
        .unwrap();
    let address = chatty.address();
    let short = address.short().to_string();
    let cause = "structured events: a failure";
    let failed = within!(chatty.fail(cause.to_owned()).result());
    assert_eq!(panicked(&failed), Some(("fail", cause)));

    // The public root restarts it: an event with the directive and the reason as fields, inside
    // the actor's span, which holds its type and the short form of its address.
    let restarted = capture.matching(|event| {
        event.target == "domo_actors::supervision" && event.message == "actor restarted"
    });
    assert_eq!(restarted.len(), 1, "{:#?}", capture.events());
    let restarted = &restarted[0];
    assert_eq!(restarted.level, Level::INFO);
    assert_eq!(restarted.field("directive"), Some("Restart"));
    let reason = restarted.field("reason").expect("the reason");
    assert!(
        reason.contains(cause) && reason.contains("`fail`"),
        "{reason}"
    );
    let span = restarted.span("actor").expect("inside the actor's span");
    assert_eq!(span["type"], "Chatty");
    assert_eq!(span["id"], short);
    assert!(
        address.to_string().ends_with(&short) && short.len() < address.to_string().len(),
        "the short form is the end of the full one"
    );
    assert!(
        !span.contains_key("address"),
        "the span holds the short form only"
    );

    // The root's own report names the failed actor by fields too.
    let root = capture.matching(|event| event.message == "a failure reached a root actor");
    assert_eq!(root.len(), 1, "{:#?}", capture.events());
    assert_eq!(root[0].target, "domo_actors::supervision");
    assert_eq!(root[0].field("supervised"), Some("Chatty"));
    assert_eq!(root[0].field("supervised_id"), Some(short.as_str()));

    // Created (debug): the one event with the full address.
    let created = capture.matching(|event| {
        event.message == "actor created"
            && event.span("actor").map(|span| &span["id"]) == Some(&short)
    });
    assert_eq!(created.len(), 1, "{:#?}", capture.events());
    assert_eq!(created[0].target, "domo_actors::lifecycle");
    assert_eq!(created[0].level, Level::DEBUG);
    assert_eq!(
        created[0].field("address"),
        Some(address.to_string().as_str())
    );

    // Stopped (debug), at close.
    within!(stage.close());
    let stopped = capture.matching(|event| {
        event.message == "actor stopped"
            && event.span("actor").map(|span| &span["id"]) == Some(&short)
    });
    assert_eq!(stopped.len(), 1, "{:#?}", capture.events());
    assert_eq!(stopped[0].target, "domo_actors::lifecycle");
    assert_eq!(stopped[0].level, Level::DEBUG);
}

#[tokio::test]
async fn at_info_creating_and_stopping_actors_log_nothing() {
    let (capture, _guard) = Capture::install("info");
    let stage = Stage::new();
    let chatty: ChattyProxy = stage.actor_for(Definition::new(|| ChattyActor)).unwrap();
    within!(chatty.whisper("unheard".into()));
    within!(stage.close());
    let runtime = capture.matching(|event| event.target.starts_with("domo_actors"));
    assert!(runtime.is_empty(), "{runtime:#?}");
}

#[tokio::test]
async fn logger_events_are_filtered_apart_from_the_runtime_and_tracing_events_by_crate() {
    // The runtime turned down to warnings; this crate's events, the actors' logger and the
    // actors' span (the context of both) on: the setting the observability guide gives.
    let (capture, _guard) =
        Capture::install("warn,reliability=info,domo_actors::logger=info,domo_actors::actor=info");
    let stage = Stage::new();
    let chatty: ChattyProxy = stage.actor_for(Definition::new(|| ChattyActor)).unwrap();
    within!(chatty.note("hello".into()));
    let failed = within!(chatty.fail("logger test: a failure".into()).result());
    assert!(panicked(&failed).is_some());
    within!(chatty.note("again".into()));
    within!(stage.close());

    let through_logger = capture.matching(|event| event.target == "domo_actors::logger");
    assert_eq!(
        through_logger
            .iter()
            .map(|event| event.message.as_str())
            .collect::<Vec<_>>(),
        ["through the logger: hello", "through the logger: again"]
    );
    // The logger keeps its caller's place: the handler, in this file, not the logger's module.
    let location = through_logger[0]
        .field("location")
        .expect("a location field");
    assert!(location.starts_with(&format!("{}:", file!())), "{location}");
    let through_tracing = capture.matching(|event| event.message == "through tracing");
    assert_eq!(through_tracing.len(), 2, "{:#?}", capture.events());
    for event in through_logger.iter().chain(&through_tracing) {
        assert_eq!(event.level, Level::INFO);
        let span = event.span("actor").expect("inside the actor's span");
        assert_eq!(span["id"], chatty.address().short().to_string());
    }
    assert_eq!(
        through_tracing[0].target,
        module_path!(),
        "tracing's macros keep the caller's module as the target"
    );
    assert_eq!(through_tracing[0].field("note"), Some("hello"));

    // The runtime's info events (the restart) are filtered out; its failures are not.
    let runtime: Vec<_> = capture.matching(|event| {
        event.target.starts_with("domo_actors") && event.target != "domo_actors::logger"
    });
    assert!(
        runtime.iter().all(|event| event.level <= Level::WARN),
        "{runtime:#?}"
    );
    assert!(
        runtime
            .iter()
            .any(|event| event.target == "domo_actors::panic"),
        "{runtime:#?}"
    );
}

#[tokio::test]
async fn a_span_filter_selects_one_actor_type() {
    let (capture, _guard) = Capture::install("warn,[actor{type=Whisperer}]=debug");
    let stage = Stage::new();
    let selected: ChattyProxy = stage
        .actor_for(Definition::new(|| ChattyActor).with_type("Whisperer"))
        .unwrap();
    let other: ChattyProxy = stage
        .actor_for(Definition::new(|| ChattyActor).with_type("Other"))
        .unwrap();
    within!(selected.whisper("selected".into()));
    within!(other.whisper("not selected".into()));
    within!(stage.close());
    let whispers: Vec<_> = capture
        .matching(|event| event.message == "whispered")
        .into_iter()
        .map(|event| event.field("note").map(str::to_owned))
        .collect();
    assert_eq!(whispers, [Some("selected".to_owned())]);
}
