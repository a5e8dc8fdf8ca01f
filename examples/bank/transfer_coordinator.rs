//! `TransferCoordinator`: moves money between accounts, retrying a failed deposit with
//! exponential back-off on the stage's scheduler, and refunding the source when every attempt
//! has failed. A child actor of the Bank.
//!
//! A transfer is a small state machine driven by messages the coordinator sends itself:
//!
//! ```text
//! initiate_transfer   withdraw from the source; self-send attempt_deposit; answer the id
//! attempt_deposit     deposited                   -> completed
//!                     failed, attempts left       -> the scheduler sends attempt_deposit
//!                                                    again after base × 2^(attempt−1)
//!                     failed, no attempts left    -> refund the source -> refunded
//! ```

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use domo_actors::{Actor, ActorError, actor_protocol};
use tokio::sync::oneshot;

use super::account::AccountProxy;
use super::errors::BankError;
use super::model::{AccountNumber, Money, PendingTransfer, TransferId, TransferOutcome};

/// How often, and how patiently, a failed deposit is tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Deposits tried in all, the first included.
    pub max_attempts: u32,
    /// The wait after the first failure; it doubles after each further one.
    pub base_delay: Duration,
}

impl RetryPolicy {
    /// The wait after failed attempt number `attempt` (1-based): base × 2^(attempt−1).
    pub fn delay_after(&self, attempt: u32) -> Duration {
        self.base_delay * 2_u32.pow(attempt.saturating_sub(1))
    }
}

/// The promise of a transfer's outcome, answered as soon as the transfer is accepted: the
/// transfer itself may take several scheduled retries to settle.
#[derive(Debug)]
pub struct Settlement(oneshot::Receiver<TransferOutcome>);

impl Settlement {
    /// Waits until the transfer has completed or been refunded.
    pub async fn outcome(self) -> Result<TransferOutcome, BankError> {
        // The sender goes away unanswered only if the coordinator stopped first.
        self.0
            .await
            .map_err(|_| BankError::from(ActorError::NoReply))
    }
}

/// Moves money between the accounts it knows.
#[actor_protocol]
pub trait TransferCoordinator {
    /// Makes `account` known under `number`.
    async fn register_account(&mut self, number: AccountNumber, account: AccountProxy);
    /// Withdraws `amount` from `from` and starts depositing it to `to`; answers the transfer's
    /// id once the money has left the source.
    async fn initiate_transfer(
        &mut self,
        from: AccountNumber,
        to: AccountNumber,
        amount: Money,
    ) -> Result<TransferId, BankError>;
    /// Tries, once more, to deposit a pending transfer's money (sent by the coordinator to
    /// itself, and by the scheduler for retries).
    async fn attempt_deposit(&mut self, transfer: TransferId);
    /// The transfers not yet settled, oldest first.
    async fn pending_transfers(&self) -> Vec<PendingTransfer>;
    /// The promise of a transfer's outcome.
    async fn settlement(&mut self, transfer: TransferId) -> Result<Settlement, BankError>;
}

/// The coordinator's state: the accounts, and each transfer until it settles.
pub struct TransferCoordinatorActor {
    retry: RetryPolicy,
    accounts: HashMap<AccountNumber, AccountProxy>,
    pending: BTreeMap<TransferId, PendingTransfer>,
    settled: HashMap<TransferId, TransferOutcome>,
    waiting: HashMap<TransferId, Vec<oneshot::Sender<TransferOutcome>>>,
    last_id: u32,
    /// This actor's own proxy, for self-sends and for the scheduler.
    myself: Option<TransferCoordinatorProxy>,
}

impl TransferCoordinatorActor {
    /// A coordinator that retries failed deposits as `retry` says.
    pub fn new(retry: RetryPolicy) -> Self {
        Self {
            retry,
            accounts: HashMap::new(),
            pending: BTreeMap::new(),
            settled: HashMap::new(),
            waiting: HashMap::new(),
            last_id: 0,
            myself: None,
        }
    }

    fn account(&self, number: AccountNumber) -> Result<&AccountProxy, BankError> {
        self.accounts
            .get(&number)
            .ok_or(BankError::UnknownAccount(number))
    }

    fn myself(&self) -> &TransferCoordinatorProxy {
        self.myself
            .as_ref()
            .expect("set in before_start, before any message")
    }

    /// A deposit failed: schedule the next attempt, or refund the source after the last one.
    async fn deposit_failed(&mut self, id: TransferId, error: BankError) {
        let Some(transfer) = self.pending.get_mut(&id) else {
            return;
        };
        let reason = error.to_string();
        transfer.last_failure = Some(reason.clone());
        let (attempt, from, to, amount) = (
            transfer.attempts,
            transfer.from,
            transfer.to,
            transfer.amount,
        );

        if attempt < self.retry.max_attempts {
            let delay = self.retry.delay_after(attempt);
            self.logger().info(format_args!(
                "{id}: deposit to {to} failed ({reason}); attempt {} of {} in {} ms",
                attempt + 1,
                self.retry.max_attempts,
                delay.as_millis()
            ));
            // The retry is a message like any other, sent later by the scheduler: meanwhile
            // this coordinator serves other requests instead of waiting.
            self.stage()
                .scheduler()
                .schedule_once_to(self.myself(), delay, move |coordinator| {
                    coordinator.attempt_deposit(id);
                });
            return;
        }

        self.logger().warn(format_args!(
            "{id}: deposit to {to} failed {attempt} times ({reason}); refunding {from}"
        ));
        let description = format!("refund of {id}: {reason}");
        match self.account(from) {
            Ok(source) => {
                if let Err(error) = source.refund(amount, description).await {
                    // Leave it pending: the money is accounted for here, and visible.
                    self.logger()
                        .error(format_args!("{id}: the refund to {from} failed: {error}"));
                    return;
                }
            }
            Err(error) => {
                self.logger().error(format_args!("{id}: {error}"));
                return;
            }
        }
        self.settle(TransferOutcome::Refunded {
            id,
            attempts: attempt,
            reason,
        });
    }

    /// Ends a transfer and tells whoever waits for it.
    fn settle(&mut self, outcome: TransferOutcome) {
        let id = match &outcome {
            TransferOutcome::Completed { id, .. } | TransferOutcome::Refunded { id, .. } => *id,
        };
        self.pending.remove(&id);
        self.logger().info(format_args!("{outcome}"));
        for waiter in self.waiting.remove(&id).unwrap_or_default() {
            let _ = waiter.send(outcome.clone());
        }
        self.settled.insert(id, outcome);
    }
}

impl Actor for TransferCoordinatorActor {
    async fn before_start(&mut self) {
        self.myself = Some(self.self_as::<TransferCoordinatorProxy>());
    }
}

impl TransferCoordinator for TransferCoordinatorActor {
    async fn register_account(&mut self, number: AccountNumber, account: AccountProxy) {
        self.accounts.insert(number, account);
    }

    async fn initiate_transfer(
        &mut self,
        from: AccountNumber,
        to: AccountNumber,
        amount: Money,
    ) -> Result<TransferId, BankError> {
        if !amount.is_positive() {
            return Err(BankError::InvalidAmount(amount));
        }
        if from == to {
            return Err(BankError::SameAccount(from));
        }
        let source = self.account(from)?.clone();
        self.account(to)?;

        // The id is taken only once the money has left the source, so refused transfers leave
        // no gaps in the numbering.
        let id = TransferId::new(self.last_id + 1);
        source
            .withdraw(amount, format!("transfer {id} to {to}"))
            .await?;
        self.last_id += 1;
        self.pending.insert(
            id,
            PendingTransfer {
                id,
                from,
                to,
                amount,
                attempts: 0,
                last_failure: None,
            },
        );
        self.logger().info(format_args!(
            "{id}: {amount} withdrawn from {from}, deposit to {to} pending"
        ));
        // A self-send, queued behind this message: the caller has its answer at once, and the
        // deposit (with its retries) never holds up the reply.
        self.myself().attempt_deposit(id);
        Ok(id)
    }

    async fn attempt_deposit(&mut self, id: TransferId) {
        let Some(transfer) = self.pending.get_mut(&id) else {
            return;
        };
        transfer.attempts += 1;
        let (attempts, from, to, amount) = (
            transfer.attempts,
            transfer.from,
            transfer.to,
            transfer.amount,
        );
        let deposited = match self.account(to) {
            Ok(destination) => {
                destination
                    .deposit(amount, format!("transfer {id} from {from}"))
                    .await
            }
            Err(error) => Err(error),
        };
        match deposited {
            Ok(_) => self.settle(TransferOutcome::Completed { id, attempts }),
            Err(error) => self.deposit_failed(id, error).await,
        }
    }

    async fn pending_transfers(&self) -> Vec<PendingTransfer> {
        self.pending.values().cloned().collect()
    }

    async fn settlement(&mut self, id: TransferId) -> Result<Settlement, BankError> {
        let (sender, receiver) = oneshot::channel();
        if let Some(outcome) = self.settled.get(&id) {
            let _ = sender.send(outcome.clone());
        } else if self.pending.contains_key(&id) {
            self.waiting.entry(id).or_default().push(sender);
        } else {
            return Err(BankError::UnknownTransfer(id));
        }
        Ok(Settlement(receiver))
    }
}
