//! `SupervisionStrategy`: how many restarts a supervisor allows, over what period, to whom.

use std::time::Duration;

/// Whom a supervisor's directive applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SupervisionScope {
    /// Only the actor that failed.
    #[default]
    One,
    /// The actor that failed and all its siblings (the other children of its parent).
    All,
}

/// How a supervisor supervises: at most `intensity` restarts within `period` (more turns a
/// `Restart` into a `Stop`, as XOOM Actors defines it), applied to `scope`.
///
/// ```
/// use std::time::Duration;
/// use domo_actors::{SupervisionScope, SupervisionStrategy};
///
/// let default = SupervisionStrategy::default();
/// assert_eq!(default.intensity(), 1);
/// assert_eq!(default.period(), Duration::from_secs(5));
/// assert_eq!(default.scope(), SupervisionScope::One);
///
/// let forever = SupervisionStrategy::forever();
/// assert!(forever.is_forever());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SupervisionStrategy {
    intensity: i64,
    period: Duration,
    scope: SupervisionScope,
}

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
    pub const fn with_scope(mut self, scope: SupervisionScope) -> Self {
        self.scope = scope;
        self
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
