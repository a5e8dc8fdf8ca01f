//! A stream into an actor: each item becomes a call of one of the actor's protocol methods,
//! pulled no faster than the actor handles them.
//!
//! The pump is a tokio task on the stage's runtime. It keeps the promises of the calls it has
//! sent and not yet seen handled, in order (an actor handles its messages in order, so the
//! oldest settles first), and pulls the next item only while fewer than the window are in
//! flight. Each promise is awaited without a timeout (the stage's default ask timeout would let
//! a slow actor's items leave the window before they are handled). The actor's end
//! ([`ActorRef::terminated`](crate::ActorRef::terminated)) and the handle's drop (which aborts
//! the task) both end the pull, dropping the stream.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll};

use futures::{FutureExt as _, Stream, StreamExt as _};
use tokio::runtime::Handle;
use tokio::task::JoinHandle;

use crate::{ActorError, DeferredPromise, PromiseResult, Protocol, Stage, TerminationReason};

/// How many items a stream attached to an actor has in flight at most, unless
/// [`StreamInto::window`] says otherwise.
pub const DEFAULT_STREAM_WINDOW: usize = 8;

/// The promise of a hook's call (the end or the error), its answer left out.
type Settling = Pin<Box<dyn Future<Output = Result<(), ActorError>> + Send>>;

/// What the end of the stream sends the actor.
type EndHook<P> = Box<dyn FnOnce(&P) -> Settling + Send>;

/// How a stream attached to an actor ended: what its [`AttachedStream`] resolves to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StreamEnd {
    /// The stream ended, and the actor has handled every item and the end hook
    /// ([`StreamInto::on_end`]), if there is one.
    Ended,
    /// The stream yielded an error ([`StreamInto::attach_try`]): the actor has handled the
    /// items before it and the error hook. The rest of the stream was not pulled.
    Failed,
    /// The actor stopped, for this reason, before the stream was through: the rest of the
    /// stream was not pulled. Items in flight when it stopped became dead letters.
    ActorStopped(TerminationReason),
    /// The pump was cancelled from outside: its runtime shut down.
    Cancelled,
}

impl fmt::Display for StreamEnd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamEnd::Ended => f.write_str("ended"),
            StreamEnd::Failed => f.write_str("failed"),
            StreamEnd::ActorStopped(reason) => write!(f, "actor {reason}"),
            StreamEnd::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// A stream attached to an actor ([`Stage::attach_stream`], [`StreamInto::attach`]): the handle
/// of the task that pulls it.
///
/// * **Dropping it stops the pull**: the task ends and drops the stream. Items already sent
///   stay in the actor's mailbox and are handled.
/// * **Awaiting it** waits for the end of the pull, and tells how it ended ([`StreamEnd`]).
/// * [`detach`](Self::detach) lets the pull run on its own, until the stream ends or the
///   actor stops.
#[must_use = "dropping the handle stops the stream at once: keep it, await it, or `detach` it"]
pub struct AttachedStream {
    task: Option<JoinHandle<StreamEnd>>,
}

impl AttachedStream {
    /// Lets the pull go on without this handle: it ends when the stream ends or the actor
    /// stops.
    pub fn detach(mut self) {
        self.task = None;
    }

    /// Whether the pull has ended.
    pub fn is_finished(&self) -> bool {
        self.task.as_ref().is_none_or(JoinHandle::is_finished)
    }
}

impl Future for AttachedStream {
    type Output = StreamEnd;

    /// # Panics
    ///
    /// If the pump panicked (a closure given to [`StreamInto`] did), with its panic; if polled
    /// again after it resolved.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<StreamEnd> {
        let task = self
            .task
            .as_mut()
            .expect("domo-actors: an `AttachedStream` polled after it resolved");
        let joined = std::task::ready!(Pin::new(task).poll(cx));
        self.task = None;
        Poll::Ready(match joined {
            Ok(end) => end,
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => StreamEnd::Cancelled,
        })
    }
}

impl Drop for AttachedStream {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

impl fmt::Debug for AttachedStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AttachedStream")
            .field("finished", &self.is_finished())
            .finish()
    }
}

/// Attaches a stream to an actor, with options: made by [`Stage::stream_into`], ended by
/// [`attach`](Self::attach) (a stream of items) or [`attach_try`](Self::attach_try) (a stream of
/// `Result`s).
///
/// ```
/// use domo_actors::{actor_protocol, Actor, Definition, Stage, StreamEnd};
///
/// #[actor_protocol]
/// pub trait Tally {
///     async fn add(&mut self, n: u64);
///     async fn done(&mut self);
///     async fn total(&self) -> (u64, bool);
/// }
///
/// #[derive(Actor, Default)]
/// struct TallyActor {
///     total: u64,
///     done: bool,
/// }
///
/// impl Tally for TallyActor {
///     async fn add(&mut self, n: u64) {
///         self.total += n;
///     }
///     async fn done(&mut self) {
///         self.done = true;
///     }
///     async fn total(&self) -> (u64, bool) {
///         (self.total, self.done)
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let tally: TallyProxy = stage.actor_for(Definition::new(TallyActor::default)).unwrap();
///
/// let numbers = futures::stream::iter(1..=100);
/// let attached = stage
///     .stream_into(&tally, |tally, n| tally.add(n))
///     .window(4) // at most 4 numbers sent and not yet added
///     .on_end(|tally| tally.done())
///     .attach(numbers);
///
/// assert_eq!(attached.await, StreamEnd::Ended); // every number added, and `done`
/// assert_eq!(tally.total().await, (5050, true));
/// # stage.close().await;
/// # }
/// ```
pub struct StreamInto<P, T, C> {
    runtime: Handle,
    proxy: P,
    on_item: C,
    window: usize,
    on_end: Option<EndHook<P>>,
    item: std::marker::PhantomData<fn(T)>,
}

impl<P, T, C, R, F> StreamInto<P, T, C>
where
    P: Protocol,
    T: Send + 'static,
    C: FnMut(&P, T) -> DeferredPromise<R, F> + Send + 'static,
    R: Send + 'static,
    F: 'static,
{
    /// At most `window` items sent to the actor and not yet handled (by default
    /// [`DEFAULT_STREAM_WINDOW`]): the stream is pulled again only once the actor has handled
    /// an item. A larger window lets the actor find its next item queued more often; a smaller
    /// one holds fewer items in memory.
    ///
    /// # Panics
    ///
    /// If `window` is 0 (nothing would ever be pulled).
    #[track_caller]
    pub fn window(mut self, window: usize) -> Self {
        assert!(
            window > 0,
            "domo-actors: a stream's window must be at least 1"
        );
        self.window = window;
        self
    }

    /// What the end of the stream sends the actor: `on_end(&proxy)`, typically a call of one of
    /// its protocol methods (`|p| p.ticks_ended()`). It is queued behind the last item; the
    /// actor is not told if it stops first, nor if the handle is dropped first.
    pub fn on_end<R2, F2>(
        mut self,
        on_end: impl FnOnce(&P) -> DeferredPromise<R2, F2> + Send + 'static,
    ) -> Self
    where
        R2: Send + 'static,
        F2: 'static,
    {
        self.on_end = Some(Box::new(move |proxy| settling(on_end(proxy))));
        self
    }

    /// Attaches `stream`: each item is sent with the closure given to
    /// [`Stage::stream_into`], in order, at most [`window`](Self::window) at a time.
    pub fn attach<S>(self, stream: S) -> AttachedStream
    where
        S: Stream<Item = T> + Send + 'static,
    {
        self.spawn(stream.map(Ok::<T, Infallible>), |_, never| match never {})
    }

    /// Attaches a stream of `Result`s: each `Ok` item is sent as [`attach`](Self::attach) sends
    /// one; the first `Err` ends the stream (as an error ends a Reactive Streams publisher):
    /// `on_error(&proxy, error)` is sent in its place, and the rest is not pulled. To go on past
    /// errors, attach the stream with [`attach`](Self::attach) and send the `Result`s as they
    /// are.
    pub fn attach_try<S, E, R2, F2>(
        self,
        stream: S,
        on_error: impl FnOnce(&P, E) -> DeferredPromise<R2, F2> + Send + 'static,
    ) -> AttachedStream
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Send + 'static,
        R2: Send + 'static,
        F2: 'static,
    {
        self.spawn(stream, move |proxy, error| settling(on_error(proxy, error)))
    }

    fn spawn<S, E>(
        self,
        stream: S,
        on_error: impl FnOnce(&P, E) -> Settling + Send + 'static,
    ) -> AttachedStream
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Send + 'static,
    {
        let StreamInto {
            runtime,
            proxy,
            on_item,
            window,
            on_end,
            item: _,
        } = self;
        let pump = Pump {
            proxy,
            on_item,
            window,
            in_flight: VecDeque::with_capacity(window),
            call: std::marker::PhantomData,
        };
        let task = runtime.spawn(pump.run(stream, on_end, on_error));
        AttachedStream { task: Some(task) }
    }
}

impl<P, T, C> fmt::Debug for StreamInto<P, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamInto")
            .field("window", &self.window)
            .field("on_end", &self.on_end.is_some())
            .finish_non_exhaustive()
    }
}

/// A hook's promise, awaited without a timeout, its answer dropped.
fn settling<R: Send + 'static, F: 'static>(promise: DeferredPromise<R, F>) -> Settling {
    let result = promise.timeout(None).result();
    Box::pin(async move { result.await.map(drop) })
}

/// Whether a call failed because its actor has stopped.
fn stopped<R>(outcome: &Result<R, ActorError>) -> bool {
    matches!(
        outcome,
        Err(ActorError::Stopped { .. } | ActorError::StageClosed | ActorError::RuntimeShutdown)
    )
}

/// The pump's state: the proxy, how to send an item, and the items in flight.
struct Pump<P, T, R, C, F> {
    proxy: P,
    on_item: C,
    window: usize,
    /// The promises of the items sent and not yet seen handled, oldest first.
    in_flight: VecDeque<PromiseResult<R>>,
    /// What `on_item` takes, and its promises' failure policy.
    call: std::marker::PhantomData<fn(T) -> F>,
}

/// Why the pull ended, before the pump drains what is in flight.
enum Pulled<E> {
    End,
    Error(E),
    ActorStopped,
}

impl<P, T, C, R, F> Pump<P, T, R, C, F>
where
    P: Protocol,
    C: FnMut(&P, T) -> DeferredPromise<R, F>,
    R: Send + 'static,
{
    async fn run<S, E>(
        mut self,
        stream: S,
        on_end: Option<EndHook<P>>,
        on_error: impl FnOnce(&P, E) -> Settling,
    ) -> StreamEnd
    where
        S: Stream<Item = Result<T, E>>,
    {
        let actor = self.proxy.handle().actor_ref();
        let mut terminated = actor.terminated();
        let pulled = {
            // Dropped at the end of this block: the stream goes as soon as it is not pulled.
            let mut stream = pin!(stream);
            loop {
                if self.settle_handled() || self.proxy.handle().is_stopped() {
                    break Pulled::ActorStopped;
                }
                if self.in_flight.len() >= self.window {
                    let Some(oldest) = self.in_flight.front_mut() else {
                        unreachable!("a full window holds a promise");
                    };
                    tokio::select! {
                        biased;
                        reason = &mut terminated => return StreamEnd::ActorStopped(reason),
                        outcome = oldest => {
                            self.in_flight.pop_front();
                            if stopped(&outcome) {
                                break Pulled::ActorStopped;
                            }
                        }
                    }
                    continue;
                }
                tokio::select! {
                    biased;
                    reason = &mut terminated => return StreamEnd::ActorStopped(reason),
                    item = stream.next() => match item {
                        Some(Ok(item)) => {
                            let promise = (self.on_item)(&self.proxy, item);
                            self.in_flight.push_back(promise.timeout(None).result());
                        }
                        Some(Err(error)) => break Pulled::Error(error),
                        None => break Pulled::End,
                    },
                }
            }
        };
        let (end, hook) = match pulled {
            Pulled::ActorStopped => return StreamEnd::ActorStopped(terminated.await),
            Pulled::End => (StreamEnd::Ended, on_end.map(|on_end| on_end(&self.proxy))),
            Pulled::Error(error) => (StreamEnd::Failed, Some(on_error(&self.proxy, error))),
        };
        // Queued behind the last item: waiting for the hook waits for every item too.
        while let Some(oldest) = self.in_flight.front_mut() {
            tokio::select! {
                biased;
                reason = &mut terminated => return StreamEnd::ActorStopped(reason),
                outcome = oldest => {
                    self.in_flight.pop_front();
                    if stopped(&outcome) {
                        return StreamEnd::ActorStopped(terminated.await);
                    }
                }
            }
        }
        if let Some(hook) = hook {
            tokio::select! {
                biased;
                reason = &mut terminated => return StreamEnd::ActorStopped(reason),
                outcome = hook => if stopped(&outcome) {
                    return StreamEnd::ActorStopped(terminated.await);
                },
            }
        }
        end
    }

    /// Takes the promises of the items already handled out of the window, oldest first;
    /// `true` if one says the actor has stopped.
    fn settle_handled(&mut self) -> bool {
        while let Some(oldest) = self.in_flight.front_mut() {
            let Some(outcome) = oldest.now_or_never() else {
                break;
            };
            self.in_flight.pop_front();
            if stopped(&outcome) {
                return true;
            }
        }
        false
    }
}

impl Stage {
    /// Attaches `stream` to the actor behind `proxy`: each item becomes the call `on_item`
    /// makes with it (`|p, tick| p.on_tick(tick)`), in order, and the stream is pulled only as
    /// fast as the actor handles them (at most [`DEFAULT_STREAM_WINDOW`] items in flight). The
    /// pull runs as a task on the stage's runtime; it ends when the stream ends, when the actor
    /// stops, or when the returned handle is dropped. For a window of your own, an end hook or
    /// a stream of `Result`s, see [`stream_into`](Self::stream_into).
    ///
    /// `on_item` runs in the pump's task: keep it to sending the call.
    ///
    /// ```
    /// use domo_actors::{actor_protocol, Actor, Definition, Stage, StreamEnd};
    ///
    /// #[actor_protocol]
    /// pub trait Log {
    ///     async fn line(&mut self, line: String);
    ///     async fn lines(&self) -> Vec<String>;
    /// }
    ///
    /// #[derive(Actor, Default)]
    /// struct LogActor(Vec<String>);
    ///
    /// impl Log for LogActor {
    ///     async fn line(&mut self, line: String) {
    ///         self.0.push(line);
    ///     }
    ///     async fn lines(&self) -> Vec<String> {
    ///         self.0.clone()
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let stage = Stage::new();
    /// let log: LogProxy = stage.actor_for(Definition::new(LogActor::default)).unwrap();
    /// let lines = futures::stream::iter(["a", "b", "c"].map(String::from));
    ///
    /// let attached = stage.attach_stream(lines, &log, |log, line| log.line(line));
    /// assert_eq!(attached.await, StreamEnd::Ended);
    /// assert_eq!(log.lines().await, ["a", "b", "c"]);
    /// # stage.close().await;
    /// # }
    /// ```
    pub fn attach_stream<P, S, C, R, F>(&self, stream: S, proxy: &P, on_item: C) -> AttachedStream
    where
        P: Protocol,
        S: Stream + Send + 'static,
        S::Item: Send + 'static,
        C: FnMut(&P, S::Item) -> DeferredPromise<R, F> + Send + 'static,
        R: Send + 'static,
        F: 'static,
    {
        self.stream_into(proxy, on_item).attach(stream)
    }

    /// Starts attaching a stream to the actor behind `proxy`, each item sent by `on_item`, with
    /// options: the window, an end hook, a stream of `Result`s (see [`StreamInto`]).
    pub fn stream_into<P, T, C, R, F>(&self, proxy: &P, on_item: C) -> StreamInto<P, T, C>
    where
        P: Protocol,
        T: Send + 'static,
        C: FnMut(&P, T) -> DeferredPromise<R, F> + Send + 'static,
        R: Send + 'static,
        F: 'static,
    {
        StreamInto {
            runtime: self.runtime().clone(),
            proxy: proxy.clone(),
            on_item,
            window: DEFAULT_STREAM_WINDOW,
            on_end: None,
            item: std::marker::PhantomData,
        }
    }
}
