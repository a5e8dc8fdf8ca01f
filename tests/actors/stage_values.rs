//! The stage's value registry: `register_value`, `registered_value`, `deregister_value`.

use std::sync::{Arc, Mutex};

use domo_actors::{Actor, Definition, Stage, actor_protocol};

#[tokio::test]
async fn registered_values_are_found_by_name_and_type() {
    let stage = Stage::new();
    stage.register_value("greeting", String::from("hello"));
    stage.register_value("limit", 10_u32);

    assert_eq!(
        stage.registered_value::<String>("greeting").as_deref(),
        Some("hello")
    );
    assert_eq!(stage.registered_value::<u32>("limit"), Some(10));
    assert_eq!(
        stage.registered_value::<u64>("limit"),
        None,
        "stored as u32"
    );
    assert_eq!(stage.registered_value::<String>("missing"), None);
    stage.close().await;
}

#[tokio::test]
async fn registering_again_replaces_the_value() {
    let stage = Stage::new();
    stage.register_value("limit", 10_u32);
    stage.register_value("limit", 20_u32);
    assert_eq!(stage.registered_value::<u32>("limit"), Some(20));

    stage.register_value("limit", String::from("now a string"));
    assert_eq!(stage.registered_value::<u32>("limit"), None);
    assert_eq!(
        stage.registered_value::<String>("limit").as_deref(),
        Some("now a string")
    );
    stage.close().await;
}

#[tokio::test]
async fn deregister_removes_the_value_once() {
    let stage = Stage::new();
    stage.register_value("limit", 10_u32);
    stage.register_value("other", 1_u8);

    assert!(stage.deregister_value("limit"));
    assert_eq!(stage.registered_value::<u32>("limit"), None);
    assert!(!stage.deregister_value("limit"), "already removed");
    assert!(!stage.deregister_value("never registered"));
    assert_eq!(
        stage.registered_value::<u8>("other"),
        Some(1),
        "other values stay"
    );
    stage.close().await;
}

#[tokio::test]
async fn values_are_shared_by_clones_of_a_stage_and_separate_between_stages() {
    let stage = Stage::new();
    let other = Stage::new();
    let clone = stage.clone();

    clone.register_value("shared", Arc::new(Mutex::new(vec![1])));
    let value = stage
        .registered_value::<Arc<Mutex<Vec<i32>>>>("shared")
        .expect("registered through a clone of the same stage");
    value.lock().unwrap().push(2);
    let again = clone
        .registered_value::<Arc<Mutex<Vec<i32>>>>("shared")
        .unwrap();
    assert_eq!(*again.lock().unwrap(), [1, 2], "the same value, cloned out");

    assert!(
        other
            .registered_value::<Arc<Mutex<Vec<i32>>>>("shared")
            .is_none(),
        "stages are independent"
    );
    stage.close().await;
    other.close().await;
}

/// Reads a value of its stage's registry from inside a handler.
#[actor_protocol]
trait ConfigReader {
    async fn read(&self, name: String) -> Option<String>;
}

#[derive(Actor)]
struct ConfigReaderActor;

impl ConfigReader for ConfigReaderActor {
    async fn read(&self, name: String) -> Option<String> {
        self.stage().registered_value::<String>(&name)
    }
}

#[tokio::test]
async fn actors_reach_the_values_of_their_stage() {
    let stage = Stage::new();
    let reader: ConfigReaderProxy = stage
        .actor_for(Definition::new(|| ConfigReaderActor))
        .unwrap();

    assert_eq!(reader.read("url".into()).await, None);
    stage.register_value("url", String::from("postgres://db"));
    assert_eq!(
        reader.read("url".into()).await.as_deref(),
        Some("postgres://db")
    );
    assert!(stage.deregister_value("url"));
    assert_eq!(reader.read("url".into()).await, None);
    stage.close().await;
}
