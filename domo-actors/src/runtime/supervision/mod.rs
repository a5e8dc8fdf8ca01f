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
//! [`Stage::register_supervisor`](crate::Stage::register_supervisor), else an actor whose type
//! has that name, `"default"` being the public root); the supervisor registered for its type
//! name; its parent. The private root, at the top, stops what reaches it.

pub(crate) mod directive;
pub(crate) mod strategy;
pub(crate) mod supervised;

use std::panic::AssertUnwindSafe;

use crate::base::error::panic_message;
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

/// Who supervises `actor`.
pub(crate) fn supervisor_of(actor: &ActorRef) -> Option<ActorRef> {
    let core = actor.core();
    let named = match &core.supervisor {
        Some(name) => {
            let found = core.stage.supervisor(name);
            if found.is_none() {
                core.logger.warn(format_args!(
                    "Supervisor not found: {name}; the parent supervises instead"
                ));
            }
            found
        }
        None => core.stage.registered_supervisor(&core.type_name),
    };
    match named {
        // An actor cannot wait for its own decision.
        Some(supervisor) if supervisor != *actor => Some(supervisor),
        _ => core.parent.clone(),
    }
}

/// The decision of `supervised`'s supervisor, walking up while supervisors escalate (or have
/// stopped).
pub(crate) fn decide(supervised: &Supervised) -> Decision {
    let mut next = supervisor_of(supervised.actor());
    for _ in 0..MAX_ESCALATIONS {
        let Some(supervisor) = next else {
            break;
        };
        if supervisor == *supervised.actor() {
            // An escalation came back to the failed actor, which cannot supervise itself: its
            // parent decides instead.
            next = supervised.actor().parent();
            continue;
        }
        if supervisor.is_stopped() {
            // A stopped supervisor's own supervisor decides.
            next = supervisor_of(&supervisor);
            continue;
        }
        let strategy = supervisor.core().supervision_strategy();
        let directive = std::panic::catch_unwind(AssertUnwindSafe(|| strategy.decide(supervised)))
            .unwrap_or_else(|payload| {
                supervisor.core().logger.error(format_args!(
                    "Supervisor failed to handle actor failure: {}; escalating",
                    panic_message(&*payload)
                ));
                SupervisionDirective::Escalate
            });
        if directive == SupervisionDirective::Escalate {
            supervisor.core().logger.info(format_args!(
                "Escalating failure of {} at {}",
                supervised.actor().type_name(),
                supervised.address()
            ));
            next = supervisor_of(&supervisor);
            continue;
        }
        return (directive, strategy);
    }
    no_supervisor()
}
