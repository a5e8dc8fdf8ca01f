//! One actor, several protocols (XOOM Actors' `actorFor(protocols, ...)`): one mailbox, one
//! FIFO order, one address, one supervision, a proxy per protocol.

use std::sync::{Arc, Mutex};

use domo_actors::{
    Actor, ActorError, ActorOptions, DeadLetterReason, Definition, MailboxConfig, OverflowPolicy,
    Stage, actor_protocol,
};
use domo_actors_suite::within;
use domo_actors_testkit::{
    ObservableState, ObservableStateProvider, ObservableStateProviderProxy, await_assert,
    await_observable_state,
};
use tokio::sync::oneshot;

/// Money in and out.
#[actor_protocol]
pub trait Account {
    /// Adds `amount`; answers the balance.
    async fn deposit(&mut self, amount: u64) -> u64;
    /// Adds `amount`, as a tell.
    async fn credit(&mut self, amount: u64);
    /// Panics: a handler failure for the supervisor.
    async fn corrupt(&mut self);
    /// Waits for `gate` before answering: holds the actor busy.
    async fn hold(&mut self, gate: oneshot::Receiver<()>);
    /// Sends a note to its own `Auditable` protocol, through `self_as`.
    async fn note_through_self(&mut self, note: String);
}

/// What happened, in order.
#[actor_protocol]
pub trait Auditable {
    /// Records a note.
    async fn note(&mut self, note: String);
    /// Every operation so far, in the order the actor handled them.
    async fn trail(&self) -> Vec<String>;
}

#[derive(Default)]
struct AccountActor {
    balance: u64,
    trail: Vec<String>,
}

impl Actor for AccountActor {}

impl Account for AccountActor {
    async fn deposit(&mut self, amount: u64) -> u64 {
        self.balance += amount;
        self.trail.push(format!("deposit {amount}"));
        self.balance
    }

    async fn credit(&mut self, amount: u64) {
        self.balance += amount;
        self.trail.push(format!("credit {amount}"));
    }

    async fn corrupt(&mut self) {
        panic!("corrupted ledger");
    }

    async fn hold(&mut self, gate: oneshot::Receiver<()>) {
        let _ = gate.await;
    }

    async fn note_through_self(&mut self, note: String) {
        self.self_as::<AuditableProxy>().note(note);
    }
}

impl Auditable for AccountActor {
    async fn note(&mut self, note: String) {
        self.trail.push(format!("note {note}"));
    }

    async fn trail(&self) -> Vec<String> {
        self.trail.clone()
    }
}

// The testkit's state protocol, implemented by the actor in this test build only: its
// production protocols need no `observable_state` method.
impl ObservableStateProvider for AccountActor {
    async fn observable_state(&mut self) -> ObservableState {
        ObservableState::new()
            .with_value("balance", self.balance)
            .with_value("operations", self.trail.len() as u64)
    }
}

fn account_actor() -> Definition<AccountActor> {
    Definition::new(AccountActor::default)
}

#[tokio::test]
async fn both_proxies_reach_one_actor_in_one_order() {
    let stage = Stage::new();
    let (account, audit): (AccountProxy, AuditableProxy) =
        stage.actor_for(account_actor()).unwrap();
    assert_eq!(account.address(), audit.address());
    assert_eq!(account.actor_ref(), audit.actor_ref());
    assert_eq!(
        account.type_name(),
        "Account",
        "named for the first protocol"
    );

    account.credit(1);
    audit.note("a".into());
    let balance = account.deposit(2);
    audit.note("b".into());
    account.credit(3);
    assert_eq!(within!(balance.into_future()), 3);
    assert_eq!(
        within!(audit.trail().into_future()),
        ["credit 1", "note a", "deposit 2", "note b", "credit 3"],
        "messages of both protocols share the mailbox and its order"
    );
    within!(stage.close());
}

#[tokio::test]
async fn actor_of_finds_it_through_either_protocol_and_the_directory_lists_it_once() {
    let stage = Stage::new();
    let (account, _audit): (AccountProxy, AuditableProxy) =
        stage.actor_for(account_actor()).unwrap();
    let address = account.address();

    let audit = stage
        .actor_of::<AuditableProxy>(&address)
        .expect("found by Auditable");
    let again = stage
        .actor_of::<AccountProxy>(&address)
        .expect("found by Account");
    let (both_account, both_audit) = stage
        .actor_of::<(AccountProxy, AuditableProxy)>(&address)
        .expect("found by both");
    assert!(
        stage
            .actor_of::<domo_actors_suite::CounterProxy>(&address)
            .is_none()
    );

    again.credit(5);
    both_account.credit(1);
    audit.note("found".into());
    assert_eq!(
        within!(both_audit.trail().into_future()),
        ["credit 5", "credit 1", "note found"]
    );
    assert_eq!(stage.directory().find_by_type("Account").len(), 1);
    assert!(stage.directory().find_by_type("Auditable").is_empty());
    within!(stage.close());
}

#[tokio::test]
async fn self_as_reaches_the_actors_other_protocol() {
    let stage = Stage::new();
    let (account, audit): (AccountProxy, AuditableProxy) =
        stage.actor_for(account_actor()).unwrap();
    account.note_through_self("from inside".into());
    let trail = audit.trail();
    // The self-sent note is queued behind `trail`, which was sent first.
    assert!(within!(trail.into_future()).is_empty());
    assert_eq!(within!(audit.trail().into_future()), ["note from inside"]);
    within!(stage.close());
}

#[tokio::test]
async fn a_restart_serves_both_protocols_with_a_fresh_instance() {
    let stage = Stage::new();
    let (account, audit): (AccountProxy, AuditableProxy) =
        stage.actor_for(account_actor()).unwrap();
    assert_eq!(within!(account.deposit(10).into_future()), 10);

    // The public root restarts a failed top-level actor: same address, fresh state.
    let failure = within!(account.corrupt().result()).unwrap_err();
    assert!(
        matches!(&failure, ActorError::HandlerPanicked { method: "corrupt", cause, .. }
            if cause == "corrupted ledger"),
        "{failure:?}"
    );
    assert!(within!(audit.trail().into_future()).is_empty());
    assert_eq!(within!(account.deposit(1).into_future()), 1);
    assert_eq!(account.address(), audit.address());
    within!(stage.close());
}

#[tokio::test]
async fn a_bounded_mailbox_counts_both_protocols_and_refuses_with_typed_errors() {
    let stage = Stage::new();
    let dead = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&dead);
    stage
        .dead_letters()
        .subscribe(move |letter: &domo_actors::DeadLetter| {
            seen.lock()
                .unwrap()
                .push((letter.representation().to_owned(), letter.reason()));
        });
    let (account, audit): (AccountProxy, AuditableProxy) = stage
        .actor_for_with(
            account_actor(),
            ActorOptions::new().with_mailbox(MailboxConfig::bounded(1, OverflowPolicy::Reject)),
        )
        .unwrap();
    let (open, gate) = oneshot::channel();
    let held = account.hold(gate);
    // `hold` is being handled once the mailbox is empty again.
    await_assert(|| async { assert_eq!(account.actor_ref().mailbox_stats().queued(), 0) }).await;

    let queued = audit.note("fits".into());
    let refused = account.deposit(1).result();
    let error = within!(refused).unwrap_err();
    assert!(
        matches!(
            error,
            ActorError::MailboxFull {
                method: "deposit",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        *dead.lock().unwrap(),
        [("deposit(1)".to_owned(), DeadLetterReason::MailboxFull)]
    );

    open.send(()).unwrap();
    within!(held.into_future());
    within!(queued.into_future());
    assert_eq!(within!(audit.trail().into_future()), ["note fits"]);
    within!(stage.close());
}

#[tokio::test]
async fn a_test_only_protocol_shows_state_without_touching_the_production_ones() {
    let stage = Stage::new();
    let (account, state): (AccountProxy, ObservableStateProviderProxy) =
        stage.actor_for(account_actor()).unwrap();
    account.credit(2);
    account.credit(3);
    let observed = await_observable_state(
        || state.observable_state(),
        |state| state.value_of("operations") == Some(&2u64.into()),
    )
    .await;
    assert_eq!(observed.value_of("balance"), Some(&5u64.into()));
    within!(stage.close());
}
