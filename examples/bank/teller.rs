//! `Teller`: the bank's front desk. It takes requests as a person types them (text), turns them
//! into the bank's types, and calls the Bank.

use domo_actors::{Actor, actor_protocol};

use super::bank::BankProxy;
use super::errors::BankError;
use super::model::{
    AccountInfo, AccountNumber, AccountType, Money, PendingTransfer, Transaction, TransferId,
};
use super::transfer_coordinator::Settlement;

/// The requests a customer can make. Amounts and account numbers are text, as typed; a request
/// that cannot be understood is answered with [`BankError::InvalidRequest`].
#[actor_protocol]
pub trait Teller {
    /// Opens an account of `account_type` (checking or savings) for `owner`.
    async fn open_account(
        &mut self,
        owner: String,
        account_type: String,
        opening_balance: String,
    ) -> Result<AccountNumber, BankError>;
    /// Deposits `amount` to `account`; answers the new balance.
    async fn deposit(&mut self, account: String, amount: String) -> Result<Money, BankError>;
    /// Withdraws `amount` from `account`; answers the new balance.
    async fn withdraw(&mut self, account: String, amount: String) -> Result<Money, BankError>;
    /// Moves `amount` from one account to another; answers the transfer's id.
    async fn transfer(
        &mut self,
        from: String,
        to: String,
        amount: String,
    ) -> Result<TransferId, BankError>;
    /// The account's balance.
    async fn balance(&mut self, account: String) -> Result<Money, BankError>;
    /// The account's details and balance.
    async fn account_summary(&mut self, account: String) -> Result<AccountInfo, BankError>;
    /// The account's most recent transactions, newest first (at most `limit`).
    async fn transaction_history(
        &mut self,
        account: String,
        limit: Option<usize>,
    ) -> Result<Vec<Transaction>, BankError>;
    /// Every account.
    async fn all_accounts(&mut self) -> Result<Vec<AccountInfo>, BankError>;
    /// The transfers not yet settled.
    async fn pending_transfers(&mut self) -> Result<Vec<PendingTransfer>, BankError>;
    /// The promise of a transfer's outcome.
    async fn settlement(&mut self, transfer: TransferId) -> Result<Settlement, BankError>;
    /// Freezes an account (`frozen = true`) or thaws it.
    async fn freeze(&mut self, account: String, frozen: bool) -> Result<(), BankError>;
}

/// The teller holds the Bank's proxy, given at creation.
pub struct TellerActor {
    bank: BankProxy,
}

impl TellerActor {
    /// A teller serving `bank`.
    pub fn new(bank: BankProxy) -> Self {
        Self { bank }
    }

    /// Names the request on the Bank's execution context before the call: the values travel
    /// with the next message to the Bank, and from the Bank to the accounts and the transfer
    /// coordinator it collaborates with. A supervisor reads them to explain a failure.
    ///
    /// `reset` clears the previous request's values and keeps the Bank's collaborators. (Setting
    /// them on the Bank's proxy is the direct way; listing the Bank among the Teller's own
    /// collaborators would carry them too, since propagation keeps a collaborator's own list.)
    fn announce(&self, command: &str, request: String) {
        self.bank.with_execution_context(|context| {
            context
                .reset()
                .set_value("command", command.to_owned())
                .set_value("request", request);
        });
    }
}

impl Actor for TellerActor {}

impl Teller for TellerActor {
    async fn open_account(
        &mut self,
        owner: String,
        account_type: String,
        opening_balance: String,
    ) -> Result<AccountNumber, BankError> {
        self.announce(
            "OpenAccount",
            format!("open a {account_type} account for {owner} with {opening_balance}"),
        );
        let kind: AccountType = account_type.parse()?;
        let opening_balance: Money = opening_balance.parse()?;
        self.bank.open_account(owner, kind, opening_balance).await
    }

    async fn deposit(&mut self, account: String, amount: String) -> Result<Money, BankError> {
        self.announce("Deposit", format!("deposit {amount} to {account}"));
        let (account, amount) = (account.parse()?, amount.parse()?);
        self.bank.deposit(account, amount).await
    }

    async fn withdraw(&mut self, account: String, amount: String) -> Result<Money, BankError> {
        self.announce("Withdraw", format!("withdraw {amount} from {account}"));
        let (account, amount) = (account.parse()?, amount.parse()?);
        self.bank.withdraw(account, amount).await
    }

    async fn transfer(
        &mut self,
        from: String,
        to: String,
        amount: String,
    ) -> Result<TransferId, BankError> {
        self.announce("Transfer", format!("transfer {amount} from {from} to {to}"));
        let (from, to, amount) = (from.parse()?, to.parse()?, amount.parse()?);
        self.bank.transfer(from, to, amount).await
    }

    async fn balance(&mut self, account: String) -> Result<Money, BankError> {
        self.announce("Balance", format!("balance of {account}"));
        self.bank.balance(account.parse()?).await
    }

    async fn account_summary(&mut self, account: String) -> Result<AccountInfo, BankError> {
        self.announce("AccountSummary", format!("summary of {account}"));
        self.bank.account_summary(account.parse()?).await
    }

    async fn transaction_history(
        &mut self,
        account: String,
        limit: Option<usize>,
    ) -> Result<Vec<Transaction>, BankError> {
        let shown = limit.map_or("all".to_owned(), |limit| format!("last {limit}"));
        self.announce(
            "TransactionHistory",
            format!("{shown} transactions of {account}"),
        );
        self.bank.transaction_history(account.parse()?, limit).await
    }

    async fn all_accounts(&mut self) -> Result<Vec<AccountInfo>, BankError> {
        self.announce("AllAccounts", "all accounts".into());
        self.bank.all_accounts().await
    }

    async fn pending_transfers(&mut self) -> Result<Vec<PendingTransfer>, BankError> {
        self.announce("PendingTransfers", "pending transfers".into());
        self.bank.pending_transfers().await
    }

    async fn settlement(&mut self, transfer: TransferId) -> Result<Settlement, BankError> {
        self.announce("Settlement", format!("outcome of {transfer}"));
        self.bank.settlement(transfer).await
    }

    async fn freeze(&mut self, account: String, frozen: bool) -> Result<(), BankError> {
        let action = if frozen { "Freeze" } else { "Thaw" };
        self.announce(action, format!("{} {account}", action.to_lowercase()));
        self.bank.set_frozen(account.parse()?, frozen).await
    }
}
