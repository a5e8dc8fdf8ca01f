//! `Bank`: opens accounts (as its children), routes requests to them, and hands transfers to
//! its TransferCoordinator child.

use std::collections::BTreeMap;

use domo_actors::{Actor, ActorRef, Definition, actor_protocol};

use super::account::{AccountActor, AccountProxy};
use super::errors::BankError;
use super::model::{
    AccountInfo, AccountNumber, AccountType, Money, PendingTransfer, Transaction, TransferId,
};
use super::supervisors::{ACCOUNT_SUPERVISOR, TRANSFER_SUPERVISOR};
use super::transfer_coordinator::{
    RetryPolicy, Settlement, TransferCoordinatorActor, TransferCoordinatorProxy,
};

/// The bank's services. A refused request is answered with `Err`.
#[actor_protocol]
pub trait Bank {
    /// Opens an account; answers its number.
    async fn open_account(
        &mut self,
        owner: String,
        kind: AccountType,
        opening_balance: Money,
    ) -> Result<AccountNumber, BankError>;
    /// Deposits `amount`; answers the new balance.
    async fn deposit(&mut self, account: AccountNumber, amount: Money) -> Result<Money, BankError>;
    /// Withdraws `amount`; answers the new balance.
    async fn withdraw(&mut self, account: AccountNumber, amount: Money)
    -> Result<Money, BankError>;
    /// The account's balance.
    async fn balance(&mut self, account: AccountNumber) -> Result<Money, BankError>;
    /// The account's details and balance.
    async fn account_summary(&mut self, account: AccountNumber) -> Result<AccountInfo, BankError>;
    /// Every account, in number order.
    async fn all_accounts(&mut self) -> Result<Vec<AccountInfo>, BankError>;
    /// The account's most recent transactions, newest first (at most `limit`).
    async fn transaction_history(
        &mut self,
        account: AccountNumber,
        limit: Option<usize>,
    ) -> Result<Vec<Transaction>, BankError>;
    /// Starts moving `amount` from one account to another; answers the transfer's id.
    async fn transfer(
        &mut self,
        from: AccountNumber,
        to: AccountNumber,
        amount: Money,
    ) -> Result<TransferId, BankError>;
    /// The transfers not yet settled.
    async fn pending_transfers(&mut self) -> Result<Vec<PendingTransfer>, BankError>;
    /// The promise of a transfer's outcome.
    async fn settlement(&mut self, transfer: TransferId) -> Result<Settlement, BankError>;
    /// Freezes an account, or thaws it.
    async fn set_frozen(&mut self, account: AccountNumber, frozen: bool) -> Result<(), BankError>;
}

/// The bank's state: its accounts, and its transfer coordinator (created in `before_start`).
pub struct BankActor {
    retry: RetryPolicy,
    accounts: BTreeMap<AccountNumber, AccountProxy>,
    coordinator: Option<TransferCoordinatorProxy>,
}

impl BankActor {
    /// A bank without accounts, whose transfers retry failed deposits as `retry` says.
    pub fn new(retry: RetryPolicy) -> Self {
        Self {
            retry,
            accounts: BTreeMap::new(),
            coordinator: None,
        }
    }

    fn account(&self, number: AccountNumber) -> Result<&AccountProxy, BankError> {
        self.accounts
            .get(&number)
            .ok_or(BankError::UnknownAccount(number))
    }

    fn coordinator(&self) -> &TransferCoordinatorProxy {
        self.coordinator
            .as_ref()
            .expect("created in before_start, before any message")
    }

    /// Adds `actor` to the collaborators of this bank's execution context: from the next
    /// message on, the values each request carries (its command, its description) are passed
    /// on to it, so that its supervisor can tell which request it was serving if it fails.
    fn collaborate_with(&self, actor: ActorRef) {
        self.self_as::<BankProxy>()
            .with_execution_context(|context| {
                context.collaborators([actor]);
            });
    }
}

impl Actor for BankActor {
    async fn before_start(&mut self) {
        let retry = self.retry;
        let coordinator: TransferCoordinatorProxy = self
            .child_actor_for(
                Definition::new(move || TransferCoordinatorActor::new(retry))
                    .with_supervisor(TRANSFER_SUPERVISOR),
            )
            .expect("a bank that is starting can create children");
        self.collaborate_with(coordinator.actor_ref());
        self.logger()
            .info("Bank initialized with its TransferCoordinator");
        self.coordinator = Some(coordinator);
    }
}

impl Bank for BankActor {
    async fn open_account(
        &mut self,
        owner: String,
        kind: AccountType,
        opening_balance: Money,
    ) -> Result<AccountNumber, BankError> {
        let owner = owner.trim().to_owned();
        if owner.is_empty() {
            return Err(BankError::InvalidRequest(
                "an account needs an owner".into(),
            ));
        }
        if opening_balance < Money::ZERO {
            return Err(BankError::InvalidAmount(opening_balance));
        }
        let number = AccountNumber::new(self.accounts.len() as u32 + 1);
        let name = owner.clone();
        let account: AccountProxy = self.child_actor_for(
            Definition::new(move || AccountActor::new(number, name.clone(), kind, opening_balance))
                .with_supervisor(ACCOUNT_SUPERVISOR),
        )?;
        self.collaborate_with(account.actor_ref());
        self.coordinator()
            .register_account(number, account.clone())
            .result()
            .await?;
        self.accounts.insert(number, account);
        self.logger().info(format_args!(
            "opened {number} ({kind}) for {owner} with {opening_balance}"
        ));
        Ok(number)
    }

    async fn deposit(&mut self, account: AccountNumber, amount: Money) -> Result<Money, BankError> {
        self.account(account)?
            .deposit(amount, "cash deposit".into())
            .await
    }

    async fn withdraw(
        &mut self,
        account: AccountNumber,
        amount: Money,
    ) -> Result<Money, BankError> {
        self.account(account)?
            .withdraw(amount, "cash withdrawal".into())
            .await
    }

    async fn balance(&mut self, account: AccountNumber) -> Result<Money, BankError> {
        Ok(self.account(account)?.info().result().await?.balance)
    }

    async fn account_summary(&mut self, account: AccountNumber) -> Result<AccountInfo, BankError> {
        Ok(self.account(account)?.info().result().await?)
    }

    async fn all_accounts(&mut self) -> Result<Vec<AccountInfo>, BankError> {
        // Ask every account at once, then collect the answers in number order.
        let asked: Vec<_> = self
            .accounts
            .values()
            .map(|account| account.info())
            .collect();
        let mut infos = Vec::with_capacity(asked.len());
        for answer in asked {
            infos.push(answer.result().await?);
        }
        Ok(infos)
    }

    async fn transaction_history(
        &mut self,
        account: AccountNumber,
        limit: Option<usize>,
    ) -> Result<Vec<Transaction>, BankError> {
        self.account(account)?.history(limit).await
    }

    async fn transfer(
        &mut self,
        from: AccountNumber,
        to: AccountNumber,
        amount: Money,
    ) -> Result<TransferId, BankError> {
        self.coordinator().initiate_transfer(from, to, amount).await
    }

    async fn pending_transfers(&mut self) -> Result<Vec<PendingTransfer>, BankError> {
        Ok(self.coordinator().pending_transfers().result().await?)
    }

    async fn settlement(&mut self, transfer: TransferId) -> Result<Settlement, BankError> {
        self.coordinator().settlement(transfer).await
    }

    async fn set_frozen(&mut self, account: AccountNumber, frozen: bool) -> Result<(), BankError> {
        Ok(self.account(account)?.set_frozen(frozen).result().await?)
    }
}
