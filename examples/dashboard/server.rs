//! The dashboard's web server: the page, and the stage's snapshot as JSON.

use std::future::Future;

use axum::Router;
use axum::extract::State;
use axum::response::{Html, Json};
use axum::routing::get;
use domo_actors::{ActorSnapshot, DeadLetter, Stage, StageSnapshot};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// The page: plain HTML and JavaScript, no build step. It polls `/snapshot.json`.
const PAGE: &str = include_str!("index.html");

/// The dashboard's routes: `/` (the page) and `/snapshot.json` (what the page draws).
pub fn router(stage: Stage) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/snapshot.json", get(snapshot))
        .with_state(stage)
}

/// Serves the dashboard on `listener` until `stop` completes.
pub async fn serve(
    listener: TcpListener,
    stage: Stage,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(stage))
        .with_graceful_shutdown(stop)
        .await
}

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

async fn snapshot(State(stage): State<Stage>) -> Json<Value> {
    Json(snapshot_json(&stage.introspect()))
}

/// The snapshot as the page reads it: the actors in tree order, and the dead letters newest
/// first.
pub fn snapshot_json(snapshot: &StageSnapshot) -> Value {
    json!({
        "actors": snapshot.actors().iter().map(actor_json).collect::<Vec<_>>(),
        "dead_letters": {
            "total": snapshot.dead_letters_total(),
            "recent": snapshot
                .recent_dead_letters()
                .iter()
                .rev()
                .map(dead_letter_json)
                .collect::<Vec<_>>(),
        },
    })
}

fn actor_json(actor: &ActorSnapshot) -> Value {
    let mailbox = actor.mailbox();
    json!({
        "address": actor.address().to_string(),
        "id": actor.address().short().to_string(),
        "parent": actor.parent().map(|parent| parent.to_string()),
        "depth": actor.depth(),
        "type": actor.type_name(),
        "state": actor.state().as_str(),
        "queued": mailbox.queued(),
        "capacity": mailbox.capacity().map(|capacity| capacity.get()),
        "dropped": mailbox.dropped_count(),
        "handled": actor.messages_handled(),
        "restarts": actor.restarts(),
    })
}

fn dead_letter_json(letter: &DeadLetter) -> Value {
    json!({
        "to": letter.type_name(),
        "id": letter.address().short().to_string(),
        "message": letter.representation(),
        "reason": letter.reason().to_string(),
    })
}
