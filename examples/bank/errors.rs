//! `BankError`: why the bank said no.
//!
//! A refused request is an *answer*, not a failure: every protocol method that can refuse
//! returns `Result<T, BankError>`, and the actor carries on untouched. Because `BankError`
//! converts from [`ActorError`], plain `.await` on such a method also turns a delivery failure
//! (a stopped actor, a handler that panicked) into an `Err`, so callers handle both in one place.

use std::fmt;

use domo_actors::ActorError;

use super::model::{AccountNumber, Money, TransferId};

/// Why the bank refused a request, or could not answer it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BankError {
    /// Amounts must be greater than zero (an opening balance may be zero).
    InvalidAmount(Money),
    /// The account holds less than was asked for.
    InsufficientFunds {
        /// The account.
        account: AccountNumber,
        /// What it holds.
        balance: Money,
        /// What was asked for.
        requested: Money,
    },
    /// No account has this number.
    UnknownAccount(AccountNumber),
    /// The account is frozen: it takes no deposits or withdrawals.
    AccountFrozen(AccountNumber),
    /// A transfer must go between two different accounts.
    SameAccount(AccountNumber),
    /// No transfer has this id.
    UnknownTransfer(TransferId),
    /// The request could not be understood (a mistyped amount or account number, ...).
    InvalidRequest(String),
    /// An actor on the way could not answer: it had stopped, or its handler panicked.
    Unavailable(ActorError),
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::InvalidAmount(amount) => {
                write!(f, "the amount must be positive, not {amount}")
            }
            BankError::InsufficientFunds {
                account,
                balance,
                requested,
            } => write!(
                f,
                "insufficient funds in {account}: the balance is {balance}, {requested} was requested"
            ),
            BankError::UnknownAccount(account) => write!(f, "there is no account {account}"),
            BankError::AccountFrozen(account) => write!(f, "account {account} is frozen"),
            BankError::SameAccount(account) => {
                write!(f, "cannot transfer from {account} to itself")
            }
            BankError::UnknownTransfer(id) => write!(f, "there is no transfer {id}"),
            BankError::InvalidRequest(reason) => f.write_str(reason),
            // A panic is reported by actor type and method: the address would tell a customer
            // nothing.
            BankError::Unavailable(ActorError::HandlerPanicked {
                type_name,
                method,
                cause,
                ..
            }) => write!(
                f,
                "the request could not be served: the {type_name} failed in `{method}` ({cause})"
            ),
            BankError::Unavailable(error) => write!(f, "the request could not be served: {error}"),
        }
    }
}

impl std::error::Error for BankError {}

impl From<ActorError> for BankError {
    fn from(error: ActorError) -> Self {
        BankError::Unavailable(error)
    }
}
