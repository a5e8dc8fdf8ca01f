//! `Protocol`: a generated proxy; `Protocols`: the proxies an actor is created with.

use std::any::Any;
use std::sync::Arc;

use std::future::Future;

use crate::runtime::proxy::request::handler_panicked;
use crate::{
    ActorError, ActorRef, Call, Deliver, Dispatch, HandlerFailure, Message, ProxyHandle,
    ReplyRoute, Request,
};

/// A protocol's proxy type: what [`Stage::actor_for`](crate::Stage::actor_for) returns.
///
/// Implemented by the `...Proxy` struct that `#[actor_protocol]` generates; not meant to be
/// implemented by hand.
pub trait Protocol: Clone + Send + Sync + 'static {
    /// The protocol's call enum (one variant per method, arguments only).
    type Call: Call<Answer: Send> + Send;

    /// The protocol's name: the trait's name. The default type name of its actors.
    const NAME: &'static str;

    /// Wraps a handle to an actor that speaks this protocol.
    fn from_handle(handle: ProxyHandle<Self::Call>) -> Self;

    /// The handle this proxy wraps.
    fn handle(&self) -> &ProxyHandle<Self::Call>;
}

/// The protocols an actor is created with: one proxy type, or a tuple of up to four (XOOM
/// Actors' `actorFor(protocols, ...)`). Every protocol's messages share the actor's one mailbox
/// and its order:
///
/// ```
/// use domo_actors::{actor_protocol, Actor, Definition, Stage};
///
/// #[actor_protocol]
/// pub trait Account {
///     async fn deposit(&mut self, amount: u64) -> u64;
/// }
///
/// #[actor_protocol]
/// pub trait Auditable {
///     async fn audit_trail(&mut self) -> Vec<u64>;
/// }
///
/// #[derive(Actor, Default)]
/// struct AccountActor {
///     deposits: Vec<u64>,
/// }
///
/// impl Account for AccountActor {
///     async fn deposit(&mut self, amount: u64) -> u64 {
///         self.deposits.push(amount);
///         self.deposits.iter().sum()
///     }
/// }
///
/// impl Auditable for AccountActor {
///     async fn audit_trail(&mut self) -> Vec<u64> {
///         self.deposits.clone()
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let (account, audit): (AccountProxy, AuditableProxy) =
///     stage.actor_for(Definition::new(AccountActor::default)).unwrap();
/// account.deposit(5);
/// assert_eq!(account.deposit(7).await, 12);
/// assert_eq!(audit.audit_trail().await, vec![5, 7]);
/// assert_eq!(account.address(), audit.address()); // one actor
/// # stage.close().await;
/// # }
/// ```
pub trait Protocols: Sized + Send + 'static {
    /// What the actor's mailbox holds: a [`Request`] of one of the protocols.
    type Mailbox: Message;

    /// The default type name of the actor: the (first) protocol's name.
    const NAME: &'static str;

    /// The proxies onto `actor`, if it speaks every one of these protocols.
    fn of(actor: &ActorRef) -> Option<Self>;
}

impl<P: Protocol> Protocols for P {
    type Mailbox = Request<P::Call>;
    const NAME: &'static str = P::NAME;

    fn of(actor: &ActorRef) -> Option<Self> {
        actor.downcast::<P>()
    }
}

/// Declares a mailbox type for actors with `n` protocols, and `Protocols` for the tuple of
/// their proxies.
macro_rules! several_protocols {
    (
        $(#[$doc:meta])*
        $mailbox:ident, $calls:ident, $routes:ident, $answers:ident
        { $($variant:ident: $proxy:ident),+ }
    ) => {
        $(#[$doc])*
        #[doc(hidden)]
        pub enum $mailbox<$($proxy: Call<Answer: Send> + Send),+> {
            $(
                #[doc = "A request of this protocol."]
                $variant(Request<$proxy>),
            )+
        }

        impl<$($proxy: Call<Answer: Send> + Send),+> Message for $mailbox<$($proxy),+> {
            fn method_name(&self) -> &'static str {
                match self {
                    $(Self::$variant(request) => request.method_name(),)+
                }
            }

            fn representation(&self) -> String {
                match self {
                    $(Self::$variant(request) => request.representation(),)+
                }
            }

            fn fail(self, error: ActorError) {
                match self {
                    $(Self::$variant(request) => request.fail(error),)+
                }
            }

            fn find_handle(cell: &Arc<dyn Any + Send + Sync>, out: &mut dyn Any) {
                $(
                    if let Some(out) = out.downcast_mut::<Option<ProxyHandle<$proxy>>>() {
                        if let Ok(cell) = Arc::clone(cell)
                            .downcast::<crate::runtime::actor_cell::ActorCell<Self>>()
                        {
                            *out = Some(ProxyHandle::embedded(cell, Self::$variant));
                        }
                        return;
                    }
                )+
            }
        }

        /// The calls of a
        #[doc = stringify!($mailbox)]
        /// apart from their routes: what its delivery's future holds.
        #[doc(hidden)]
        pub enum $calls<$($proxy),+> {
            $(
                #[doc = "A call of this protocol."]
                $variant($proxy),
            )+
        }

        /// The reply routes of a
        #[doc = stringify!($mailbox)]
        /// (with their methods' numbers): what the actor task holds while a handler runs.
        #[doc(hidden)]
        pub enum $routes<$($proxy: Call),+> {
            $(
                #[doc = "A route of this protocol."]
                $variant(ReplyRoute<$proxy::Answer>, u32),
            )+
        }

        /// What a handler of one of the protocols of a
        #[doc = stringify!($mailbox)]
        /// returns.
        #[doc(hidden)]
        pub enum $answers<$($proxy: Call),+> {
            $(
                #[doc = "An answer of this protocol."]
                $variant($proxy::Answer),
            )+
        }

        impl<__A: Send, $($proxy: Call<Answer: Send> + Send),+> Deliver<__A>
            for $mailbox<$($proxy),+>
        where
            $($proxy: Dispatch<__A>,)+
        {
            type Route = $routes<$($proxy),+>;
            type Answer = $answers<$($proxy),+>;

            #[inline]
            fn dispatch(
                self,
                actor: &mut __A,
            ) -> (impl Future<Output = Self::Answer> + Send + '_, Self::Route) {
                let (call, route) = match self {
                    $(Self::$variant(request) => {
                        let (call, reply) = request.into_parts();
                        let method = call.method_index();
                        ($calls::$variant(call), $routes::$variant(reply, method))
                    })+
                };
                // One state machine over the protocols' handlers.
                let answer = async move {
                    match call {
                        $($calls::$variant(call) => $answers::$variant(call.dispatch(actor).await),)+
                    }
                };
                (answer, route)
            }

            #[inline]
            fn answer(route: Self::Route, answer: Self::Answer) {
                match (route, answer) {
                    $(($routes::$variant(reply, _), $answers::$variant(answer)) => reply.answer(answer),)+
                    #[allow(unreachable_patterns)]
                    _ => unreachable!("an answer comes back on its own protocol's route"),
                }
            }

            fn panicked(route: Self::Route, payload: Box<dyn Any + Send>) -> HandlerFailure {
                match route {
                    $($routes::$variant(reply, method) => {
                        handler_panicked(reply, <$proxy as Call>::method_name_at(method), payload)
                    })+
                }
            }
        }
    };
}

several_protocols! {
    /// The mailbox of an actor with two protocols.
    Requests2, Calls2, Routes2, Answers2 { First: C1, Second: C2 }
}
several_protocols! {
    /// The mailbox of an actor with three protocols.
    Requests3, Calls3, Routes3, Answers3 { First: C1, Second: C2, Third: C3 }
}
several_protocols! {
    /// The mailbox of an actor with four protocols.
    Requests4, Calls4, Routes4, Answers4 { First: C1, Second: C2, Third: C3, Fourth: C4 }
}

/// `Protocols` for a tuple of proxies, whose mailbox is `$mailbox`.
macro_rules! protocols_tuple {
    ($mailbox:ident { $($p:ident),+ }) => {
        impl<$($p: Protocol),+> Protocols for ($($p,)+) {
            type Mailbox = $mailbox<$($p::Call),+>;
            const NAME: &'static str = first_name(&[$($p::NAME),+]);

            fn of(actor: &ActorRef) -> Option<Self> {
                Some(($(actor.downcast::<$p>()?,)+))
            }
        }
    };
}

protocols_tuple!(Requests2 { P1, P2 });
protocols_tuple!(Requests3 { P1, P2, P3 });
protocols_tuple!(Requests4 { P1, P2, P3, P4 });

const fn first_name(names: &[&'static str]) -> &'static str {
    names[0]
}
