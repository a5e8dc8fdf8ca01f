//! `TestDeadLettersListener`: records every dead letter, for tests to inspect and wait on.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use domo_actors::{DeadLetter, DeadLettersListener, Stage};

use crate::AwaitOptions;
use crate::attempts::Attempts;

/// A [`DeadLettersListener`] that keeps every [`DeadLetter`] it hears about, in order.
///
/// Clones share one record: subscribe one clone to a stage's
/// [`DeadLetters`](domo_actors::DeadLetters) and inspect another.
/// [`subscribe_to`](Self::subscribe_to) does both; [`test_stage`](crate::test_stage) also
/// creates the stage.
///
/// The runtime records a dead letter (and calls its listeners) before it fails the message's
/// promise, so once a call to a stopped actor has failed, its dead letter is already here. Dead
/// letters recorded by other means (a message still queued when its actor stopped, for
/// instance) may arrive later: wait for them with [`await_count`](Self::await_count).
///
/// ```
/// use domo_actors::{Address, DeadLetter, DeadLetterReason, DeadLetters};
/// use domo_actors_testkit::TestDeadLettersListener;
///
/// let dead_letters = DeadLetters::new();
/// let listener = TestDeadLettersListener::new();
/// dead_letters.subscribe(listener.clone());
///
/// dead_letters.failed_delivery(DeadLetter::new(
///     Address::from_number(1),
///     "Account",
///     "deposit",
///     "deposit(100)",
///     DeadLetterReason::ActorStopped,
/// ));
/// assert_eq!(listener.count(), 1);
/// assert_eq!(listener.latest().unwrap().method(), "deposit");
/// assert!(listener.find_by_representation("(100)").is_some());
/// ```
#[derive(Clone, Debug, Default)]
pub struct TestDeadLettersListener {
    letters: Arc<Mutex<Vec<DeadLetter>>>,
}

impl TestDeadLettersListener {
    /// A listener that has recorded nothing yet (and is subscribed nowhere).
    pub fn new() -> Self {
        Self::default()
    }

    /// A new listener, subscribed to `stage`'s dead letters.
    pub fn subscribe_to(stage: &Stage) -> Self {
        let listener = Self::new();
        stage.dead_letters().subscribe(listener.clone());
        listener
    }

    /// How many dead letters have been recorded.
    pub fn count(&self) -> usize {
        self.letters().len()
    }

    /// Whether any dead letter has been recorded.
    pub fn has_dead_letters(&self) -> bool {
        !self.letters().is_empty()
    }

    /// A copy of every dead letter recorded, oldest first.
    pub fn all(&self) -> Vec<DeadLetter> {
        self.letters().clone()
    }

    /// The first dead letter recorded, if any.
    pub fn first(&self) -> Option<DeadLetter> {
        self.letters().first().cloned()
    }

    /// The latest dead letter recorded, if any.
    pub fn latest(&self) -> Option<DeadLetter> {
        self.letters().last().cloned()
    }

    /// The first dead letter whose [representation](DeadLetter::representation) (such as
    /// `deposit(100)`) contains `substring`.
    pub fn find_by_representation(&self, substring: &str) -> Option<DeadLetter> {
        self.letters()
            .iter()
            .find(|letter| letter.representation().contains(substring))
            .cloned()
    }

    /// Forgets every dead letter recorded so far; the listener keeps recording.
    pub fn clear(&self) {
        self.letters().clear();
    }

    /// Waits, with the default [`AwaitOptions`], until at least `count` dead letters have been
    /// recorded; returns all of them. See [`await_count_with`](Self::await_count_with).
    pub async fn await_count(&self, count: usize) -> Vec<DeadLetter> {
        self.await_count_with(AwaitOptions::default(), count).await
    }

    /// Waits until at least `count` dead letters have been recorded, checking every
    /// `options.interval`; returns all of them.
    ///
    /// # Panics
    ///
    /// When fewer than `count` have been recorded within `options.timeout`, with a message that
    /// gives the count and lists the dead letters recorded.
    pub async fn await_count_with(&self, options: AwaitOptions, count: usize) -> Vec<DeadLetter> {
        let attempts = Attempts::start(options);
        loop {
            let letters = self.all();
            if letters.len() >= count {
                return letters;
            }
            if !attempts.pause().await {
                panic!(
                    "expected at least {count} dead letters within {}ms, but {} were recorded: {}",
                    options.timeout.as_millis(),
                    letters.len(),
                    list(&letters)
                );
            }
        }
    }

    /// The record. A listener never panics while holding the lock, and a `Vec` is valid even if
    /// a push was interrupted, so a poisoned lock is used as is.
    fn letters(&self) -> MutexGuard<'_, Vec<DeadLetter>> {
        self.letters.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl DeadLettersListener for TestDeadLettersListener {
    fn handle(&self, dead_letter: &DeadLetter) {
        self.letters().push(dead_letter.clone());
    }
}

/// `[DeadLetter[..], DeadLetter[..]]`, one `Display` per letter.
fn list(letters: &[DeadLetter]) -> String {
    let rendered: Vec<String> = letters.iter().map(ToString::to_string).collect();
    format!("[{}]", rendered.join(", "))
}
