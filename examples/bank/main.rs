//! A bank branch built from actors, after DomoActors' bank example.
//!
//! ```text
//! Teller ──▶ Bank ──┬──▶ Account ──▶ TransactionHistory      (one Account per account)
//!                   └──▶ TransferCoordinator ──▶ Accounts     (retries on the scheduler)
//! ```
//!
//! The Teller takes requests as text and calls the Bank; the Bank opens each Account as a child
//! actor and hands transfers to its TransferCoordinator child. Three supervisors, ordinary
//! actors found by name, resume whatever fails and explain the failure from the failing
//! message's execution context.
//!
//! Refused requests (insufficient funds, an unknown account, a non-positive amount, ...) are
//! answers: every method that can refuse returns `Result<T, BankError>`. One deliberately
//! corrupted request makes an Account panic, to show its supervisor at work.
//!
//! Run it with `cargo run --example bank` for a scripted session (the actors' log goes to
//! standard error; set `RUST_LOG=debug` for more, `RUST_LOG=off` for none), or with
//! `cargo run --example bank -- --interactive` to type requests yourself.

mod account;
mod bank;
mod branch;
mod errors;
mod interactive;
mod model;
mod session;
mod supervisors;
mod teller;
mod transaction_history;
mod transfer_coordinator;

use std::time::Duration;

use domo_actors::Stage;

use crate::branch::open_branch;
use crate::session::{Transcript, run_scripted_session};
use crate::transfer_coordinator::RetryPolicy;

/// Failed deposits are tried four times in all, 50, 100 and 200 ms apart: short, so that the
/// session runs in a blink.
const RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 4,
    base_delay: Duration::from_millis(50),
};

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        // Colours only on a terminal: not in a file or a CI log.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_target(false)
        .without_time()
        .with_writer(std::io::stderr)
        .init();
    // The corrupted request's panic is caught by the runtime, which reports it as one `tracing`
    // error (actor, method, panic message, where it happened); this keeps the default hook
    // from printing it a second time, raw, with a backtrace hint. Panics outside the actors
    // still reach the default hook.
    domo_actors::install_panic_reporting();

    let stage = Stage::new();
    let branch = open_branch(&stage, RETRY).expect("a new stage is open");

    if std::env::args().any(|argument| argument == "--interactive") {
        interactive::serve(&branch).await;
    } else {
        println!("A morning at the branch (the actors' log goes to standard error)");
        let mut transcript = Transcript::new(|line| println!("{line}"));
        run_scripted_session(&stage, &branch, &mut transcript).await;
    }
    stage.close().await;
}
