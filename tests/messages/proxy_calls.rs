//! Protocol and proxy: tells and asks, reply types, arguments, the proxy as an implementation of
//! the protocol trait, proxy identity, and what a `Definition` says about the actor.

use std::collections::HashSet;

use domo_actors::{Actor, ActorError, Address, Definition, Stage, actor_protocol};
use domo_actors_suite::{Counter, CounterActor, CounterError, CounterProxy};

#[tokio::test]
async fn a_tell_is_seen_by_a_later_ask() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();

    // Tells: the message is enqueued at the call, the promise is dropped.
    drop(counter.increment());
    drop(counter.increment());
    drop(counter.add(10));

    assert_eq!(counter.value().await, 12, "the ask runs after the tells");
    stage.close().await;
}

#[tokio::test]
async fn an_ask_returns_the_answer() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();

    assert_eq!(counter.add(2).await, 2);
    assert_eq!(counter.add(3).await, 5);
    assert_eq!(counter.value().await, 5);
    assert_eq!(counter.add(4).result().await, Ok(9));
    stage.close().await;
}

#[tokio::test]
async fn unit_value_and_result_replies() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();

    let unit: () = counter.increment().await;
    assert_eq!(unit, ());
    assert_eq!(counter.increment().result().await, Ok(()));
    let value: u64 = counter.value().await;
    assert_eq!(value, 2);

    assert_eq!(counter.try_take(1).await, Ok(1));
    assert_eq!(
        counter.try_take(5).await,
        Err(CounterError::Insufficient {
            available: 1,
            requested: 5
        }),
        "a domain error is an answer, not a delivery failure"
    );
    assert_eq!(counter.value().await, 1);
    stage.close().await;
}

/// A protocol whose methods take many arguments of assorted types.
#[actor_protocol]
trait Formatter {
    #[allow(clippy::too_many_arguments)]
    async fn describe(
        &mut self,
        small: u8,
        signed: i64,
        text: String,
        list: Vec<u32>,
        flag: bool,
        pair: (char, f64),
        maybe: Option<String>,
    ) -> String;
    async fn calls(&self) -> usize;
}

#[derive(Actor, Default)]
struct FormatterActor {
    calls: usize,
}

impl Formatter for FormatterActor {
    #[allow(clippy::too_many_arguments)]
    async fn describe(
        &mut self,
        small: u8,
        signed: i64,
        text: String,
        list: Vec<u32>,
        flag: bool,
        pair: (char, f64),
        maybe: Option<String>,
    ) -> String {
        self.calls += 1;
        format!("{small} {signed} {text} {list:?} {flag} {pair:?} {maybe:?}")
    }

    async fn calls(&self) -> usize {
        self.calls
    }
}

#[tokio::test]
async fn many_arguments_arrive_intact_and_in_place() {
    let stage = Stage::new();
    let formatter: FormatterProxy = stage
        .actor_for(Definition::new(FormatterActor::default))
        .unwrap();

    let answer = formatter
        .describe(
            7,
            -42,
            "text".into(),
            vec![1, 2, 3],
            true,
            ('x', 1.5),
            Some("some".into()),
        )
        .await;
    assert_eq!(
        answer,
        r#"7 -42 text [1, 2, 3] true ('x', 1.5) Some("some")"#
    );

    let answer = formatter
        .describe(
            0,
            i64::MIN,
            String::new(),
            Vec::new(),
            false,
            ('y', -0.25),
            None,
        )
        .await;
    assert_eq!(answer, "0 -9223372036854775808  [] false ('y', -0.25) None");
    assert_eq!(formatter.calls().await, 2);
    stage.close().await;
}

/// Generic code over the protocol trait: takes the proxy and a plain actor value alike.
async fn use_it(counter: &mut impl Counter) -> (u64, u64) {
    counter.increment().await;
    let total = counter.add(10).await;
    (total, counter.value().await)
}

#[tokio::test]
async fn generic_code_takes_the_proxy_or_the_actor_itself() {
    let mut plain = CounterActor::default();
    assert_eq!(use_it(&mut plain).await, (11, 11));
    assert_eq!(plain.count, 11, "called directly on the value");

    let stage = Stage::new();
    let mut proxy: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(use_it(&mut proxy).await, (11, 11));
    assert_eq!(
        proxy.value().await,
        11,
        "called through messages to the actor"
    );
    assert_eq!(use_it(&mut proxy).await, (22, 22));
    stage.close().await;
}

#[tokio::test]
async fn proxies_are_cloned_compared_and_hashed_by_address() {
    let stage = Stage::new();
    let first: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    let second: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();

    let clone = first.clone();
    assert_eq!(clone, first);
    assert_eq!(clone.address(), first.address());
    assert_ne!(first, second);

    // A clone reaches the same actor.
    drop(clone.add(5));
    assert_eq!(first.value().await, 5);
    assert_eq!(second.value().await, 0);

    // A proxy found in the directory is a different value that compares equal.
    let found = stage.actor_of::<CounterProxy>(&first.address()).unwrap();
    assert_eq!(found, first);

    // Clippy sees the mailbox behind the proxy; the key is the address, which never changes.
    #[allow(clippy::mutable_key_type)]
    let set: HashSet<CounterProxy> = [first.clone(), clone, found, second.clone()]
        .into_iter()
        .collect();
    assert_eq!(set.len(), 2);
    assert!(set.contains(&first));
    assert!(set.contains(&second));

    assert_eq!(
        format!("{first:?}"),
        format!("CounterProxy({})", first.address())
    );
    stage.close().await;
}

#[tokio::test]
async fn address_type_name_and_is_stopped() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    assert_eq!(
        counter.type_name(),
        "Counter",
        "defaults to the protocol name"
    );
    assert_eq!(counter.actor_ref().type_name(), "Counter");
    assert_eq!(counter.actor_ref().address(), counter.address());
    assert!(stage.directory().get(&counter.address()).is_some());

    let named: CounterProxy = stage
        .actor_for(CounterActor::definition().with_type("Tally"))
        .unwrap();
    assert_eq!(
        named.type_name(),
        "Tally",
        "Definition::with_type overrides"
    );
    assert_eq!(named.actor_ref().type_name(), "Tally");
    assert_eq!(named.add(1).await, 1, "a renamed actor works as before");

    assert!(!counter.is_stopped());
    assert!(!counter.actor_ref().is_stopped());
    counter.stop().await;
    assert!(counter.is_stopped());
    assert!(counter.actor_ref().is_stopped());
    assert!(!named.is_stopped(), "only that actor stopped");
    stage.close().await;
}

#[tokio::test]
async fn a_definition_address_is_honoured_and_a_duplicate_is_refused() {
    let stage = Stage::new();
    for address in [Address::unique(), Address::numeric()] {
        let counter: CounterProxy = stage
            .actor_for(CounterActor::definition().with_address(address))
            .unwrap();
        assert_eq!(counter.address(), address);
        assert_eq!(
            stage.actor_of::<CounterProxy>(&address),
            Some(counter.clone())
        );

        let duplicate =
            stage.actor_for::<CounterProxy, _>(CounterActor::definition().with_address(address));
        assert_eq!(duplicate, Err(ActorError::AddressInUse(address)));

        // The actor already at that address is untouched.
        assert_eq!(counter.add(3).await, 3);
        assert_eq!(
            stage.actor_of::<CounterProxy>(&address),
            Some(counter.clone())
        );
    }
    stage.close().await;
}
