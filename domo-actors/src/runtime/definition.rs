//! `Definition`: how to build an actor, and what to call it.

use std::fmt;
use std::sync::Arc;

use crate::Address;

/// How to build an actor: its instantiator, and optionally its type name, address, supervisor
/// name and name.
///
/// DomoActors' definition carries a list of constructor parameters; here the instantiator is a
/// closure that captures them. The instantiator is called when the actor is created, in the
/// creator's call but as the new actor (`Environment::current()` inside it is the new actor's),
/// with a panic contained (the actor is then stopped), and again in the actor's own task for
/// every restart, which builds a fresh instance.
///
/// ```
/// use domo_actors::{Address, Definition};
///
/// struct Greeter { greeting: String }
///
/// let greeting = String::from("hello");
/// let definition = Definition::new(move || Greeter { greeting: greeting.clone() })
///     .with_type("greeter")
///     .with_address(Address::from_number(7));
/// assert_eq!(definition.type_name(), Some("greeter"));
/// assert_eq!(definition.instantiate().greeting, "hello");
/// ```
pub struct Definition<A> {
    instantiator: Arc<dyn Fn() -> A + Send + Sync>,
    type_name: Option<Arc<str>>,
    address: Option<Address>,
    supervisor: Option<Arc<str>>,
    name: Option<Arc<str>>,
}

impl<A> Definition<A> {
    /// A definition that builds the actor with `instantiator`. The type name defaults to the
    /// protocol's name and the address to a fresh UUIDv7 one.
    pub fn new(instantiator: impl Fn() -> A + Send + Sync + 'static) -> Self {
        Self {
            instantiator: Arc::new(instantiator),
            type_name: None,
            address: None,
            supervisor: None,
            name: None,
        }
    }

    /// Names the actor's type (used by the Directory's type index and for finding supervisors).
    pub fn with_type(mut self, type_name: impl Into<Arc<str>>) -> Self {
        self.type_name = Some(type_name.into());
        self
    }

    /// Gives the actor this address instead of a fresh one.
    pub fn with_address(mut self, address: Address) -> Self {
        self.address = Some(address);
        self
    }

    /// Names the actor's supervisor (see [`Stage::supervisor`](crate::Stage::supervisor) for how
    /// the name is resolved). [`ActorOptions::with_supervisor`](crate::ActorOptions) overrides it.
    pub fn with_supervisor(mut self, name: impl Into<Arc<str>>) -> Self {
        self.supervisor = Some(name.into());
        self
    }

    /// Names the actor on its stage, uniquely, as it is created (see
    /// [`Stage::register_name`](crate::Stage::register_name)): creating it fails with
    /// [`ActorError::NameInUse`](crate::ActorError::NameInUse) if a live actor has the name.
    /// [`Stage::named`](crate::Stage::named) finds it; its stop releases the name. Unlike the
    /// type name, which many actors share, the name is one actor's.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, ActorError, Definition, Stage};
    ///
    /// #[actor_protocol]
    /// pub trait Clock {
    ///     async fn now(&self) -> u64;
    /// }
    ///
    /// #[derive(Actor)]
    /// struct ClockActor;
    ///
    /// impl Clock for ClockActor {
    ///     async fn now(&self) -> u64 {
    ///         42
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let clock = || Definition::new(|| ClockActor).with_name("clock");
    /// let _: ClockProxy = stage.actor_for(clock()).unwrap();
    /// assert_eq!(stage.named::<ClockProxy>("clock").unwrap().now().await, 42);
    /// assert!(matches!(
    ///     stage.actor_for::<ClockProxy, _>(clock()),
    ///     Err(ActorError::NameInUse { .. })
    /// ));
    /// # stage.close().await;
    /// # }
    /// ```
    pub fn with_name(mut self, name: impl Into<Arc<str>>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The name given with [`with_name`](Self::with_name), if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The supervisor name given with [`with_supervisor`](Self::with_supervisor), if any.
    pub fn supervisor(&self) -> Option<&str> {
        self.supervisor.as_deref()
    }

    /// The type name given with [`with_type`](Self::with_type), if any.
    pub fn type_name(&self) -> Option<&str> {
        self.type_name.as_deref()
    }

    /// The address given with [`with_address`](Self::with_address), if any.
    pub fn address(&self) -> Option<Address> {
        self.address
    }

    /// Builds a new instance of the actor.
    pub fn instantiate(&self) -> A {
        (self.instantiator)()
    }

    pub(crate) fn type_name_arc(&self) -> Option<&Arc<str>> {
        self.type_name.as_ref()
    }

    pub(crate) fn supervisor_arc(&self) -> Option<&Arc<str>> {
        self.supervisor.as_ref()
    }

    pub(crate) fn name_arc(&self) -> Option<&Arc<str>> {
        self.name.as_ref()
    }
}

impl<A> Clone for Definition<A> {
    fn clone(&self) -> Self {
        Self {
            instantiator: Arc::clone(&self.instantiator),
            type_name: self.type_name.clone(),
            address: self.address,
            supervisor: self.supervisor.clone(),
            name: self.name.clone(),
        }
    }
}

impl<A> fmt::Debug for Definition<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Definition")
            .field("type_name", &self.type_name)
            .field("address", &self.address)
            .field("supervisor", &self.supervisor)
            .field("name", &self.name)
            .field("actor", &std::any::type_name::<A>())
            .finish()
    }
}
