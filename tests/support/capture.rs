//! A `tracing` layer that keeps every event it sees, with its fields and the fields of the spans
//! it is in, for tests that assert what the runtime logs and how (targets, levels, structured
//! fields), not only the text.
//!
//! Included by path (`#[path = "../support/capture.rs"] mod capture;`) by the test binaries that
//! use it: it needs `tracing-subscriber`, a dev-dependency, which the fixtures library
//! (`lib.rs`) cannot name.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use tracing::Dispatch;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::subscriber::{DefaultGuard, NoSubscriber};
use tracing::{Level, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::{EnvFilter, Layer};

/// One event as the layer saw it.
#[derive(Clone, Debug)]
pub struct Captured {
    pub level: Level,
    pub target: String,
    pub message: String,
    /// The event's fields but `message`: a `&str` as is, anything else as `Debug` renders it
    /// (`%value` fields render as their `Display`).
    pub fields: BTreeMap<String, String>,
    /// The spans the event is in, outermost first: name and fields.
    pub spans: Vec<(String, BTreeMap<String, String>)>,
}

impl Captured {
    /// The value of the event's field `name`.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// The fields of the innermost span named `name` the event is in.
    pub fn span(&self, name: &str) -> Option<&BTreeMap<String, String>> {
        self.spans
            .iter()
            .rev()
            .find(|(span, _)| span == name)
            .map(|(_, fields)| fields)
    }
}

/// A span as a follows-from link names it: its name and fields.
pub type SpanSeen = (String, BTreeMap<String, String>);

/// The events and follows-from links captured so far, shared with the layer.
#[derive(Clone, Default)]
pub struct Capture(
    Arc<Mutex<Vec<Captured>>>,
    Arc<Mutex<Vec<(SpanSeen, SpanSeen)>>>,
);

impl Capture {
    /// Captures the events that `filter` (an `EnvFilter` directive string, as in `RUST_LOG`)
    /// lets through on this thread, until the guard drops. Run the actors on this thread (a
    /// current-thread runtime) for their events to be seen.
    pub fn install(filter: &str) -> (Capture, DefaultGuard) {
        // While `tracing` knows of a single live dispatcher, it computes a callsite's interest
        // from the default of the thread that first reaches it, alone: a runtime callsite
        // first reached by another test's actor, on a thread without a subscriber, would be
        // "never" for this thread's too, and its events lost (seen under load). A second
        // dispatcher kept for the whole run makes it ask every live one.
        static SECOND: OnceLock<Dispatch> = OnceLock::new();
        SECOND.get_or_init(|| Dispatch::new(NoSubscriber::default()));
        let capture = Capture::default();
        let subscriber = tracing_subscriber::registry()
            .with(EnvFilter::new(filter))
            .with(capture.clone());
        let guard = tracing::subscriber::set_default(subscriber);
        // Tests on other threads install subscribers of their own: recompute the callsites'
        // cached interest with this one, so that none stays "never" from before it existed.
        tracing::callsite::rebuild_interest_cache();
        (capture, guard)
    }

    /// Every event captured so far.
    pub fn events(&self) -> Vec<Captured> {
        self.0.lock().unwrap().clone()
    }

    /// Every follows-from link recorded so far: (the span, the span it follows from).
    pub fn links(&self) -> Vec<(SpanSeen, SpanSeen)> {
        self.1.lock().unwrap().clone()
    }

    /// The events captured so far that `keep` selects.
    pub fn matching(&self, keep: impl Fn(&Captured) -> bool) -> Vec<Captured> {
        self.events()
            .into_iter()
            .filter(|event| keep(event))
            .collect()
    }
}

/// A span's fields, kept in its extensions.
struct SpanFields(BTreeMap<String, String>);

/// Records fields into a map (and the message apart).
struct Fields<'a> {
    fields: &'a mut BTreeMap<String, String>,
    message: Option<&'a mut String>,
}

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record(field, value.to_owned());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.record(field, format!("{value:?}"));
    }
}

impl Fields<'_> {
    fn record(&mut self, field: &Field, value: String) {
        match (&mut self.message, field.name()) {
            (Some(message), "message") => **message = value,
            _ => {
                self.fields.insert(field.name().to_owned(), value);
            }
        }
    }
}

impl<S> Layer<S> for Capture
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        attributes.record(&mut Fields {
            fields: &mut fields,
            message: None,
        });
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanFields(fields));
        }
    }

    fn on_follows_from(&self, span: &Id, follows: &Id, ctx: Context<'_, S>) {
        let seen = |id: &Id| -> Option<SpanSeen> {
            let span = ctx.span(id)?;
            let fields = span
                .extensions()
                .get::<SpanFields>()
                .map(|fields| fields.0.clone())
                .unwrap_or_default();
            Some((span.name().to_owned(), fields))
        };
        if let (Some(span), Some(follows)) = (seen(span), seen(follows)) {
            self.1.lock().unwrap().push((span, follows));
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let mut fields = BTreeMap::new();
        let mut message = String::new();
        event.record(&mut Fields {
            fields: &mut fields,
            message: Some(&mut message),
        });
        let spans = ctx
            .event_scope(event)
            .map(|scope| {
                scope
                    .from_root()
                    .map(|span| {
                        let fields = span
                            .extensions()
                            .get::<SpanFields>()
                            .map(|fields| fields.0.clone())
                            .unwrap_or_default();
                        (span.name().to_owned(), fields)
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.0.lock().unwrap().push(Captured {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            message,
            fields,
            spans,
        });
    }
}
