//! Supervision under load: 64 actors, 8 concurrent senders on a two-worker runtime, 20,000
//! messages, one in 50 of which panics (chosen by a seeded xorshift generator, so every run sends
//! the same messages). Half the actors are top-level (the public root restarts them forever),
//! half are supervised by a supervisor that resumes them.
//!
//! Checked: no caller hangs (every promise settles, under a timeout that fails the test instead
//! of hanging it); every message is delivered exactly once, and in order per sender and actor;
//! every other message is answered with its own id; the failed promises are exactly the
//! injected panics; the supervisors handled exactly those failures; all the actors, and the
//! stage, still work afterwards.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domo_actors::{Actor, ActorError, Definition, Stage, SupervisionDirective, actor_protocol};
use domo_actors_suite::{
    ScriptedSupervisor, SupervisorProxy, decisions, new_log, panicked, within,
};
use futures::future::join_all;

const ACTORS: usize = 64;
const SENDERS: u64 = 8;
const MESSAGES: u64 = 20_000;
const PER_SENDER: u64 = MESSAGES / SENDERS;
const PANIC_ONE_IN: u64 = 50;
const BATCH: u64 = 50;
/// Ids are `sender * ID_BASE + sequence`, so an id tells which sender sent it, and when.
const ID_BASE: u64 = 1_000_000;

/// A xorshift64 generator: deterministic, and no dependency.
struct XorShift(u64);

impl XorShift {
    fn seeded(seed: u64) -> Self {
        // Never zero, which would be a fixed point.
        XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

#[actor_protocol]
trait Echo {
    /// Records delivery, then answers `id`, or panics with `"injected <id>"` if `explode`.
    async fn echo(&mut self, id: u64, explode: bool) -> u64;
}

/// Every delivery, as (actor index, id), in delivery order.
type Deliveries = Arc<Mutex<Vec<(usize, u64)>>>;

struct EchoActor {
    index: usize,
    deliveries: Deliveries,
}

impl Actor for EchoActor {}

impl Echo for EchoActor {
    async fn echo(&mut self, id: u64, explode: bool) -> u64 {
        self.deliveries.lock().unwrap().push((self.index, id));
        if explode {
            panic!("injected {id}");
        }
        id
    }
}

/// A definition of echo actor `index`, counting the instances it builds.
fn echo(
    index: usize,
    deliveries: &Deliveries,
    instances: &Arc<AtomicU64>,
) -> Definition<EchoActor> {
    let deliveries = Arc::clone(deliveries);
    let instances = Arc::clone(instances);
    Definition::new(move || {
        instances.fetch_add(1, Ordering::SeqCst);
        EchoActor {
            index,
            deliveries: Arc::clone(&deliveries),
        }
    })
}

/// Whether actor `index` is supervised by the resuming supervisor (else by the public root).
fn resumed(index: usize) -> bool {
    index >= ACTORS / 2
}

/// One message and how it ended.
struct Outcome {
    id: u64,
    actor: usize,
    explode: bool,
    result: Result<u64, ActorError>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervision_under_load() {
    let stage = Stage::new();
    let log = new_log();
    let _resumer: SupervisorProxy = stage
        .actor_for(ScriptedSupervisor::definition(
            "resumer",
            &log,
            SupervisionDirective::Resume,
        ))
        .unwrap();
    let deliveries = Deliveries::default();
    let mut actors: Vec<EchoProxy> = Vec::new();
    let mut instances: Vec<Arc<AtomicU64>> = Vec::new();
    for index in 0..ACTORS {
        let built = Arc::new(AtomicU64::new(0));
        let mut definition = echo(index, &deliveries, &built);
        if resumed(index) {
            definition = definition.with_supervisor("resumer");
        }
        actors.push(stage.actor_for(definition).unwrap());
        instances.push(built);
    }

    let settled = Arc::new(AtomicUsize::new(0));
    let senders: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let actors = actors.clone();
            let settled = Arc::clone(&settled);
            tokio::spawn(async move {
                let mut rng = XorShift::seeded(sender + 1);
                let mut outcomes = Vec::with_capacity(PER_SENDER as usize);
                for batch in 0..PER_SENDER / BATCH {
                    let calls: Vec<_> = (0..BATCH)
                        .map(|i| {
                            let id = sender * ID_BASE + batch * BATCH + i;
                            let actor = (rng.next() % ACTORS as u64) as usize;
                            let explode = rng.next() % PANIC_ONE_IN == 0;
                            let promise = actors[actor].echo(id, explode).result();
                            let settled = Arc::clone(&settled);
                            async move {
                                let result = promise.await;
                                settled.fetch_add(1, Ordering::SeqCst);
                                Outcome {
                                    id,
                                    actor,
                                    explode,
                                    result,
                                }
                            }
                        })
                        .collect();
                    outcomes.extend(join_all(calls).await);
                }
                outcomes
            })
        })
        .collect();

    let joined = match tokio::time::timeout(Duration::from_secs(60), join_all(senders)).await {
        Ok(joined) => joined,
        Err(_) => panic!(
            "hung callers: only {} of {MESSAGES} promises settled within 60 s",
            settled.load(Ordering::SeqCst)
        ),
    };
    let outcomes: Vec<Outcome> = joined
        .into_iter()
        .flat_map(|sender| sender.expect("a sender task panicked"))
        .collect();

    // Every promise settled, once per unique id.
    assert_eq!(outcomes.len() as u64, MESSAGES);
    assert_eq!(settled.load(Ordering::SeqCst) as u64, MESSAGES);
    let ids: HashSet<u64> = outcomes.iter().map(|o| o.id).collect();
    assert_eq!(ids.len() as u64, MESSAGES, "ids are unique");

    // Answers: the id for a normal message, the panic for an injected one.
    let mut injected = [0_u64; ACTORS];
    let mut failed = 0_u64;
    for outcome in &outcomes {
        if outcome.explode {
            injected[outcome.actor] += 1;
            match panicked(&outcome.result) {
                Some((method, cause)) => {
                    assert_eq!(method, "echo");
                    assert_eq!(cause, format!("injected {}", outcome.id));
                    failed += 1;
                }
                None => panic!(
                    "message {} should have failed: {:?}",
                    outcome.id, outcome.result
                ),
            }
        } else {
            assert_eq!(
                outcome.result,
                Ok(outcome.id),
                "message {} answered with its own id",
                outcome.id
            );
        }
    }
    let total_injected: u64 = injected.iter().sum();
    assert!(
        (MESSAGES / PANIC_ONE_IN / 2..MESSAGES / PANIC_ONE_IN * 2).contains(&total_injected),
        "about one in {PANIC_ONE_IN} messages panicked: {total_injected}"
    );
    assert_eq!(failed, total_injected, "failed promises = injected panics");

    // Every message was delivered exactly once, in order per (sender, actor).
    let delivered = deliveries.lock().unwrap().clone();
    assert_eq!(
        delivered.len() as u64,
        MESSAGES,
        "no message delivered twice or lost"
    );
    let delivered_ids: HashSet<u64> = delivered.iter().map(|&(_, id)| id).collect();
    assert_eq!(delivered_ids, ids);
    let sent_to: HashMap<u64, usize> = outcomes.iter().map(|o| (o.id, o.actor)).collect();
    let mut last_seen: HashMap<(usize, u64), u64> = HashMap::new();
    for &(actor, id) in &delivered {
        assert_eq!(
            sent_to[&id], actor,
            "message {id} reached the actor it was sent to"
        );
        if let Some(previous) = last_seen.insert((actor, id / ID_BASE), id) {
            assert!(previous < id, "actor {actor} got {id} after {previous}");
        }
    }

    // The supervisors handled exactly the injected failures.
    for (index, built) in instances.iter().enumerate() {
        let built = built.load(Ordering::SeqCst);
        if resumed(index) {
            assert_eq!(built, 1, "actor {index} was only ever resumed");
        } else {
            assert_eq!(
                built,
                1 + injected[index],
                "actor {index} was restarted once per failure"
            );
        }
    }
    let resumed_failures: u64 = (0..ACTORS)
        .filter(|&i| resumed(i))
        .map(|i| injected[i])
        .sum();
    assert_eq!(decisions(&log).len() as u64, resumed_failures);

    // Every actor still works, and the stage still serves new actors.
    for (index, actor) in actors.iter().enumerate() {
        assert!(!actor.is_stopped(), "actor {index} is alive");
        assert_eq!(within!(actor.echo(7, false)), 7);
    }
    let newcomer: EchoProxy = stage
        .actor_for(echo(ACTORS, &deliveries, &Arc::new(AtomicU64::new(0))))
        .unwrap();
    assert_eq!(within!(newcomer.echo(42, false)), 42);
    within!(stage.close());
}
