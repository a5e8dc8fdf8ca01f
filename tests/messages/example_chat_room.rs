//! The chat-room example (`examples/chat_room.rs`), run by a test: members join, post and
//! leave on a topic; a member whose actor stops is removed by the room's watch; the history is
//! a stream out of the room.

#[allow(dead_code)] // the example's `main` runs only as the example
#[path = "../../examples/chat_room.rs"]
mod chat_room_example;

#[tokio::test]
async fn members_hear_what_is_said_while_they_are_in_and_a_stopped_member_is_removed() {
    let outcome = chat_room_example::run().await;

    let history = [
        "room: ann joined",
        "room: bob joined",
        "room: cid joined",
        "ann: hi all",
        "bob: hello",
        "room: cid left",
        "ann: where did cid go?",
        "room: bob is gone",
        "ann: alone now",
    ];
    assert_eq!(outcome.history, history, "every line, in order");
    assert_eq!(
        outcome.heard["ann"],
        history[..],
        "ann was there throughout"
    );
    assert_eq!(
        outcome.heard["cid"],
        history[2..5],
        "cid, from joining to leaving"
    );
    assert!(outcome.heard["bob"].is_empty(), "bob's actor stopped");
    assert_eq!(outcome.members, ["ann"]);
}
