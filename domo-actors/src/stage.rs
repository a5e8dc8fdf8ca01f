//! `Stage`: creates actors, finds them, and closes them all.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tokio::runtime::Handle;

use crate::actor_cell::{ActorCell, ActorCore};
use crate::environment;
use crate::linger::LingerSlots;
use crate::mailbox::Runner as _;
use crate::root_actors::{PRIVATE_ROOT_TYPE, PUBLIC_ROOT_TYPE, RootActor, RootMessage};
use crate::run_loop::ActorRunner;
use crate::type_names;
use crate::{
    Actor, ActorError, ActorOptions, ActorRef, Address, CloseError, DeadLetters, Definition,
    Directory, DirectoryConfig, Dispatch, MailboxConfig, Protocol, ProxyHandle,
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
#[derive(Clone)]
pub struct Stage {
    inner: Arc<StageInner>,
}

struct StageInner {
    runtime: Handle,
    directory: Directory,
    dead_letters: DeadLetters,
    values: Mutex<HashMap<String, Arc<dyn Any + Send + Sync>>>,
    supervisors: Mutex<HashMap<Arc<str>, ActorRef>>,
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
    /// The actors whose drain tasks may linger, waiting for their next message.
    linger_slots: LingerSlots,
}

struct Roots {
    private: ActorRef,
    public: ActorRef,
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
                closed: AtomicBool::new(false),
                roots: OnceLock::new(),
                linger_slots: LingerSlots::new(),
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
        let _ = stage.inner.roots.set(Roots { private, public });
        stage
    }

    /// Creates an actor from `definition` and returns its proxy. The actor's parent is the
    /// public root; its address is fresh unless the definition gives one.
    ///
    /// Fails with [`ActorError::StageClosed`] once the stage is closed.
    pub fn actor_for<P, A>(&self, definition: Definition<A>) -> Result<P, ActorError>
    where
        P: Protocol,
        A: Actor,
        P::Message: Dispatch<A>,
    {
        self.actor_for_with(definition, ActorOptions::new())
    }

    /// Creates an actor with options: parent, supervisor name, mailbox.
    ///
    /// Fails with [`ActorError::StageClosed`] once the stage is closed, with
    /// [`ActorError::Stopped`] if the parent has stopped, with [`ActorError::AddressInUse`] if
    /// the definition's address names a live actor, and with [`ActorError::RuntimeShutdown`]
    /// once the stage's runtime has shut down.
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
        P: Protocol,
        A: Actor,
        P::Message: Dispatch<A>,
    {
        let (parent, supervisor, mailbox) = options.into_parts();
        let supervisor = supervisor.or_else(|| definition.supervisor_arc().cloned());
        if let Some(name) = &supervisor {
            if self.supervisor(name).is_none() {
                warn_supervisor_not_found(name);
            }
        }
        let parent = match parent {
            Some(parent) => parent,
            None => self.roots().public.clone(),
        };
        let cell =
            self.create::<P::Message, A>(definition, P::NAME, Some(parent), supervisor, mailbox)?;
        Ok(P::from_handle(ProxyHandle::from_cell(cell)))
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
        M: Dispatch<A>,
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
            ActorCore::new(address, type_name, self.clone(), parent.clone(), supervisor),
            mailbox,
        ));
        let actor = ActorRef::new(Arc::clone(&cell) as _);
        if let Some(parent) = &parent {
            if !parent.core().add_child(actor.clone()) {
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
        let runner = Box::new(ActorRunner::new(definition, &cell));
        if A::STARTS_EAGERLY {
            runner.activate(Arc::clone(&cell));
            // A runtime that has shut down dropped the task at once (and closed the actor).
            if self.runtime_is_gone() {
                return Err(ActorError::RuntimeShutdown);
            }
        } else {
            // Built and started by the first activation, which the first send makes.
            cell.mailbox.park(runner).run(&cell);
        }
        Ok(cell)
    }

    /// A proxy onto the live actor at `address`, or `None` if there is none or it does not speak
    /// protocol `P`.
    pub fn actor_of<P: Protocol>(&self, address: &Address) -> Option<P> {
        self.inner.directory.get(address)?.downcast::<P>()
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
        lock(&self.inner.supervisors).insert(name.into(), supervisor);
    }

    /// The supervisor known by `name`: `"default"` is the public root; then a supervisor
    /// registered under `name`; then a live actor whose type name is `name`.
    pub fn supervisor(&self, name: &str) -> Option<ActorRef> {
        match name {
            "default" | PUBLIC_ROOT_TYPE => return Some(self.public_root()),
            PRIVATE_ROOT_TYPE => return Some(self.private_root()),
            _ => {}
        }
        if let Some(supervisor) = self.registered_supervisor(name) {
            return Some(supervisor);
        }
        self.inner
            .directory
            .find_by_type(name)
            .into_iter()
            .find(|actor| !actor.is_stopped())
    }

    /// The supervisor registered under `name`, if it is still live.
    pub(crate) fn registered_supervisor(&self, name: &str) -> Option<ActorRef> {
        lock(&self.inner.supervisors)
            .get(name)
            .filter(|supervisor| !supervisor.is_stopped())
            .cloned()
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
        match self.inner.default_ask_timeout.load(Ordering::Relaxed) {
            NO_DEFAULT_ASK_TIMEOUT => None,
            nanos => Some(std::time::Duration::from_nanos(nanos)),
        }
    }

    /// The public root: the default parent of the actors the stage creates.
    pub fn public_root(&self) -> ActorRef {
        self.roots().public.clone()
    }

    /// The private root: the parent of the public root.
    pub fn private_root(&self) -> ActorRef {
        self.roots().private.clone()
    }

    /// Whether [`close`](Self::close) has been called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::Acquire)
    }

    /// Stops every actor, children before their parents, the roots last, waiting at most the
    /// stage's [close timeout](Self::with_close_timeout) (10 seconds unless set): it always
    /// ends. Every promise still pending settles (messages queued at stop fail with
    /// [`ActorError::Stopped`] and become dead letters). Afterwards `actor_for` fails with
    /// [`ActorError::StageClosed`]. Last, the [`scheduler`](Self::scheduler) is closed,
    /// cancelling every schedule. Calling it again waits for the first close to finish.
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
        if environment::current_actor().is_some_and(|actor| actor.core().stage == *self) {
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
        self.inner.linger_slots.clear();
        if self.runtime_is_gone() {
            tracing::warn!("Stage closed after its runtime shut down: actors were force-closed");
            return Err(CloseError::RuntimeShutdown);
        }
        if let Err(error) = &outcome {
            tracing::warn!("Stage close: {error}");
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
        let roots = self.roots();
        let unstopped = left
            .into_iter()
            .filter(|actor| *actor != roots.private && *actor != roots.public)
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
        self.inner.runtime_gone.load(Ordering::Acquire)
    }

    /// An actor's task was dropped unfinished, which only a runtime shutting down does: makes
    /// sure of it (a task spawned now is cancelled at once on a runtime that has shut down) and
    /// remembers it.
    pub(crate) fn runtime_dropped_a_task(&self) {
        if self.runtime_is_gone() {
            return;
        }
        if self.inner.runtime.spawn(async {}).is_finished() {
            self.inner.runtime_gone.store(true, Ordering::Release);
        }
    }

    pub(crate) fn runtime(&self) -> &Handle {
        &self.inner.runtime
    }

    pub(crate) fn linger_slots(&self) -> &LingerSlots {
        &self.inner.linger_slots
    }

    fn roots(&self) -> &Roots {
        self.inner
            .roots
            .get()
            .expect("the roots are created with the stage")
    }
}

/// `StageInner::default_ask_timeout` when there is none.
const NO_DEFAULT_ASK_TIMEOUT: u64 = u64::MAX;

/// An actor is being created with a supervisor name that names nothing yet.
#[cold]
fn warn_supervisor_not_found(name: &str) {
    tracing::warn!(
        "Supervisor `{name}` not found: no supervisor is registered under that name and no live \
         actor has it as its type name. Until one does, the actor's failures go to its parent. \
         Is the name misspelt?"
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
