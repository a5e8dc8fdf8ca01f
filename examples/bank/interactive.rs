//! `--interactive`: the same branch, with requests typed at the keyboard.

use std::io::{BufRead, Write};

use super::branch::Branch;
use super::errors::BankError;
use super::model::{AccountInfo, PendingTransfer, Transaction};

const HELP: &str = "\
requests:
  open OWNER checking|savings AMOUNT     e.g. open Ada Lovelace checking 100
  deposit ACCOUNT AMOUNT                 e.g. deposit ACC-0001 25.50
  withdraw ACCOUNT AMOUNT
  transfer FROM TO AMOUNT
  balance ACCOUNT
  summary ACCOUNT
  history ACCOUNT [LIMIT]
  accounts
  pending
  freeze ACCOUNT | thaw ACCOUNT
  help | quit";

/// Reads requests from standard input until `quit` or the end of input, and answers each.
pub async fn serve(branch: &Branch) {
    println!("Bank branch open. Type `help` for the requests, `quit` to leave.");
    while let Some(line) = read_line().await {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [] => {}
            ["quit" | "exit"] => break,
            ["help"] => println!("{HELP}"),
            _ => answer(branch, &words).await,
        }
    }
    println!("Branch closed.");
}

/// One request, sent through the Teller, and its answer.
async fn answer(branch: &Branch, words: &[&str]) {
    let teller = &branch.teller;
    let owned = |word: &&str| word.to_string();
    match words {
        ["open", owner @ .., kind, amount] if !owner.is_empty() => {
            let answer = teller
                .open_account(owner.join(" "), owned(kind), owned(amount))
                .await;
            reply(&answer, |number| format!("opened {number}"));
        }
        ["deposit", account, amount] => {
            let answer = teller.deposit(owned(account), owned(amount)).await;
            reply(&answer, |balance| format!("balance {balance}"));
        }
        ["withdraw", account, amount] => {
            let answer = teller.withdraw(owned(account), owned(amount)).await;
            reply(&answer, |balance| format!("balance {balance}"));
        }
        ["transfer", from, to, amount] => {
            let answer = teller.transfer(owned(from), owned(to), owned(amount)).await;
            reply(&answer, |id| format!("accepted as {id} (see `pending`)"));
        }
        ["balance", account] => {
            let answer = teller.balance(owned(account)).await;
            reply(&answer, ToString::to_string);
        }
        ["summary", account] => {
            let answer = teller.account_summary(owned(account)).await;
            reply(&answer, summary);
        }
        ["history", account, limit @ ..] if limit.len() <= 1 => {
            let limit = match limit.first().map(|limit| limit.parse::<usize>()) {
                None => None,
                Some(Ok(limit)) => Some(limit),
                Some(Err(_)) => {
                    println!("  ✗ the limit must be a whole number");
                    return;
                }
            };
            let answer = teller.transaction_history(owned(account), limit).await;
            reply(&answer, |history| entries(history));
        }
        ["accounts"] => {
            let answer = teller.all_accounts().await;
            reply(&answer, |accounts| {
                accounts
                    .iter()
                    .map(summary)
                    .collect::<Vec<_>>()
                    .join("\n  ")
            });
        }
        ["pending"] => {
            let answer = teller.pending_transfers().await;
            reply(&answer, |pending| transfers(pending));
        }
        [verb @ ("freeze" | "thaw"), account] => {
            let answer = teller.freeze(owned(account), *verb == "freeze").await;
            reply(&answer, |()| "done".into());
        }
        _ => println!("  not a request I know; type `help`"),
    }
}

/// Prints an answer: the value as `shown`, or the refusal.
fn reply<T>(answer: &Result<T, BankError>, shown: impl FnOnce(&T) -> String) {
    match answer {
        Ok(value) => println!("  {}", shown(value)),
        Err(error) => println!("  ✗ {error}"),
    }
}

/// The next line of standard input, or `None` at its end. Reading blocks, so it happens on
/// tokio's blocking pool, away from the threads the actors run on.
async fn read_line() -> Option<String> {
    print!("> ");
    let _ = std::io::stdout().flush();
    tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    })
    .await
    .ok()
    .flatten()
}

fn summary(info: &AccountInfo) -> String {
    let status = if info.frozen { ", frozen" } else { "" };
    format!(
        "{}: {} ({}), balance {}{status}",
        info.number, info.owner, info.kind, info.balance
    )
}

fn entries(history: &[Transaction]) -> String {
    if history.is_empty() {
        return "no transactions".into();
    }
    history
        .iter()
        .map(|entry| {
            format!(
                "{} {} (balance {}): {}",
                entry.kind, entry.amount, entry.balance_after, entry.description
            )
        })
        .collect::<Vec<_>>()
        .join("\n  ")
}

fn transfers(pending: &[PendingTransfer]) -> String {
    if pending.is_empty() {
        return "no pending transfers".into();
    }
    pending
        .iter()
        .map(|transfer| {
            format!(
                "{}: {} from {} to {}, {} attempt(s)",
                transfer.id, transfer.amount, transfer.from, transfer.to, transfer.attempts
            )
        })
        .collect::<Vec<_>>()
        .join("\n  ")
}
