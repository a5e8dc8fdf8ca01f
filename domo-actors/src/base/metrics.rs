//! Metrics through the [`metrics`](https://docs.rs/metrics) facade, under the `metrics` cargo
//! feature: the runtime records, the application picks the exporter (Prometheus, StatsD,
//! OpenTelemetry...) by installing a `metrics` recorder.
//!
//! Every hook the runtime calls is here, as a small `#[inline]` function or a value type.
//! Without the feature they are empty and their types zero-sized (a message's enqueue stamp
//! too), so the runtime compiles to what it was without metrics.
//!
//! | name | kind | labels | what |
//! |---|---|---|---|
//! | `domo_actors_messages_handled_total` | counter | `actor_type`, `method` | handlers that returned (an `Err` answer included) |
//! | `domo_actors_messages_failed_total` | counter | `actor_type`, `method` | handlers that panicked |
//! | `domo_actors_handler_duration_seconds` | histogram | `actor_type`, `method` | from the handler's start to its answer (or panic), awaits included |
//! | `domo_actors_mailbox_time_seconds` | histogram | `actor_type`, `method` | from the send to the handler's start |
//! | `domo_actors_mailbox_depth` | histogram | `actor_type` | messages queued ahead of a message when it was sent (not counting a batch its actor had already taken), recorded as it is delivered |
//! | `domo_actors_actors_live` | gauge | `actor_type` | actors created and not yet stopped |
//! | `domo_actors_stops_total` | counter | `actor_type`, `reason` | actors stopped: `reason` is `stopped` (asked to), `failed` (stopped by supervision, or its task ended abnormally) or `stage_closed` |
//! | `domo_actors_restarts_total` | counter | `actor_type` | restarts by supervision |
//! | `domo_actors_resumes_total` | counter | `actor_type` | resumes by supervision (after a failure) |
//! | `domo_actors_suspends_total` | counter | `actor_type` | suspensions by supervision (after a failure) |
//! | `domo_actors_dead_letters_total` | counter | `actor_type`, `reason` | dead letters, by the actor they were for and [`DeadLetterReason`](crate::DeadLetterReason) (`actor_stopped`, `stage_closed`, `mailbox_full`, `dropped_oldest`, `dropped_newest`, `runtime_shutdown`, `subscriber_dropped`) |
//! | `domo_actors_promise_timeouts_total` | counter | | promises that gave up waiting at their timeout |
//!
//! Label values are the actor's type name (as `ActorRef::type_name` shows it) and the
//! protocol method's name, both held by the runtime already: recording a message allocates
//! nothing. The handles of the per-message metrics are registered once per thread, type and
//! method, and kept in a thread-local map (see `enabled::with_handles`): the recorder must be
//! installed before the stage's first message (a handle registered earlier stays with the
//! no-op recorder). Rare events (a stop, a restart, a dead letter) register their handle each
//! time.

#[cfg(feature = "metrics")]
pub(crate) use enabled::*;

#[cfg(not(feature = "metrics"))]
pub(crate) use disabled::*;

/// The metric names, one place for the table above and the tests.
#[cfg_attr(not(feature = "metrics"), allow(dead_code))]
pub(crate) mod names {
    pub(crate) const HANDLED: &str = "domo_actors_messages_handled_total";
    pub(crate) const FAILED: &str = "domo_actors_messages_failed_total";
    pub(crate) const HANDLER_DURATION: &str = "domo_actors_handler_duration_seconds";
    pub(crate) const MAILBOX_TIME: &str = "domo_actors_mailbox_time_seconds";
    pub(crate) const MAILBOX_DEPTH: &str = "domo_actors_mailbox_depth";
    pub(crate) const LIVE: &str = "domo_actors_actors_live";
    pub(crate) const STOPS: &str = "domo_actors_stops_total";
    pub(crate) const RESTARTS: &str = "domo_actors_restarts_total";
    pub(crate) const RESUMES: &str = "domo_actors_resumes_total";
    pub(crate) const SUSPENDS: &str = "domo_actors_suspends_total";
    pub(crate) const DEAD_LETTERS: &str = "domo_actors_dead_letters_total";
    pub(crate) const PROMISE_TIMEOUTS: &str = "domo_actors_promise_timeouts_total";

    /// Every name, for the test that the guide lists them.
    #[cfg(test)]
    pub(crate) const ALL: [&str; 12] = [
        HANDLED,
        FAILED,
        HANDLER_DURATION,
        MAILBOX_TIME,
        MAILBOX_DEPTH,
        LIVE,
        STOPS,
        RESTARTS,
        RESUMES,
        SUSPENDS,
        DEAD_LETTERS,
        PROMISE_TIMEOUTS,
    ];
}

/// The hooks without the feature: empty, and their values zero-sized.
#[cfg(not(feature = "metrics"))]
mod disabled {
    use std::sync::Arc;

    /// Describes the metrics to the recorder.
    #[inline(always)]
    pub(crate) fn describe() {}

    /// When a message was sent: nothing without the feature.
    #[derive(Clone, Copy)]
    pub(crate) struct Stamp;

    impl Stamp {
        /// A message sent now.
        #[inline(always)]
        pub(crate) fn now() -> Self {
            Stamp
        }

        /// The message is queued behind `ahead` others.
        #[inline(always)]
        pub(crate) fn behind(self, _ahead: usize) -> Self {
            Stamp
        }
    }

    /// A delivery being measured: nothing without the feature.
    pub(crate) struct Delivery;

    impl Delivery {
        /// A handler starts on a message stamped `stamp`, a call of the method `method` names.
        #[inline(always)]
        pub(crate) fn start(_stamp: Stamp, _method: impl FnOnce() -> &'static str) -> Self {
            Delivery
        }

        /// The handler returned (`handled`) or panicked.
        #[inline(always)]
        pub(crate) fn finish(self, _type_name: &Arc<str>, _handled: bool) {}
    }

    /// Whether an actor counts among the live ones: nothing without the feature.
    pub(crate) struct Live;

    impl Live {
        /// Not counted yet.
        #[inline(always)]
        pub(crate) const fn new() -> Self {
            Live
        }

        /// The actor is registered: it counts as live.
        #[inline(always)]
        pub(crate) fn started(&self, _type_name: &Arc<str>) {}

        /// The actor has stopped for `reason`.
        #[inline(always)]
        pub(crate) fn stopped(&self, _type_name: &Arc<str>, _reason: &'static str) {}
    }

    /// Supervision restarted an actor.
    #[inline(always)]
    pub(crate) fn restarted(_type_name: &Arc<str>) {}

    /// Supervision resumed an actor.
    #[inline(always)]
    pub(crate) fn resumed(_type_name: &Arc<str>) {}

    /// Supervision suspended an actor.
    #[inline(always)]
    pub(crate) fn suspended(_type_name: &Arc<str>) {}

    /// A dead letter for an actor of `type_name`.
    #[inline(always)]
    pub(crate) fn dead_letter(_type_name: &Arc<str>, _reason: &'static str) {}

    /// A promise gave up at its timeout.
    #[inline(always)]
    pub(crate) fn promise_timed_out() {}
}

/// The hooks with the feature.
#[cfg(feature = "metrics")]
mod enabled {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU8, Ordering};
    use std::time::Instant;

    use metrics::{Counter, Gauge, Histogram, SharedString, Unit};

    use super::names;
    use foldhash::fast::RandomState;

    /// Describes the metrics to the recorder (called by every new stage: a recorder installed
    /// between two stages still gets the descriptions).
    pub(crate) fn describe() {
        use metrics::{describe_counter, describe_gauge, describe_histogram};
        describe_counter!(
            names::HANDLED,
            Unit::Count,
            "Messages whose handler returned, by actor type and method"
        );
        describe_counter!(
            names::FAILED,
            Unit::Count,
            "Messages whose handler panicked, by actor type and method"
        );
        describe_histogram!(
            names::HANDLER_DURATION,
            Unit::Seconds,
            "Time from a handler's start to its answer or panic"
        );
        describe_histogram!(
            names::MAILBOX_TIME,
            Unit::Seconds,
            "Time from a message's send to the start of its handler"
        );
        describe_histogram!(
            names::MAILBOX_DEPTH,
            Unit::Count,
            "Messages queued ahead of a message when it was sent"
        );
        describe_gauge!(
            names::LIVE,
            Unit::Count,
            "Actors created and not yet stopped"
        );
        describe_counter!(
            names::STOPS,
            Unit::Count,
            "Actors stopped, by reason: stopped, failed or stage_closed"
        );
        describe_counter!(names::RESTARTS, Unit::Count, "Restarts by supervision");
        describe_counter!(
            names::RESUMES,
            Unit::Count,
            "Resumes by supervision after a failure"
        );
        describe_counter!(
            names::SUSPENDS,
            Unit::Count,
            "Suspensions by supervision after a failure"
        );
        describe_counter!(
            names::DEAD_LETTERS,
            Unit::Count,
            "Messages that could not be delivered, by actor type and reason"
        );
        describe_counter!(
            names::PROMISE_TIMEOUTS,
            Unit::Count,
            "Promises that gave up waiting at their timeout"
        );
    }

    /// When a message was sent, and how many messages were queued ahead of it.
    #[derive(Clone, Copy)]
    pub(crate) struct Stamp {
        at: Instant,
        ahead: u32,
    }

    impl Stamp {
        /// A message sent now.
        #[inline]
        pub(crate) fn now() -> Self {
            Self {
                at: Instant::now(),
                ahead: 0,
            }
        }

        /// The message is queued behind `ahead` others.
        #[inline]
        pub(crate) fn behind(self, ahead: usize) -> Self {
            Self {
                ahead: u32::try_from(ahead).unwrap_or(u32::MAX),
                ..self
            }
        }
    }

    /// A delivery being measured: from its handler's start to its end.
    pub(crate) struct Delivery {
        method: &'static str,
        stamp: Stamp,
        started: Instant,
    }

    impl Delivery {
        /// A handler starts on a message stamped `stamp`, a call of the method `method` names.
        #[inline]
        pub(crate) fn start(stamp: Stamp, method: impl FnOnce() -> &'static str) -> Self {
            Self {
                method: method(),
                stamp,
                started: Instant::now(),
            }
        }

        /// The handler returned (`handled`) or panicked: records the message's metrics.
        #[inline]
        pub(crate) fn finish(self, type_name: &Arc<str>, handled: bool) {
            let ended = Instant::now();
            let waited = self.started.saturating_duration_since(self.stamp.at);
            let ran = ended.saturating_duration_since(self.started);
            let ahead = f64::from(self.stamp.ahead);
            with_method(type_name, self.method, |of_type, of_method| {
                if handled {
                    of_method.handled.increment(1);
                } else {
                    of_method.failed.increment(1);
                }
                of_method.duration.record(ran);
                of_method.mailbox_time.record(waited);
                of_type.depth.record(ahead);
            });
        }
    }

    /// `Live`: not counted yet.
    const NEW: u8 = 0;
    /// `Live`: counted among the live actors.
    const COUNTED: u8 = 1;
    /// `Live`: stopped (counted out if it was counted in).
    const STOPPED: u8 = 2;

    /// Whether an actor counts among the live ones: counted in once it is registered, so that
    /// stand-ins (a stopped root) and actors whose creation failed are never counted out; an
    /// actor stopped before that (its parent stopping it at once, through its children) is
    /// never counted at all.
    pub(crate) struct Live {
        state: AtomicU8,
    }

    impl Live {
        /// Not counted yet.
        pub(crate) const fn new() -> Self {
            Self {
                state: AtomicU8::new(NEW),
            }
        }

        /// The actor is registered: it counts as live, unless it has already stopped.
        pub(crate) fn started(&self, type_name: &Arc<str>) {
            let counted =
                self.state
                    .compare_exchange(NEW, COUNTED, Ordering::Relaxed, Ordering::Relaxed);
            if counted.is_ok() {
                with_type(type_name, |of_type| of_type.live.increment(1.0));
            }
        }

        /// The actor has stopped for `reason` (once: see `ActorCore::finish_stopping`).
        pub(crate) fn stopped(&self, type_name: &Arc<str>, reason: &'static str) {
            if self.state.swap(STOPPED, Ordering::Relaxed) == COUNTED {
                with_type(type_name, |of_type| of_type.live.decrement(1.0));
                metrics::counter!(names::STOPS, "actor_type" => label(type_name), "reason" => reason)
                    .increment(1);
            }
        }
    }

    /// Supervision restarted an actor.
    pub(crate) fn restarted(type_name: &Arc<str>) {
        metrics::counter!(names::RESTARTS, "actor_type" => label(type_name)).increment(1);
    }

    /// Supervision resumed an actor.
    pub(crate) fn resumed(type_name: &Arc<str>) {
        metrics::counter!(names::RESUMES, "actor_type" => label(type_name)).increment(1);
    }

    /// Supervision suspended an actor.
    pub(crate) fn suspended(type_name: &Arc<str>) {
        metrics::counter!(names::SUSPENDS, "actor_type" => label(type_name)).increment(1);
    }

    /// A dead letter for an actor of `type_name`.
    pub(crate) fn dead_letter(type_name: &Arc<str>, reason: &'static str) {
        metrics::counter!(names::DEAD_LETTERS, "actor_type" => label(type_name), "reason" => reason)
            .increment(1);
    }

    /// A promise gave up at its timeout.
    pub(crate) fn promise_timed_out() {
        metrics::counter!(names::PROMISE_TIMEOUTS).increment(1);
    }

    /// A type name as a label value: shares the name's allocation.
    fn label(type_name: &Arc<str>) -> SharedString {
        SharedString::from(Arc::clone(type_name))
    }

    /// The handles of one actor type.
    struct OfType {
        live: Gauge,
        depth: Histogram,
        /// By method, found by the address of its `'static` name (a protocol has a few).
        methods: Vec<OfMethod>,
    }

    /// The handles of one method of one actor type.
    struct OfMethod {
        method: &'static str,
        handled: Counter,
        failed: Counter,
        duration: Histogram,
        mailbox_time: Histogram,
    }

    impl OfType {
        fn register(type_name: &Arc<str>) -> Self {
            Self {
                live: metrics::gauge!(names::LIVE, "actor_type" => label(type_name)),
                depth: metrics::histogram!(names::MAILBOX_DEPTH, "actor_type" => label(type_name)),
                methods: Vec::new(),
            }
        }

        /// Where the handles of `method` are in `methods` (registered if they are not).
        fn method_index(&mut self, type_name: &Arc<str>, method: &'static str) -> usize {
            // Compared by address: a method's name is one string in the binary. The same text
            // at another address (a method of the same name in another protocol of the actor)
            // gets an entry of its own, whose handles the recorder makes the same.
            match self
                .methods
                .iter()
                .position(|of| std::ptr::eq(of.method, method))
            {
                Some(index) => index,
                None => {
                    self.methods.push(OfMethod::register(type_name, method));
                    self.methods.len() - 1
                }
            }
        }
    }

    impl OfMethod {
        fn register(type_name: &Arc<str>, method: &'static str) -> Self {
            let labels = [
                ("actor_type", label(type_name)),
                ("method", SharedString::const_str(method)),
            ];
            Self {
                method,
                handled: metrics::counter!(names::HANDLED, &labels),
                failed: metrics::counter!(names::FAILED, &labels),
                duration: metrics::histogram!(names::HANDLER_DURATION, &labels),
                mailbox_time: metrics::histogram!(names::MAILBOX_TIME, &labels),
            }
        }
    }

    /// A thread's handles, by actor type.
    struct Handles {
        /// The type this thread recorded for last, and its place in `types`: a runner runs
        /// actors of one type, so most lookups are for the type of the one before, and
        /// comparing the `Arc` of its name is cheaper than hashing the name. Held here, so that
        /// the address it compares cannot be reused for another name.
        last: Option<(Arc<str>, usize)>,
        /// Each type's place in `types`, by its name: actors of one type may hold different
        /// `Arc`s of its name (`Definition::with_type`).
        places: HashMap<Arc<str>, usize, RandomState>,
        types: Vec<OfType>,
    }

    impl Handles {
        /// The handles of `type_name`, registered if this thread has none.
        #[inline]
        fn of_type(&mut self, type_name: &Arc<str>) -> &mut OfType {
            let place = match &self.last {
                Some((last, place)) if Arc::ptr_eq(last, type_name) => *place,
                _ => self.find(type_name),
            };
            &mut self.types[place]
        }

        /// Finds (or registers) the handles of a type other than the last one.
        #[cold]
        fn find(&mut self, type_name: &Arc<str>) -> usize {
            let place = match self.places.get(&**type_name) {
                Some(&place) => place,
                None => {
                    self.types.push(OfType::register(type_name));
                    self.places
                        .insert(Arc::clone(type_name), self.types.len() - 1);
                    self.types.len() - 1
                }
            };
            self.last = Some((Arc::clone(type_name), place));
            place
        }
    }

    thread_local! {
        /// This thread's handles: per thread, so that finding them takes no lock.
        static HANDLES: RefCell<Handles> = RefCell::new(Handles {
            last: None,
            places: HashMap::with_hasher(RandomState::default()),
            types: Vec::new(),
        });
    }

    /// Runs `f` on the handles of `type_name` (registered on this thread's first use).
    fn with_type(type_name: &Arc<str>, f: impl FnOnce(&OfType)) {
        with_handles(type_name, |of_type| f(of_type));
    }

    /// Runs `f` on the handles of `method` of `type_name`.
    #[inline]
    fn with_method(type_name: &Arc<str>, method: &'static str, f: impl FnOnce(&OfType, &OfMethod)) {
        with_handles(type_name, |of_type| {
            let index = of_type.method_index(type_name, method);
            let of_type = &*of_type;
            f(of_type, &of_type.methods[index]);
        });
    }

    /// Runs `f` on this thread's handles of `type_name`. If they are in use (a recorder that
    /// records from inside a recording) or gone (the thread is ending), on handles registered
    /// for this call alone.
    #[inline]
    fn with_handles(type_name: &Arc<str>, f: impl FnOnce(&mut OfType)) {
        let mut f = Some(f);
        let _ = HANDLES.try_with(|handles| {
            // `f` is taken only once the handles are borrowed: otherwise it runs below.
            if let Ok(mut handles) = handles.try_borrow_mut() {
                if let Some(f) = f.take() {
                    f(handles.of_type(type_name));
                }
            }
        });
        if let Some(f) = f {
            f(&mut OfType::register(type_name));
        }
    }
}

#[cfg(test)]
mod tests {
    /// The table of this module's doc is the guide's (`guide/observability.md`, *Metrics*), and
    /// names every metric.
    #[test]
    fn the_guide_lists_the_metrics_of_this_module() {
        let rows = |text: &'static str, prefix: &'static str| -> Vec<&'static str> {
            text.lines()
                .filter_map(|line| line.strip_prefix(prefix))
                .filter(|row| row.starts_with("| `domo_actors_"))
                .collect()
        };
        let here = rows(include_str!("metrics.rs"), "//! ");
        let guide = rows(include_str!("../../guide/observability.md"), "");
        assert_eq!(here, guide);
        for name in super::names::ALL {
            assert!(
                here.iter()
                    .any(|row| row.starts_with(&format!("| `{name}` |"))),
                "{name}"
            );
        }
        assert_eq!(here.len(), super::names::ALL.len());
    }

    /// Without the feature, what the runtime carries for metrics (in every queued message, in
    /// the actor task while a handler runs, in every actor) takes no room.
    #[test]
    #[cfg(not(feature = "metrics"))]
    fn without_the_feature_the_hooks_hold_nothing() {
        use super::*;

        assert_eq!(size_of::<Stamp>(), 0);
        assert_eq!(size_of::<Delivery>(), 0);
        assert_eq!(size_of::<Live>(), 0);
    }
}
