//! The bank's supervisors: `bank-supervisor` (the Teller and the Bank), `account-supervisor`
//! (every Account) and `transfer-supervisor` (the TransferCoordinator).
//!
//! A supervisor is an ordinary actor. The actors it supervises name it by its type name, in
//! their `Definition`; the stage finds it by that name when one of them fails. Its decision
//! comes from the decider of its [`SupervisionStrategy`], which the runtime calls at once, in
//! the failed actor's task. These supervisors always *resume* (the failed actor keeps its state
//! and takes its next message), and explain the failure from the execution context of the
//! message that failed: which command, serving which request.

use std::fmt;
use std::sync::{Arc, Mutex};

use domo_actors::{
    Actor, ActorError, Definition, Supervised, SupervisionDirective, SupervisionStrategy,
    actor_protocol,
};

/// Supervises the Teller and the Bank.
pub const BANK_SUPERVISOR: &str = "bank-supervisor";
/// Supervises every Account.
pub const ACCOUNT_SUPERVISOR: &str = "account-supervisor";
/// Supervises the TransferCoordinator.
pub const TRANSFER_SUPERVISOR: &str = "transfer-supervisor";

/// A supervisor's own protocol: what it can tell about the failures it handled.
#[actor_protocol]
pub trait Supervisor {
    /// The failures this supervisor has handled, oldest first.
    async fn failures(&self) -> Vec<FailureReport>;
}

/// What a supervisor made of one failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureReport {
    /// The supervisor's name.
    pub supervisor: &'static str,
    /// The type of the actor that failed.
    pub actor_type: String,
    /// The protocol method that failed.
    pub method: String,
    /// The `"command"` of the failing message's execution context.
    pub command: Option<String>,
    /// The `"request"` of the failing message's execution context.
    pub request: Option<String>,
    /// Why it failed.
    pub cause: String,
    /// What the supervisor decided.
    pub directive: SupervisionDirective,
}

impl FailureReport {
    fn new(
        supervisor: &'static str,
        supervised: &Supervised,
        directive: SupervisionDirective,
    ) -> Self {
        let context = supervised.execution_context();
        let cause = match supervised.error() {
            ActorError::HandlerPanicked { cause, .. } => cause.clone(),
            other => other.to_string(),
        };
        FailureReport {
            supervisor,
            actor_type: supervised.actor().type_name().to_owned(),
            method: supervised.method().unwrap_or("?").to_owned(),
            command: context.value::<String>("command").cloned(),
            request: context.value::<String>("request").cloned(),
            cause,
            directive,
        }
    }
}

impl fmt::Display for FailureReport {
    /// The explanation, for a person: what was being done, what broke, what happens next.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.command, &self.request) {
            (Some(command), Some(request)) => write!(f, "During {command} ({request}), ")?,
            (Some(command), None) => write!(f, "During {command}, ")?,
            _ => f.write_str("Outside any request, ")?,
        }
        write!(
            f,
            "{} failed in `{}`: {}. {}",
            self.actor_type,
            self.method,
            self.cause,
            self.directive_explained()
        )
    }
}

impl FailureReport {
    fn directive_explained(&self) -> &'static str {
        match self.directive {
            SupervisionDirective::Resume => {
                "Resumed: it keeps its state and goes on with its next message."
            }
            SupervisionDirective::Restart => "Restarted with a fresh state.",
            SupervisionDirective::Stop => "Stopped.",
            SupervisionDirective::Escalate => "Escalated.",
            SupervisionDirective::Suspend => "Suspended.",
        }
    }
}

/// A supervisor that resumes every failed actor and keeps a journal of what it handled.
pub struct ResumingSupervisor {
    name: &'static str,
    /// Written by the decider, which runs in the failed actor's task, not in this actor's: so
    /// this one piece of state is shared, behind a lock.
    journal: Arc<Mutex<Vec<FailureReport>>>,
}

impl ResumingSupervisor {
    /// The definition of the supervisor called `name` (its type name, by which the supervised
    /// actors find it).
    pub fn definition(name: &'static str) -> Definition<ResumingSupervisor> {
        Definition::new(move || ResumingSupervisor {
            name,
            journal: Arc::default(),
        })
        .with_type(name)
    }
}

impl Actor for ResumingSupervisor {
    fn supervision_strategy(&self) -> SupervisionStrategy {
        // Captured here, in the supervisor's own task: its logger puts the explanation under
        // this supervisor's span, wherever the decider runs.
        let logger = self.logger();
        let name = self.name;
        let journal = Arc::clone(&self.journal);
        SupervisionStrategy::default().deciding(move |supervised: &Supervised| {
            let report = FailureReport::new(name, supervised, SupervisionDirective::Resume);
            logger.warn(&report);
            journal
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(report);
            SupervisionDirective::Resume
        })
    }
}

impl Supervisor for ResumingSupervisor {
    async fn failures(&self) -> Vec<FailureReport> {
        self.journal
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}
