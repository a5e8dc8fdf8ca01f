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
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use crate::runtime::actor_cell::ActorCell;
use crate::runtime::actor_task::{ActorTask, activation, task_future};
use crate::{Actor, Deliver};

/// What an activation hands a runner: the actor task, and the actor's cell.
type Job<A, M> = (Box<ActorTask<A, M>>, Arc<ActorCell<M>>);

/// The runners of one actor type (`A`, with mailbox `M`) on one stage.
///
/// One lock guards it all, the idle runners' seats included: an activation that finds an idle
/// runner hands it the job under the lock it took to find it, and a runner that finished a job
/// takes the next one from the queue or sits down idle under one lock too.
pub(crate) struct Runners<A, M> {
    state: Mutex<State<A, M>>,
    /// How many idle runners to keep.
    keep: usize,
    /// How many runners may run jobs at once before activations queue (runners waiting inside
    /// a job, for a handler's I/O or for their actor's next message, do not count).
    running_limit: usize,
    /// Whether activations wait in the queue: `state.queue` is not empty. Written under the
    /// lock, read without it by an actor deciding whether to linger (see `is_backlogged`).
    backlogged: AtomicBool,
}

struct State<A, M> {
    /// Every live runner's seat, by the runner's number.
    seats: Vec<Seat<A, M>>,
    /// The numbers no live runner has.
    free_seats: Vec<usize>,
    /// The idle runners' numbers, the latest last (taken first: its memory is warm).
    idle: Vec<usize>,
    /// Activations waiting for a runner, in order.
    queue: VecDeque<Job<A, M>>,
    /// Runners running a job that has not waited yet.
    running: usize,
    /// The stage has closed: no runner waits any more.
    closed: bool,
}

/// Where a runner waits, idle, for a job.
struct Seat<A, M> {
    /// The job handed to it.
    job: Option<Job<A, M>>,
    /// Its waker, while it waits.
    waker: Option<Waker>,
    /// The stage closed while it waited: it ends.
    closed: bool,
}

impl<A, M> Seat<A, M> {
    fn empty() -> Self {
        Self {
            job: None,
            waker: None,
            closed: false,
        }
    }
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

impl<A, M> State<A, M> {
    /// A seat for a runner about to be spawned.
    fn take_seat(&mut self) -> usize {
        self.free_seats.pop().unwrap_or_else(|| {
            self.seats.push(Seat::empty());
            self.seats.len() - 1
        })
    }

    /// The seat of a runner that ends: what it was handed, if anything.
    fn free_seat(&mut self, seat: usize) -> Option<Job<A, M>> {
        let job = std::mem::replace(&mut self.seats[seat], Seat::empty()).job;
        self.free_seats.push(seat);
        job
    }
}

impl<A: Actor, M: Deliver<A>> Runners<A, M> {
    /// How many idle runners a stage keeps per actor type.
    pub(crate) const MAX_IDLE: usize = 64;

    /// Runners that keep at most `keep` of them idle, and let `running_limit` run at once.
    pub(crate) fn new(keep: usize, running_limit: usize) -> Self {
        Self {
            state: Mutex::new(State {
                seats: Vec::new(),
                free_seats: Vec::new(),
                idle: Vec::new(),
                queue: VecDeque::new(),
                running: 0,
                closed: false,
            }),
            keep,
            running_limit: running_limit.max(1),
            backlogged: AtomicBool::new(false),
        }
    }

    /// Whether activations of this type are waiting for a runner. An actor that lingered now
    /// would hold its runner while they wait (and make the runners spawn another for them):
    /// its probe is better skipped. A hint, read without the lock.
    pub(crate) fn is_backlogged(&self) -> bool {
        self.backlogged.load(Ordering::Relaxed)
    }

    // The queue changes only through these three (the lock is held), which keep `backlogged`.

    /// Queues an activation for the first runner to finish its job.
    fn queue_job(&self, state: &mut State<A, M>, job: Job<A, M>) {
        state.queue.push_back(job);
        self.backlogged.store(true, Ordering::Relaxed);
    }

    /// The activation that has waited longest, if any.
    fn next_job(&self, state: &mut State<A, M>) -> Option<Job<A, M>> {
        let job = state.queue.pop_front()?;
        if state.queue.is_empty() {
            self.backlogged.store(false, Ordering::Relaxed);
        }
        Some(job)
    }

    /// Every queued activation.
    fn take_jobs(&self, state: &mut State<A, M>) -> VecDeque<Job<A, M>> {
        self.backlogged.store(false, Ordering::Relaxed);
        std::mem::take(&mut state.queue)
    }

    /// Runs `task` (the actor task of `cell`, just activated): on an idle runner of its type
    /// if there is one, else on a new one, unless enough are running already: then it waits
    /// in the queue for the first of them to finish its job.
    pub(crate) fn run(task: Box<ActorTask<A, M>>, cell: Arc<ActorCell<M>>) {
        // Held apart from the task, which is handed over under the lock.
        let runners = Arc::clone(task.runners());
        let mut state = lock(&runners.state);
        if let Some(idle) = state.idle.pop() {
            // An idle runner is alive: one that ends leaves `idle` first, under this lock.
            state.running += 1;
            let seat = &mut state.seats[idle];
            seat.job = Some((task, cell));
            let waker = seat.waker.take();
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
        } else if state.running < runners.running_limit {
            state.running += 1;
            let seat = state.take_seat();
            drop(state);
            spawn_runner(&runners, seat, (task, cell));
        } else {
            runners.queue_job(&mut state, (task, cell));
        }
    }

    /// A runner's job has waited for the first time: the runner no longer counts as running,
    /// and the queue gets a new runner if it needs one.
    fn job_waits(self: &Arc<Self>) {
        let mut state = lock(&self.state);
        state.running -= 1;
        if state.running < self.running_limit {
            if let Some(job) = self.next_job(&mut state) {
                state.running += 1;
                let seat = state.take_seat();
                drop(state);
                spawn_runner(self, seat, job);
            }
        }
    }
}

impl<A: Actor, M: Deliver<A>> RunnerPool for Runners<A, M> {
    fn close(&self) {
        let (wakers, queued) = {
            let mut state = lock(&self.state);
            state.closed = true;
            let idle = std::mem::take(&mut state.idle);
            let wakers: Vec<Waker> = idle
                .into_iter()
                .filter_map(|seat| {
                    let seat = &mut state.seats[seat];
                    seat.closed = true;
                    seat.waker.take()
                })
                .collect();
            let queued = self.take_jobs(&mut state);
            (wakers, queued)
        };
        for waker in wakers {
            waker.wake();
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

/// How many jobs from the queue a runner runs one after another before it yields to the
/// worker's other tasks: tokio's cooperative budget per poll, as an actor task's deliveries.
const JOBS_PER_POLL: u32 = 128;

/// Spawns a runner, in seat `seat`, whose first job is `job`.
fn spawn_runner<A: Actor, M: Deliver<A>>(
    runners: &Arc<Runners<A, M>>,
    seat: usize,
    job: Job<A, M>,
) {
    let runtime = job.1.core.stage.runtime().clone();
    runtime.spawn(runner(Arc::clone(runners), seat, job));
}

/// A runner: runs its first job, then the queue's, then, idle, whatever it is handed.
///
/// Its guard, holding its first job, is made before the future, so that a runner dropped
/// before its first poll (spawned onto a runtime that has shut down) settles its job too.
fn runner<A: Actor, M: Deliver<A>>(
    runners: Arc<Runners<A, M>>,
    seat: usize,
    first: Job<A, M>,
) -> impl Future<Output = ()> + Send + 'static {
    let mut guard = RunnerGuard {
        runners,
        seat,
        job: Some(first),
        counted: true,
        ended: false,
    };
    async move {
        // Jobs taken from the queue since this runner last waited or yielded.
        let mut queued_jobs = 0;
        loop {
            {
                let (task, cell) = guard.job.take().expect("a runner runs a job it holds");
                // Dropped at the end of this block, before the runner waits for its next job:
                // a finished activation still holds its actor's handle and definition.
                let mut activation = std::pin::pin!(activation(task, &cell));
                let mut waited = false;
                std::future::poll_fn(|cx| {
                    let polled = {
                        // The activation borrows the cell this runner holds, rather than
                        // owning a clone of the span (see `activation`).
                        let _in_span = cell.core.logger.span().enter();
                        activation.as_mut().poll(cx)
                    };
                    if polled.is_pending() && !waited {
                        waited = true;
                        guard.counted = false;
                        guard.runners.job_waits();
                    }
                    polled
                })
                .await;
            }
            let mut sitting = false;
            let next = std::future::poll_fn(|cx| guard.poll_next(cx, &mut sitting));
            let Some(next) = next.await else {
                return;
            };
            guard.job = Some(next);
            if sitting {
                queued_jobs = 0;
            } else {
                // Jobs from the queue come one after another: give the worker's other tasks
                // their turn now and then. Counted here rather than by tokio's
                // `consume_budget` per job, which cost 40 instructions per activation.
                queued_jobs += 1;
                if queued_jobs == JOBS_PER_POLL {
                    queued_jobs = 0;
                    tokio::task::yield_now().await;
                }
            }
        }
    }
}

/// Settles what a runner leaves if it ends before it returns: a panic escaped an activation
/// (the actor's own guard has closed that actor; tokio then drops the runner) or the runtime
/// shut down. No job may wait in its seat or in the guard, the counts must not keep it, and the
/// queue must not wait for it.
struct RunnerGuard<A: Actor, M: Deliver<A>> {
    runners: Arc<Runners<A, M>>,
    /// Its seat's number.
    seat: usize,
    /// A job it has and has not started.
    job: Option<Job<A, M>>,
    /// Whether `running` counts this runner.
    counted: bool,
    /// The runner returned (and gave its seat up).
    ended: bool,
}

impl<A: Actor, M: Deliver<A>> RunnerGuard<A, M> {
    /// Polled by a runner whose job is done until it has its next one: the queue's first, or,
    /// idle in its seat, one an activation hands it. `None`: the runner ends (enough are idle,
    /// or the stage closed). `sitting` starts `false` and says whether the runner is idle.
    fn poll_next(&mut self, cx: &mut Context<'_>, sitting: &mut bool) -> Poll<Option<Job<A, M>>> {
        let mut state = lock(&self.runners.state);
        if !*sitting {
            if self.counted {
                state.running -= 1;
                self.counted = false;
            }
            if let Some(job) = self.runners.next_job(&mut state) {
                state.running += 1;
                self.counted = true;
                return Poll::Ready(Some(job));
            }
            if state.closed || state.idle.len() >= self.runners.keep {
                state.free_seat(self.seat);
                self.ended = true;
                return Poll::Ready(None);
            }
            *sitting = true;
            state.idle.push(self.seat);
            state.seats[self.seat].waker = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let seat = &mut state.seats[self.seat];
        if let Some(job) = seat.job.take() {
            // `run` counted it when it handed the job over.
            self.counted = true;
            return Poll::Ready(Some(job));
        }
        if seat.closed {
            state.free_seat(self.seat);
            self.ended = true;
            return Poll::Ready(None);
        }
        match &mut seat.waker {
            Some(waker) => waker.clone_from(cx.waker()),
            None => seat.waker = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

impl<A: Actor, M: Deliver<A>> Drop for RunnerGuard<A, M> {
    fn drop(&mut self) {
        if self.ended {
            return;
        }
        let mut settle: Vec<Job<A, M>> = self.job.take().into_iter().collect();
        let mut replace = None;
        {
            let mut state = lock(&self.runners.state);
            if self.counted {
                state.running -= 1;
            }
            let seat = self.seat;
            state.idle.retain(|idle| *idle != seat);
            settle.extend(state.free_seat(seat));
            if let Some(job) = state.queue.front() {
                if job.1.core.stage.runtime().spawn(async {}).is_finished() {
                    // The runtime has shut down: no runner will take these.
                    settle.extend(self.runners.take_jobs(&mut state));
                } else if state.running < self.runners.running_limit {
                    state.running += 1;
                    let job = self.runners.next_job(&mut state).expect("just seen");
                    replace = Some((state.take_seat(), job));
                }
            }
        }
        // Outside the locks: an activation dropped unfinished closes its actor.
        for (task, cell) in settle {
            drop(task_future(task, cell));
        }
        if let Some((seat, job)) = replace {
            spawn_runner(&self.runners, seat, job);
        }
    }
}
