//! The `metrics` feature (issue 16): a scripted run, recorded by `metrics-util`'s debugging
//! recorder, gives exact counts: messages handled and failed per method, one histogram sample
//! per delivery, live actors, supervision's resume, restart and stop, a stop asked for, dead
//! letters by reason, a promise timeout.
//!
//! The recorder is this thread's own (`metrics::set_default_local_recorder`) and the runtime a
//! current-thread one, so every actor records on this thread and the counts are this test's
//! alone, whatever other tests of the binary run meanwhile.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use domo_actors::{
    Actor, Definition, Stage, Supervised, SupervisionDirective, SupervisionStrategy,
    TerminationReason, actor_protocol,
};
use metrics_util::debugging::{DebugValue, DebuggingRecorder, Snapshotter};
use metrics_util::{CompositeKey, MetricKind};

#[actor_protocol]
pub trait Metered {
    async fn work(&mut self);
    async fn value(&mut self) -> u64;
    async fn fail(&mut self);
    async fn hang(&mut self) -> u64;
}

#[derive(Actor)]
struct MeteredActor {
    worked: u64,
}

impl Metered for MeteredActor {
    async fn work(&mut self) {
        self.worked += 1;
    }
    async fn value(&mut self) -> u64 {
        self.worked
    }
    async fn fail(&mut self) {
        panic!("scripted failure");
    }
    async fn hang(&mut self) -> u64 {
        // The behaviour under test: a handler slower than its caller's promise timeout (virtual
        // seconds, on the paused clock), for `domo_actors_promise_timeouts_total`.
        tokio::time::sleep(Duration::from_secs(10)).await;
        self.worked
    }
}

/// The actor type's name, as the metrics label it.
const TYPE: &str = "Metered";

const TELLS: u64 = 7;
const ASKS: u64 = 3;
const DEAD: u64 = 4;

#[tokio::test(start_paused = true)]
async fn a_scripted_run_gives_exact_counts() {
    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    let _recording = metrics::set_default_local_recorder(&recorder);

    let stage = Stage::new();
    // The first failure is resumed, the second restarts its actor, the third stops its actor.
    let failures = Arc::new(AtomicU32::new(0));
    let counted = Arc::clone(&failures);
    stage.register_supervisor_fn(
        TYPE,
        SupervisionStrategy::forever().deciding(move |_: &Supervised| {
            match counted.fetch_add(1, Ordering::Relaxed) {
                0 => SupervisionDirective::Resume,
                1 => SupervisionDirective::Restart,
                _ => SupervisionDirective::Stop,
            }
        }),
    );
    let new_metered = || -> MeteredProxy {
        stage
            .actor_for(Definition::new(|| MeteredActor { worked: 0 }).with_type(TYPE))
            .expect("the stage is open")
    };
    let metered = new_metered();
    let doomed = new_metered();
    // A snapshot drains the recorder: each one holds what happened since the last.
    let created = Metrics::take(&snapshotter);
    assert_eq!(created.gauge(TYPE), 2.0, "two live actors");

    for _ in 0..TELLS {
        metered.work();
    }
    for _ in 0..ASKS {
        assert_eq!(metered.value().await, TELLS);
    }
    assert!(metered.fail().result().await.is_err());
    assert_eq!(metered.value().await, TELLS, "resumed: the state is kept");
    assert!(metered.fail().result().await.is_err());
    assert_eq!(metered.value().await, 0, "restarted: a fresh instance");
    assert!(doomed.fail().result().await.is_err());
    assert_eq!(
        doomed.actor_ref().terminated().await,
        TerminationReason::Failed
    );
    // The caller gives up after a second; the handler answers nine seconds later, to nobody.
    assert!(
        metered
            .hang()
            .timeout(Duration::from_secs(1))
            .result()
            .await
            .is_err()
    );
    metered.stop().await;
    for _ in 0..DEAD {
        metered.work();
    }
    assert_eq!(stage.dead_letters().count(), DEAD);

    let snapshot = Metrics::take(&snapshotter);
    let method = |name: &'static str| [("actor_type", TYPE), ("method", name)];
    let handled = "domo_actors_messages_handled_total";
    let failed = "domo_actors_messages_failed_total";
    assert_eq!(snapshot.counter(handled, &method("work")), TELLS);
    assert_eq!(snapshot.counter(handled, &method("value")), ASKS + 2);
    assert_eq!(snapshot.counter(handled, &method("hang")), 1);
    assert_eq!(snapshot.counter(handled, &method("fail")), 0);
    assert_eq!(snapshot.counter(failed, &method("fail")), 3);
    assert_eq!(snapshot.counter(failed, &method("work")), 0);
    for (name, deliveries) in [
        ("work", TELLS),
        ("value", ASKS + 2),
        ("fail", 3),
        ("hang", 1),
    ] {
        for histogram in [
            "domo_actors_handler_duration_seconds",
            "domo_actors_mailbox_time_seconds",
        ] {
            assert_eq!(
                snapshot.samples(histogram, &method(name)).len() as u64,
                deliveries,
                "{histogram} of {name}"
            );
        }
    }
    let of_type = [("actor_type", TYPE)];
    let depths = snapshot.samples("domo_actors_mailbox_depth", &of_type);
    assert_eq!(depths.len() as u64, TELLS + ASKS + 2 + 3 + 1);
    // The tells and the first ask were sent in one go: the ask found the seven tells queued.
    assert_eq!(depths.iter().copied().fold(0.0, f64::max), TELLS as f64);
    assert_eq!(snapshot.counter("domo_actors_resumes_total", &of_type), 1);
    assert_eq!(snapshot.counter("domo_actors_restarts_total", &of_type), 1);
    assert_eq!(snapshot.counter("domo_actors_suspends_total", &of_type), 0);
    let stopped = [("actor_type", TYPE), ("reason", "stopped")];
    assert_eq!(snapshot.counter("domo_actors_stops_total", &stopped), 1);
    let failed_and_stopped = [("actor_type", TYPE), ("reason", "failed")];
    assert_eq!(
        snapshot.counter("domo_actors_stops_total", &failed_and_stopped),
        1
    );
    let dead = [("actor_type", TYPE), ("reason", "actor_stopped")];
    assert_eq!(
        snapshot.counter("domo_actors_dead_letters_total", &dead),
        DEAD
    );
    assert_eq!(
        snapshot.counter("domo_actors_promise_timeouts_total", &[]),
        1
    );
    assert_eq!(snapshot.gauge(TYPE), -2.0, "neither actor is live");
    assert!(snapshot.described.contains(&handled.to_owned()));

    stage.close().await;
    let closed = Metrics::take(&snapshotter);
    // The roots too: every actor counted in is counted out.
    let mut live = std::collections::BTreeMap::new();
    for (actor_type, change) in [created, snapshot, closed].iter().flat_map(Metrics::gauges) {
        *live.entry(actor_type).or_insert(0.0) += change;
    }
    assert!(live.len() >= 3, "{live:?}");
    assert!(live.values().all(|&count| count == 0.0), "{live:?}");
}

/// A snapshot of the recorder.
#[derive(Debug)]
struct Metrics {
    values: Vec<(CompositeKey, DebugValue)>,
    described: Vec<String>,
}

impl Metrics {
    fn take(snapshotter: &Snapshotter) -> Self {
        let mut values = Vec::new();
        let mut described = Vec::new();
        for (key, _unit, description, value) in snapshotter.snapshot().into_vec() {
            if description.is_some() {
                described.push(key.key().name().to_owned());
            }
            values.push((key, value));
        }
        Self { values, described }
    }

    /// The value of the metric `name` whose labels are exactly `labels`.
    fn find(&self, kind: MetricKind, name: &str, labels: &[(&str, &str)]) -> Option<&DebugValue> {
        self.values.iter().find_map(|(key, value)| {
            let mut found: Vec<(&str, &str)> = key
                .key()
                .labels()
                .map(|label| (label.key(), label.value()))
                .collect();
            found.sort_unstable();
            let mut wanted = labels.to_vec();
            wanted.sort_unstable();
            (key.kind() == kind && key.key().name() == name && found == wanted).then_some(value)
        })
    }

    /// A counter's value; 0 if it was never registered.
    fn counter(&self, name: &str, labels: &[(&str, &str)]) -> u64 {
        match self.find(MetricKind::Counter, name, labels) {
            Some(DebugValue::Counter(value)) => *value,
            None => 0,
            Some(other) => panic!("{name} is not a counter: {other:?}"),
        }
    }

    /// A histogram's samples.
    fn samples(&self, name: &str, labels: &[(&str, &str)]) -> Vec<f64> {
        match self.find(MetricKind::Histogram, name, labels) {
            Some(DebugValue::Histogram(samples)) => {
                samples.iter().map(|sample| sample.into_inner()).collect()
            }
            None => Vec::new(),
            Some(other) => panic!("{name} is not a histogram: {other:?}"),
        }
    }

    /// The live-actor gauge of `actor_type`.
    fn gauge(&self, actor_type: &str) -> f64 {
        match self.find(
            MetricKind::Gauge,
            "domo_actors_actors_live",
            &[("actor_type", actor_type)],
        ) {
            Some(DebugValue::Gauge(value)) => value.into_inner(),
            other => panic!("no live-actor gauge for {actor_type}: {other:?}"),
        }
    }

    /// Every live-actor gauge, by actor type.
    fn gauges(&self) -> impl Iterator<Item = (String, f64)> + '_ {
        self.values.iter().filter_map(|(key, value)| match value {
            DebugValue::Gauge(value) if key.key().name() == "domo_actors_actors_live" => {
                let actor_type = key.key().labels().next()?.value().to_owned();
                Some((actor_type, value.into_inner()))
            }
            _ => None,
        })
    }
}
