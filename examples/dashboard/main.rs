//! A live view of the bank's actors: a web page, served on loopback, that draws the actor
//! hierarchy with each actor's state, mailbox depth, messages handled and restarts, and the
//! stage's recent dead letters, while the bank example's actors serve a continuous workload.
//!
//! ```text
//! browser ── GET /snapshot.json (every 500 ms) ──▶ axum ──▶ stage.introspect() ──▶ JSON
//!         ◀─ index.html draws the tree ─────────────┘
//! ```
//!
//! Run it with `cargo run --example dashboard` and open the address it prints
//! (`DASHBOARD_PORT` sets the port, 3000 by default; `--for SECONDS` or `DASHBOARD_SECONDS`
//! stops it after that long). `scripts/dashboard-screenshot.sh` checks the page in a headless
//! browser.
//!
//! The bank's modules are the bank example's own (`examples/bank/`), included as they are.

#[path = "../bank/account.rs"]
mod account;
#[path = "../bank/bank.rs"]
mod bank;
#[path = "../bank/branch.rs"]
mod branch;
#[path = "../bank/errors.rs"]
mod errors;
#[path = "../bank/model.rs"]
mod model;
#[path = "../bank/supervisors.rs"]
mod supervisors;
#[path = "../bank/teller.rs"]
mod teller;
#[path = "../bank/transaction_history.rs"]
mod transaction_history;
#[path = "../bank/transfer_coordinator.rs"]
mod transfer_coordinator;

pub mod server;
pub mod workload;

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use domo_actors::Stage;

/// The port when `DASHBOARD_PORT` is not set.
const DEFAULT_PORT: u16 = 3000;

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        // Colours only on a terminal: not in a file or a CI log.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            // The workload's dead letters and supervised failures are on purpose: their warnings
            // would drown the address printed below. (A contained panic is one error line.)
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    domo_actors::install_panic_reporting();

    let port = match std::env::var("DASHBOARD_PORT") {
        Ok(port) => port.parse().expect("DASHBOARD_PORT is a port number"),
        Err(_) => DEFAULT_PORT,
    };
    let running_for = running_for();

    let stage = Stage::new();
    let workload = workload::Workload::start(&stage)
        .await
        .expect("a new stage is open");
    let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .await
        .unwrap_or_else(|error| panic!("cannot listen on 127.0.0.1:{port}: {error}"));
    let address = listener.local_addr().expect("a bound listener");
    println!("The bank's actors, live: http://{address}/ (Ctrl-C to stop)");

    let stop = async move {
        match running_for {
            Some(after) => {
                tokio::select! {
                    _ = tokio::time::sleep(after) => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            None => drop(tokio::signal::ctrl_c().await),
        }
    };
    server::serve(listener, stage.clone(), stop)
        .await
        .expect("the dashboard serves until stopped");
    workload.stop().await;
    stage.close().await;
}

/// How long to run: `--for SECONDS`, else `DASHBOARD_SECONDS`, else until Ctrl-C.
fn running_for() -> Option<Duration> {
    let arguments: Vec<String> = std::env::args().collect();
    let seconds = arguments
        .iter()
        .position(|argument| argument == "--for")
        .map(|at| {
            arguments
                .get(at + 1)
                .cloned()
                .expect("--for takes a number of seconds")
        })
        .or_else(|| std::env::var("DASHBOARD_SECONDS").ok())?;
    let seconds: f64 = seconds.parse().expect("a number of seconds");
    Some(Duration::from_secs_f64(seconds))
}
