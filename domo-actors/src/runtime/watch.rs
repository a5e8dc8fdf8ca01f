//! Watching an actor's end: an actor ([`Environment::watch`]) or a future
//! ([`ActorRef::terminated`]) is told once when an actor has stopped, and why
//! ([`TerminationReason`]).
//!
//! A watch is kept in the ties of both actors (`actor_cell::Ties`, allocated by the first tie, so
//! an actor nobody watches holds nothing for watches): the watched actor keeps how to tell each
//! watcher, by registration number; the watching actor keeps the number and a weak reference to
//! each actor it watches, so that when it stops first its registrations are taken out of theirs
//! (a watcher that stops first is forgotten). When the watched actor stops, the last step of its
//! stop (`ActorCore::finish_stopping`, after `after_stop` and its children, or a forced close)
//! takes its ties once and tells every watcher. Each step locks one actor's ties at a time.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use tokio::sync::oneshot;

use crate::contained::call_contained;
use crate::runtime::actor_cell::ActorCore;
use crate::runtime::actor_ref::WeakActorRef;
use crate::{ActorRef, Address, Environment, Protocol};

/// Why an actor stopped: what its watchers are told ([`Environment::watch`],
/// [`ActorRef::terminated`]).
///
/// ```
/// use domo_actors::{Definition, Stage, TerminationReason};
/// # use domo_actors::{actor_protocol, Actor};
/// # #[actor_protocol]
/// # pub trait Idle {}
/// # #[derive(Actor)]
/// # struct IdleActor;
/// # impl Idle for IdleActor {}
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let idle: IdleProxy = stage.actor_for(Definition::new(|| IdleActor)).unwrap();
/// let ended = idle.actor_ref().terminated();
/// idle.stop().await;
/// assert_eq!(ended.await, TerminationReason::Stopped);
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TerminationReason {
    /// It was asked to stop: [`ActorRef::stop`] or a proxy's `stop` (also when
    /// [`stop_within`](ActorRef::stop_within) gave up and closed it),
    /// [`Actor::stop`](crate::Actor::stop) in its own handler, or its parent stopping.
    Stopped,
    /// It failed and was stopped for it: a handler or a start hook panicked (or its instance
    /// could not be built) and its supervisor stopped it (a
    /// [`Stop`](crate::SupervisionDirective::Stop) directive, for its own failure or, under
    /// [`SupervisionScope::All`](crate::SupervisionScope::All), a sibling's; or more restarts
    /// than its strategy allows), or its task ended outside any handler (see the
    /// [failures guide](crate::guide::failures)).
    Failed,
    /// Its stage closed ([`Stage::close`](crate::Stage::close), or the last handle of the stage
    /// dropped): every actor still running stops for this reason.
    StageClosed,
}

impl TerminationReason {
    /// The reason as a metric label (`domo_actors_stops_total`).
    pub(crate) fn metric_label(self) -> &'static str {
        match self {
            TerminationReason::Stopped => "stopped",
            TerminationReason::Failed => "failed",
            TerminationReason::StageClosed => "stage_closed",
        }
    }
}

impl fmt::Display for TerminationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TerminationReason::Stopped => "stopped",
            TerminationReason::Failed => "failed and stopped",
            TerminationReason::StageClosed => "stage closed",
        })
    }
}

/// How one watcher is told.
enum Tell {
    /// An actor: `tell` sends it a message (see [`Environment::watch`]).
    Actor {
        watcher: WeakActorRef,
        tell: Box<dyn FnOnce(Address, TerminationReason) + Send>,
    },
    /// A [`Terminated`] future.
    Future(oneshot::Sender<TerminationReason>),
}

/// The watches of one actor, kept in its ties: who watches it, and whom it watches.
#[derive(Default)]
pub(crate) struct Watches {
    /// How to tell each watcher, by registration number (so in the order they watched).
    watchers: BTreeMap<u64, Tell>,
    /// The actors this one watches (by [`key`]), each with this actor's registration number
    /// in theirs.
    watching: HashMap<usize, (u64, WeakActorRef)>,
}

/// An actor's key among those another watches: where its core is. No other actor can have it
/// while the watching actor keeps the entry, whose weak reference keeps the memory.
fn key(core: &ActorCore) -> usize {
    std::ptr::from_ref(core) as usize
}

impl Watches {
    /// Notes that this actor watches `watched` under registration `number`; answers the
    /// number it watched it under before, if it did.
    fn start_watching(&mut self, watched: &ActorRef, number: u64) -> Option<u64> {
        let entry = (number, watched.downgrade());
        let previous = self.watching.insert(key(watched.core()), entry);
        previous.map(|(previous, _)| previous)
    }

    /// Takes out the entry for `watched`: the registration number.
    fn stop_watching(&mut self, watched: &ActorCore) -> Option<u64> {
        self.watching
            .remove(&key(watched))
            .map(|(number, _)| number)
    }

    /// Takes out the entry for `watched` if it is registration `number` (not one that replaced
    /// it meanwhile).
    fn forget_watching(&mut self, watched: &ActorCore, number: u64) -> Option<(u64, WeakActorRef)> {
        let key = key(watched);
        if self.watching.get(&key)?.0 != number {
            return None;
        }
        self.watching.remove(&key)
    }

    /// How many registrations this actor holds: its watchers (actors and futures) and the
    /// actors it watches. Only for tests (see `ActorRef::watch_count`).
    fn len(&self) -> (usize, usize) {
        (self.watchers.len(), self.watching.len())
    }
}

/// A fresh registration number: unique in the process, so an actor's list of what it watches
/// can name each registration by its number alone.
fn next_number() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The last step of an actor's stop (`ActorCore::finish_stopping`, once): forgets what it
/// watched, and tells its watchers, in the order they watched.
pub(crate) fn settle(core: &ActorCore, reason: TerminationReason, watches: Watches) {
    let Watches { watchers, watching } = watches;
    for (number, watched) in watching.into_values() {
        if let Some(watched) = watched.upgrade() {
            // Dropped outside the lock: it holds the watcher's proxy.
            drop(
                watched
                    .core()
                    .untie(|ties| ties.watches.watchers.remove(&number)),
            );
        }
    }
    for (number, tell) in watchers {
        tell.tell(core, number, reason);
    }
}

impl Tell {
    /// Tells the watcher registered under `number` that the actor whose core is `watched`
    /// stopped for `reason`.
    fn tell(self, watched: &ActorCore, number: u64, reason: TerminationReason) {
        let who = watched.address;
        match self {
            Tell::Future(sender) => {
                // Dropped unawaited: nobody waits.
                let _ = sender.send(reason);
            }
            Tell::Actor { watcher, tell } => {
                let Some(watcher) = watcher.upgrade() else {
                    return;
                };
                drop(
                    watcher
                        .core()
                        .untie(|ties| ties.watches.forget_watching(watched, number)),
                );
                // A watcher that is stopping itself (a parent watching the child its stop is
                // stopping) would only get a dead letter.
                if watcher.is_stopped() {
                    return;
                }
                if let Err(cause) = call_contained(|| tell(who, reason)) {
                    crate::base::panic_site::panic_event!(in watcher.core().logger, &cause, {
                        actor = %watcher.type_name(),
                        address = %watcher.address(),
                        stopped = %who,
                    } "telling a watcher that an actor stopped panicked");
                }
            }
        }
    }
}

impl Environment {
    /// Watches `actor`: once it has stopped, `tell` runs once, with a proxy onto this actor
    /// (of its protocol `P`), the stopped actor's address and why it stopped
    /// ([`TerminationReason`]). `tell` is meant to send this actor a message of its own
    /// protocol, so that it learns of the end in order with its other messages, in a handler
    /// like any other (`|me: &MonitorProxy, who, reason| { me.ended(who, reason); }`).
    ///
    /// * An actor that has already stopped is told of at once.
    /// * An actor is told once: watching the same actor again replaces `tell`.
    /// * A watcher that stops first is forgotten: the watched actor lets go of `tell` (and the
    ///   proxy it holds). A watcher that is stopping when the watched actor stops is not told
    ///   (the message would be a dead letter). A restart keeps the watches.
    /// * Watching itself does nothing: a stopped actor handles no message.
    /// * A watched actor that restarts has not stopped: a supervisor's restart tells nobody.
    ///
    /// `tell` runs in the stopped actor's task (or in whichever task closed it), with a panic
    /// contained and logged: keep it to sending a message.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, Address, Definition, Stage, TerminationReason};
    ///
    /// #[actor_protocol]
    /// pub trait Monitor {
    ///     async fn watch_worker(&mut self, worker: domo_actors::ActorRef);
    ///     async fn ended(&mut self, who: Address, reason: TerminationReason);
    ///     async fn endings(&self) -> Vec<TerminationReason>;
    /// }
    ///
    /// #[derive(Actor, Default)]
    /// struct MonitorActor(Vec<TerminationReason>);
    ///
    /// impl Monitor for MonitorActor {
    ///     async fn watch_worker(&mut self, worker: domo_actors::ActorRef) {
    ///         self.watch(&worker, |me: &MonitorProxy, who, reason| {
    ///             me.ended(who, reason);
    ///         });
    ///     }
    ///     async fn ended(&mut self, _who: Address, reason: TerminationReason) {
    ///         self.0.push(reason);
    ///     }
    ///     async fn endings(&self) -> Vec<TerminationReason> {
    ///         self.0.clone()
    ///     }
    /// }
    /// # #[actor_protocol]
    /// # pub trait Idle {}
    /// # #[derive(Actor)]
    /// # struct IdleActor;
    /// # impl Idle for IdleActor {}
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let monitor: MonitorProxy = stage.actor_for(Definition::new(MonitorActor::default)).unwrap();
    /// let worker: IdleProxy = stage.actor_for(Definition::new(|| IdleActor)).unwrap();
    /// monitor.watch_worker(worker.actor_ref()).await;
    /// worker.stop().await;
    /// // `ended` was queued as the worker stopped, before this ask.
    /// assert_eq!(monitor.endings().await, [TerminationReason::Stopped]);
    /// # stage.close().await;
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// If this actor was not created with protocol `P` (as [`self_as`](Self::self_as)).
    #[track_caller]
    pub fn watch<P: Protocol>(
        &self,
        actor: &ActorRef,
        tell: impl FnOnce(&P, Address, TerminationReason) + Send + 'static,
    ) {
        let proxy = self.self_as::<P>();
        let watcher = self.actor_ref();
        if actor.is(watcher.core()) {
            return;
        }
        watch(
            &watcher,
            actor,
            Box::new(move |who, reason| tell(&proxy, who, reason)),
        );
    }

    /// Stops watching `actor` (see [`watch`](Self::watch)); `true` if this actor watched it.
    /// A message that `tell` sent before (the actor had stopped already) may still arrive.
    pub fn unwatch(&self, actor: &ActorRef) -> bool {
        let watcher = self.actor_ref();
        let Some(number) = watcher
            .core()
            .untie(|ties| ties.watches.stop_watching(actor.core()))
            .flatten()
        else {
            return false;
        };
        drop(
            actor
                .core()
                .untie(|ties| ties.watches.watchers.remove(&number)),
        );
        true
    }
}

/// Registers `watcher` as a watcher of `watched`, told by `tell`.
///
/// The watcher notes the registration first, then the watched actor takes it: a watched actor
/// that stops in between finds the note and takes it out, and one that had stopped already is
/// told of at once. A watcher closed meanwhile (a forced close, from another task) finds no
/// registration to take out of the watched actor yet, so this takes it out itself afterwards.
fn watch(
    watcher: &ActorRef,
    watched: &ActorRef,
    tell: Box<dyn FnOnce(Address, TerminationReason) + Send>,
) {
    let number = next_number();
    // Watched already: this registration replaces that one.
    let noted = watcher
        .core()
        .tie(|ties| ties.watches.start_watching(watched, number));
    let Ok(previous) = noted else {
        // The watcher has stopped: it will handle nothing.
        return;
    };
    let mut registration = Some(Tell::Actor {
        watcher: watcher.downgrade(),
        tell,
    });
    let registered = watched.core().tie(|ties| {
        let replaced = previous.and_then(|previous| ties.watches.watchers.remove(&previous));
        if let Some(registration) = registration.take() {
            ties.watches.watchers.insert(number, registration);
        }
        replaced
    });
    match registered {
        // Dropped outside the lock: it holds the watcher's proxy.
        Ok(replaced) => drop(replaced),
        Err(reason) => {
            if let Some(registration) = registration {
                registration.tell(watched.core(), number, reason);
            }
            return;
        }
    }
    if watcher.core().termination().is_some() {
        drop(
            watched
                .core()
                .untie(|ties| ties.watches.watchers.remove(&number)),
        );
    }
}

impl ActorRef {
    /// A future that resolves once the actor has stopped, with why it stopped: what
    /// [`Environment::watch`] tells an actor, for code that is not one. It resolves at once if
    /// the actor has stopped already. Dropping it unresolved takes its registration out of the
    /// actor (a `select!` loop may make one per turn without piling them up).
    ///
    /// It has no timeout, not even the stage's default ask timeout: an actor may run for as
    /// long as its stage. Bound the wait with `tokio::time::timeout` where needed.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, Definition, Stage, TerminationReason};
    ///
    /// #[actor_protocol]
    /// pub trait Job {
    ///     async fn run(&mut self);
    /// }
    ///
    /// #[derive(Actor)]
    /// struct JobActor;
    ///
    /// impl Job for JobActor {
    ///     async fn run(&mut self) {
    ///         self.stop(); // done: stops after this message
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let job: JobProxy = stage.actor_for(Definition::new(|| JobActor)).unwrap();
    /// let done = job.actor_ref().terminated();
    /// job.run();
    /// assert_eq!(done.await, TerminationReason::Stopped);
    /// // Already stopped: at once.
    /// assert_eq!(job.actor_ref().terminated().await, TerminationReason::Stopped);
    /// # }
    /// ```
    pub fn terminated(&self) -> Terminated {
        let (sender, receiver) = oneshot::channel();
        let number = next_number();
        let registered = self
            .core()
            .tie(|ties| ties.watches.watchers.insert(number, Tell::Future(sender)));
        match registered {
            Ok(_) => Terminated {
                outcome: None,
                waiting: Some(Waiting {
                    receiver,
                    watched: self.downgrade(),
                    number,
                }),
            },
            Err(reason) => Terminated {
                outcome: Some(reason),
                waiting: None,
            },
        }
    }

    /// How many registrations the actor holds: (its watchers, the actors it watches). Not
    /// public API: it lets the tests prove that watches are let go of.
    #[doc(hidden)]
    pub fn watch_count(&self) -> (usize, usize) {
        self.core()
            .untie(|ties| ties.watches.len())
            .unwrap_or_default()
    }
}

/// The future of [`ActorRef::terminated`]: resolves with why the actor stopped.
#[must_use = "a future does nothing unless awaited"]
pub struct Terminated {
    /// Why the actor stopped, once known.
    outcome: Option<TerminationReason>,
    /// The registration while the actor runs.
    waiting: Option<Waiting>,
}

struct Waiting {
    receiver: oneshot::Receiver<TerminationReason>,
    watched: WeakActorRef,
    number: u64,
}

impl Future for Terminated {
    type Output = TerminationReason;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<TerminationReason> {
        if let Some(reason) = self.outcome {
            return Poll::Ready(reason);
        }
        let Some(waiting) = self.waiting.as_mut() else {
            unreachable!("a `Terminated` has an outcome or a registration");
        };
        let reason = match Pin::new(&mut waiting.receiver).poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Ok(reason)) => reason,
            // The actor let go of the registration untold: only an actor freed without
            // stopping does, which the runtime never frees.
            Poll::Ready(Err(_)) => TerminationReason::Stopped,
        };
        self.waiting = None;
        self.outcome = Some(reason);
        Poll::Ready(reason)
    }
}

impl Drop for Terminated {
    fn drop(&mut self) {
        if let Some(waiting) = self.waiting.take() {
            if let Some(watched) = waiting.watched.upgrade() {
                drop(
                    watched
                        .core()
                        .untie(|ties| ties.watches.watchers.remove(&waiting.number)),
                );
            }
        }
    }
}

impl fmt::Debug for Terminated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Terminated")
            .field("outcome", &self.outcome)
            .finish_non_exhaustive()
    }
}
