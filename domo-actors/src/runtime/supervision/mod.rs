//! Supervision: its values (`directive.rs`, `strategy.rs`, `supervised.rs`) and how a failure
//! reaches a supervisor (this file): who supervises an actor, and the walk up the hierarchy when
//! supervisors escalate. The values name the actor that failed (an `ActorRef`), so they belong
//! to the runtime, not below it.
//!
//! Every actor can supervise (XOOM Actors' model) with the [`SupervisionStrategy`] it gave when
//! it was built: its decider is evaluated in the failed actor's task, with no message to the
//! supervisor, so a supervisor busy in a handler (even one awaiting the actor that failed) never
//! holds up the decision. An actor's supervisor is, in order:
//! the supervisor named when it was created (a name registered with
//! [`Stage::register_supervisor`](crate::Stage::register_supervisor) or
//! [`Stage::register_supervisor_fn`](crate::Stage::register_supervisor_fn), else an actor whose
//! type has that name, `"default"` being the public root); the supervisor registered for its
//! type name; its parent. The private root, at the top, stops what reaches it.
//!
//! A function supervisor is a strategy registered by name, with no actor: it decides exactly
//! as a supervisor actor's strategy does (in the failed actor's task, panics counted as
//! `Escalate`), and, having no supervisor of its own, escalates to the parent of the actor it
//! decided for.

pub(crate) mod directive;
pub(crate) mod strategy;
pub(crate) mod supervised;

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use tracing::Level;

use crate::base::error::panic_message;
use crate::base::logger::{SUPERVISION, actor_event};
use crate::base::panic_site::panic_event;
use crate::runtime::root_actors::{PRIVATE_ROOT_TYPE, PUBLIC_ROOT_TYPE};
use crate::{ActorRef, Supervised, SupervisionDirective, SupervisionScope, SupervisionStrategy};

/// A supervisor's answer: the directive and the strategy it applies.
pub(crate) type Decision = (SupervisionDirective, SupervisionStrategy);

/// A supervisor's directive for a sibling of the actor that failed (scope `All`), as its
/// mailbox carries it to the sibling's task.
pub(crate) struct SiblingDirective {
    pub(crate) directive: SupervisionDirective,
    pub(crate) strategy: SupervisionStrategy,
    pub(crate) reason: crate::ActorError,
}

/// How many supervisors an escalation may walk through before giving up (a guard against
/// supervisors that name each other).
const MAX_ESCALATIONS: usize = 64;

/// The decision when no supervisor is left: stop, as the private root does.
fn no_supervisor() -> Decision {
    (
        SupervisionDirective::Stop,
        SupervisionStrategy::new(0, std::time::Duration::ZERO, SupervisionScope::One),
    )
}

/// Who decides for an actor that failed (or for a supervisor that escalated).
enum Deciding {
    /// A supervisor actor: its strategy decides, and it escalates to its own supervisor.
    Actor(ActorRef),
    /// A function supervisor (see [`Stage::register_supervisor_fn`](crate::Stage::register_supervisor_fn)),
    /// found for `on_behalf_of`: it has no supervisor of its own, so it escalates to
    /// `on_behalf_of`'s parent.
    Function {
        name: Arc<str>,
        strategy: SupervisionStrategy,
        on_behalf_of: ActorRef,
    },
}

/// Whether `name` always names a root (see `Stage::supervisor`).
fn names_a_root(name: &str) -> bool {
    matches!(name, "default" | PUBLIC_ROOT_TYPE | PRIVATE_ROOT_TYPE)
}

/// Who supervises `actor`.
fn supervisor_of(actor: &ActorRef) -> Option<Deciding> {
    let core = actor.core();
    let function = |name: &Arc<str>| {
        let strategy = core.stage.supervisor_fn(name)?;
        Some(Deciding::Function {
            name: Arc::clone(name),
            strategy,
            on_behalf_of: actor.clone(),
        })
    };
    let found = match &core.supervisor {
        Some(name) => {
            let found = if names_a_root(name) {
                None
            } else {
                function(name)
            }
            .or_else(|| core.stage.supervisor(name).map(Deciding::Actor));
            if found.is_none() {
                actor_event!(core.logger, target: SUPERVISION, Level::WARN,
                    supervisor = %name, "supervisor not found: the parent supervises instead");
            }
            found
        }
        None => function(&core.type_name).or_else(|| {
            core.stage
                .registered_supervisor(&core.type_name)
                .map(Deciding::Actor)
        }),
    };
    match found {
        // An actor cannot wait for its own decision.
        Some(Deciding::Actor(supervisor)) if supervisor == *actor => {
            core.parent.clone().map(Deciding::Actor)
        }
        None => core.parent.clone().map(Deciding::Actor),
        found => found,
    }
}

/// The decision of `supervised`'s supervisor, walking up while supervisors escalate (or have
/// stopped).
pub(crate) fn decide(supervised: &Supervised) -> Decision {
    let mut next = supervisor_of(supervised.actor());
    for _ in 0..MAX_ESCALATIONS {
        let Some(deciding) = next else {
            break;
        };
        let (strategy, logger, supervisor_name) = match &deciding {
            Deciding::Actor(supervisor) => {
                if supervisor == supervised.actor() {
                    // An escalation came back to the failed actor, which cannot supervise
                    // itself: its parent decides instead.
                    next = supervised.actor().parent().map(Deciding::Actor);
                    continue;
                }
                if supervisor.is_stopped() {
                    // A stopped supervisor's own supervisor decides.
                    next = supervisor_of(supervisor);
                    continue;
                }
                (
                    supervisor.core().supervision_strategy(),
                    &supervisor.core().logger,
                    None,
                )
            }
            // Logged by the failed actor: a function has no logger of its own.
            Deciding::Function { name, strategy, .. } => (
                strategy.clone(),
                &supervised.actor().core().logger,
                Some(name),
            ),
        };
        let directive = std::panic::catch_unwind(AssertUnwindSafe(|| strategy.decide(supervised)))
            .unwrap_or_else(|payload| {
                let cause = panic_message(&*payload);
                panic_event!(in logger, &cause, {
                    supervisor = supervisor_name.map(|name| &**name),
                    method = "decide",
                    supervised = %supervised.actor().type_name(),
                    supervised_id = %supervised.address().short(),
                } "a supervisor's decider panicked: escalating");
                SupervisionDirective::Escalate
            });
        if directive == SupervisionDirective::Escalate {
            actor_event!(logger, target: SUPERVISION, Level::INFO,
                supervisor = supervisor_name.map(|name| &**name),
                supervised = %supervised.actor().type_name(),
                supervised_id = %supervised.address().short(),
                "escalating a failure");
            next = match &deciding {
                Deciding::Actor(supervisor) => supervisor_of(supervisor),
                Deciding::Function { on_behalf_of, .. } => {
                    on_behalf_of.parent().map(Deciding::Actor)
                }
            };
            continue;
        }
        return (directive, strategy);
    }
    no_supervisor()
}
