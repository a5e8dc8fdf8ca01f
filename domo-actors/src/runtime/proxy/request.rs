//! `Request`: one call paired with the route of its answer, as a mailbox holds it.

use std::any::Any;
use std::future::Future;
use std::sync::Arc;

use crate::base::error::{HandlerFailure, panic_message};
use crate::runtime::actor_cell::ActorCell;
use crate::runtime::environment;
use crate::{ActorError, Call, Deliver, Dispatch, Message, ProxyHandle, ReplyRoute};

/// A call and where its answer goes: what a mailbox queues for a protocol's message.
///
/// Proxies build requests; so does anything that receives calls from elsewhere (a remote node)
/// and hands them to a local actor with a [`ReplyRoute::remote`].
pub struct Request<C: Call> {
    call: C,
    reply: ReplyRoute<C::Answer>,
}

impl<C: Call> Request<C> {
    /// Pairs `call` with the route of its answer.
    pub fn new(call: C, reply: ReplyRoute<C::Answer>) -> Self {
        Self { call, reply }
    }

    /// The call.
    pub fn call(&self) -> &C {
        &self.call
    }

    /// Where the answer goes.
    pub fn reply(&self) -> &ReplyRoute<C::Answer> {
        &self.reply
    }

    /// The call and its route, apart.
    pub fn into_parts(self) -> (C, ReplyRoute<C::Answer>) {
        (self.call, self.reply)
    }
}

impl<C: Call + Send> Message for Request<C>
where
    C::Answer: Send,
{
    fn method_name(&self) -> &'static str {
        self.call.method_name()
    }

    fn representation(&self) -> String {
        self.call.representation()
    }

    fn fail(self, error: ActorError) {
        self.reply.fail(error);
    }

    fn find_handle(cell: &Arc<dyn Any + Send + Sync>, out: &mut dyn Any) {
        if let Some(out) = out.downcast_mut::<Option<ProxyHandle<C>>>() {
            if let Ok(cell) = Arc::clone(cell).downcast::<ActorCell<Self>>() {
                *out = Some(ProxyHandle::local(cell));
            }
        }
    }
}

impl<A: Send, C: Dispatch<A> + Send> Deliver<A> for Request<C>
where
    C::Answer: Send,
{
    type Route = (ReplyRoute<C::Answer>, u32);
    type Answer = C::Answer;

    #[inline]
    fn dispatch(self, actor: &mut A) -> (impl Future<Output = C::Answer> + Send + '_, Self::Route) {
        let Self { call, reply } = self;
        // The method's number, not its name: two words less held across the handler.
        let method = call.method_index();
        (call.dispatch(actor), (reply, method))
    }

    #[inline]
    fn answer((reply, _method): Self::Route, answer: C::Answer) {
        reply.answer(answer);
    }

    fn panicked((reply, method): Self::Route, payload: Box<dyn Any + Send>) -> HandlerFailure {
        handler_panicked(reply, C::method_name_at(method), payload)
    }
}

/// The handler of `method` panicked: fails its route and describes the failure. Out of line:
/// the actor task inlines the rest of a delivery.
#[cold]
#[inline(never)]
pub(crate) fn handler_panicked<A: 'static>(
    reply: ReplyRoute<A>,
    method: &'static str,
    payload: Box<dyn std::any::Any + Send>,
) -> HandlerFailure {
    let failure = HandlerFailure::new(method, panic_message(&*payload));
    reply.fail(environment::handler_panicked(&failure));
    failure
}

impl<C: Call> std::fmt::Debug for Request<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("call", &self.call.representation())
            .field("reply", &self.reply)
            .finish()
    }
}
