//! A stream out of an actor: `ActorStream<T>`, the consumer's `futures::Stream`, and
//! `StreamSink<T>`, the actor's half, made as a pair with a bounded buffer.
//!
//! The items go through a bounded tokio channel: the sink's `send` waits for room, which is the
//! consumer's demand (Reactive Streams' `request(n)`, with `n` the room left in the buffer). The
//! consumer dropping the stream closes the channel, which is how the sink learns of the
//! cancellation. How the stream ended is a word the two halves share (`End`): the sink writes
//! it when it finishes or is dropped, the stream reads it once the channel is closed and empty.
//! Both halves watch the producing actor: the sink refuses items once it has stopped, and the
//! stream holds the actor's [`Terminated`] future, so a consumer whose producer has stopped
//! ends with [`StreamError::ActorStopped`] instead of waiting for items that will never come.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};

use futures::Stream;
use futures::stream::FusedStream;
use tokio::sync::mpsc;

use crate::streams::stream_error::{Cancelled, StreamError, TrySendError};
use crate::{ActorError, ActorRef, Environment, OnFailure, Terminated};

/// How the sink ended, shared by the two halves: written by the sink before its sender goes,
/// read by the stream after the channel has closed.
struct End(AtomicU8);

impl End {
    /// The sink is still there.
    const OPEN: u8 = 0;
    /// [`StreamSink::finish`]: a plain end.
    const FINISHED: u8 = 1;
    /// Dropped unfinished while the actor ran.
    const DROPPED: u8 = 2;
    /// Dropped unfinished (or finished) once the actor had stopped: its stop dropped it.
    const ACTOR_STOPPED: u8 = 3;

    fn set(&self, end: u8) {
        self.0.store(end, Ordering::Release);
    }

    fn get(&self) -> u8 {
        self.0.load(Ordering::Acquire)
    }
}

/// A stream of items produced by an actor, as a [`futures::Stream`]: what a protocol method
/// declared `-> ActorStream<T>` answers. Each item is `Ok(T)`; the stream then ends with `None`
/// if the actor [finished](StreamSink::finish) it, or with one `Err(`[`StreamError`]`)` first
/// if it did not: the actor stopped ([`ActorStopped`](StreamError::ActorStopped)), it could not
/// open the stream ([`NotOpened`](StreamError::NotOpened)), or its sink went away
/// ([`SinkDropped`](StreamError::SinkDropped)). It never waits for an actor that has stopped.
///
/// * **Demand.** The items wait in a buffer of the capacity the actor chose
///   ([`ActorStream::channel`]); the actor's [`StreamSink::send`] waits while it is full, so a
///   consumer that does not poll holds the producer back rather than letting items pile up.
/// * **Cancelling.** Dropping the stream cancels it: the actor's `send` fails with
///   [`Cancelled`], [`StreamSink::is_cancelled`] turns `true` and [`StreamSink::cancelled`]
///   resolves.
/// * **Order.** Items arrive in the order they were sent.
///
/// ```
/// use domo_actors::{actor_protocol, Actor, ActorStream, Definition, Stage, StreamError};
/// use futures::{StreamExt as _, TryStreamExt as _};
///
/// #[actor_protocol]
/// pub trait Counter {
///     async fn count_to(&self, n: u64) -> ActorStream<u64>;
/// }
///
/// #[derive(Actor)]
/// struct CounterActor;
///
/// impl Counter for CounterActor {
///     async fn count_to(&self, n: u64) -> ActorStream<u64> {
///         let (sink, stream) = ActorStream::channel(4);
///         // Fed by a task, so the actor goes on with its mailbox while the consumer reads.
///         tokio::spawn(async move {
///             for i in 1..=n {
///                 if sink.send(i).await.is_err() {
///                     return; // the consumer has gone
///                 }
///             }
///             sink.finish(); // a plain end: the consumer sees `None`
///         });
///         stream
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let stage = Stage::new();
/// let counter: CounterProxy = stage.actor_for(Definition::new(|| CounterActor)).unwrap();
///
/// let counted: Vec<u64> = counter.count_to(5).await.try_collect().await.unwrap();
/// assert_eq!(counted, [1, 2, 3, 4, 5]);
///
/// counter.stop().await;
/// let mut late = counter.count_to(5).await; // a stream all the same, with the error in it
/// assert!(matches!(late.next().await, Some(Err(StreamError::NotOpened(_)))));
/// assert!(late.next().await.is_none());
/// # stage.close().await;
/// # }
/// ```
pub struct ActorStream<T> {
    state: State<T>,
}

enum State<T> {
    Open {
        items: mpsc::Receiver<T>,
        end: Arc<End>,
        /// The producing actor's end.
        terminated: Terminated,
    },
    /// Ends with this error.
    Failed(StreamError),
    /// Has ended: `None` from now on.
    Done,
}

/// The actor's half of an [`ActorStream`]: [`send`](Self::send) items (waiting while the
/// consumer is behind), then [`finish`](Self::finish). Made by [`ActorStream::channel`].
///
/// Keep it where the items come from: move it into a task that feeds it, or into the actor's
/// own state to feed it from later messages. It is tied to the actor it was made for: once that
/// actor has stopped, `send` fails and the consumer's stream ends with
/// [`StreamError::ActorStopped`] (a sink in the actor's state is dropped by the stop, which ends
/// the stream the same way).
///
/// Dropping it without `finish` ends the stream with an error ([`StreamError::SinkDropped`], or
/// `ActorStopped`): a consumer can tell a complete stream from a cut one.
///
/// A handler that awaits [`send`](Self::send) holds its actor until the consumer makes room:
/// from a handler, prefer [`try_send`](Self::try_send) (and decide what a full buffer means),
/// or feed the sink from a task.
pub struct StreamSink<T> {
    items: mpsc::Sender<T>,
    end: Arc<End>,
    /// The producing actor. (A sink kept in the actor's state makes a cycle through it, broken
    /// when the actor stops and drops its state: as for any proxy an actor keeps to itself.)
    actor: ActorRef,
}

impl<T> ActorStream<T> {
    /// A connected pair produced by the actor whose handler (or hook) is running: the sink it
    /// keeps and the stream it answers, with a buffer of `capacity` items.
    ///
    /// # Panics
    ///
    /// Outside an actor's own handlers and hooks (use [`channel_for`](Self::channel_for)), or
    /// if `capacity` is 0.
    #[track_caller]
    pub fn channel(capacity: usize) -> (StreamSink<T>, ActorStream<T>) {
        let actor = Environment::try_current().expect(
            "domo-actors: `ActorStream::channel` is for an actor's own handlers and hooks \
             (elsewhere, use `ActorStream::channel_for`)",
        );
        Self::channel_for(&actor.actor_ref(), capacity)
    }

    /// A connected pair produced on behalf of `actor` (tied to its end, as
    /// [`channel`](Self::channel) ties it to the running actor), with a buffer of `capacity`
    /// items.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0.
    #[track_caller]
    pub fn channel_for(actor: &ActorRef, capacity: usize) -> (StreamSink<T>, ActorStream<T>) {
        assert!(
            capacity > 0,
            "domo-actors: an actor stream's capacity must be at least 1"
        );
        let (sender, receiver) = mpsc::channel(capacity);
        let end = Arc::new(End(AtomicU8::new(End::OPEN)));
        let sink = StreamSink {
            items: sender,
            end: Arc::clone(&end),
            actor: actor.clone(),
        };
        let stream = ActorStream {
            state: State::Open {
                items: receiver,
                end,
                terminated: actor.terminated(),
            },
        };
        (sink, stream)
    }
}

impl<T> ActorStream<T> {
    /// A stream whose only item is `Err(error)`.
    pub fn failed(error: StreamError) -> Self {
        ActorStream {
            state: State::Failed(error),
        }
    }
}

impl<T> Stream for ActorStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let State::Open {
            items,
            end,
            terminated,
        } = &mut self.state
        else {
            return Poll::Ready(match std::mem::replace(&mut self.state, State::Done) {
                State::Failed(error) => Some(Err(error)),
                _ => None,
            });
        };
        // Items first: what was sent before the end is yielded before it.
        let ended = match items.poll_recv(cx) {
            Poll::Ready(Some(item)) => return Poll::Ready(Some(Ok(item))),
            Poll::Ready(None) => match end.get() {
                End::FINISHED => None,
                End::DROPPED => Some(StreamError::SinkDropped),
                // The actor's stop dropped the sink; its end is reported at the end of the
                // stop, which is under way.
                _ => match Pin::new(terminated).poll(cx) {
                    Poll::Ready(reason) => Some(StreamError::ActorStopped(reason)),
                    Poll::Pending => return Poll::Pending,
                },
            },
            // Nothing buffered: a producer that stopped (its sink in a task that is not told)
            // will send nothing more.
            Poll::Pending => match Pin::new(terminated).poll(cx) {
                Poll::Ready(reason) => Some(StreamError::ActorStopped(reason)),
                Poll::Pending => return Poll::Pending,
            },
        };
        // Dropping the receiver and the registration here cancels the sink at once.
        self.state = State::Done;
        Poll::Ready(ended.map(Err))
    }
}

impl<T> FusedStream for ActorStream<T> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

impl<T> fmt::Debug for ActorStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Open { items, .. } => format!("open, {} buffered", items.len()),
            State::Failed(error) => format!("failing: {error}"),
            State::Done => "ended".to_owned(),
        };
        f.debug_struct("ActorStream")
            .field("state", &state)
            .finish()
    }
}

impl<T: Send> StreamSink<T> {
    /// Sends `item`, waiting while the buffer is full (the consumer is behind). Fails, giving
    /// the item back, once the stream is cancelled: the consumer dropped it, or the actor has
    /// stopped.
    pub async fn send(&self, item: T) -> Result<(), Cancelled<T>> {
        let item = match self.try_send(item) {
            Ok(()) => return Ok(()),
            Err(TrySendError::Cancelled(item)) => return Err(Cancelled(item)),
            Err(TrySendError::Full(item)) => item,
        };
        // Wait for room, or for the actor's end (a sink fed by a task is not dropped by it).
        let terminated = self.actor.terminated();
        let permit = tokio::select! {
            biased;
            permit = self.items.reserve() => permit.ok(),
            _ = terminated => None,
        };
        match permit {
            Some(permit) => {
                permit.send(item);
                Ok(())
            }
            None => Err(Cancelled(item)),
        }
    }

    /// Sends `item` if the buffer has room, without waiting.
    pub fn try_send(&self, item: T) -> Result<(), TrySendError<T>> {
        if self.actor_stopped() {
            return Err(TrySendError::Cancelled(item));
        }
        self.items.try_send(item).map_err(|error| match error {
            mpsc::error::TrySendError::Full(item) => TrySendError::Full(item),
            mpsc::error::TrySendError::Closed(item) => TrySendError::Cancelled(item),
        })
    }
}

impl<T> StreamSink<T> {
    /// Ends the stream: once the consumer has read what is buffered, it gets `None`. (Dropped
    /// instead, the sink ends it with an error.)
    pub fn finish(self) {
        // A stop already under way makes this a cut stream all the same: its consumer may
        // have seen the end.
        self.end.set(if self.actor_stopped() {
            End::ACTOR_STOPPED
        } else {
            End::FINISHED
        });
    }

    /// Whether the stream is cancelled: its consumer dropped it (or read its end), or the
    /// actor has stopped. Nothing sent from now on is delivered.
    pub fn is_cancelled(&self) -> bool {
        self.items.is_closed() || self.actor_stopped()
    }

    /// Resolves once the stream is cancelled (see [`is_cancelled`](Self::is_cancelled)): a
    /// task feeding the sink can `select!` on it to stop producing.
    pub async fn cancelled(&self) {
        let terminated = self.actor.terminated();
        tokio::select! {
            () = self.items.closed() => {}
            _ = terminated => {}
        }
    }

    /// How many items [`send`](Self::send) can take now without waiting: the room left in the
    /// buffer, the consumer's outstanding demand. 0 once cancelled.
    pub fn demand(&self) -> usize {
        if self.is_cancelled() {
            0
        } else {
            self.items.capacity()
        }
    }

    /// The buffer's capacity, as asked for in [`ActorStream::channel`].
    pub fn capacity(&self) -> usize {
        self.items.max_capacity()
    }

    /// Whether the producing actor has stopped (or is stopping).
    fn actor_stopped(&self) -> bool {
        self.actor.is_stopped()
    }
}

impl<T> Drop for StreamSink<T> {
    fn drop(&mut self) {
        // Before the sender goes (fields drop after this): the stream reads it once the
        // channel is closed.
        if self.end.get() == End::OPEN {
            self.end.set(if self.actor_stopped() {
                End::ACTOR_STOPPED
            } else {
                End::DROPPED
            });
        }
    }
}

impl<T> fmt::Debug for StreamSink<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSink")
            .field("capacity", &self.capacity())
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// Failure policy of methods returning [`ActorStream<T>`]: plain `.await` yields the stream
/// all the same, whose only item is `Err(`[`StreamError::NotOpened`]`(error))`. So
/// `proxy.prices().await` always gives a stream to read, and a failure arrives where the
/// consumer looks for items.
#[derive(Debug)]
pub enum StreamOnFailure {}

impl<T> OnFailure<ActorStream<T>> for StreamOnFailure {
    fn on_failure(error: ActorError) -> ActorStream<T> {
        ActorStream::failed(StreamError::NotOpened(error))
    }
}

#[cfg(test)]
mod tests {
    use futures::StreamExt as _;

    use super::{ActorStream, Cancelled, StreamError, TrySendError};
    use crate::{ActorError, Definition, Stage};

    #[tokio::test]
    async fn a_failed_stream_yields_its_error_once_then_ends() {
        let mut stream = ActorStream::<u8>::failed(StreamError::NotOpened(ActorError::NoReply));
        assert_eq!(
            stream.next().await,
            Some(Err(StreamError::NotOpened(ActorError::NoReply)))
        );
        assert_eq!(stream.next().await, None);
        assert_eq!(stream.next().await, None);
    }

    #[crate::actor_protocol]
    pub trait Idle {}

    #[derive(crate::Actor)]
    struct IdleActor;

    impl Idle for IdleActor {}

    #[tokio::test]
    async fn a_sink_is_cancelled_by_its_consumer_or_by_its_actor_stopping() {
        let stage = Stage::new();
        let idle: IdleProxy = stage.actor_for(Definition::new(|| IdleActor)).unwrap();

        let (sink, stream) = ActorStream::<u8>::channel_for(&idle.actor_ref(), 2);
        assert_eq!(
            (sink.is_cancelled(), sink.demand(), sink.capacity()),
            (false, 2, 2)
        );
        drop(stream);
        sink.cancelled().await;
        assert_eq!((sink.is_cancelled(), sink.demand()), (true, 0));
        assert_eq!(sink.send(1).await.map_err(Cancelled::into_inner), Err(1));

        let (sink, _stream) = ActorStream::<u8>::channel_for(&idle.actor_ref(), 2);
        let cancelled = sink.cancelled();
        idle.stop().await;
        cancelled.await;
        assert!(sink.is_cancelled());
        assert!(matches!(sink.try_send(2), Err(TrySendError::Cancelled(2))));
        stage.close().await;
    }

    #[test]
    #[should_panic(expected = "is for an actor's own handlers")]
    fn a_channel_outside_an_actor_is_refused() {
        let _ = ActorStream::<u8>::channel(1);
    }
}
