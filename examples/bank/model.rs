//! The bank's vocabulary: money, account numbers, accounts, transactions and transfers.
//!
//! These are plain values: they travel inside messages and answers, so each is `Clone`, `Send`
//! and owns its data.

use std::fmt;
use std::str::FromStr;

use super::errors::BankError;

/// An amount of money in cents. Whole cents, so that sums are exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

impl Money {
    /// No money.
    pub const ZERO: Money = Money(0);

    /// Whether the amount is greater than zero: the only amounts one can deposit, withdraw or
    /// transfer.
    pub const fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// The sum, or `None` if it does not fit.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// The difference, or `None` if it does not fit.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }
}

impl fmt::Display for Money {
    /// `$1,234.50`, `-$20.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let cents = self.0.unsigned_abs();
        let dollars = (cents / 100).to_string();
        let mut grouped = String::with_capacity(dollars.len() + dollars.len() / 3);
        for (i, digit) in dollars.chars().enumerate() {
            if i > 0 && (dollars.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        f.pad(&format!("{sign}${grouped}.{:02}", cents % 100))
    }
}

impl FromStr for Money {
    type Err = BankError;

    /// Parses what a person types: `250`, `19.99`, `-20`, `$1,000.50`.
    fn from_str(text: &str) -> Result<Money, BankError> {
        let invalid = || BankError::InvalidRequest(format!("not an amount of money: {text:?}"));
        let trimmed = text.trim();
        let (negative, rest) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let rest = rest.strip_prefix('$').unwrap_or(rest).replace(',', "");
        let (whole, fraction) = rest.split_once('.').unwrap_or((&rest, ""));
        let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || fraction.len() > 2 || !all_digits(fraction) {
            return Err(invalid());
        }
        let fraction_cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        let cents = whole
            .parse::<i64>()
            .ok()
            .and_then(|dollars| dollars.checked_mul(100))
            .and_then(|cents| cents.checked_add(fraction_cents))
            .ok_or_else(invalid)?;
        Ok(Money(if negative { -cents } else { cents }))
    }
}

/// An account's number: `ACC-0001`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountNumber(u32);

impl AccountNumber {
    /// The account number with this sequence number.
    pub const fn new(sequence: u32) -> AccountNumber {
        AccountNumber(sequence)
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("ACC-{:04}", self.0))
    }
}

impl FromStr for AccountNumber {
    type Err = BankError;

    /// Parses `ACC-0001` (any case).
    fn from_str(text: &str) -> Result<AccountNumber, BankError> {
        let trimmed = text.trim();
        trimmed
            .get(..4)
            .filter(|prefix| prefix.eq_ignore_ascii_case("ACC-"))
            .and_then(|_| trimmed[4..].parse().ok())
            .map(AccountNumber)
            .ok_or_else(|| BankError::InvalidRequest(format!("not an account number: {text:?}")))
    }
}

/// The kinds of account the bank offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountType {
    /// An everyday account.
    Checking,
    /// A savings account.
    Savings,
}

impl fmt::Display for AccountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            AccountType::Checking => "checking",
            AccountType::Savings => "savings",
        })
    }
}

impl FromStr for AccountType {
    type Err = BankError;

    fn from_str(text: &str) -> Result<AccountType, BankError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "checking" => Ok(AccountType::Checking),
            "savings" => Ok(AccountType::Savings),
            _ => Err(BankError::InvalidRequest(format!(
                "not an account type (checking or savings): {text:?}"
            ))),
        }
    }
}

/// What the bank tells about one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountInfo {
    /// Its number.
    pub number: AccountNumber,
    /// Whose it is.
    pub owner: String,
    /// Its kind.
    pub kind: AccountType,
    /// What is in it.
    pub balance: Money,
    /// Whether deposits and withdrawals are refused.
    pub frozen: bool,
}

/// The kinds of entry in an account's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionKind {
    /// Money in.
    Deposit,
    /// Money out.
    Withdrawal,
    /// Money given back after a transfer that could not be completed.
    Refund,
}

impl fmt::Display for TransactionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            TransactionKind::Deposit => "deposit",
            TransactionKind::Withdrawal => "withdrawal",
            TransactionKind::Refund => "refund",
        })
    }
}

/// One entry in an account's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// What kind of entry.
    pub kind: TransactionKind,
    /// How much moved.
    pub amount: Money,
    /// The balance right after it.
    pub balance_after: Money,
    /// What it was for.
    pub description: String,
}

/// A transfer's identifier: `TR-0001`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TransferId(u32);

impl TransferId {
    /// The transfer id with this sequence number.
    pub const fn new(sequence: u32) -> TransferId {
        TransferId(sequence)
    }
}

impl fmt::Display for TransferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&format!("TR-{:04}", self.0))
    }
}

/// A transfer whose money has left the source account but not yet reached the destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingTransfer {
    /// Its identifier.
    pub id: TransferId,
    /// Where the money came from.
    pub from: AccountNumber,
    /// Where it is going.
    pub to: AccountNumber,
    /// How much.
    pub amount: Money,
    /// Deposits tried so far.
    pub attempts: u32,
    /// Why the last deposit failed, if one did.
    pub last_failure: Option<String>,
}

/// How a transfer ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransferOutcome {
    /// The money reached the destination.
    Completed {
        /// The transfer.
        id: TransferId,
        /// Deposits it took.
        attempts: u32,
    },
    /// Every deposit failed: the money went back to the source.
    Refunded {
        /// The transfer.
        id: TransferId,
        /// Deposits tried.
        attempts: u32,
        /// Why the last one failed.
        reason: String,
    },
}

impl fmt::Display for TransferOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferOutcome::Completed { id, attempts } => {
                write!(
                    f,
                    "{id} completed ({} deposit attempt{})",
                    attempts,
                    plural(*attempts)
                )
            }
            TransferOutcome::Refunded {
                id,
                attempts,
                reason,
            } => write!(
                f,
                "{id} refunded to the source after {attempts} failed deposit attempt{} \
                 (last failure: {reason})",
                plural(*attempts)
            ),
        }
    }
}

fn plural(count: u32) -> &'static str {
    if count == 1 { "" } else { "s" }
}
