//! The scripted session that `cargo run --example bank` plays: a morning at the branch, told
//! as it happens.

use std::fmt::Display;

use domo_actors::{ActorRef, Stage};

use super::branch::Branch;
use super::errors::BankError;
use super::model::{AccountInfo, PendingTransfer, Transaction, TransferId, TransferOutcome};
use super::teller::TellerProxy;

/// Where the session tells its story, one line at a time: standard output for the example, a
/// list of lines for its test.
pub struct Transcript<'a> {
    write: Box<dyn FnMut(&str) + 'a>,
}

impl<'a> Transcript<'a> {
    /// A transcript handing each line to `write`.
    pub fn new(write: impl FnMut(&str) + 'a) -> Self {
        Self {
            write: Box::new(write),
        }
    }

    /// Starts a section.
    pub fn section(&mut self, title: &str) {
        (self.write)("");
        (self.write)(&format!("── {title} ──"));
    }

    /// A line of the section.
    pub fn line(&mut self, text: impl Display) {
        (self.write)(&format!("  {text}"));
    }

    /// A request and what came of it.
    pub fn step<T>(
        &mut self,
        request: impl Display,
        answer: &Result<T, BankError>,
        shown: impl FnOnce(&T) -> String,
    ) {
        match answer {
            Ok(value) => self.line(format!("{request:<48} → {}", shown(value))),
            Err(error) => self.line(format!("{request:<48} ✗ {error}")),
        }
    }
}

/// Plays the session against `branch`, telling it to `out`. Every request goes through the
/// Teller, as a customer's would.
pub async fn run_scripted_session(stage: &Stage, branch: &Branch, out: &mut Transcript<'_>) {
    let teller = &branch.teller;

    out.section("Opening accounts");
    let mut numbers = Vec::new();
    for (owner, kind, opening) in [
        ("Ada Lovelace", "checking", "$1,000.00"),
        ("Grace Hopper", "savings", "$250.00"),
        ("Alan Turing", "checking", "$0.00"),
    ] {
        let opened = teller
            .open_account(owner.into(), kind.into(), opening.into())
            .await;
        out.step(
            format!("open {kind} for {owner} with {opening}"),
            &opened,
            |number| format!("opened {number}"),
        );
        numbers.push(opened.expect("the scripted accounts open").to_string());
    }
    let [ada, grace, alan] = <[String; 3]>::try_from(numbers).expect("three accounts");

    out.section("Deposits and withdrawals");
    let deposited = teller.deposit(ada.clone(), "$200.00".into()).await;
    out.step(format!("deposit $200.00 to {ada}"), &deposited, balance);
    let withdrawn = teller.withdraw(grace.clone(), "$75.50".into()).await;
    out.step(format!("withdraw $75.50 from {grace}"), &withdrawn, balance);

    out.section("Requests the bank refuses (answered, nothing fails)");
    let overdrawn = teller.withdraw(alan.clone(), "$5,000.00".into()).await;
    out.step(
        format!("withdraw $5,000.00 from {alan}"),
        &overdrawn,
        balance,
    );
    let unknown = teller.deposit("ACC-0099".into(), "$10.00".into()).await;
    out.step("deposit $10.00 to ACC-0099", &unknown, balance);
    let negative = teller.deposit(ada.clone(), "-$20.00".into()).await;
    out.step(format!("deposit -$20.00 to {ada}"), &negative, balance);
    let garbled = teller.deposit(ada.clone(), "ten dollars".into()).await;
    out.step(
        format!("deposit \"ten dollars\" to {ada}"),
        &garbled,
        balance,
    );

    out.section("A transfer");
    let request = format!("transfer $300.00 from {ada} to {grace}");
    let accepted = teller
        .transfer(ada.clone(), grace.clone(), "$300.00".into())
        .await;
    out.step(&request, &accepted, |id| format!("accepted as {id}"));
    if let Ok(id) = accepted {
        let outcome = settled(teller, id).await;
        out.step(format!("outcome of {id}"), &outcome, ToString::to_string);
    }

    out.section("A transfer to a frozen account: retried with back-off, then refunded");
    let frozen = teller.freeze(alan.clone(), true).await;
    out.step(format!("freeze {alan}"), &frozen, |()| "frozen".into());
    let request = format!("transfer $125.00 from {grace} to {alan}");
    let accepted = teller
        .transfer(grace.clone(), alan.clone(), "$125.00".into())
        .await;
    out.step(&request, &accepted, |id| format!("accepted as {id}"));
    let pending = teller.pending_transfers().await;
    out.step("pending transfers", &pending, |pending| {
        describe_pending(pending)
    });
    if let Ok(id) = accepted {
        out.line(format!(
            "(waiting for {id}: the coordinator retries the deposit on the scheduler, \
             then refunds {grace})"
        ));
        let outcome = settled(teller, id).await;
        out.step(format!("outcome of {id}"), &outcome, ToString::to_string);
    }
    let pending = teller.pending_transfers().await;
    out.step("pending transfers", &pending, |pending| {
        describe_pending(pending)
    });

    out.section("A corrupted request: the Account panics, its supervisor resumes it");
    let corrupted = teller
        .deposit(grace.clone(), "$92,233,720,368,547,758.07".into())
        .await;
    out.step(
        format!("deposit $92,233,720,368,547,758.07 to {grace}"),
        &corrupted,
        balance,
    );
    // The account takes no message until its supervisor has decided, so once this answer is
    // in, the decision is made (and journaled).
    let after = teller.balance(grace.clone()).await;
    out.step(format!("balance of {grace}"), &after, |balance| {
        format!("{balance}: the account was resumed with its state intact")
    });
    for supervisor in &branch.supervisors {
        for report in supervisor.failures().await {
            out.line(format!("{} explains:", report.supervisor));
            out.line(format!("  {report}"));
        }
    }

    out.section("All accounts");
    match teller.all_accounts().await {
        Ok(accounts) => accounts.iter().for_each(|info| out.line(describe(info))),
        Err(error) => out.line(format!("✗ {error}")),
    }

    out.section(&format!("Summary of {grace}"));
    match teller.account_summary(grace.clone()).await {
        Ok(info) => {
            out.line(format!("Owner:   {}", info.owner));
            out.line(format!("Type:    {}", info.kind));
            out.line(format!("Balance: {}", info.balance));
            out.line(format!(
                "Status:  {}",
                if info.frozen { "frozen" } else { "open" }
            ));
        }
        Err(error) => out.line(format!("✗ {error}")),
    }

    for (account, limit) in [(&grace, Some(4)), (&ada, None)] {
        let shown = limit.map_or("all".to_owned(), |limit| format!("last {limit}"));
        out.section(&format!("History of {account} ({shown}, newest first)"));
        match teller.transaction_history(account.clone(), limit).await {
            Ok(history) if history.is_empty() => out.line("no transactions"),
            Ok(history) => history
                .iter()
                .for_each(|entry| out.line(describe_entry(entry))),
            Err(error) => out.line(format!("✗ {error}")),
        }
    }

    out.section("Actor hierarchy (who supervises whom)");
    describe_hierarchy(&stage.public_root(), 0, out);
}

/// Waits for a transfer to settle: the Teller answers at once with the promise of the outcome.
async fn settled(teller: &TellerProxy, id: TransferId) -> Result<TransferOutcome, BankError> {
    teller.settlement(id).await?.outcome().await
}

fn balance(balance: &impl Display) -> String {
    format!("balance {balance}")
}

fn describe(info: &AccountInfo) -> String {
    let status = if info.frozen { "  frozen" } else { "" };
    format!(
        "{}  {:<14} {:<9} {:>12}{status}",
        info.number, info.owner, info.kind, info.balance
    )
}

fn describe_entry(entry: &Transaction) -> String {
    format!(
        "{:<10} {:>10}   balance {:>10}   {}",
        entry.kind, entry.amount, entry.balance_after, entry.description
    )
}

fn describe_pending(pending: &[PendingTransfer]) -> String {
    if pending.is_empty() {
        return "none".into();
    }
    pending
        .iter()
        .map(|transfer| {
            let failure = transfer
                .last_failure
                .as_deref()
                .map_or(String::new(), |failure| {
                    format!(", last failure: {failure}")
                });
            format!(
                "{}: {} from {} to {}, {} deposit attempt(s) so far{failure}",
                transfer.id, transfer.amount, transfer.from, transfer.to, transfer.attempts
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One line per actor below `actor`, indented by depth, with its supervisor.
fn describe_hierarchy(actor: &ActorRef, depth: usize, out: &mut Transcript<'_>) {
    for child in actor.children() {
        // Without a supervisor's name, an actor is supervised by its parent: for a top-level
        // actor, the stage's public root.
        let supervisor = match child.supervisor_name() {
            Some(name) => name.to_owned(),
            None if depth == 0 => "the public root".to_owned(),
            None => "its parent".to_owned(),
        };
        let name = format!("{}{}", "   ".repeat(depth), child.type_name());
        out.line(format!("{name:<28} supervised by {supervisor}"));
        describe_hierarchy(&child, depth + 1, out);
    }
}
