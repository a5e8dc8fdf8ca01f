//! The parent/child hierarchy: children created by an actor (or given a parent through
//! `ActorOptions::with_parent`) stop with their parent, before the parent's `after_stop`;
//! `children()` and `parent()` are right; a stopped child leaves its parent; stage close stops
//! children before parents.

use domo_actors::{ActorError, ActorOptions, Stage};
use domo_actors_suite::{CounterActor, CounterProxy, NodeActor, NodeProxy, new_log, stop_hooks};

#[tokio::test]
async fn children_stop_with_their_parent_before_its_after_stop() {
    let stage = Stage::new();
    let log = new_log();
    let parent: NodeProxy = stage
        .actor_for(NodeActor::definition("parent", &log))
        .unwrap();
    let first = parent.create_child("first".into()).await;
    let second = parent.create_child("second".into()).await;
    // The children are running (an ask answered by each).
    first.note("hello".into()).await;
    second.note("hello".into()).await;

    parent.stop().await;
    assert!(parent.is_stopped());
    assert!(
        first.is_stopped(),
        "the first child stopped with its parent"
    );
    assert!(
        second.is_stopped(),
        "the second child stopped with its parent"
    );
    assert_eq!(
        stop_hooks(&log),
        [
            "parent:before_stop",
            "first:before_stop",
            "first:after_stop",
            "second:before_stop",
            "second:after_stop",
            "parent:after_stop",
        ],
        "the parent's before_stop first, each child completely in creation order, the \
         parent's after_stop last"
    );
    assert!(stage.directory().get(&first.address()).is_none());
    assert!(stage.directory().get(&second.address()).is_none());
    stage.close().await;
}

#[tokio::test]
async fn children_and_parent_are_right() {
    let stage = Stage::new();
    let log = new_log();
    let parent: NodeProxy = stage
        .actor_for(NodeActor::definition("parent", &log))
        .unwrap();
    assert_eq!(parent.child_addresses().await, []);

    let first = parent.create_child("first".into()).await;
    let second = parent.create_child("second".into()).await;
    let grandchild = first.create_child("grandchild".into()).await;

    // Seen from inside the actors.
    assert_eq!(
        parent.child_addresses().await,
        [first.address(), second.address()]
    );
    assert_eq!(first.child_addresses().await, [grandchild.address()]);
    assert_eq!(second.child_addresses().await, []);
    assert_eq!(first.parent_address().await, Some(parent.address()));
    assert_eq!(second.parent_address().await, Some(parent.address()));
    assert_eq!(grandchild.parent_address().await, Some(first.address()));
    assert_eq!(
        parent.parent_address().await,
        Some(stage.public_root().address()),
        "top-level actors are children of the public root"
    );

    // Seen from outside, through ActorRef.
    assert_eq!(
        parent.actor_ref().children(),
        [first.actor_ref(), second.actor_ref()]
    );
    assert_eq!(first.actor_ref().parent(), Some(parent.actor_ref()));
    assert_eq!(parent.actor_ref().parent(), Some(stage.public_root()));
    assert!(stage.public_root().children().contains(&parent.actor_ref()));
    assert!(!stage.public_root().children().contains(&first.actor_ref()));
    assert_eq!(stage.public_root().parent(), Some(stage.private_root()));
    assert_eq!(stage.private_root().parent(), None);
    stage.close().await;
}

#[tokio::test]
async fn a_stopped_child_is_removed_from_its_parents_children() {
    let stage = Stage::new();
    let log = new_log();
    let parent: NodeProxy = stage
        .actor_for(NodeActor::definition("parent", &log))
        .unwrap();
    let first = parent.create_child("first".into()).await;
    let second = parent.create_child("second".into()).await;
    let third = parent.create_child("third".into()).await;

    second.stop().await;
    assert_eq!(
        parent.child_addresses().await,
        [first.address(), third.address()]
    );
    assert_eq!(
        parent.actor_ref().children(),
        [first.actor_ref(), third.actor_ref()]
    );
    assert!(
        !parent.is_stopped(),
        "a child's stop does not stop its parent"
    );

    // The parent's stop no longer involves the stopped child.
    parent.stop().await;
    assert_eq!(
        stop_hooks(&log),
        [
            "second:before_stop",
            "second:after_stop",
            "parent:before_stop",
            "first:before_stop",
            "first:after_stop",
            "third:before_stop",
            "third:after_stop",
            "parent:after_stop",
        ]
    );
    stage.close().await;
}

#[tokio::test]
async fn stage_close_stops_children_before_parents() {
    let stage = Stage::new();
    let log = new_log();
    let top: NodeProxy = stage.actor_for(NodeActor::definition("top", &log)).unwrap();
    let middle = top.create_child("middle".into()).await;
    let bottom = middle.create_child("bottom".into()).await;
    bottom.note("ready".into()).await;

    stage.close().await;
    assert!(top.is_stopped() && middle.is_stopped() && bottom.is_stopped());
    assert_eq!(
        stop_hooks(&log),
        [
            "top:before_stop",
            "middle:before_stop",
            "bottom:before_stop",
            "bottom:after_stop",
            "middle:after_stop",
            "top:after_stop",
        ]
    );
}

#[tokio::test]
async fn actor_for_with_a_parent_option_makes_a_child() {
    let stage = Stage::new();
    let log = new_log();
    let parent: NodeProxy = stage
        .actor_for(NodeActor::definition("parent", &log))
        .unwrap();
    let child: NodeProxy = stage
        .actor_for_with(
            NodeActor::definition("child", &log),
            ActorOptions::new().with_parent(parent.actor_ref()),
        )
        .unwrap();
    // A child of another protocol.
    let counter: CounterProxy = stage
        .actor_for_with(
            CounterActor::definition(),
            ActorOptions::new().with_parent(child.actor_ref()),
        )
        .unwrap();

    assert_eq!(child.parent_address().await, Some(parent.address()));
    assert_eq!(parent.child_addresses().await, [child.address()]);
    assert_eq!(child.child_addresses().await, [counter.address()]);
    assert_eq!(counter.actor_ref().parent(), Some(child.actor_ref()));
    assert_eq!(counter.add(1).await, 1);

    parent.stop().await;
    assert!(child.is_stopped());
    assert!(counter.is_stopped(), "stopped with its parent's parent");
    assert_eq!(
        stop_hooks(&log),
        [
            "parent:before_stop",
            "child:before_stop",
            "child:after_stop",
            "parent:after_stop",
        ]
    );

    // A stopped actor takes no more children.
    let orphan = stage.actor_for_with::<CounterProxy, _>(
        CounterActor::definition(),
        ActorOptions::new().with_parent(parent.actor_ref()),
    );
    assert!(
        matches!(orphan, Err(ActorError::Stopped { address, .. }) if address == parent.address()),
        "{orphan:?}"
    );
    stage.close().await;
}
