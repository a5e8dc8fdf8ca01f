//! Runners: the tokio tasks that run actor tasks, kept for the next activation instead of
//! ending when their actor parks.
//!
//! An idle actor owns no tokio task: its actor task is parked in its mailbox, and the send that
//! finds it there activates it. Spawning a tokio task for every activation cost most of a
//! message's time when many actors each get a little work (a task's allocation, its copy of the
//! actor task's future, its teardown, and an allocation freed on another worker). So a runner
//! that has run an actor until it parked offers itself to the next activation of an actor of
//! the same type on the same stage, and waits; an activation that finds an idle runner hands
//! it the actor task and wakes it (no allocation), and spawns a new runner only when none is
//! idle. A stage keeps at most [`Runners::MAX_IDLE`] idle runners per actor type: the rest end.

use std::any::Any;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};

use crate::runtime::actor_cell::ActorCell;
use crate::runtime::actor_task::{ActorTask, task_future};
use crate::{Actor, Deliver};

/// What an activation hands a runner: the actor task, and the actor's cell.
type Job<A, M> = (Box<ActorTask<A, M>>, Arc<ActorCell<M>>);

/// The runners of one actor type (`A`, with mailbox `M`) on one stage.
pub(crate) struct Runners<A, M> {
    state: Mutex<State<A, M>>,
    /// How many idle runners to keep.
    keep: usize,
    /// How many runners may run jobs at once before activations queue (runners waiting inside
    /// a job, for a handler's I/O or for their actor's next message, do not count).
    running_limit: usize,
}

struct State<A, M> {
    /// The idle runners' hand-offs, the latest last (taken first: its memory is warm).
    idle: Vec<Arc<Handoff<A, M>>>,
    /// Activations waiting for a runner, in order.
    queue: VecDeque<Job<A, M>>,
    /// Runners running a job that has not waited yet.
    running: usize,
    /// The stage has closed: no runner waits any more.
    closed: bool,
}

/// Where an idle runner waits for its next job.
struct Handoff<A, M> {
    slot: Mutex<Slot<A, M>>,
}

struct Slot<A, M> {
    job: Option<Job<A, M>>,
    waker: Option<Waker>,
    closed: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing runs user code under these locks.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A stage's view of its runners of every actor type: what closing needs.
pub(crate) trait RunnerPool: Send + Sync {
    /// Ends every idle runner, and every runner that parks from now on.
    fn close(&self);

    /// `self`, to find the pool of one actor type.
    fn as_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
}

impl<A: Actor, M: Deliver<A>> Runners<A, M> {
    /// How many idle runners a stage keeps per actor type.
    pub(crate) const MAX_IDLE: usize = 64;

    /// Runners that keep at most `keep` of them idle, and let `running_limit` run at once.
    pub(crate) fn new(keep: usize, running_limit: usize) -> Self {
        Self {
            state: Mutex::new(State {
                idle: Vec::new(),
                queue: VecDeque::new(),
                running: 0,
                closed: false,
            }),
            keep,
            running_limit: running_limit.max(1),
        }
    }

    /// Runs `task` (the actor task of `cell`, just activated): on an idle runner of its type
    /// if there is one, else on a new one, unless enough are running already: then it waits
    /// in the queue for the first of them to finish its job.
    pub(crate) fn run(task: Box<ActorTask<A, M>>, cell: Arc<ActorCell<M>>) {
        // Held apart from the task, which goes to the queue under the lock.
        let runners = Arc::clone(task.runners());
        let mut job = (task, cell);
        loop {
            let mut state = lock(&runners.state);
            if let Some(handoff) = state.idle.pop() {
                state.running += 1;
                drop(state);
                match handoff.give(job) {
                    Ok(()) => return,
                    // Its runner is gone (its runtime shut down): not counted any more.
                    Err(back) => {
                        lock(&runners.state).running -= 1;
                        job = back;
                    }
                }
            } else if state.running < runners.running_limit {
                state.running += 1;
                drop(state);
                spawn_runner(&runners, job);
                return;
            } else {
                state.queue.push_back(job);
                return;
            }
        }
    }

    /// A runner's job has waited for the first time: the runner no longer counts as running,
    /// and the queue gets a new runner if it needs one.
    fn job_waits(self: &Arc<Self>) {
        let mut state = lock(&self.state);
        state.running -= 1;
        if state.running < self.running_limit {
            if let Some(job) = state.queue.pop_front() {
                state.running += 1;
                drop(state);
                spawn_runner(self, job);
            }
        }
    }

    /// A runner finished a job (`waited`: the job waited, so the runner was not counted): its
    /// next job from the queue, else `Wait` (it is now among the idle ones) or `End`.
    fn next(&self, handoff: &Arc<Handoff<A, M>>, waited: bool) -> Next<A, M> {
        let mut state = lock(&self.state);
        if !waited {
            state.running -= 1;
        }
        if let Some(job) = state.queue.pop_front() {
            state.running += 1;
            return Next::Job(job);
        }
        if state.closed || state.idle.len() >= self.keep {
            return Next::End;
        }
        state.idle.push(Arc::clone(handoff));
        Next::Wait
    }
}

/// What a runner does after a job.
enum Next<A, M> {
    /// Runs this one.
    Job(Job<A, M>),
    /// Waits, idle, to be handed one.
    Wait,
    /// Ends.
    End,
}

impl<A, M> Handoff<A, M> {
    fn new() -> Self {
        Self {
            slot: Mutex::new(Slot {
                job: None,
                waker: None,
                closed: false,
            }),
        }
    }

    /// Hands `job` to the idle runner waiting here; gives it back if that runner is gone.
    fn give(&self, job: Job<A, M>) -> Result<(), Job<A, M>> {
        let waker = {
            let mut slot = lock(&self.slot);
            if slot.closed {
                return Err(job);
            }
            slot.job = Some(job);
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }

    /// Waits for a job: `None` once the stage has closed.
    async fn take(&self) -> Option<Job<A, M>> {
        std::future::poll_fn(|cx| {
            let mut slot = lock(&self.slot);
            if let Some(job) = slot.job.take() {
                return Poll::Ready(Some(job));
            }
            if slot.closed {
                return Poll::Ready(None);
            }
            match &mut slot.waker {
                Some(waker) => waker.clone_from(cx.waker()),
                None => slot.waker = Some(cx.waker().clone()),
            }
            Poll::Pending
        })
        .await
    }
}

impl<A: Actor, M: Deliver<A>> RunnerPool for Runners<A, M> {
    fn close(&self) {
        let (runners, queued) = {
            let mut state = lock(&self.state);
            state.closed = true;
            (
                std::mem::take(&mut state.idle),
                std::mem::take(&mut state.queue),
            )
        };
        for handoff in runners {
            let waker = {
                let mut slot = lock(&handoff.slot);
                slot.closed = true;
                slot.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }
        // Activations that waited for a runner still run, each on its own task: a closing
        // stage stops its actors through them.
        for (task, cell) in queued {
            let runtime = cell.core.stage.runtime().clone();
            runtime.spawn(task_future(task, cell));
        }
    }

    fn as_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// Spawns a runner whose first job is `job`.
fn spawn_runner<A: Actor, M: Deliver<A>>(runners: &Arc<Runners<A, M>>, job: Job<A, M>) {
    let runtime = job.1.core.stage.runtime().clone();
    runtime.spawn(runner(Arc::clone(runners), job));
}

/// A runner: runs its first job, then the queue's, then, idle, whatever it is handed.
///
/// Its first activation and its guard are made before the future, so that a runner dropped
/// before its first poll (spawned onto a runtime that has shut down) settles its job too.
fn runner<A: Actor, M: Deliver<A>>(
    runners: Arc<Runners<A, M>>,
    (task, cell): Job<A, M>,
) -> impl Future<Output = ()> + Send + 'static {
    let first = task_future(task, cell);
    let mut guard = RunnerGuard {
        runners,
        handoff: Arc::new(Handoff::new()),
        counted: true,
        ended: false,
    };
    async move {
        let mut next_activation = first;
        loop {
            let mut activation = std::pin::pin!(next_activation);
            let mut waited = false;
            std::future::poll_fn(|cx| {
                let polled = activation.as_mut().poll(cx);
                if polled.is_pending() && !waited {
                    waited = true;
                    guard.counted = false;
                    guard.runners.job_waits();
                }
                polled
            })
            .await;
            let (task, cell) = match guard.runners.next(&guard.handoff, waited) {
                Next::Job(next) => {
                    guard.counted = true;
                    // Jobs from the queue come one after another: give the worker's other
                    // tasks their turn now and then.
                    tokio::task::consume_budget().await;
                    next
                }
                Next::End => {
                    guard.finish();
                    return;
                }
                Next::Wait => {
                    guard.counted = false;
                    match guard.handoff.take().await {
                        Some(next) => {
                            // `run` counted it when it handed the job over.
                            guard.counted = true;
                            next
                        }
                        None => {
                            guard.finish();
                            return;
                        }
                    }
                }
            };
            next_activation = task_future(task, cell);
        }
    }
}

/// Settles what a runner leaves if it ends before it returns: a panic escaped an activation
/// (the actor's own guard has closed that actor; tokio then drops the runner) or the runtime
/// shut down. No job may wait in its hand-off, the counts must not keep it, and the queue must
/// not wait for it.
struct RunnerGuard<A: Actor, M: Deliver<A>> {
    runners: Arc<Runners<A, M>>,
    handoff: Arc<Handoff<A, M>>,
    /// Whether `running` counts this runner.
    counted: bool,
    /// The runner returned.
    ended: bool,
}

impl<A: Actor, M: Deliver<A>> RunnerGuard<A, M> {
    /// The runner returns: nothing to settle.
    fn finish(&mut self) {
        self.counted = false;
        self.ended = true;
    }
}

impl<A: Actor, M: Deliver<A>> Drop for RunnerGuard<A, M> {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        let handed = {
            let mut slot = lock(&self.handoff.slot);
            slot.closed = true;
            slot.job.take()
        };
        let mut settle: Vec<Job<A, M>> = handed.into_iter().collect();
        let mut replace = None;
        {
            let mut state = lock(&self.runners.state);
            if self.counted {
                state.running -= 1;
            }
            state
                .idle
                .retain(|handoff| !Arc::ptr_eq(handoff, &self.handoff));
            if let Some(job) = state.queue.front() {
                if job.1.core.stage.runtime().spawn(async {}).is_finished() {
                    // The runtime has shut down: no runner will take these.
                    settle.extend(state.queue.drain(..));
                } else if state.running < self.runners.running_limit {
                    state.running += 1;
                    replace = state.queue.pop_front();
                }
            }
        }
        // Outside the locks: an activation dropped unfinished closes its actor.
        for (task, cell) in settle {
            drop(task_future(task, cell));
        }
        if let Some(job) = replace {
            spawn_runner(&self.runners, job);
        }
    }
}
