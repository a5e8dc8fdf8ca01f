//! Streams and topics: a `futures::Stream` pulled into an actor with back-pressure
//! ([`Stage::attach_stream`](crate::Stage::attach_stream)), a stream out of an actor driven by
//! its consumer's demand ([`ActorStream`](crate::ActorStream)), and typed publish/subscribe
//! ([`Topic`](crate::Topic)) that fans items out to actors and streams.
//!
//! A layer above the runtime: it uses proxies, promises, the stage's runtime and
//! `ActorRef::terminated`, and the runtime uses nothing of it (the `Stage` methods it adds are
//! written here).

pub(crate) mod actor_stream;
pub(crate) mod attach;
pub(crate) mod stream_error;
pub(crate) mod subscription;
pub(crate) mod topic;
pub(crate) mod topic_stream;
