//! Supervision scenes: a [`ScriptedSupervisor`] and a [`WorkerActor`] it supervises, built in
//! one expression instead of by hand in every supervision test.
//!
//! ```ignore
//! let scene = Scene::builder()
//!     .directive(SupervisionDirective::Restart)
//!     .forever()
//!     .build(&stage);
//! assert!(within!(scene.worker.fail("boom".into()).result()).is_err());
//! assert_eq!(decisions(&scene.log), ["sup:decide(fail: boom)"]);
//! ```
//!
//! By default the supervisor is named `sup`, answers `Restart` under the default strategy
//! (intensity 1, period 5 s, scope one), and supervises the worker `w` by name; the supervisor
//! is created first. Every actor of the scene records into one shared [`Log`].

use std::time::Duration;

use domo_actors::{
    ActorOptions, Definition, Stage, SupervisionDirective, SupervisionScope, SupervisionStrategy,
};

use crate::{Log, ScriptedSupervisor, SupervisorProxy, WorkerActor, WorkerProxy, new_log};

/// A supervisor and the worker it supervises, with the log they both record into.
pub struct Scene {
    /// The log every actor of the scene records into (see [`WorkerActor`] and
    /// [`ScriptedSupervisor`] for what they record).
    pub log: Log,
    /// The supervisor that decides: it answers the scene's directive.
    pub supervisor: SupervisorProxy,
    /// The supervisors between the worker and [`Scene::supervisor`] that escalate, from the
    /// worker's own supervisor up (empty unless [`SceneBuilder::escalating_through`]).
    pub escalators: Vec<SupervisorProxy>,
    /// The worker, supervised by the lowest escalator, else by the supervisor.
    pub worker: WorkerProxy,
    /// How the worker is tied to its supervisor, to tie [`Scene::sibling`]s the same way.
    supervised_as: Supervision,
}

/// How the workers of a scene find their supervisor.
#[derive(Clone, Debug)]
enum Supervision {
    /// By the supervisor's name (`Definition::with_supervisor`).
    Named(String),
    /// As its child (`ActorOptions::with_parent`): the parent supervises by default.
    Child,
}

impl Scene {
    /// A builder with the defaults: supervisor `sup` answering `Restart` under the default
    /// strategy, supervising worker `w` by name.
    pub fn builder() -> SceneBuilder {
        SceneBuilder::default()
    }

    /// Another worker named `name`, recording into the scene's log and supervised the way
    /// [`Scene::worker`] is (by the same supervisor's name, or as another of its children).
    pub fn sibling(&self, stage: &Stage, name: &str) -> WorkerProxy {
        let definition = WorkerActor::definition(name, &self.log);
        match &self.supervised_as {
            Supervision::Named(supervisor) => {
                stage.actor_for(definition.with_supervisor(supervisor.as_str()))
            }
            Supervision::Child => stage.actor_for_with(
                definition,
                ActorOptions::new().with_parent(self.supervisor.actor_ref()),
            ),
        }
        .expect("the stage creates the sibling")
    }
}

/// Builds a [`Scene`]: start from [`Scene::builder`], change what the test is about, then
/// [`SceneBuilder::build`].
pub struct SceneBuilder {
    log: Option<Log>,
    supervisor: String,
    directive: SupervisionDirective,
    strategy: SupervisionStrategy,
    supervisor_options: ActorOptions,
    escalators: Vec<String>,
    worker: String,
    worker_definition: Option<Definition<WorkerActor>>,
    panicking_hooks: &'static [&'static str],
    as_child: bool,
    supervisor_last: bool,
}

impl Default for SceneBuilder {
    fn default() -> Self {
        SceneBuilder {
            log: None,
            supervisor: "sup".to_owned(),
            directive: SupervisionDirective::Restart,
            strategy: SupervisionStrategy::default(),
            supervisor_options: ActorOptions::new(),
            escalators: Vec::new(),
            worker: "w".to_owned(),
            worker_definition: None,
            panicking_hooks: &[],
            as_child: false,
            supervisor_last: false,
        }
    }
}

impl SceneBuilder {
    /// The directive the supervisor answers to every failure (default `Restart`).
    pub fn directive(mut self, directive: SupervisionDirective) -> Self {
        self.directive = directive;
        self
    }

    /// The supervisor's whole strategy (default [`SupervisionStrategy::default`]).
    pub fn strategy(mut self, strategy: SupervisionStrategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// Restarts without limit: [`SupervisionStrategy::forever`].
    pub fn forever(self) -> Self {
        self.strategy(SupervisionStrategy::forever())
    }

    /// At most `intensity` restarts within `period` (a restart beyond them is a stop), in the
    /// strategy's current scope.
    pub fn intensity(self, intensity: i64, period: Duration) -> Self {
        let scope = self.strategy.scope();
        self.strategy(SupervisionStrategy::new(intensity, period, scope))
    }

    /// The scope the supervisor's directives apply in (default one: the failed actor alone).
    pub fn scope(self, scope: SupervisionScope) -> Self {
        let strategy = self.strategy.clone().with_scope(scope);
        self.strategy(strategy)
    }

    /// The deciding supervisor's name, which is also its type name (default `sup`).
    pub fn supervisor(mut self, name: &str) -> Self {
        self.supervisor = name.to_owned();
        self
    }

    /// The options the deciding supervisor is created with (its own supervisor or parent).
    pub fn supervisor_options(mut self, options: ActorOptions) -> Self {
        self.supervisor_options = options;
        self
    }

    /// Puts supervisors that answer `Escalate` between the worker and the deciding supervisor,
    /// named from the worker's up: `["a", "b"]` gives worker ← `a` ← `b` ← supervisor, each
    /// supervised by name by the next one up; they are created top-down, after the supervisor.
    pub fn escalating_through(mut self, names: &[&str]) -> Self {
        self.escalators = names.iter().map(|name| (*name).to_owned()).collect();
        self
    }

    /// The worker's name (default `w`): its log entries start with `"<name>#"`.
    pub fn worker(mut self, name: &str) -> Self {
        self.worker = name.to_owned();
        self
    }

    /// Creates the worker from `definition` (which should record into the scene's
    /// [`SceneBuilder::log`]) instead of [`WorkerActor::definition`]; it is still tied to its
    /// supervisor by the builder.
    pub fn worker_definition(mut self, definition: Definition<WorkerActor>) -> Self {
        self.worker_definition = Some(definition);
        self
    }

    /// The worker's hooks that panic: see [`WorkerActor::panicking_in`].
    pub fn panicking_in(mut self, hooks: &'static [&'static str]) -> Self {
        self.panicking_hooks = hooks;
        self
    }

    /// Records into `log` (for a test that built a definition on it, or checks other actors
    /// against the same log) instead of a new one.
    pub fn log(mut self, log: &Log) -> Self {
        self.log = Some(log.clone());
        self
    }

    /// Creates the worker as a child of the supervisor, which supervises it as its parent,
    /// instead of naming the supervisor.
    pub fn as_child(mut self) -> Self {
        self.as_child = true;
        self
    }

    /// Creates the supervisor after the worker that names it (instead of before).
    pub fn supervisor_created_last(mut self) -> Self {
        self.supervisor_last = true;
        self
    }

    /// Creates the actors on `stage`.
    pub fn build(self, stage: &Stage) -> Scene {
        assert!(
            !(self.as_child && self.supervisor_last),
            "a child is created after its parent"
        );
        assert!(
            self.escalators.is_empty() || !(self.as_child || self.supervisor_last),
            "escalators stand between a supervisor created first and a worker that names one"
        );
        let log = self.log.unwrap_or_else(new_log);
        let worker_definition = self.worker_definition.unwrap_or_else(|| {
            WorkerActor::panicking_in(self.worker.as_str(), &log, self.panicking_hooks)
        });
        let deciding = ScriptedSupervisor::with_strategy(
            self.supervisor.as_str(),
            &log,
            self.directive,
            self.strategy,
        );
        let supervisor_options = self.supervisor_options;
        let create_supervisor = || -> SupervisorProxy {
            stage
                .actor_for_with(deciding, supervisor_options)
                .expect("the stage creates the supervisor")
        };

        if self.as_child {
            let supervisor = create_supervisor();
            let worker = stage
                .actor_for_with(
                    worker_definition,
                    ActorOptions::new().with_parent(supervisor.actor_ref()),
                )
                .expect("the stage creates the worker");
            return Scene {
                log,
                supervisor,
                escalators: Vec::new(),
                worker,
                supervised_as: Supervision::Child,
            };
        }

        let worker_supervisor = self.escalators.first().unwrap_or(&self.supervisor).clone();
        let create_worker = || -> WorkerProxy {
            stage
                .actor_for(worker_definition.with_supervisor(worker_supervisor.as_str()))
                .expect("the stage creates the worker")
        };
        let (supervisor, escalators, worker) = if self.supervisor_last {
            let worker = create_worker();
            (create_supervisor(), Vec::new(), worker)
        } else {
            let supervisor = create_supervisor();
            let escalators = create_escalators(stage, &log, &self.escalators, &self.supervisor);
            (supervisor, escalators, create_worker())
        };
        Scene {
            log,
            supervisor,
            escalators,
            worker,
            supervised_as: Supervision::Named(worker_supervisor),
        }
    }
}

/// Creates the escalating supervisors `names` (from the worker's up) top-down, each supervised
/// by the next one up and the topmost by `top`; answers them from the worker's up.
fn create_escalators(
    stage: &Stage,
    log: &Log,
    names: &[String],
    top: &str,
) -> Vec<SupervisorProxy> {
    let mut escalators: Vec<SupervisorProxy> = Vec::with_capacity(names.len());
    let mut above = top;
    for name in names.iter().rev() {
        let escalator = stage
            .actor_for(
                ScriptedSupervisor::definition(name.as_str(), log, SupervisionDirective::Escalate)
                    .with_supervisor(above),
            )
            .expect("the stage creates the escalating supervisor");
        escalators.insert(0, escalator);
        above = name;
    }
    escalators
}
