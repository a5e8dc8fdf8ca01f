//! `Address`: UUIDv7 by default (actors included), numeric on request; `Display`, `FromStr`,
//! `Eq`, `Hash` and `Ord` (later UUIDv7 addresses sort after earlier ones).

use std::collections::{HashMap, HashSet};

use domo_actors::{Address, Stage};
use domo_actors_suite::{CounterActor, CounterProxy};

#[test]
fn unique_addresses_are_uuid_version_7() {
    for _ in 0..100 {
        let address = Address::unique();
        let uuid = address.as_uuid().expect("a unique address is a UUID");
        assert_eq!(uuid.get_version_num(), 7, "{address}");
        assert!(!address.is_numeric());
        assert_eq!(address.as_number(), None);
    }
}

#[tokio::test]
async fn actors_get_uuid_v7_addresses_by_default() {
    let stage = Stage::new();
    let counter: CounterProxy = stage.actor_for(CounterActor::definition()).unwrap();
    let uuid = counter
        .address()
        .as_uuid()
        .expect("the default address of an actor is a UUID");
    assert_eq!(uuid.get_version_num(), 7);
    assert_eq!(counter.actor_ref().address(), counter.address());
    stage.close().await;
}

#[test]
fn numeric_addresses() {
    let first = Address::numeric();
    let second = Address::numeric();
    assert!(first.is_numeric());
    assert_eq!(first.as_uuid(), None);
    assert!(second.as_number().unwrap() > first.as_number().unwrap());
    assert_ne!(first, second);

    let fixed = Address::from_number(42);
    assert!(fixed.is_numeric());
    assert_eq!(fixed.as_number(), Some(42));
    assert_eq!(fixed, Address::from_number(42));
}

#[test]
fn display_prints_the_bare_value_and_parses_back() {
    assert_eq!(Address::from_number(42).to_string(), "42");
    assert_eq!(Address::from_number(42).value_as_string(), "42");
    assert_eq!("42".parse::<Address>().unwrap(), Address::from_number(42));

    let address = Address::unique();
    let text = address.to_string();
    assert_eq!(text.len(), 36, "{text}");
    assert_eq!(text, text.to_lowercase());
    let hyphens: Vec<usize> = text.match_indices('-').map(|(i, _)| i).collect();
    assert_eq!(hyphens, [8, 13, 18, 23], "{text}");
    assert_eq!(&text[14..15], "7", "the version digit of {text}");
    assert_eq!(text, address.as_uuid().unwrap().to_string());
    assert_eq!(text.parse::<Address>().unwrap(), address);

    assert!("not an address".parse::<Address>().is_err());
}

#[test]
fn equality_and_hash_follow_the_value() {
    let address = Address::unique();
    let copy = address;
    let reparsed: Address = address.to_string().parse().unwrap();
    assert_eq!(address, copy);
    assert_eq!(address, reparsed);
    assert_ne!(address, Address::unique());

    let mut map = HashMap::new();
    map.insert(address, "first");
    assert_eq!(map.get(&reparsed), Some(&"first"));
    map.insert(reparsed, "second");
    assert_eq!(map.len(), 1, "an equal address replaces the entry");

    let distinct: HashSet<Address> = (0..1_000).map(|_| Address::unique()).collect();
    assert_eq!(distinct.len(), 1_000);
    let numbers: HashSet<Address> = [1, 2, 2, 3, 3, 3]
        .into_iter()
        .map(Address::from_number)
        .collect();
    assert_eq!(numbers.len(), 3);
}

#[test]
fn later_uuid_addresses_sort_after_earlier_ones() {
    let created: Vec<Address> = (0..1_000).map(|_| Address::unique()).collect();
    assert!(
        created.windows(2).all(|pair| pair[0] < pair[1]),
        "each address is greater than the one created before it"
    );

    let mut shuffled = created.clone();
    shuffled.reverse();
    shuffled.swap(10, 500);
    shuffled.sort();
    assert_eq!(shuffled, created, "sorting restores creation order");

    assert!(Address::from_number(2) < Address::from_number(10));
    assert!(
        Address::from_number(u64::MAX) < created[0],
        "numeric before UUID"
    );
}

#[test]
fn ordering_holds_across_threads() {
    let before = Address::unique();
    let handles: Vec<_> = (0..4)
        .map(|_| std::thread::spawn(|| (0..500).map(|_| Address::unique()).collect::<Vec<_>>()))
        .collect();
    let all: Vec<Address> = handles
        .into_iter()
        .flat_map(|handle| handle.join().unwrap())
        .collect();
    let after = Address::unique();
    assert!(
        all.iter()
            .all(|address| before < *address && *address < after)
    );
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
}

#[tokio::test]
async fn actors_created_later_have_greater_addresses() {
    let stage = Stage::new();
    let actors: Vec<CounterProxy> = (0..20)
        .map(|_| stage.actor_for(CounterActor::definition()).unwrap())
        .collect();
    assert!(
        actors
            .windows(2)
            .all(|pair| pair[0].address() < pair[1].address())
    );
    stage.close().await;
}
