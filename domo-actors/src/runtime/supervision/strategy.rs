//! `SupervisionStrategy`: how a supervisor decides, how many restarts it allows over what
//! period, and to whom its directives apply.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::{Supervised, SupervisionDirective};

/// Whom a supervisor's directive applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SupervisionScope {
    /// Only the actor that failed.
    #[default]
    One,
    /// The actor that failed and all its siblings (the other children of its parent).
    All,
}

/// How a supervisor supervises: its *decider*, which picks a [`SupervisionDirective`] for a
/// failed actor; at most `intensity` restarts within `period` (more turns a `Restart` into a
/// `Stop`, as XOOM Actors defines it); and the `scope` the directive applies to.
///
/// The decider is a closure (as in Akka's strategies), evaluated by the runtime the moment an
/// actor fails, without a message to the supervisor: a supervisor that is itself busy, even
/// awaiting the actor that failed, never holds up the decision. Without one, the directive is
/// `Restart`.
///
/// ```
/// use std::time::Duration;
/// use domo_actors::{SupervisionDirective, SupervisionScope, SupervisionStrategy};
///
/// let default = SupervisionStrategy::default();
/// assert_eq!(default.intensity(), 1);
/// assert_eq!(default.period(), Duration::from_secs(5));
/// assert_eq!(default.scope(), SupervisionScope::One);
///
/// let forever = SupervisionStrategy::forever();
/// assert!(forever.is_forever());
///
/// let resume_on_bad_input = SupervisionStrategy::default().deciding(|supervised| {
///     if supervised.error().to_string().contains("bad input") {
///         SupervisionDirective::Resume
///     } else {
///         SupervisionDirective::Escalate
///     }
/// });
/// # let _ = resume_on_bad_input;
/// ```
#[derive(Clone)]
pub struct SupervisionStrategy {
    intensity: i64,
    period: Duration,
    scope: SupervisionScope,
    decider: Option<Decider>,
}

/// A supervisor's decision function.
type Decider = Arc<dyn Fn(&Supervised) -> SupervisionDirective + Send + Sync>;

impl SupervisionStrategy {
    /// DomoActors' default intensity: one restart per period.
    pub const DEFAULT_INTENSITY: i64 = 1;
    /// An intensity that never runs out.
    pub const FOREVER_INTENSITY: i64 = -1;
    /// DomoActors' default period: five seconds.
    pub const DEFAULT_PERIOD: Duration = Duration::from_secs(5);
    /// A period that never ends.
    pub const FOREVER_PERIOD: Duration = Duration::MAX;

    /// A strategy allowing `intensity` restarts within `period` (a negative intensity means
    /// forever), applied to `scope`.
    pub const fn new(intensity: i64, period: Duration, scope: SupervisionScope) -> Self {
        Self {
            intensity,
            period,
            scope,
            decider: None,
        }
    }

    /// Unlimited restarts (the public root's strategy), scope one.
    pub const fn forever() -> Self {
        Self::new(
            Self::FOREVER_INTENSITY,
            Self::FOREVER_PERIOD,
            SupervisionScope::One,
        )
    }

    /// The same strategy with another scope.
    pub fn with_scope(mut self, scope: SupervisionScope) -> Self {
        self.scope = scope;
        self
    }

    /// The same strategy, deciding with `decider`: given the failed actor (its address, type,
    /// the error naming the method and cause, the failing message's execution context), it
    /// returns the directive. It runs in the failed actor's task, so it must not block; a
    /// panic in it counts as [`SupervisionDirective::Escalate`].
    pub fn deciding(
        mut self,
        decider: impl Fn(&Supervised) -> SupervisionDirective + Send + Sync + 'static,
    ) -> Self {
        self.decider = Some(Arc::new(decider));
        self
    }

    /// The directive for `supervised`: the decider's, or `Restart` without one.
    pub fn decide(&self, supervised: &Supervised) -> SupervisionDirective {
        match &self.decider {
            Some(decider) => decider(supervised),
            None => SupervisionDirective::Restart,
        }
    }

    /// Whether this strategy has its own decider.
    pub fn has_decider(&self) -> bool {
        self.decider.is_some()
    }

    /// At most this many restarts within [`period`](Self::period); negative means forever.
    pub const fn intensity(&self) -> i64 {
        self.intensity
    }

    /// The window over which restarts are counted.
    pub const fn period(&self) -> Duration {
        self.period
    }

    /// Whom the directive applies to.
    pub const fn scope(&self) -> SupervisionScope {
        self.scope
    }

    /// Whether restarts are unlimited.
    pub const fn is_forever(&self) -> bool {
        self.intensity < 0
    }
}

impl PartialEq for SupervisionStrategy {
    /// Compares the limits and the scope, and whether the deciders are the same closure.
    fn eq(&self, other: &Self) -> bool {
        self.intensity == other.intensity
            && self.period == other.period
            && self.scope == other.scope
            && match (&self.decider, &other.decider) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl fmt::Debug for SupervisionStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupervisionStrategy")
            .field("intensity", &self.intensity)
            .field("period", &self.period)
            .field("scope", &self.scope)
            .field("decider", &self.decider.as_ref().map(|_| "custom"))
            .finish()
    }
}

impl Default for SupervisionStrategy {
    /// DomoActors' `DefaultSupervisionStrategy`: intensity 1, period 5 s, scope one.
    fn default() -> Self {
        Self::new(
            Self::DEFAULT_INTENSITY,
            Self::DEFAULT_PERIOD,
            SupervisionScope::One,
        )
    }
}
