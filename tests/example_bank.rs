//! The bank example (`examples/bank/`), driven by tests: its scripted session end to end, and
//! each of its behaviours on its own (refused requests, transfers retried with exponential
//! back-off then refunded, a panic the supervisor resumes, the actor hierarchy).
//!
//! The example's modules are included as they are, so these tests run the example's own code.
//! Timers run on tokio's paused clock: a back-off of seconds takes no real time, and the
//! virtual time elapsed is exactly the sum of the back-off delays.

#[path = "../examples/bank/account.rs"]
pub mod account;
#[path = "../examples/bank/bank.rs"]
pub mod bank;
#[path = "../examples/bank/branch.rs"]
pub mod branch;
#[path = "../examples/bank/errors.rs"]
pub mod errors;
#[path = "../examples/bank/model.rs"]
pub mod model;
#[path = "../examples/bank/session.rs"]
pub mod session;
#[path = "../examples/bank/supervisors.rs"]
pub mod supervisors;
#[path = "../examples/bank/teller.rs"]
pub mod teller;
#[path = "../examples/bank/transaction_history.rs"]
pub mod transaction_history;
#[path = "../examples/bank/transfer_coordinator.rs"]
pub mod transfer_coordinator;

use std::time::Duration;

use domo_actors::{ActorError, Stage, SupervisionDirective};
use domo_actors_testkit::{TestDeadLettersListener, test_stage};
use tokio::time::Instant;

use branch::{Branch, open_branch};
use errors::BankError;
use model::{AccountNumber, Money, TransactionKind, TransferId, TransferOutcome};
use session::{Transcript, run_scripted_session};
use supervisors::FailureReport;
use teller::TellerProxy;
use transfer_coordinator::RetryPolicy;

/// The example's own policy: four attempts, 50 ms base delay.
const RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 4,
    base_delay: Duration::from_millis(50),
};

fn money(text: &str) -> Money {
    text.parse().expect("a valid amount")
}

fn number(text: &str) -> AccountNumber {
    text.parse().expect("a valid account number")
}

async fn open(retry: RetryPolicy) -> (Stage, TestDeadLettersListener, Branch) {
    let (stage, dead_letters) = test_stage();
    let branch = open_branch(&stage, retry).expect("a new stage is open");
    (stage, dead_letters, branch)
}

/// Opens the accounts of the scripted session: ACC-0001 ($1,000), ACC-0002 ($250), ACC-0003
/// ($0).
async fn open_three_accounts(teller: &TellerProxy) {
    for (owner, kind, opening) in [
        ("Ada Lovelace", "checking", "1000"),
        ("Grace Hopper", "savings", "250"),
        ("Alan Turing", "checking", "0"),
    ] {
        teller
            .open_account(owner.into(), kind.into(), opening.into())
            .await
            .expect("the account opens");
    }
}

async fn balance(teller: &TellerProxy, account: &str) -> Money {
    teller
        .balance(account.into())
        .await
        .expect("a known account answers its balance")
}

/// Every failure the branch's supervisors handled, in supervisor order.
async fn failures(branch: &Branch) -> Vec<FailureReport> {
    let mut all = Vec::new();
    for supervisor in &branch.supervisors {
        all.extend(supervisor.failures().await);
    }
    all
}

#[tokio::test(start_paused = true)]
async fn the_scripted_session_runs_to_the_end_with_the_expected_outcomes() {
    let (stage, dead_letters, branch) = open(RETRY).await;
    let mut lines = Vec::new();
    let started = Instant::now();
    run_scripted_session(
        &stage,
        &branch,
        &mut Transcript::new(|line| lines.push(line.to_owned())),
    )
    .await;
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(50 + 100 + 200),
        "the only time spent is the back-off between the four deposit attempts"
    );

    let text = lines.join("\n");
    for expected in [
        "→ opened ACC-0001",
        "→ opened ACC-0003",
        "withdraw $5,000.00 from ACC-0003                 ✗ insufficient funds in ACC-0003",
        "✗ there is no account ACC-0099",
        "✗ the amount must be positive, not -$20.00",
        "→ TR-0001 completed (1 deposit attempt)",
        "→ TR-0002 refunded to the source after 4 failed deposit attempts",
        "✗ the request could not be served: the Account failed in `deposit`",
        "→ $474.50: the account was resumed with its state intact",
        "account-supervisor explains:",
        "During Deposit (deposit $92,233,720,368,547,758.07 to ACC-0002), Account failed",
        "ACC-0003  Alan Turing    checking         $0.00  frozen",
        "Bank                         supervised by bank-supervisor",
        "      TransactionHistory     supervised by its parent",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }

    // The session's effects, asked of the actors themselves.
    let teller = &branch.teller;
    assert_eq!(balance(teller, "ACC-0001").await, money("900"));
    assert_eq!(balance(teller, "ACC-0002").await, money("474.50"));
    assert_eq!(balance(teller, "ACC-0003").await, money("0"));
    let reports = failures(&branch).await;
    assert_eq!(reports.len(), 1, "{reports:?}");
    assert_eq!(reports[0].supervisor, "account-supervisor");
    assert_eq!(reports[0].directive, SupervisionDirective::Resume);
    assert!(teller.pending_transfers().await.unwrap().is_empty());
    assert_eq!(dead_letters.count(), 0, "every message was delivered");
    stage.close().await;
}

#[tokio::test]
async fn refused_requests_are_answered_as_errors_and_change_nothing() {
    let (stage, _dead_letters, branch) = open(RETRY).await;
    let teller = &branch.teller;
    open_three_accounts(teller).await;

    assert_eq!(
        teller.withdraw("ACC-0003".into(), "5,000".into()).await,
        Err(BankError::InsufficientFunds {
            account: number("ACC-0003"),
            balance: Money::ZERO,
            requested: money("5000"),
        })
    );
    assert_eq!(
        teller.deposit("ACC-0099".into(), "10".into()).await,
        Err(BankError::UnknownAccount(number("ACC-0099")))
    );
    assert_eq!(
        teller.deposit("ACC-0001".into(), "-20".into()).await,
        Err(BankError::InvalidAmount(money("-20")))
    );
    assert_eq!(
        teller.withdraw("ACC-0001".into(), "0".into()).await,
        Err(BankError::InvalidAmount(Money::ZERO))
    );
    assert!(matches!(
        teller
            .deposit("ACC-0001".into(), "ten dollars".into())
            .await,
        Err(BankError::InvalidRequest(_))
    ));
    assert!(matches!(
        teller.balance("account one".into()).await,
        Err(BankError::InvalidRequest(_))
    ));
    assert!(matches!(
        teller
            .open_account("Ada".into(), "brokerage".into(), "10".into())
            .await,
        Err(BankError::InvalidRequest(_))
    ));
    assert_eq!(
        teller
            .open_account("Ada".into(), "checking".into(), "-1".into())
            .await,
        Err(BankError::InvalidAmount(money("-1")))
    );
    assert_eq!(
        teller
            .transfer("ACC-0001".into(), "ACC-0001".into(), "5".into())
            .await,
        Err(BankError::SameAccount(number("ACC-0001")))
    );
    assert_eq!(
        teller
            .transfer("ACC-0001".into(), "ACC-0042".into(), "5".into())
            .await,
        Err(BankError::UnknownAccount(number("ACC-0042")))
    );
    assert_eq!(
        teller
            .transfer("ACC-0003".into(), "ACC-0001".into(), "5".into())
            .await,
        Err(BankError::InsufficientFunds {
            account: number("ACC-0003"),
            balance: Money::ZERO,
            requested: money("5"),
        })
    );

    // Nothing moved, no account was opened by the refused requests, nobody failed.
    assert_eq!(balance(teller, "ACC-0001").await, money("1000"));
    assert_eq!(balance(teller, "ACC-0003").await, Money::ZERO);
    assert_eq!(teller.all_accounts().await.unwrap().len(), 3);
    assert!(teller.pending_transfers().await.unwrap().is_empty());
    assert!(failures(&branch).await.is_empty());
    stage.close().await;
}

#[tokio::test]
async fn deposits_withdrawals_and_transfers_are_recorded_in_each_history() {
    let (stage, _dead_letters, branch) = open(RETRY).await;
    let teller = &branch.teller;
    open_three_accounts(teller).await;

    assert_eq!(
        teller.deposit("ACC-0001".into(), "$200.00".into()).await,
        Ok(money("1200"))
    );
    assert_eq!(
        teller.withdraw("ACC-0002".into(), "75.50".into()).await,
        Ok(money("174.50"))
    );
    let id = teller
        .transfer("ACC-0001".into(), "ACC-0002".into(), "300".into())
        .await
        .unwrap();
    assert_eq!(id, TransferId::new(1));
    let outcome = teller.settlement(id).await.unwrap().outcome().await;
    assert_eq!(outcome, Ok(TransferOutcome::Completed { id, attempts: 1 }));

    let summary = teller.account_summary("ACC-0002".into()).await.unwrap();
    assert_eq!(
        (summary.owner.as_str(), summary.balance, summary.frozen),
        ("Grace Hopper", money("474.50"), false)
    );

    let history = teller
        .transaction_history("ACC-0001".into(), None)
        .await
        .unwrap();
    let entries: Vec<_> = history
        .iter()
        .map(|t| (t.kind, t.amount, t.balance_after, t.description.as_str()))
        .collect();
    assert_eq!(
        entries,
        [
            (
                TransactionKind::Withdrawal,
                money("300"),
                money("900"),
                "transfer TR-0001 to ACC-0002"
            ),
            (
                TransactionKind::Deposit,
                money("200"),
                money("1200"),
                "cash deposit"
            ),
            (
                TransactionKind::Deposit,
                money("1000"),
                money("1000"),
                "opening balance"
            ),
        ],
        "newest first"
    );
    let last_two = teller
        .transaction_history("ACC-0002".into(), Some(2))
        .await
        .unwrap();
    assert_eq!(
        last_two
            .iter()
            .map(|t| t.description.as_str())
            .collect::<Vec<_>>(),
        ["transfer TR-0001 from ACC-0001", "cash withdrawal"]
    );
    assert!(
        teller
            .transaction_history("ACC-0003".into(), None)
            .await
            .unwrap()
            .is_empty(),
        "no opening entry for an empty opening balance"
    );
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_failed_deposit_is_retried_with_exponential_back_off_then_refunded() {
    let retry = RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_secs(1),
    };
    let (stage, _dead_letters, branch) = open(retry).await;
    let teller = &branch.teller;
    open_three_accounts(teller).await;
    teller.freeze("ACC-0003".into(), true).await.unwrap();

    let started = Instant::now();
    let id = teller
        .transfer("ACC-0002".into(), "ACC-0003".into(), "125".into())
        .await
        .unwrap();
    // The money has left the source, and the first deposit has already failed.
    assert_eq!(balance(teller, "ACC-0002").await, money("125"));
    let pending = teller.pending_transfers().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].id, pending[0].attempts), (id, 1), "{pending:?}");
    assert_eq!(
        pending[0].last_failure.as_deref(),
        Some("account ACC-0003 is frozen")
    );

    let outcome = teller.settlement(id).await.unwrap().outcome().await;
    assert_eq!(
        outcome,
        Ok(TransferOutcome::Refunded {
            id,
            attempts: 4,
            reason: "account ACC-0003 is frozen".into(),
        })
    );
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(1 + 2 + 4),
        "retries after base × 2^(attempt − 1): 1 s, 2 s, 4 s"
    );

    assert_eq!(balance(teller, "ACC-0002").await, money("250"));
    assert_eq!(balance(teller, "ACC-0003").await, Money::ZERO);
    let history = teller
        .transaction_history("ACC-0002".into(), Some(2))
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|t| t.kind).collect::<Vec<_>>(),
        [TransactionKind::Refund, TransactionKind::Withdrawal]
    );
    assert_eq!(
        history[0].description,
        "refund of TR-0001: account ACC-0003 is frozen"
    );
    assert!(teller.pending_transfers().await.unwrap().is_empty());
    // A settled transfer's outcome can still be asked for.
    let again = teller.settlement(id).await.unwrap().outcome().await;
    assert_eq!(again, outcome);
    stage.close().await;
}

#[tokio::test(start_paused = true)]
async fn a_deposit_that_succeeds_on_a_retry_completes_the_transfer() {
    let (stage, _dead_letters, branch) = open(RETRY).await;
    let teller = &branch.teller;
    open_three_accounts(teller).await;
    teller.freeze("ACC-0003".into(), true).await.unwrap();

    let started = Instant::now();
    let id = teller
        .transfer("ACC-0001".into(), "ACC-0003".into(), "40".into())
        .await
        .unwrap();
    assert_eq!(teller.pending_transfers().await.unwrap()[0].attempts, 1);
    // Thawed before the first retry is due (no time passes while actors are busy).
    teller.freeze("ACC-0003".into(), false).await.unwrap();

    let outcome = teller.settlement(id).await.unwrap().outcome().await;
    assert_eq!(outcome, Ok(TransferOutcome::Completed { id, attempts: 2 }));
    assert_eq!(started.elapsed(), Duration::from_millis(50));
    assert_eq!(balance(teller, "ACC-0001").await, money("960"));
    assert_eq!(balance(teller, "ACC-0003").await, money("40"));
    stage.close().await;
}

#[tokio::test]
async fn a_corrupted_request_fails_its_caller_and_the_supervisor_resumes_the_account() {
    let (stage, _dead_letters, branch) = open(RETRY).await;
    let teller = &branch.teller;
    open_three_accounts(teller).await;

    let corrupted = "$92,233,720,368,547,758.07";
    let answer = teller.deposit("ACC-0001".into(), corrupted.into()).await;
    match &answer {
        Err(BankError::Unavailable(ActorError::HandlerPanicked {
            type_name,
            method,
            cause,
            ..
        })) => {
            assert_eq!((&**type_name, *method), ("Account", "deposit"));
            assert!(cause.starts_with("corrupted request"), "{cause}");
        }
        other => panic!("expected the Account's failure, got {other:?}"),
    }

    // Resumed, not restarted: the state is intact, and the account serves the next request.
    assert_eq!(balance(teller, "ACC-0001").await, money("1000"));
    assert_eq!(
        teller.deposit("ACC-0001".into(), "1".into()).await,
        Ok(money("1001"))
    );

    // Only the account failed (the Bank and the Teller answered the error), and its supervisor
    // explained the failure from the failing message's execution context, set by the Teller
    // and propagated by the Bank.
    let reports = failures(&branch).await;
    assert_eq!(reports.len(), 1, "{reports:?}");
    let report = &reports[0];
    assert_eq!(report.supervisor, "account-supervisor");
    assert_eq!(report.actor_type, "Account");
    assert_eq!(report.method, "deposit");
    assert_eq!(report.command.as_deref(), Some("Deposit"));
    assert_eq!(
        report.request.as_deref(),
        Some("deposit $92,233,720,368,547,758.07 to ACC-0001")
    );
    assert_eq!(report.directive, SupervisionDirective::Resume);
    assert!(
        report
            .to_string()
            .starts_with("During Deposit (deposit $92,233,720,368,547,758.07 to ACC-0001), Account failed in `deposit`: corrupted request"),
        "{report}"
    );
    stage.close().await;
}

#[tokio::test]
async fn the_bank_owns_its_accounts_and_coordinator_each_named_supervisor_supervises() {
    let (stage, _dead_letters, branch) = open(RETRY).await;
    open_three_accounts(&branch.teller).await;

    let banks = stage.directory().find_by_type("Bank");
    assert_eq!(banks.len(), 1);
    let bank = &banks[0];
    assert_eq!(bank.supervisor_name(), Some("bank-supervisor"));
    let children: Vec<(String, Option<String>)> = bank
        .children()
        .iter()
        .map(|child| {
            (
                child.type_name().to_owned(),
                child.supervisor_name().map(str::to_owned),
            )
        })
        .collect();
    let account = ("Account".to_owned(), Some("account-supervisor".to_owned()));
    assert_eq!(
        children,
        [
            (
                "TransferCoordinator".to_owned(),
                Some("transfer-supervisor".to_owned())
            ),
            account.clone(),
            account.clone(),
            account,
        ]
    );
    for account in bank.children().iter().skip(1) {
        let ledgers = account.children();
        assert_eq!(ledgers.len(), 1);
        assert_eq!(ledgers[0].type_name(), "TransactionHistory");
    }
    for name in [
        "bank-supervisor",
        "account-supervisor",
        "transfer-supervisor",
    ] {
        assert_eq!(stage.directory().find_by_type(name).len(), 1, "{name}");
    }
    assert_eq!(
        stage.directory().find_by_type("Teller")[0].supervisor_name(),
        Some("bank-supervisor")
    );
    stage.close().await;
}

#[test]
fn amounts_and_account_numbers_parse_as_a_person_types_them() {
    assert_eq!(money("$1,000.5").to_string(), "$1,000.50");
    assert_eq!(money("-20").to_string(), "-$20.00");
    assert_eq!(money("0.07").to_string(), "$0.07");
    assert_eq!(money("1234567.89").to_string(), "$1,234,567.89");
    for bad in [
        "",
        "ten",
        "1.234",
        "1.2.3",
        "$",
        "-",
        "99999999999999999999",
    ] {
        assert!(bad.parse::<Money>().is_err(), "{bad:?}");
    }
    assert_eq!(number("acc-0007"), AccountNumber::new(7));
    assert_eq!(AccountNumber::new(7).to_string(), "ACC-0007");
    assert!("7".parse::<AccountNumber>().is_err());
    assert!("ACC-".parse::<AccountNumber>().is_err());
}
