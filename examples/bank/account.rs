//! `Account`: one bank account, a child actor of the Bank, with its ledger as a child of its own.

use domo_actors::{Actor, Definition, actor_protocol};

use super::errors::BankError;
use super::model::{AccountInfo, AccountNumber, AccountType, Money, Transaction, TransactionKind};
use super::transaction_history::{TransactionHistoryActor, TransactionHistoryProxy};

/// One account: its balance changes one message at a time, so no two withdrawals can both see
/// the same balance.
#[actor_protocol]
pub trait Account {
    /// Adds `amount`; answers the new balance.
    async fn deposit(&mut self, amount: Money, description: String) -> Result<Money, BankError>;
    /// Takes `amount` out; answers the new balance.
    async fn withdraw(&mut self, amount: Money, description: String) -> Result<Money, BankError>;
    /// Gives back `amount` taken by a transfer that could not be completed; accepted even when
    /// the account is frozen. Answers the new balance.
    async fn refund(&mut self, amount: Money, description: String) -> Result<Money, BankError>;
    /// The account's details and balance.
    async fn info(&self) -> AccountInfo;
    /// The most recent ledger entries, newest first (at most `limit`).
    async fn history(&self, limit: Option<usize>) -> Result<Vec<Transaction>, BankError>;
    /// Freezes the account (it refuses deposits and withdrawals), or thaws it.
    async fn set_frozen(&mut self, frozen: bool);
}

/// The account's state. Its ledger is created in `before_start`, as a child, so it lives and
/// stops with the account.
pub struct AccountActor {
    number: AccountNumber,
    owner: String,
    kind: AccountType,
    balance: Money,
    frozen: bool,
    history: Option<TransactionHistoryProxy>,
}

impl AccountActor {
    /// A new account holding `opening_balance`.
    pub fn new(
        number: AccountNumber,
        owner: String,
        kind: AccountType,
        opening_balance: Money,
    ) -> Self {
        Self {
            number,
            owner,
            kind,
            balance: opening_balance,
            frozen: false,
            history: None,
        }
    }

    /// Records an entry in the ledger. A tell: the ledger keeps the order, and the account need
    /// not wait for it.
    fn record(&self, kind: TransactionKind, amount: Money, description: String) {
        if let Some(history) = &self.history {
            history.record(Transaction {
                kind,
                amount,
                balance_after: self.balance,
                description,
            });
        }
    }

    fn check_amount(&self, amount: Money) -> Result<(), BankError> {
        if amount.is_positive() {
            Ok(())
        } else {
            Err(BankError::InvalidAmount(amount))
        }
    }

    fn check_not_frozen(&self) -> Result<(), BankError> {
        if self.frozen {
            Err(BankError::AccountFrozen(self.number))
        } else {
            Ok(())
        }
    }

    /// The balance plus `amount`.
    ///
    /// The bank checks every amount it takes in, so a sum that overflows can only come from a
    /// corrupted request: a bug somewhere upstream, not a case the business knows. So this
    /// panics rather than answering an error: the caller's promise fails, and the account's
    /// supervisor decides what becomes of the account (it resumes it: nothing was changed).
    fn credited(&self, amount: Money) -> Money {
        self.balance.checked_add(amount).unwrap_or_else(|| {
            panic!(
                "corrupted request: crediting {amount} would overflow the balance of {}",
                self.number
            )
        })
    }
}

impl Actor for AccountActor {
    async fn before_start(&mut self) {
        let history: TransactionHistoryProxy = self
            .child_actor_for(Definition::new(TransactionHistoryActor::default))
            .expect("an account that is starting can create children");
        self.history = Some(history);
        if self.balance.is_positive() {
            self.record(
                TransactionKind::Deposit,
                self.balance,
                "opening balance".into(),
            );
        }
    }
}

impl Account for AccountActor {
    async fn deposit(&mut self, amount: Money, description: String) -> Result<Money, BankError> {
        self.check_amount(amount)?;
        self.check_not_frozen()?;
        self.balance = self.credited(amount);
        self.record(TransactionKind::Deposit, amount, description);
        Ok(self.balance)
    }

    async fn withdraw(&mut self, amount: Money, description: String) -> Result<Money, BankError> {
        self.check_amount(amount)?;
        self.check_not_frozen()?;
        if amount > self.balance {
            return Err(BankError::InsufficientFunds {
                account: self.number,
                balance: self.balance,
                requested: amount,
            });
        }
        self.balance = self
            .balance
            .checked_sub(amount)
            .expect("a positive amount no greater than the balance");
        self.record(TransactionKind::Withdrawal, amount, description);
        Ok(self.balance)
    }

    async fn refund(&mut self, amount: Money, description: String) -> Result<Money, BankError> {
        self.check_amount(amount)?;
        self.balance = self.credited(amount);
        self.record(TransactionKind::Refund, amount, description);
        Ok(self.balance)
    }

    async fn info(&self) -> AccountInfo {
        AccountInfo {
            number: self.number,
            owner: self.owner.clone(),
            kind: self.kind,
            balance: self.balance,
            frozen: self.frozen,
        }
    }

    async fn history(&self, limit: Option<usize>) -> Result<Vec<Transaction>, BankError> {
        let history = self
            .history
            .as_ref()
            .expect("the ledger is created before the first message");
        // `.result()` and `?`: should the ledger be unable to answer, this account answers an
        // error instead of panicking in its turn.
        Ok(history.recent(limit).result().await?)
    }

    async fn set_frozen(&mut self, frozen: bool) {
        self.frozen = frozen;
        let state = if frozen { "frozen" } else { "thawed" };
        self.logger().info(format_args!("{} {state}", self.number));
    }
}
