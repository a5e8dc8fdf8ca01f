//! The bank's day on a loop, for the dashboard to draw: customers at the Teller, an auditor who
//! holds one account at a time, a corrupted request now and then, and a night desk that closes
//! before its last customer.
//!
//! Every 100 ms a wave of requests arrives at the Teller, sent without waiting for the answers:
//! deposits, withdrawals, transfers, balances, statements. Every 5 s the auditor suspends an
//! Account for 2.5 s: the Bank waits on that account, and the requests behind it pile up in the
//! Bank's and the Teller's mailboxes until the account is resumed. An account is frozen for a
//! while too, so that transfers to it retry and are refunded. Every 7 s a corrupted deposit makes
//! an Account panic, and its supervisor resumes it. Every 4 s a NightTeller opens, serves a
//! customer and closes; a customer who comes too late is a dead letter.

use std::time::Duration;

use domo_actors::{ActorError, ActorOptions, ActorRef, Definition, Stage};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::bank::BankProxy;
use super::branch::{Branch, open_branch};
use super::supervisors::BANK_SUPERVISOR;
use super::teller::{TellerActor, TellerProxy};
use super::transfer_coordinator::RetryPolicy;

/// The customers and their opening balances.
const CUSTOMERS: [(&str, &str, &str); 6] = [
    ("Ada Lovelace", "checking", "1000"),
    ("Grace Hopper", "savings", "250"),
    ("Alan Turing", "checking", "400"),
    ("Katherine Johnson", "savings", "1200"),
    ("Edsger Dijkstra", "checking", "75"),
    ("Barbara Liskov", "savings", "640"),
];

/// A failed deposit of a transfer is tried four times in all, 50, 100 and 200 ms apart.
const RETRY: RetryPolicy = RetryPolicy {
    max_attempts: 4,
    base_delay: Duration::from_millis(50),
};

/// One step of the day.
const TICK: Duration = Duration::from_millis(100);

/// The workload, running in a task of its own.
pub struct Workload {
    /// The branch it serves.
    pub branch: Branch,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Workload {
    /// Opens a branch on `stage` with its six accounts, then starts the day.
    pub async fn start(stage: &Stage) -> Result<Workload, ActorError> {
        let branch = open_branch(stage, RETRY)?;
        let mut accounts = Vec::with_capacity(CUSTOMERS.len());
        for (owner, kind, opening) in CUSTOMERS {
            let opened = branch
                .teller
                .open_account(owner.into(), kind.into(), opening.into())
                .await
                .expect("the accounts of the day open");
            accounts.push(opened.to_string());
        }
        let (stop, stopped) = oneshot::channel();
        let day = Day {
            stage: stage.clone(),
            teller: branch.teller.clone(),
            accounts,
            random: Random(0x2545_f491_4f6c_dd1d),
            audited: None,
            night_teller: None,
        };
        let task = tokio::spawn(day.run(stopped));
        Ok(Workload { branch, stop, task })
    }

    /// Ends the day: the requests already sent are still served (or dead-lettered at close).
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}

/// What the day's loop keeps.
struct Day {
    stage: Stage,
    teller: TellerProxy,
    accounts: Vec<String>,
    random: Random,
    /// The account the auditor holds.
    audited: Option<ActorRef>,
    /// The night desk, while it is open.
    night_teller: Option<TellerProxy>,
}

impl Day {
    async fn run(mut self, mut stopped: oneshot::Receiver<()>) {
        let mut ticks = tokio::time::interval(TICK);
        for tick in 0u64.. {
            tokio::select! {
                _ = ticks.tick() => {}
                _ = &mut stopped => break,
            }
            self.customers();
            match tick % 50 {
                10 => self.audit().await,
                35 => self.end_audit().await,
                _ => {}
            }
            match tick % 90 {
                40 => drop(self.teller.freeze(self.accounts[2].clone(), true)),
                70 => drop(self.teller.freeze(self.accounts[2].clone(), false)),
                _ => {}
            }
            if tick % 70 == 35 {
                self.corrupted_request();
            }
            match tick % 40 {
                5 => self.open_night_desk(),
                20 => self.close_night_desk().await,
                _ => {}
            }
        }
        self.end_audit().await;
    }

    /// A wave of customers: each request is sent, its answer not awaited.
    fn customers(&mut self) {
        for _ in 0..2 + self.random.below(12) {
            let account = self.account();
            let amount = (1 + self.random.below(200)).to_string();
            match self.random.below(10) {
                0..=3 => drop(self.teller.deposit(account, amount)),
                4 | 5 => drop(self.teller.withdraw(account, amount)),
                6 | 7 => {
                    let to = self.account();
                    if to != account {
                        drop(self.teller.transfer(account, to, amount));
                    }
                }
                8 => drop(self.teller.balance(account)),
                _ => drop(self.teller.transaction_history(account, Some(5))),
            }
        }
    }

    fn account(&mut self) -> String {
        let at = self.random.below(self.accounts.len() as u64) as usize;
        self.accounts[at].clone()
    }

    /// The auditor holds the next account: it delivers nothing until resumed.
    async fn audit(&mut self) {
        let accounts = self.stage.directory().find_by_type("Account");
        if accounts.is_empty() {
            return;
        }
        let at = self.random.below(accounts.len() as u64) as usize;
        let account = accounts[at].clone();
        if account.suspend().result().await.is_ok() {
            self.audited = Some(account);
        }
    }

    async fn end_audit(&mut self) {
        if let Some(account) = self.audited.take() {
            let _ = account.resume().result().await;
        }
    }

    /// An amount too large for the account's arithmetic: the Account panics, and
    /// `account-supervisor` resumes it.
    fn corrupted_request(&mut self) {
        let account = self.account();
        drop(
            self.teller
                .deposit(account, "$92,233,720,368,547,758.07".into()),
        );
    }

    /// A second teller for the evening, serving the same Bank.
    fn open_night_desk(&mut self) {
        let Some(bank) = self
            .stage
            .directory()
            .find_by_type("Bank")
            .into_iter()
            .find_map(|bank| bank.downcast::<BankProxy>())
        else {
            return;
        };
        let definition = Definition::new(move || TellerActor::new(bank.clone()))
            .with_type("NightTeller")
            .with_supervisor(BANK_SUPERVISOR);
        if let Ok(night_teller) = self
            .stage
            .actor_for_with::<TellerProxy, _>(definition, ActorOptions::new())
        {
            let account = self.account();
            drop(night_teller.balance(account));
            self.night_teller = Some(night_teller);
        }
    }

    /// The night desk closes; one customer comes too late, and their request is a dead letter.
    async fn close_night_desk(&mut self) {
        if let Some(night_teller) = self.night_teller.take() {
            let _ = night_teller.stop().result().await;
            let account = self.account();
            drop(night_teller.balance(account));
        }
    }
}

/// A small pseudo-random sequence (xorshift): the same day every run, no dependency.
struct Random(u64);

impl Random {
    /// A number in `0..bound`.
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}
