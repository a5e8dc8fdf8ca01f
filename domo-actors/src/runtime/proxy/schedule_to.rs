//! The [`Scheduler`]'s methods that take a proxy. They are the scheduler's, but live with the
//! proxies: the scheduler itself (in `services/`) needs nothing of the runtime, and these need
//! [`Protocol`].

use std::ops::ControlFlow;
use std::time::Duration;

use crate::services::scheduler::run_guarded;
use crate::{Cancellable, Protocol, Scheduler};

impl Scheduler {
    /// Runs `task` once, `delay` from now, with the proxy `target` (typically to send it a
    /// message). If the actor has stopped by then, the message goes through the proxy all the
    /// same and becomes a dead letter.
    pub fn schedule_once_to<P: Protocol>(
        &self,
        target: &P,
        delay: Duration,
        task: impl FnOnce(&P) + Send + 'static,
    ) -> Cancellable {
        let target = target.clone();
        self.schedule_once(delay, move || task(&target))
    }

    /// Runs `task` with the proxy `target` after `initial_delay`, then every `interval`, as
    /// [`schedule_repeat`](Self::schedule_repeat), until cancelled, the scheduler closes, or the
    /// actor stops.
    ///
    /// Before each run the scheduler checks whether the actor has stopped. If it has, `task`
    /// still runs that once, so its message goes through the proxy and is recorded in
    /// [`DeadLetters`](crate::DeadLetters), and then the schedule ends (its `Cancellable`
    /// reports the end: `cancel` returns `false`).
    ///
    /// # Panics
    ///
    /// If `interval` is zero.
    #[track_caller]
    pub fn schedule_repeat_to<P: Protocol>(
        &self,
        target: &P,
        initial_delay: Duration,
        interval: Duration,
        mut task: impl FnMut(&P) + Send + 'static,
    ) -> Cancellable {
        let target = target.clone();
        self.repeat(initial_delay, interval, move || {
            let stopped = target.handle().is_stopped();
            run_guarded(|| task(&target));
            if stopped {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
    }
}
