//! `Stage`: creates actors, finds them, and closes them all.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::runtime::Handle;

use crate::base::logger::{LIFECYCLE, SUPERVISION};
use crate::base::metrics;
use crate::base::type_names;
use crate::mailbox::Task as _;
use crate::runtime::actor_cell::{ActorCell, ActorCore};
use crate::runtime::actor_ref::WeakActorRef;
use crate::runtime::actor_task::ActorTask;
use crate::runtime::environment;
use crate::runtime::linger::LingerSlots;
use crate::runtime::names::Names;
use crate::runtime::root_actors::{PRIVATE_ROOT_TYPE, PUBLIC_ROOT_TYPE, RootActor, RootMessage};
use crate::runtime::runners::{RunnerPool, Runners};
use crate::{
    Actor, ActorError, ActorOptions, ActorRef, Address, CloseError, DeadLetters, DeferredPromise,
    Definition, Deliver, Directory, DirectoryConfig, MailboxConfig, Protocols, SupervisionStrategy,
};

/// The home of a set of actors: creates them, finds them by address, and closes them all.
///
/// A stage is a cheap handle (clone it freely); stages are independent values, so tests can run
/// side by side. Create it inside a tokio runtime: actors run on that runtime.
///
/// ```
/// use domo_actors::{actor_protocol, Actor, Definition, Stage};
///
/// #[actor_protocol]
/// pub trait Greeter {
///     async fn greet(&mut self, name: String) -> String;
/// }
///
/// #[derive(Actor)]
/// struct GreeterActor;
///
/// impl Greeter for GreeterActor {
///     async fn greet(&mut self, name: String) -> String {
///         format!("hello, {name}")
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let greeter: GreeterProxy = stage.actor_for(Definition::new(|| GreeterActor)).unwrap();
/// assert_eq!(greeter.greet("domo".into()).await, "hello, domo");
/// assert_eq!(stage.actor_of::<GreeterProxy>(&greeter.address()), Some(greeter.clone()));
/// stage.close().await;
/// assert!(greeter.is_stopped());
/// # }
/// ```
///
/// # Lifetime
///
/// * [`close`](Self::close) stops every actor (each actor value and definition is dropped as
///   its actor stops), closes the scheduler (dropping its tasks) and lets go of the registered
///   supervisors. Registered values and dead-letter listeners stay usable while a user handle
///   (see below) is left; when the last one is dropped they are dropped too (they may hold
///   proxies, which hold the stage). Then, once the other handles are gone (proxies,
///   `ActorRef`s), the stage itself is freed.
/// * Dropping the last handle of a stage that was never closed closes it in the background, on
///   its runtime, then frees it the same way: a dropped stage does not leak its actors. The
///   handles that count are those of user code: the `Stage` that [`Stage::new`] returned, its
///   clones, and those that actors got from [`Environment::stage`](crate::Environment::stage)
///   (or [`Actor::stage`](crate::Actor::stage)) and still hold. What the runtime keeps
///   internally (each actor's own link to its stage) and proxies do not count.
/// * So an actor that keeps `self.stage()` in its own state keeps its stage open (and alive)
///   until someone calls `close`; take the stage when needed instead of keeping it. The same
///   goes for a `Stage` moved into a registered value, a dead-letter listener or a scheduled
///   task.
/// * If the runtime shuts down first, a background close never runs and the stage is not freed:
///   close a stage before its runtime ends.
pub struct Stage {
    inner: Arc<StageInner>,
}

/// The runtime's own handle to a stage: each actor's core holds one. Unlike [`Stage`], it does
/// not count as a user of the stage (dropping the last user handle closes the stage even though
/// the actors hold these), and it is one `Arc` to clone, as cheap as before the split.
#[derive(Clone)]
pub(crate) struct StageRef {
    inner: Arc<StageInner>,
}

struct StageInner {
    runtime: Handle,
    directory: Directory,
    dead_letters: DeadLetters,
    values: Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>,
    supervisors: Mutex<HashMap<Arc<str>, ActorRef>>,
    /// The function supervisors, by name (see [`Stage::register_supervisor_fn`]). A name is
    /// in this map or in `supervisors`, never in both.
    supervisor_fns: Mutex<HashMap<Arc<str>, SupervisionStrategy>>,
    /// The actors' unique names (see `names.rs`).
    names: Names,
    closed: AtomicBool,
    roots: OnceLock<Roots>,
    scheduler: crate::Scheduler,
    /// In nanoseconds; `NO_DEFAULT_ASK_TIMEOUT` for none. Atomic, because every send reads it.
    default_ask_timeout: AtomicU64,
    /// How long [`Stage::close`] waits for the graceful stop, in nanoseconds (0: no deadline).
    close_timeout: AtomicU64,
    /// The runtime has shut down (an actor's task was dropped unfinished; see
    /// `Stage::runtime_dropped_a_task`).
    runtime_gone: AtomicBool,
    /// The actors whose actor tasks may linger, waiting for their next message.
    linger_slots: LingerSlots,
    /// The runners of each actor type (see `runners.rs`), by the type of their `Runners`.
    runners: Mutex<HashMap<TypeId, Arc<dyn RunnerPool>>>,
    /// How many user handles ([`Stage`]s) there are; the last one dropped closes the stage.
    users: AtomicUsize,
    /// The last user handle was dropped before the stage was released: a background close was
    /// spawned (once).
    closing_on_drop: AtomicBool,
    /// The close has let go of everything the stage held for its actors (see `release`).
    released: AtomicBool,
}

/// The roots, which the stage does not keep alive: the roots hold the stage (every actor
/// does), and the directory holds them until they stop, at close.
struct Roots {
    private: WeakActorRef,
    public: WeakActorRef,
    private_address: Address,
    public_address: Address,
}

/// The roots held strongly for a use: only close needs them (it stops the private root).
struct RootRefs {
    private: ActorRef,
}

impl Stage {
    /// How long [`close`](Self::close) waits for the actors to stop gracefully, unless
    /// [`with_close_timeout`](Self::with_close_timeout) says otherwise: 10 seconds.
    pub const DEFAULT_CLOSE_TIMEOUT: Duration = Duration::from_secs(10);

    /// A new stage with the default directory configuration.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    #[track_caller]
    pub fn new() -> Self {
        Self::with_directory(DirectoryConfig::default())
    }

    /// A new stage whose directory has the given configuration.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    #[track_caller]
    pub fn with_directory(config: DirectoryConfig) -> Self {
        let runtime = Handle::try_current()
            .expect("domo-actors: a Stage must be created inside a tokio runtime");
        metrics::describe();
        let stage = Self {
            inner: Arc::new(StageInner {
                scheduler: crate::Scheduler::with_runtime(runtime.clone()),
                default_ask_timeout: AtomicU64::new(NO_DEFAULT_ASK_TIMEOUT),
                close_timeout: AtomicU64::new(nanos(Self::DEFAULT_CLOSE_TIMEOUT)),
                runtime_gone: AtomicBool::new(false),
                runtime,
                directory: Directory::new(config),
                dead_letters: DeadLetters::new(),
                values: Mutex::default(),
                supervisors: Mutex::default(),
                supervisor_fns: Mutex::default(),
                names: Names::default(),
                closed: AtomicBool::new(false),
                roots: OnceLock::new(),
                linger_slots: LingerSlots::new(),
                runners: Mutex::new(HashMap::new()),
                users: AtomicUsize::new(1),
                closing_on_drop: AtomicBool::new(false),
                released: AtomicBool::new(false),
            }),
        };
        let private = stage
            .create::<RootMessage, RootActor>(
                Definition::new(|| RootActor::Private),
                PRIVATE_ROOT_TYPE,
                None,
                None,
                MailboxConfig::Unbounded,
            )
            .expect("a new stage is open");
        let private = ActorRef::new(private as _);
        let public = stage
            .create::<RootMessage, RootActor>(
                Definition::new(|| RootActor::Public),
                PUBLIC_ROOT_TYPE,
                Some(private.clone()),
                None,
                MailboxConfig::Unbounded,
            )
            .expect("a new stage is open");
        let public = ActorRef::new(public as _);
        let _ = stage.inner.roots.set(Roots {
            private: private.downgrade(),
            public: public.downgrade(),
            private_address: private.address(),
            public_address: public.address(),
        });
        stage
    }

    /// Creates an actor from `definition` and returns its proxy. The actor's parent is the
    /// public root; its address is fresh unless the definition gives one.
    ///
    /// Fails with [`ActorError::StageClosed`] once the stage is closed.
    pub fn actor_for<P, A>(&self, definition: Definition<A>) -> Result<P, ActorError>
    where
        P: Protocols,
        A: Actor,
        P::Mailbox: Deliver<A>,
    {
        self.actor_for_with(definition, ActorOptions::new())
    }

    /// Creates an actor with options: parent, supervisor name, mailbox.
    ///
    /// Fails with [`ActorError::StageClosed`] once the stage is closed, with
    /// [`ActorError::Stopped`] if the parent has stopped, with [`ActorError::AddressInUse`] if
    /// the definition's address names a live actor, with [`ActorError::NameInUse`] if its name
    /// ([`Definition::with_name`]) does, and with [`ActorError::RuntimeShutdown`] once the
    /// stage's runtime has shut down.
    ///
    /// A supervisor name (of the options, else of the definition) that names no supervisor yet
    /// (see [`supervisor`](Self::supervisor)) is logged as a warning, since it is most often a
    /// typo: until a supervisor of that name exists, the actor's failures go to its parent
    /// (also logged, at each failure). The name is looked up again at each failure, so a
    /// supervisor may be created after the actors it supervises (supervisors that supervise
    /// each other need that).
    pub fn actor_for_with<P, A>(
        &self,
        definition: Definition<A>,
        options: ActorOptions,
    ) -> Result<P, ActorError>
    where
        P: Protocols,
        A: Actor,
        P::Mailbox: Deliver<A>,
    {
        let (parent, supervisor, mailbox) = options.into_parts();
        let supervisor = supervisor.or_else(|| definition.supervisor_arc().cloned());
        if let Some(name) = &supervisor {
            if self.supervisor(name).is_none() && self.inner.supervisor_fn(name).is_none() {
                warn_supervisor_not_found(name);
            }
        }
        let parent = match parent {
            Some(parent) => parent,
            None => self.inner.public_root(),
        };
        let cell =
            self.create::<P::Mailbox, A>(definition, P::NAME, Some(parent), supervisor, mailbox)?;
        Ok(P::of(&ActorRef::new(cell as _))
            .expect("domo-actors: a new actor speaks the protocols it was created with"))
    }

    fn create<M, A>(
        &self,
        definition: Definition<A>,
        default_type: &'static str,
        parent: Option<ActorRef>,
        supervisor: Option<Arc<str>>,
        mailbox: MailboxConfig,
    ) -> Result<Arc<ActorCell<M>>, ActorError>
    where
        A: Actor,
        M: Deliver<A>,
    {
        if self.is_closed() {
            return Err(ActorError::StageClosed);
        }
        if self.runtime_is_gone() {
            return Err(ActorError::RuntimeShutdown);
        }
        let address = match definition.address() {
            Some(address) if self.inner.directory.contains(&address) => {
                return Err(ActorError::AddressInUse(address));
            }
            Some(address) => address,
            None => Address::unique(),
        };
        let type_name = definition
            .type_name_arc()
            .cloned()
            .unwrap_or_else(|| type_names::shared(default_type));
        let cell = Arc::new(ActorCell::new(
            ActorCore::new(
                address,
                type_name,
                self.handle(),
                parent.clone(),
                supervisor,
            ),
            mailbox,
        ));
        let actor = ActorRef::new(Arc::clone(&cell) as _);
        let name = definition.name_arc();
        if let Some(name) = name {
            self.inner.names.claim(&self.handle(), name, &actor)?;
        }
        if let Some(parent) = &parent {
            if !parent.core().add_child(actor.clone()) {
                if let Some(name) = name {
                    self.inner.names.release(name, &cell.core);
                }
                return Err(if self.is_closed() {
                    ActorError::StageClosed
                } else {
                    ActorError::Stopped {
                        address: parent.address(),
                        type_name: Arc::clone(parent.type_name_arc()),
                        method: "actor_for",
                    }
                });
            }
        }
        self.inner.directory.register(actor);
        cell.core.live.started(&cell.core.type_name);
        let task = Box::new(ActorTask::new(definition, &cell));
        if A::STARTS_EAGERLY {
            task.activate(Arc::clone(&cell));
            // A runtime that has shut down dropped the task at once (and closed the actor).
            if self.runtime_is_gone() {
                return Err(ActorError::RuntimeShutdown);
            }
        } else {
            // Built and started by the first activation, which the first send makes.
            cell.mailbox.park(task).run(&cell);
        }
        Ok(cell)
    }

    /// A proxy onto the live actor at `address`, or `None` if there is none or it does not speak
    /// protocol `P`. An actor created with several protocols is found through any of them (or
    /// a tuple of them).
    pub fn actor_of<P: Protocols>(&self, address: &Address) -> Option<P> {
        P::of(&self.inner.directory.get(address)?)
    }

    /// Registers a value under `name`, replacing any previous one.
    pub fn register_value<T: Any + Send + Sync>(&self, name: impl Into<String>, value: T) {
        self.values().insert(name.into(), Arc::new(value));
    }

    /// A clone of the value registered under `name`, or `None` if there is none or it is not a
    /// `T`.
    pub fn registered_value<T: Any + Clone>(&self, name: &str) -> Option<T> {
        self.values().get(name)?.downcast_ref::<T>().cloned()
    }

    /// Removes the value registered under `name`; `true` if there was one.
    pub fn deregister_value(&self, name: &str) -> bool {
        self.values().remove(name).is_some()
    }

    fn values(&self) -> MutexGuard<'_, HashMap<String, Arc<dyn Any + Send + Sync>>> {
        lock(&self.inner.values)
    }

    /// Registers `supervisor` under `name`: actors created with that supervisor name, and actors
    /// whose type name is `name`, are supervised by it. Replaces any previous registration.
    pub fn register_supervisor(&self, name: impl Into<Arc<str>>, supervisor: ActorRef) {
        let name = name.into();
        let replaced = lock(&self.inner.supervisor_fns).remove(&name);
        lock(&self.inner.supervisors).insert(name, supervisor);
        // Dropped outside the locks: a decider's captures are user code.
        drop(replaced);
    }

    /// Registers a *function supervisor* under `name`: `strategy` decides for the actors
    /// created with that supervisor name, and for actors whose type name is `name`, as the
    /// strategy of a supervisor actor would (its decider, intensity, period and scope), with no
    /// actor, protocol or proxy behind it. Replaces any previous registration of `name`,
    /// function or actor.
    ///
    /// Its decider runs the moment a supervised actor fails, in that actor's task, as every
    /// supervisor's does. A decider that panics counts as
    /// [`Escalate`](crate::SupervisionDirective::Escalate). A function has no supervisor of its
    /// own, so it escalates to the parent of the actor it decided for (the actor that failed,
    /// or a supervisor actor that escalated to it), which is where that actor's failures go
    /// when its supervisor name names no one.
    ///
    /// `"default"` and the roots' type names always name the roots, whatever is registered
    /// under them. [`supervisor`](Self::supervisor) finds supervisor actors only.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, Definition, Stage};
    /// use domo_actors::{SupervisionDirective, SupervisionStrategy};
    ///
    /// #[actor_protocol]
    /// pub trait Tally {
    ///     async fn add(&mut self, n: i64) -> i64;
    /// }
    ///
    /// #[derive(Actor, Default)]
    /// struct TallyActor {
    ///     total: i64,
    /// }
    ///
    /// impl Tally for TallyActor {
    ///     async fn add(&mut self, n: i64) -> i64 {
    ///         assert!(n >= 0, "negative input: {n}");
    ///         self.total += n;
    ///         self.total
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// stage.register_supervisor_fn(
    ///     "tally-overseer",
    ///     SupervisionStrategy::default().deciding(|supervised| {
    ///         if supervised.error().to_string().contains("negative input") {
    ///             SupervisionDirective::Resume
    ///         } else {
    ///             SupervisionDirective::Escalate
    ///         }
    ///     }),
    /// );
    /// let tally: TallyProxy = stage
    ///     .actor_for(Definition::new(TallyActor::default).with_supervisor("tally-overseer"))
    ///     .unwrap();
    /// assert_eq!(tally.add(5).await, 5);
    /// assert!(tally.add(-1).result().await.is_err());
    /// assert_eq!(tally.add(1).await, 6); // resumed: the total survived
    /// stage.close().await;
    /// # }
    /// ```
    pub fn register_supervisor_fn(&self, name: impl Into<Arc<str>>, strategy: SupervisionStrategy) {
        let name = name.into();
        let replaced_actor = lock(&self.inner.supervisors).remove(&name);
        let replaced = lock(&self.inner.supervisor_fns).insert(name, strategy);
        // Dropped outside the locks: either may be the last handle to user code.
        drop((replaced_actor, replaced));
    }

    /// The supervisor known by `name`: `"default"` is the public root; then a supervisor
    /// registered under `name`; then a live actor whose type name is `name`. Function
    /// supervisors ([`register_supervisor_fn`](Self::register_supervisor_fn)) are not actors,
    /// so they are not found here (and one registered under `name` decides before an actor of
    /// that type name would).
    pub fn supervisor(&self, name: &str) -> Option<ActorRef> {
        self.inner.supervisor(name)
    }

    /// The stage's directory of live actors (the two root actors included).
    pub fn directory(&self) -> &Directory {
        &self.inner.directory
    }

    /// Where undeliverable messages are recorded.
    pub fn dead_letters(&self) -> &DeadLetters {
        &self.inner.dead_letters
    }

    /// The stage's scheduler: runs tasks after a delay or at an interval (typically sending
    /// messages to actors). [`close`](Self::close) closes it.
    pub fn scheduler(&self) -> &crate::Scheduler {
        &self.inner.scheduler
    }

    /// Sets the stage's default ask timeout (see
    /// [`default_ask_timeout`](Self::default_ask_timeout)); meant for building the stage:
    /// `Stage::new().with_default_ask_timeout(d)`. Every clone of the stage shares the setting.
    pub fn with_default_ask_timeout(self, after: std::time::Duration) -> Self {
        let nanos = u64::try_from(after.as_nanos())
            .unwrap_or(u64::MAX)
            .min(NO_DEFAULT_ASK_TIMEOUT - 1);
        self.inner
            .default_ask_timeout
            .store(nanos, Ordering::Relaxed);
        self
    }

    /// The default ask timeout set with
    /// [`with_default_ask_timeout`](Self::with_default_ask_timeout), if any.
    ///
    /// Every promise of a message sent to this stage's actors carries it: a caller that awaits
    /// the answer waits at most that long (counted from the first poll, when it starts waiting),
    /// then gets [`ActorError::TimedOut`]. A tell never arms a timer.
    /// [`DeferredPromise::timeout`](crate::DeferredPromise::timeout) replaces it for one call
    /// (`.timeout(None)` removes it).
    ///
    /// ```
    /// use std::time::Duration;
    /// use domo_actors::Stage;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new().with_default_ask_timeout(Duration::from_secs(5));
    /// assert_eq!(stage.default_ask_timeout(), Some(Duration::from_secs(5)));
    /// assert_eq!(Stage::new().default_ask_timeout(), None);
    /// # }
    /// ```
    #[inline]
    pub fn default_ask_timeout(&self) -> Option<std::time::Duration> {
        self.inner.default_ask_timeout()
    }

    /// The public root: the default parent of the actors the stage creates.
    ///
    /// Once the stage is closed and the root has stopped, the stage no longer holds it (it held
    /// the stage): this is then a stopped `ActorRef` with the root's address and type name, and
    /// no parent or children.
    pub fn public_root(&self) -> ActorRef {
        self.inner.public_root()
    }

    /// The private root: the parent of the public root. After close, a stopped `ActorRef` as
    /// [`public_root`](Self::public_root) says.
    pub fn private_root(&self) -> ActorRef {
        self.inner.roots().private
    }

    /// Whether [`close`](Self::close) has been called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }

    /// Stops every actor, children before their parents, the roots last, waiting at most the
    /// stage's [close timeout](Self::with_close_timeout) (10 seconds unless set): it always
    /// ends. Every promise still pending settles (messages queued at stop fail with
    /// [`ActorError::Stopped`] and become dead letters). Afterwards `actor_for` fails with
    /// [`ActorError::StageClosed`]. Then the [`scheduler`](Self::scheduler) is closed,
    /// cancelling every schedule. Last, the stage lets go of what it held for its actors, so
    /// that it can be freed (see "Lifetime" above). Calling it again waits for the first close
    /// to finish.
    ///
    /// Actors that had not stopped by the deadline (a handler that never returns: an ask
    /// cycle, an actor awaiting itself) are force-closed and logged; use
    /// [`close_within`](Self::close_within) to get their list as a [`CloseError`]. Called from
    /// inside one of this stage's actors, it does not wait (see `close_within`).
    pub async fn close(&self) {
        let _ = self.close_within(self.close_timeout()).await;
    }

    /// [`close`](Self::close), waiting at most `timeout` for the actors' graceful stop (a zero
    /// `timeout` means no deadline, as for [`ActorRef::stop_within`]).
    ///
    /// Past the deadline, every actor that has not stopped is force-closed as
    /// [`ActorRef::stop_within`] does when it times out: its mailbox closes, what it still had
    /// queued fails and becomes dead letters, it leaves the directory. The result then lists
    /// them ([`CloseError::TimedOut`]). Once the stage's runtime has shut down, the actors are
    /// force-closed at once and the result is [`CloseError::RuntimeShutdown`].
    ///
    /// Called from inside one of this stage's actors (a handler or a hook), the close cannot
    /// wait for that actor, which is busy calling it: it goes on in the background, on the
    /// stage's runtime, and this returns `Ok(())` at once. The calling actor stops once its
    /// current handler returns, as the stop sequence reaches it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use domo_actors::{actor_protocol, Actor, CloseError, Definition, Stage};
    ///
    /// #[actor_protocol]
    /// pub trait Sleeper {
    ///     async fn sleep_forever(&mut self);
    /// }
    ///
    /// #[derive(Actor)]
    /// struct SleeperActor;
    ///
    /// impl Sleeper for SleeperActor {
    ///     async fn sleep_forever(&mut self) {
    ///         std::future::pending::<()>().await
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let sleeper: SleeperProxy = stage.actor_for(Definition::new(|| SleeperActor)).unwrap();
    /// let never = sleeper.sleep_forever();
    ///
    /// let closed = stage.close_within(Duration::from_secs(1)).await;
    /// let Err(CloseError::TimedOut { unstopped, .. }) = closed else { panic!("{closed:?}") };
    /// assert_eq!(unstopped, [sleeper.actor_ref()]);
    /// assert!(sleeper.is_stopped());
    /// drop(never);
    /// # }
    /// ```
    pub async fn close_within(&self, timeout: Duration) -> Result<(), CloseError> {
        if environment::current_actor().is_some_and(|actor| actor.core().stage.is(self)) {
            self.inner.closed.store(true, Ordering::Release);
            let stage = self.clone();
            self.runtime().spawn(async move {
                let _ = stage.close_from_outside(timeout).await;
            });
            return Ok(());
        }
        self.close_from_outside(timeout).await
    }

    /// The close, awaited by a caller that is none of the stage's actors.
    async fn close_from_outside(&self, timeout: Duration) -> Result<(), CloseError> {
        self.inner.closed.store(true, Ordering::Release);
        let stopped = self.roots().private.stop_untimed().result();
        let outcome = if timeout.is_zero() {
            let _ = stopped.await;
            Ok(())
        } else {
            match tokio::time::timeout(timeout, stopped).await {
                Ok(_) => Ok(()),
                Err(_) => Err(self.force_close_remaining(timeout)),
            }
        };
        self.inner.scheduler.close();
        self.release_after_close();
        if self.runtime_is_gone() {
            tracing::warn!(
                target: LIFECYCLE,
                "stage closed after its runtime shut down: actors were force-closed"
            );
            return Err(CloseError::RuntimeShutdown);
        }
        if let Err(error) = &outcome {
            tracing::warn!(target: LIFECYCLE, %error, "stage close did not complete in time");
        }
        outcome
    }

    /// Force-closes every actor left in the directory (a close that timed out), deepest
    /// first; returns them, the roots left out.
    fn force_close_remaining(&self, after: Duration) -> CloseError {
        let mut left = self.inner.directory.all();
        left.sort_by_key(|actor| std::cmp::Reverse(actor.core().depth()));
        for actor in &left {
            actor.force_close();
        }
        let roots = self.inner.weak_roots();
        let unstopped = left
            .into_iter()
            .filter(|actor| {
                let address = actor.address();
                address != roots.private_address && address != roots.public_address
            })
            .collect();
        CloseError::TimedOut { after, unstopped }
    }

    /// Sets how long [`close`](Self::close) waits for the actors to stop gracefully before
    /// force-closing what is left (zero: no deadline); meant for building the stage:
    /// `Stage::new().with_close_timeout(d)`.
    pub fn with_close_timeout(self, timeout: Duration) -> Self {
        self.inner
            .close_timeout
            .store(nanos(timeout), Ordering::Relaxed);
        self
    }

    /// How long [`close`](Self::close) waits for the actors to stop gracefully.
    pub fn close_timeout(&self) -> Duration {
        Duration::from_nanos(self.inner.close_timeout.load(Ordering::Relaxed))
    }

    /// Whether the stage's runtime has shut down (see [`ActorError::RuntimeShutdown`]).
    pub(crate) fn runtime_is_gone(&self) -> bool {
        self.inner.runtime_is_gone()
    }

    /// The last step of [`close`](Self::close): breaks every cycle through the stage, so that
    /// it is freed once the last handle is dropped.
    pub(crate) fn release_after_close(&self) {
        self.inner.release();
    }

    pub(crate) fn runtime(&self) -> &Handle {
        &self.inner.runtime
    }

    /// The actors' names (see `names.rs`).
    pub(crate) fn names(&self) -> &Names {
        &self.inner.names
    }

    /// The runtime's handle to this stage (it does not count as a user, see [`StageRef`]).
    pub(crate) fn handle(&self) -> StageRef {
        StageRef {
            inner: Arc::clone(&self.inner),
        }
    }

    fn roots(&self) -> RootRefs {
        self.inner.roots()
    }

    /// A new user handle (counted) onto `inner`.
    fn counted(inner: Arc<StageInner>) -> Self {
        inner.users.fetch_add(1, Ordering::Relaxed);
        Self { inner }
    }
}

impl StageInner {
    /// Whether the runtime has shut down (see [`ActorError::RuntimeShutdown`]).
    fn runtime_is_gone(&self) -> bool {
        self.runtime_gone.load(Ordering::Acquire)
    }

    /// An actor's task was dropped unfinished: a panic escaped it (tokio drops a task once it
    /// has caught its panic) or the runtime shut down. Tells which (a task spawned on a runtime
    /// that has shut down is cancelled at once) and remembers a shutdown.
    fn runtime_dropped_a_task(&self) {
        if self.runtime_is_gone() {
            return;
        }
        if self.runtime.spawn(async {}).is_finished() {
            self.runtime_gone.store(true, Ordering::Release);
        }
    }

    #[inline]
    fn default_ask_timeout(&self) -> Option<std::time::Duration> {
        match self.default_ask_timeout.load(Ordering::Relaxed) {
            NO_DEFAULT_ASK_TIMEOUT => None,
            nanos => Some(std::time::Duration::from_nanos(nanos)),
        }
    }

    /// Drops what the runtime kept for the actors of a closed stage, which holds them (and so
    /// the stage): linger slots and registered supervisors (only live ones are ever found). The
    /// roots need nothing (the stage holds them weakly), and the scheduler's tasks end once it
    /// is closed. What user code reads (values, listeners) waits for the last user handle, see
    /// `drop_user_state`.
    fn release(&self) {
        self.linger_slots.clear();
        self.names.clear();
        let runners: Vec<_> = lock(&self.runners).drain().map(|(_, pool)| pool).collect();
        for pool in runners {
            pool.close();
        }
        // Dropped outside the lock: it may hold the last handle to an actor.
        let supervisors = std::mem::take(&mut *lock(&self.supervisors));
        let supervisor_fns = std::mem::take(&mut *lock(&self.supervisor_fns));
        drop((supervisors, supervisor_fns));
        self.released.store(true, Ordering::Release);
    }

    /// Drops the registered values and the dead-letter listeners of a closed stage whose last
    /// user handle is gone: they may hold proxies, which hold the stage, and nobody can read
    /// them any more.
    fn drop_user_state(&self) {
        // Dropped outside the locks: their destructors are user code.
        let values = std::mem::take(&mut *lock(&self.values));
        let listeners = self.dead_letters.unsubscribe_all();
        drop((values, listeners));
    }
}

impl StageRef {
    /// A user handle onto this stage (what [`Environment::stage`](crate::Environment::stage)
    /// returns): it counts, see [`Stage`]'s "Lifetime".
    pub(crate) fn to_stage(&self) -> Stage {
        Stage::counted(Arc::clone(&self.inner))
    }

    /// See [`Stage::default_ask_timeout`]: read by every send.
    #[inline]
    pub(crate) fn default_ask_timeout(&self) -> Option<std::time::Duration> {
        self.inner.default_ask_timeout()
    }

    /// `promise` with the stage's default ask timeout, if it has one: what every promise a
    /// caller gets (an ask, a tell's, a stop's, a suspension's) carries.
    #[inline]
    pub(crate) fn with_default_timeout<T, F>(
        &self,
        promise: DeferredPromise<T, F>,
    ) -> DeferredPromise<T, F> {
        match self.default_ask_timeout() {
            None => promise,
            Some(after) => promise.with_default_timeout(after),
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }

    /// See `StageInner::runtime_is_gone`.
    pub(crate) fn runtime_is_gone(&self) -> bool {
        self.inner.runtime_is_gone()
    }

    /// See `StageInner::runtime_dropped_a_task`.
    pub(crate) fn runtime_dropped_a_task(&self) {
        self.inner.runtime_dropped_a_task();
    }

    /// Whether this is `stage`'s handle.
    pub(crate) fn is(&self, stage: &Stage) -> bool {
        Arc::ptr_eq(&self.inner, &stage.inner)
    }

    pub(crate) fn directory(&self) -> &Directory {
        &self.inner.directory
    }

    /// The actors' names (see `names.rs`).
    pub(crate) fn names(&self) -> &Names {
        &self.inner.names
    }

    pub(crate) fn dead_letters(&self) -> &DeadLetters {
        &self.inner.dead_letters
    }

    pub(crate) fn runtime(&self) -> &Handle {
        &self.inner.runtime
    }

    pub(crate) fn linger_slots(&self) -> &LingerSlots {
        &self.inner.linger_slots
    }

    /// The runners of actors of type `A` with mailbox `M` on this stage.
    pub(crate) fn runners<A: Actor, M: Deliver<A>>(&self) -> Arc<Runners<A, M>> {
        let mut pools = lock(&self.inner.runners);
        let pool = pools
            .entry(TypeId::of::<Runners<A, M>>())
            .or_insert_with(|| {
                // The roots are activated a handful of times in a stage's life: a runner kept
                // for them would only hold a task.
                let keep = if TypeId::of::<A>() == TypeId::of::<RootActor>() {
                    0
                } else {
                    Runners::<A, M>::MAX_IDLE
                };
                let workers = self.runtime().metrics().num_workers();
                Arc::new(Runners::<A, M>::new(keep, workers))
            });
        Arc::clone(pool)
            .as_any()
            .downcast()
            .unwrap_or_else(|_| unreachable!("the pool of a type's runners is of that type"))
    }

    /// See [`Stage::supervisor`].
    pub(crate) fn supervisor(&self, name: &str) -> Option<ActorRef> {
        self.inner.supervisor(name)
    }

    /// The supervisor registered under `name`, if it is still live.
    pub(crate) fn registered_supervisor(&self, name: &str) -> Option<ActorRef> {
        self.inner.registered_supervisor(name)
    }

    /// The strategy of the function supervisor registered under `name`, if any.
    pub(crate) fn supervisor_fn(&self, name: &str) -> Option<SupervisionStrategy> {
        self.inner.supervisor_fn(name)
    }
}

/// The roots and supervisors, for both kinds of handle.
impl StageInner {
    /// See [`Stage::supervisor`].
    fn supervisor(self: &Arc<Self>, name: &str) -> Option<ActorRef> {
        match name {
            "default" | PUBLIC_ROOT_TYPE => return Some(self.public_root()),
            PRIVATE_ROOT_TYPE => return Some(self.roots().private),
            _ => {}
        }
        if let Some(supervisor) = self.registered_supervisor(name) {
            return Some(supervisor);
        }
        self.directory
            .find_by_type(name)
            .into_iter()
            .find(|actor| !actor.is_stopped())
    }

    /// See [`StageRef::supervisor_fn`].
    fn supervisor_fn(&self, name: &str) -> Option<SupervisionStrategy> {
        lock(&self.supervisor_fns).get(name).cloned()
    }

    /// The supervisor registered under `name`, if it is still live.
    fn registered_supervisor(&self, name: &str) -> Option<ActorRef> {
        lock(&self.supervisors)
            .get(name)
            .filter(|supervisor| !supervisor.is_stopped())
            .cloned()
    }

    /// The public root (a stopped stand-in once it has gone, see [`Stage::public_root`]).
    #[inline]
    fn public_root(self: &Arc<Self>) -> ActorRef {
        let roots = self.weak_roots();
        match roots.public.upgrade() {
            Some(public) => public,
            None => self.stopped_root(roots.public_address, PUBLIC_ROOT_TYPE),
        }
    }

    fn roots(self: &Arc<Self>) -> RootRefs {
        let roots = self.weak_roots();
        RootRefs {
            private: roots
                .private
                .upgrade()
                .unwrap_or_else(|| self.stopped_root(roots.private_address, PRIVATE_ROOT_TYPE)),
        }
    }

    fn weak_roots(&self) -> &Roots {
        self.roots
            .get()
            .expect("the roots are created with the stage")
    }

    /// A root that has stopped and been freed stands in as a stopped actor with its address
    /// and type name: stopping it again resolves at once, and it refuses children.
    #[cold]
    fn stopped_root(self: &Arc<Self>, address: Address, type_name: &'static str) -> ActorRef {
        let core = ActorCore::new(
            address,
            type_names::shared(type_name),
            StageRef {
                inner: Arc::clone(self),
            },
            None,
            None,
        );
        let cell = ActorCell::<RootMessage>::new(core, MailboxConfig::Unbounded);
        let root = ActorRef::new(Arc::new(cell) as _);
        root.core().close_children();
        root.force_close();
        root
    }
}

/// `StageInner::default_ask_timeout` when there is none.
const NO_DEFAULT_ASK_TIMEOUT: u64 = u64::MAX;

/// An actor is being created with a supervisor name that names nothing yet.
#[cold]
fn warn_supervisor_not_found(name: &str) {
    // No live actor has the name as its type name either: until one does, the actor's failures
    // go to its parent. Most often the name is misspelt.
    tracing::warn!(
        target: SUPERVISION,
        supervisor = name,
        "supervisor not found: the parent supervises instead"
    );
}

/// A duration in nanoseconds, saturated.
fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

/// No user code runs under the stage's locks, so a poisoned one still guards consistent data.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Clone for Stage {
    /// Another user handle onto the same stage.
    fn clone(&self) -> Self {
        Self::counted(Arc::clone(&self.inner))
    }
}

/// Dropping the last user handle of a stage that was not closed closes it in the background
/// (see [`Stage`]'s "Lifetime").
impl Drop for Stage {
    fn drop(&mut self) {
        if self.inner.users.fetch_sub(1, Ordering::AcqRel) == 1 {
            close_on_last_drop(&self.inner);
        }
    }
}

/// The last user handle is gone. If a close has finished, drop what only user code could read
/// (values, listeners). If not, spawn a close on the stage's runtime (once): it holds a user
/// handle of its own, whose drop at the end comes back here, the stage released. A runtime that
/// has shut down drops that task unrun.
fn close_on_last_drop(inner: &Arc<StageInner>) {
    if inner.released.load(Ordering::Acquire) {
        inner.drop_user_state();
        return;
    }
    if inner.closing_on_drop.swap(true, Ordering::AcqRel) {
        return;
    }
    let stage = Stage::counted(Arc::clone(inner));
    let runtime = stage.runtime().clone();
    drop(runtime.spawn(async move { stage.close().await }));
}

impl Default for Stage {
    /// Same as [`Stage::new`].
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    #[track_caller]
    fn default() -> Self {
        Self::new()
    }
}

impl PartialEq for Stage {
    /// Two handles to the same stage.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }
}

impl Eq for Stage {}

impl fmt::Debug for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stage")
            .field("actors", &self.inner.directory.count())
            .field("closed", &self.is_closed())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Weak};

    use domo_actors_testkit::await_assert;

    use super::{Stage, StageInner};

    /// A stage with a value and a listener that hold its public root, which holds the stage.
    fn entangled_stage() -> (Stage, Weak<StageInner>) {
        let stage = Stage::new();
        let root = stage.public_root();
        stage.register_value("root", root.clone());
        stage
            .dead_letters()
            .subscribe(move |_: &crate::DeadLetter| {
                let _ = &root;
            });
        stage.register_supervisor("root", stage.public_root());
        let weak = Arc::downgrade(&stage.inner);
        (stage, weak)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_closed_stage_is_freed_with_its_last_handle() {
        let (stage, weak) = entangled_stage();
        let clone = stage.clone();
        stage.close().await;
        drop(stage);
        assert!(clone.registered_value::<crate::ActorRef>("root").is_some());
        drop(clone);
        await_assert(|| async { assert_eq!(weak.strong_count(), 0, "the stage is freed") }).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_stage_dropped_unclosed_is_closed_and_freed() {
        let (stage, weak) = entangled_stage();
        let root = stage.public_root();
        drop(stage);
        await_assert(|| async { assert!(root.is_stopped(), "the stage is closed") }).await;
        drop(root);
        await_assert(|| async { assert_eq!(weak.strong_count(), 0, "the stage is freed") }).await;
    }

    #[tokio::test]
    async fn the_roots_after_close_are_stopped_stand_ins() {
        let stage = Stage::new();
        let (public, private) = (
            stage.public_root().address(),
            stage.private_root().address(),
        );
        let root = stage.public_root().downgrade();
        stage.close().await;
        await_assert(|| async { assert!(root.upgrade().is_none(), "the stage let go of it") })
            .await;
        for (root, address) in [
            (stage.public_root(), public),
            (stage.private_root(), private),
        ] {
            assert!(root.is_stopped());
            assert_eq!(root.address(), address);
            assert!(root.children().is_empty());
            root.stop().result().await.unwrap();
        }
        assert_eq!(stage.public_root().type_name(), super::PUBLIC_ROOT_TYPE);
        assert!(
            stage
                .supervisor("default")
                .is_some_and(|root| root.is_stopped())
        );
        // A second close finds the private root stopped, and returns.
        stage.close().await;
    }
}
