//! `TransactionHistory`: the ledger of one account, kept by a child actor of that account.
//!
//! Keeping the ledger in its own actor lets the account record an entry with a *tell* and move
//! on; the ledger catches up in order, since messages from one sender arrive in the order sent.

use domo_actors::{Actor, actor_protocol};

use super::model::Transaction;

/// An account's ledger.
#[actor_protocol]
pub trait TransactionHistory {
    /// Appends an entry.
    async fn record(&mut self, transaction: Transaction);
    /// The most recent entries, newest first: all of them, or at most `limit`.
    async fn recent(&self, limit: Option<usize>) -> Vec<Transaction>;
}

/// The ledger itself: entries oldest first.
#[derive(Actor, Default)]
pub struct TransactionHistoryActor {
    entries: Vec<Transaction>,
}

impl TransactionHistory for TransactionHistoryActor {
    async fn record(&mut self, transaction: Transaction) {
        self.entries.push(transaction);
    }

    async fn recent(&self, limit: Option<usize>) -> Vec<Transaction> {
        let limit = limit.unwrap_or(self.entries.len());
        self.entries.iter().rev().take(limit).cloned().collect()
    }
}
