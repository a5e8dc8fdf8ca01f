//! `InSpan`: a future each poll of which is inside a span.

use std::borrow::Borrow;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tracing::Span;

pin_project_lite::pin_project! {
    /// `future`, each poll of which is inside `span` (a `Span`, or a `Box<Span>`): a handler's
    /// future in its message's span.
    ///
    /// Unlike `tracing::Instrumented`, dropping it does not enter the span: the runtime drops
    /// a handler's future once it has completed or panicked. (For an actor task's activation,
    /// measured, `Instrumented` costs fewer instructions: 1,834 against 1,844 per fan-out
    /// round trip.)
    pub(crate) struct InSpan<F, S> {
        #[pin]
        future: F,
        span: S,
    }
}

impl<F, S> InSpan<F, S> {
    /// `future`, polled inside `span`.
    pub(crate) fn new(future: F, span: S) -> Self {
        Self { future, span }
    }
}

impl<F: Future, S: Borrow<Span>> Future for InSpan<F, S> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let _in_span = Borrow::<Span>::borrow(this.span).enter();
        this.future.poll(cx)
    }
}
