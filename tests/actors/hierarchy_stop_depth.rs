//! Stopping a parent stops its children one at a time, whatever the depth: an idle child's stop
//! runs in its parent's task near the top of the hierarchy, and in a task of its own further
//! down, so that polls nest only a few levels deep (2,000 levels nested in one task overflow a
//! worker's stack). Either way its hooks run as that child (its own address and parent), in
//! the same order.

use std::sync::{Arc, Mutex};

use domo_actors::{Actor, Address, Definition, Stage, actor_protocol};

/// Far deeper than the levels whose children stop in their parent's task.
const DEPTH: usize = 2_000;

type Record = Arc<Mutex<Vec<String>>>;

#[actor_protocol]
trait Link {
    /// Creates the next link below this one and answers its proxy.
    async fn extend(&mut self, level: usize) -> LinkProxy;
    async fn address_seen(&self) -> Address;
}

struct LinkActor {
    level: usize,
    record: Record,
}

impl LinkActor {
    fn definition(level: usize, record: &Record) -> Definition<LinkActor> {
        let record = Arc::clone(record);
        Definition::new(move || LinkActor {
            level,
            record: Arc::clone(&record),
        })
    }

    /// `"<level>:<hook>:<address>:<parent's address>"`, as the actor sees itself in its hook.
    fn note(&self, hook: &str) {
        let parent = self.parent().map(|parent| parent.address().to_string());
        self.record.lock().unwrap().push(format!(
            "{}:{hook}:{}:{}",
            self.level,
            self.address(),
            parent.unwrap_or_default()
        ));
    }
}

impl Actor for LinkActor {
    async fn before_stop(&mut self) {
        self.note("before_stop");
    }

    async fn after_stop(&mut self) {
        self.note("after_stop");
    }
}

impl Link for LinkActor {
    async fn extend(&mut self, level: usize) -> LinkProxy {
        self.child_actor_for::<LinkProxy, _>(LinkActor::definition(level, &self.record))
            .expect("a running actor can create children")
    }

    async fn address_seen(&self) -> Address {
        self.address()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_chain_stops_bottom_up_with_every_hook_run_as_its_own_actor() {
    let stage = Stage::new();
    let record = Record::default();
    let top: LinkProxy = stage.actor_for(LinkActor::definition(0, &record)).unwrap();
    let mut chain = vec![top.clone()];
    for level in 1..DEPTH {
        let next = chain.last().unwrap().extend(level).await;
        assert_eq!(next.address_seen().await, next.address());
        chain.push(next);
    }
    // Every link is idle (parked) now: each stop below runs without a task of its own until
    // the depth bound.
    top.stop().await;

    assert!(chain.iter().all(LinkProxy::is_stopped));
    let expected: Vec<String> = (0..DEPTH)
        .map(|level| ("before_stop", level))
        .chain((0..DEPTH).rev().map(|level| ("after_stop", level)))
        .map(|(hook, level)| {
            let parent = match level {
                0 => String::new(),
                _ => chain[level - 1].address().to_string(),
            };
            format!("{level}:{hook}:{}:{parent}", chain[level].address())
        })
        .collect();
    let recorded = record.lock().unwrap().clone();
    // The top's parent is the public root, whose address the test does not know.
    assert_eq!(recorded.len(), expected.len());
    for (recorded, expected) in recorded.iter().zip(&expected) {
        if expected.ends_with(':') {
            assert!(recorded.starts_with(expected.as_str()), "{recorded}");
        } else {
            assert_eq!(recorded, expected);
        }
    }
    assert_eq!(stage.directory().count(), 2, "only the two roots are left");
    stage.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_stage_of_many_idle_actors_stops_each_in_creation_order() {
    let stage = Stage::new();
    let record = Record::default();
    let links: Vec<LinkProxy> = (0..500)
        .map(|level| {
            stage
                .actor_for(LinkActor::definition(level, &record))
                .unwrap()
        })
        .collect();
    for link in &links {
        assert_eq!(link.address_seen().await, link.address());
    }
    stage.close().await;
    assert!(links.iter().all(LinkProxy::is_stopped));
    let order: Vec<String> = record.lock().unwrap().clone();
    let expected: Vec<String> = links
        .iter()
        .enumerate()
        .flat_map(|(level, link)| {
            ["before_stop", "after_stop"].map(|hook| format!("{level}:{hook}:{}:", link.address()))
        })
        .collect();
    assert_eq!(order.len(), expected.len());
    for (recorded, expected) in order.iter().zip(&expected) {
        assert!(
            recorded.starts_with(expected.as_str()),
            "{recorded} / {expected}"
        );
    }
}
