//! `Scheduler`: runs tasks once after a delay, or repeatedly at an interval, on tokio time.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::runtime::Handle;
use tokio::time::{Instant, MissedTickBehavior};

use crate::Cancellable;
use crate::base::error::panic_message;
use crate::base::logger::SCHEDULER;

/// Runs tasks later: once after a delay, or repeatedly at an interval (DomoActors' `Scheduler`).
///
/// Every [`Stage`](crate::Stage) has one, [`Stage::scheduler`](crate::Stage::scheduler), closed
/// when the stage closes; [`Scheduler::new`] makes a free-standing one. Cloning is cheap and
/// every clone schedules on the same scheduler.
///
/// * A task is a plain closure run on the tokio runtime, outside any actor. To act on an actor,
///   the task sends it a message through its proxy, which is then an ordinary message: queued in
///   order, handled one at a time. The `..._to` methods take the proxy and end the schedule once
///   the actor has stopped.
/// * Tasks must be quick and must not block: they run on a runtime worker. Hand real work to an
///   actor.
/// * A task that panics is caught and logged (`Error in scheduled task: ...`); a repeating task
///   carries on at its next interval.
/// * Time is [`tokio::time`], so schedules follow tokio's paused clock in tests.
/// * Every method returns a [`Cancellable`]. Once the scheduler is closed, scheduling does
///   nothing and returns an already cancelled `Cancellable` (and logs a warning).
///
/// ```
/// use std::time::Duration;
/// use domo_actors::{actor_protocol, Actor, Definition, Stage};
///
/// #[actor_protocol]
/// pub trait Clock {
///     async fn tick(&mut self);
///     async fn ticks(&self) -> u32;
/// }
///
/// #[derive(Actor)]
/// struct ClockActor {
///     ticks: u32,
/// }
///
/// impl Clock for ClockActor {
///     async fn tick(&mut self) {
///         self.ticks += 1;
///     }
///     async fn ticks(&self) -> u32 {
///         self.ticks
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// let stage = Stage::new();
/// let clock: ClockProxy = stage.actor_for(Definition::new(|| ClockActor { ticks: 0 })).unwrap();
/// let second = Duration::from_secs(1);
///
/// // Tick after one second, then every second, until cancelled or the clock stops.
/// let ticking = stage.scheduler().schedule_repeat_to(&clock, second, second, |clock| {
///     clock.tick();
/// });
///
/// tokio::time::sleep(Duration::from_millis(3500)).await;
/// assert_eq!(clock.ticks().await, 3);
/// assert!(ticking.cancel());
/// stage.close().await; // also closes the scheduler
/// # }
/// ```
#[derive(Clone)]
pub struct Scheduler {
    inner: Arc<Inner>,
}

struct Inner {
    runtime: Handle,
    registry: Mutex<Registry>,
}

/// The schedules not yet ended, so that [`Scheduler::close`] can cancel them. Each task removes
/// its own entry when it ends, so the registry holds only live schedules.
#[derive(Default)]
struct Registry {
    closed: bool,
    next_id: u64,
    tasks: HashMap<u64, Cancellable>,
}

impl Scheduler {
    /// A scheduler that runs its tasks on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    #[track_caller]
    pub fn new() -> Self {
        let runtime = Handle::try_current()
            .expect("domo-actors: a Scheduler must be created inside a tokio runtime");
        Self::with_runtime(runtime)
    }

    /// A scheduler that runs its tasks on `runtime` (the stage's).
    pub(crate) fn with_runtime(runtime: Handle) -> Self {
        Self {
            inner: Arc::new(Inner {
                runtime,
                registry: Mutex::default(),
            }),
        }
    }

    /// Runs `task` once, `delay` from now (at once, on the runtime, for a zero delay).
    pub fn schedule_once(
        &self,
        delay: Duration,
        task: impl FnOnce() + Send + 'static,
    ) -> Cancellable {
        let due = deadline_after(delay);
        self.spawn(move |cancellable| async move {
            // `finish` before the run: a cancel that can no longer prevent it reports `false`.
            if wait(&cancellable, tokio::time::sleep_until(due)).await && cancellable.finish() {
                run_guarded(task);
            }
        })
    }

    /// Runs `task` after `initial_delay`, then every `interval`, until cancelled or the
    /// scheduler closes.
    ///
    /// As in DomoActors-TS, a zero `initial_delay` does not mean "now": the first run then comes
    /// after one `interval`. Runs never pile up: if a run is late (a slow task, a busy runtime),
    /// the missed runs are skipped and the next comes one `interval` after the late one
    /// ([`MissedTickBehavior::Delay`]).
    ///
    /// # Panics
    ///
    /// If `interval` is zero.
    #[track_caller]
    pub fn schedule_repeat(
        &self,
        initial_delay: Duration,
        interval: Duration,
        mut task: impl FnMut() + Send + 'static,
    ) -> Cancellable {
        self.repeat(initial_delay, interval, move || {
            run_guarded(&mut task);
            ControlFlow::Continue(())
        })
    }

    // `schedule_once_to` and `schedule_repeat_to`, which take a proxy, are in
    // `runtime/proxy/schedule_to.rs`: the scheduler itself needs nothing of the runtime.

    /// Cancels every schedule and refuses new ones. Calling it again does nothing.
    pub fn close(&self) {
        let tasks = {
            let mut registry = self.inner.registry();
            registry.closed = true;
            std::mem::take(&mut registry.tasks)
        };
        for cancellable in tasks.into_values() {
            cancellable.cancel();
        }
    }

    /// Whether [`close`](Self::close) has been called.
    pub fn is_closed(&self) -> bool {
        self.inner.registry().closed
    }

    /// How many schedules may still run: one-time tasks not yet due, and repetitions not yet
    /// ended or cancelled.
    pub fn active_count(&self) -> usize {
        self.inner
            .registry()
            .tasks
            .values()
            .filter(|cancellable| cancellable.is_pending())
            .count()
    }

    #[track_caller]
    pub(crate) fn repeat(
        &self,
        initial_delay: Duration,
        interval: Duration,
        mut step: impl FnMut() -> ControlFlow<()> + Send + 'static,
    ) -> Cancellable {
        assert!(
            !interval.is_zero(),
            "domo-actors: a repeating schedule needs an interval greater than zero"
        );
        let first = deadline_after(if initial_delay.is_zero() {
            interval
        } else {
            initial_delay
        });
        self.spawn(move |cancellable| async move {
            let mut ticks = tokio::time::interval_at(first, interval);
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            while wait(&cancellable, ticks.tick()).await {
                if step().is_break() {
                    cancellable.finish();
                    break;
                }
            }
        })
    }

    /// Registers a schedule and spawns its task, unless the scheduler is closed.
    fn spawn<Fut>(&self, schedule: impl FnOnce(Cancellable) -> Fut) -> Cancellable
    where
        Fut: Future<Output = ()> + Send + 'static,
    {
        let cancellable = Cancellable::new();
        let id = {
            let mut registry = self.inner.registry();
            if registry.closed {
                drop(registry);
                tracing::warn!(
                    target: SCHEDULER,
                    "the scheduler is closed: the task was not scheduled"
                );
                return Cancellable::already_cancelled();
            }
            let id = registry.next_id;
            registry.next_id += 1;
            registry.tasks.insert(id, cancellable.clone());
            id
        };
        // Registered before the spawn (and not under the lock): a task that ends at once, or is
        // dropped unrun by a runtime shutting down, removes an entry that is already there.
        let registered = Registered {
            inner: Arc::clone(&self.inner),
            id,
            cancellable: cancellable.clone(),
        };
        let task = schedule(cancellable.clone());
        self.inner.runtime.spawn(async move {
            let _registered = registered;
            task.await;
        });
        cancellable
    }
}

impl Inner {
    /// No user code runs under this lock, so a poisoned one still guards consistent data.
    fn registry(&self) -> MutexGuard<'_, Registry> {
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A schedule's entry in the registry, removed when its task ends however it ends.
struct Registered {
    inner: Arc<Inner>,
    id: u64,
    cancellable: Cancellable,
}

impl Drop for Registered {
    fn drop(&mut self) {
        // A task that ends without running out (its runtime shut down) cannot run any more.
        self.cancellable.finish();
        self.inner.registry().tasks.remove(&self.id);
    }
}

/// Waits until `due`; `false` if the schedule was cancelled first or meanwhile.
async fn wait(cancellable: &Cancellable, due: impl Future) -> bool {
    tokio::select! {
        biased;
        () = cancellable.cancelled() => false,
        _ = due => cancellable.is_pending(),
    }
}

/// Runs a task, logging its panic instead of ending the schedule's task with it.
pub(crate) fn run_guarded(task: impl FnOnce()) {
    if let Err(payload) = catch_unwind(AssertUnwindSafe(task)) {
        tracing::error!(
            target: SCHEDULER,
            cause = %panic_message(&*payload),
            "a scheduled task panicked"
        );
    }
}

/// `delay` from now, capped (as `tokio::time::sleep` does) rather than overflowing.
fn deadline_after(delay: Duration) -> Instant {
    const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);
    let now = Instant::now();
    now.checked_add(delay).unwrap_or_else(|| now + FAR_FUTURE)
}

impl Default for Scheduler {
    /// Same as [`Scheduler::new`].
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    #[track_caller]
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scheduler")
            .field("active", &self.active_count())
            .field("closed", &self.is_closed())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::Scheduler;

    fn registered(scheduler: &Scheduler) -> usize {
        scheduler.inner.registry().tasks.len()
    }

    #[tokio::test(start_paused = true)]
    async fn ended_schedules_leave_the_registry() {
        let scheduler = Scheduler::new();
        let millisecond = Duration::from_millis(1);
        for _ in 0..100 {
            scheduler.schedule_once(millisecond, || {});
        }
        let repeat = scheduler.schedule_repeat(millisecond, millisecond, || {});
        assert_eq!(registered(&scheduler), 101);

        tokio::time::sleep(Duration::from_millis(10)).await;
        assert_eq!(registered(&scheduler), 1, "the one-time tasks have run");

        assert!(repeat.cancel());
        // The cancel wakes the task at once; it removes its entry when it next runs.
        tokio::task::yield_now().await;
        assert_eq!(registered(&scheduler), 0);
    }
}
