//! `DeadLetters`: where messages that could not be delivered are recorded and announced.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::Address;
use crate::base::logger::DEAD_LETTERS;
use crate::base::metrics;
use crate::services::recent_dead_letters::RecentDeadLetters;

/// A message that could not be delivered, and why.
///
/// The runtime creates one whenever a message is sent to a stopped actor, is still queued when its
/// actor stops, is refused or dropped by a full bounded mailbox, or is pending when the stage
/// closes. Its promise, if any, fails with the matching error as well; the dead letter is the
/// record of it that listeners can observe.
///
/// ```
/// use domo_actors::{Address, DeadLetter, DeadLetterReason};
///
/// let letter = DeadLetter::new(
///     Address::from_number(7),
///     "Account",
///     "deposit",
///     "deposit(100)",
///     DeadLetterReason::ActorStopped,
/// );
/// assert_eq!(
///     letter.to_string(),
///     "DeadLetter[to: Account at: 7 subject: deposit(100) reason: actor stopped]"
/// );
/// ```
#[derive(Clone, Debug)]
pub struct DeadLetter {
    address: Address,
    type_name: Arc<str>,
    method: &'static str,
    representation: String,
    reason: DeadLetterReason,
}

impl DeadLetter {
    /// A dead letter for the message `representation` (e.g. `deposit(100)`), sent through the
    /// protocol method `method` to the actor of type `type_name` at `address`.
    pub fn new(
        address: Address,
        type_name: impl Into<Arc<str>>,
        method: &'static str,
        representation: impl Into<String>,
        reason: DeadLetterReason,
    ) -> Self {
        Self {
            address,
            type_name: type_name.into(),
            method,
            representation: representation.into(),
            reason,
        }
    }

    /// The address of the actor the message was for (or of the
    /// [`TopicStream`](crate::TopicStream) the item was for).
    pub fn address(&self) -> Address {
        self.address
    }

    /// The type name of the actor the message was for.
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The name of the protocol method the message calls.
    pub fn method(&self) -> &'static str {
        self.method
    }

    /// The message as text: the method name and its arguments, each argument `Debug`-formatted
    /// when its type implements `Debug` and shown as `_` otherwise (DomoActors' `message()`).
    pub fn representation(&self) -> &str {
        &self.representation
    }

    /// Why the message was not delivered.
    pub fn reason(&self) -> DeadLetterReason {
        self.reason
    }
}

impl fmt::Display for DeadLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "DeadLetter[to: {} at: {} subject: {} reason: {}]",
            self.type_name, self.address, self.representation, self.reason
        )
    }
}

/// Why a message became a [`DeadLetter`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeadLetterReason {
    /// The actor had stopped: the message was sent after it stopped, or was still queued when it
    /// stopped.
    ActorStopped,
    /// The stage was closed while the message was pending.
    StageClosed,
    /// A bounded mailbox with the reject policy was full, so the incoming message was refused.
    MailboxFull,
    /// A bounded mailbox with the drop-oldest policy was full: this message, the oldest queued,
    /// made room for a newer one.
    DroppedOldest,
    /// A bounded mailbox with the drop-newest policy was full, so this incoming message was dropped.
    DroppedNewest,
    /// The tokio runtime the stage was created on had shut down, so the actor could not run.
    RuntimeShutdown,
    /// A topic's stream subscriber ([`TopicStream`](crate::TopicStream)) was dropped: the item
    /// was still in its buffer, unread, or was published to it after.
    SubscriberDropped,
}

impl DeadLetterReason {
    /// The reason as a metric label (`domo_actors_dead_letters_total`).
    pub(crate) fn metric_label(self) -> &'static str {
        match self {
            DeadLetterReason::ActorStopped => "actor_stopped",
            DeadLetterReason::StageClosed => "stage_closed",
            DeadLetterReason::MailboxFull => "mailbox_full",
            DeadLetterReason::DroppedOldest => "dropped_oldest",
            DeadLetterReason::DroppedNewest => "dropped_newest",
            DeadLetterReason::RuntimeShutdown => "runtime_shutdown",
            DeadLetterReason::SubscriberDropped => "subscriber_dropped",
        }
    }
}

impl fmt::Display for DeadLetterReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeadLetterReason::ActorStopped => "actor stopped",
            DeadLetterReason::StageClosed => "stage closed",
            DeadLetterReason::MailboxFull => "mailbox full",
            DeadLetterReason::DroppedOldest => "dropped oldest on overflow",
            DeadLetterReason::DroppedNewest => "dropped newest on overflow",
            DeadLetterReason::RuntimeShutdown => "runtime shut down",
            DeadLetterReason::SubscriberDropped => "stream subscriber dropped",
        })
    }
}

/// Something that wants to hear about every [`DeadLetter`]; subscribe it with
/// [`DeadLetters::subscribe`].
///
/// Implemented for every closure `Fn(&DeadLetter) + Send + Sync + 'static`. `handle` runs on the
/// thread that failed the delivery (often a runtime worker), so it should be quick and must not
/// block; hand heavy work to an actor or a channel. A panic in `handle` is caught and logged.
pub trait DeadLettersListener: Send + Sync + 'static {
    /// Called once for each dead letter, in the order they are recorded by one thread.
    fn handle(&self, dead_letter: &DeadLetter);
}

impl<F> DeadLettersListener for F
where
    F: Fn(&DeadLetter) + Send + Sync + 'static,
{
    fn handle(&self, dead_letter: &DeadLetter) {
        self(dead_letter)
    }
}

/// Identifies a subscription to [`DeadLetters`], for [`DeadLetters::unsubscribe`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

/// The registry of undeliverable messages: logs each [`DeadLetter`], counts them, and passes each
/// to the subscribed [`DeadLettersListener`]s.
///
/// Cloning is cheap and every clone shares the same listeners and count.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use domo_actors::{Address, DeadLetter, DeadLetterReason, DeadLetters};
///
/// let dead_letters = DeadLetters::new();
/// let seen = Arc::new(Mutex::new(Vec::new()));
/// let sink = seen.clone();
/// let id = dead_letters.subscribe(move |letter: &DeadLetter| {
///     sink.lock().unwrap().push(letter.method());
/// });
///
/// dead_letters.failed_delivery(DeadLetter::new(
///     Address::from_number(1),
///     "Counter",
///     "increment",
///     "increment()",
///     DeadLetterReason::ActorStopped,
/// ));
/// assert_eq!(*seen.lock().unwrap(), ["increment"]);
/// assert_eq!(dead_letters.count(), 1);
/// assert!(dead_letters.unsubscribe(id));
/// ```
#[derive(Clone, Default)]
pub struct DeadLetters {
    inner: Arc<Inner>,
}

pub(crate) type Subscription = (ListenerId, Arc<dyn DeadLettersListener>);

#[derive(Default)]
struct Inner {
    /// Replaced wholesale on every (un)subscribe, so delivery can iterate a snapshot without
    /// holding the lock: listeners may then (un)subscribe from inside `handle` without deadlock.
    listeners: Mutex<Arc<[Subscription]>>,
    next_id: AtomicU64,
    count: AtomicU64,
    /// The last `RECENT` dead letters, for [`DeadLetters::recent`].
    recent: RecentDeadLetters,
}

impl DeadLetters {
    /// How many dead letters [`recent`](Self::recent) keeps.
    pub const RECENT: usize = 64;

    /// An empty registry: no listeners, nothing recorded.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `listener`; it will be called for every dead letter recorded from now on, after the
    /// listeners subscribed before it. Subscribing the same listener twice calls it twice.
    pub fn subscribe(&self, listener: impl DeadLettersListener) -> ListenerId {
        let id = ListenerId(self.inner.next_id.fetch_add(1, Ordering::Relaxed));
        let listener: Arc<dyn DeadLettersListener> = Arc::new(listener);
        let mut listeners = self.lock_listeners();
        let updated: Arc<[Subscription]> = listeners
            .iter()
            .cloned()
            .chain(std::iter::once((id, listener)))
            .collect();
        *listeners = updated;
        id
    }

    /// Removes the listener subscribed as `id`; `false` if there is none (already removed).
    ///
    /// A delivery already under way on another thread may still call it once.
    pub fn unsubscribe(&self, id: ListenerId) -> bool {
        let mut listeners = self.lock_listeners();
        if !listeners.iter().any(|(existing, _)| *existing == id) {
            return false;
        }
        let updated: Arc<[Subscription]> = listeners
            .iter()
            .filter(|(existing, _)| *existing != id)
            .cloned()
            .collect();
        // The old list may hold the last reference to the listener: drop it after unlocking, in
        // case the listener's destructor touches this registry.
        let _removed = std::mem::replace(&mut *listeners, updated);
        drop(listeners);
        true
    }

    /// Removes every listener (the stage closed): they may hold actors, which hold the stage.
    /// Returns them, to be dropped by the caller outside any lock.
    pub(crate) fn unsubscribe_all(&self) -> Arc<[Subscription]> {
        std::mem::replace(&mut *self.lock_listeners(), Arc::new([]))
    }

    /// Records `dead_letter`: logs it at warn level, counts it, then calls every listener in
    /// subscription order.
    ///
    /// A panicking listener is logged at error level and the remaining listeners still run.
    /// Listeners subscribed while this call is under way first hear about the next dead letter.
    pub fn failed_delivery(&self, dead_letter: DeadLetter) {
        tracing::warn!(
            target: DEAD_LETTERS,
            address = %dead_letter.address,
            r#type = %dead_letter.type_name,
            method = dead_letter.method,
            call = dead_letter.representation(),
            reason = %dead_letter.reason,
            "dead letter"
        );
        self.inner.count.fetch_add(1, Ordering::Relaxed);
        metrics::dead_letter(&dead_letter.type_name, dead_letter.reason.metric_label());

        let snapshot = Arc::clone(&self.lock_listeners());
        for (id, listener) in snapshot.iter() {
            let outcome = catch_unwind(AssertUnwindSafe(|| listener.handle(&dead_letter)));
            if let Err(payload) = outcome {
                let cause = crate::base::error::panic_message(payload.as_ref());
                crate::base::panic_site::panic_event!(
                    &cause, { listener = id.0, } "a dead-letters listener panicked"
                );
            }
        }
        self.inner.recent.record(dead_letter, Self::RECENT);
    }

    /// The last [`RECENT`](Self::RECENT) dead letters recorded (fewer if there were fewer),
    /// oldest first: what [`Stage::introspect`](crate::Stage::introspect) shows. Each is kept
    /// once its listeners have run. Kept always, whether anyone asks or not (dead letters are
    /// the rare path, and keeping one is a move into a ring).
    ///
    /// ```
    /// use domo_actors::{Address, DeadLetter, DeadLetterReason, DeadLetters};
    ///
    /// let dead_letters = DeadLetters::new();
    /// for n in 0..100 {
    ///     dead_letters.failed_delivery(DeadLetter::new(
    ///         Address::from_number(n),
    ///         "Counter",
    ///         "increment",
    ///         "increment()",
    ///         DeadLetterReason::ActorStopped,
    ///     ));
    /// }
    /// let recent = dead_letters.recent();
    /// assert_eq!(recent.len(), DeadLetters::RECENT);
    /// assert_eq!(recent.last().unwrap().address(), Address::from_number(99));
    /// assert_eq!(dead_letters.count(), 100);
    /// ```
    pub fn recent(&self) -> Vec<DeadLetter> {
        self.inner.recent.to_vec()
    }

    /// How many dead letters have been recorded, in total, by this registry and its clones.
    pub fn count(&self) -> u64 {
        self.inner.count.load(Ordering::Relaxed)
    }

    /// The listener list. No code that can panic runs under this lock, but a poisoned lock is
    /// still a valid list, so poisoning is ignored rather than propagated.
    fn lock_listeners(&self) -> std::sync::MutexGuard<'_, Arc<[Subscription]>> {
        self.inner
            .listeners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for DeadLetters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeadLetters")
            .field("count", &self.count())
            .field("listeners", &self.lock_listeners().len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::{DeadLetter, DeadLetterReason, DeadLetters, ListenerId};
    use crate::Address;

    fn letter(method: &'static str) -> DeadLetter {
        DeadLetter::new(
            Address::from_number(3),
            "Account",
            method,
            format!("{method}(1)"),
            DeadLetterReason::MailboxFull,
        )
    }

    type Log = Arc<Mutex<Vec<String>>>;

    fn recorder(log: &Log, name: &'static str) -> impl Fn(&DeadLetter) + Send + Sync + 'static {
        let log = log.clone();
        move |letter: &DeadLetter| {
            log.lock()
                .unwrap()
                .push(format!("{name}:{}", letter.method()))
        }
    }

    #[test]
    fn accessors_and_display() {
        let letter = letter("deposit");
        assert_eq!(letter.address(), Address::from_number(3));
        assert_eq!(letter.type_name(), "Account");
        assert_eq!(letter.method(), "deposit");
        assert_eq!(letter.representation(), "deposit(1)");
        assert_eq!(letter.reason(), DeadLetterReason::MailboxFull);
        assert_eq!(
            letter.to_string(),
            "DeadLetter[to: Account at: 3 subject: deposit(1) reason: mailbox full]"
        );
        assert_eq!(
            DeadLetterReason::DroppedOldest.to_string(),
            "dropped oldest on overflow"
        );
    }

    #[test]
    fn listeners_run_in_subscription_order_and_count() {
        let dead_letters = DeadLetters::new();
        let log = Log::default();
        dead_letters.subscribe(recorder(&log, "a"));
        dead_letters.subscribe(recorder(&log, "b"));
        dead_letters.subscribe(recorder(&log, "c"));
        dead_letters.failed_delivery(letter("x"));
        dead_letters.clone().failed_delivery(letter("y"));
        assert_eq!(
            *log.lock().unwrap(),
            ["a:x", "b:x", "c:x", "a:y", "b:y", "c:y"]
        );
        assert_eq!(dead_letters.count(), 2);
    }

    #[test]
    fn panicking_listener_does_not_stop_the_others() {
        let dead_letters = DeadLetters::new();
        let log = Log::default();
        dead_letters.subscribe(recorder(&log, "before"));
        dead_letters.subscribe(|_: &DeadLetter| panic!("listener failure"));
        dead_letters.subscribe(recorder(&log, "after"));
        dead_letters.failed_delivery(letter("x"));
        dead_letters.failed_delivery(letter("y"));
        assert_eq!(
            *log.lock().unwrap(),
            ["before:x", "after:x", "before:y", "after:y"]
        );
        assert_eq!(dead_letters.count(), 2);
    }

    #[test]
    fn unsubscribe_removes_only_that_listener() {
        let dead_letters = DeadLetters::new();
        let log = Log::default();
        let a = dead_letters.subscribe(recorder(&log, "a"));
        dead_letters.subscribe(recorder(&log, "b"));
        assert!(dead_letters.unsubscribe(a));
        assert!(!dead_letters.unsubscribe(a));
        assert!(!dead_letters.unsubscribe(ListenerId(999)));
        dead_letters.failed_delivery(letter("x"));
        assert_eq!(*log.lock().unwrap(), ["b:x"]);
    }

    #[test]
    fn listener_may_subscribe_and_unsubscribe_from_inside_handle() {
        let dead_letters = DeadLetters::new();
        let log = Log::default();
        let own_id: Arc<Mutex<Option<ListenerId>>> = Arc::default();

        let registry = dead_letters.clone();
        let (inner_log, own) = (log.clone(), own_id.clone());
        let id = dead_letters.subscribe(move |letter: &DeadLetter| {
            inner_log
                .lock()
                .unwrap()
                .push(format!("once:{}", letter.method()));
            // Re-entrant calls on the same registry: must neither deadlock nor affect this round.
            registry.subscribe(recorder(&inner_log, "late"));
            let me = own.lock().unwrap().take().expect("called once");
            assert!(registry.unsubscribe(me));
        });
        *own_id.lock().unwrap() = Some(id);

        dead_letters.failed_delivery(letter("x"));
        dead_letters.failed_delivery(letter("y"));
        assert_eq!(*log.lock().unwrap(), ["once:x", "late:y"]);
    }

    #[test]
    fn clones_share_state_and_debug_shows_it() {
        let dead_letters = DeadLetters::new();
        let clone = dead_letters.clone();
        clone.subscribe(|_: &DeadLetter| {});
        clone.failed_delivery(letter("x"));
        assert_eq!(dead_letters.count(), 1);
        assert_eq!(
            format!("{dead_letters:?}"),
            "DeadLetters { count: 1, listeners: 1 }"
        );
    }
}
