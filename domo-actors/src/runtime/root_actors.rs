//! The root actors: the private root (parent of everything) and the public root (the default
//! parent of actors the stage creates).

use std::any::Any;
use std::sync::Arc;

use crate::base::error::HandlerFailure;
use crate::{
    Actor, ActorError, Deliver, Message, Supervised, SupervisionDirective, SupervisionScope,
    SupervisionStrategy,
};

/// The type name of the private root actor.
pub const PRIVATE_ROOT_TYPE: &str = "__privateRoot";
/// The type name of the public root actor.
pub const PUBLIC_ROOT_TYPE: &str = "__publicRoot";

/// A root actor: it has children and a lifecycle, and no protocol methods. As a supervisor, the
/// public root restarts forever and the private root stops (DomoActors' root actors).
pub(crate) enum RootActor {
    Private,
    Public,
}

impl Actor for RootActor {
    fn supervision_strategy(&self) -> SupervisionStrategy {
        match self {
            Self::Private => {
                SupervisionStrategy::new(0, std::time::Duration::ZERO, SupervisionScope::One)
                    .deciding(|supervised| {
                        report("PrivateRootActor", supervised, "Stopping");
                        SupervisionDirective::Stop
                    })
            }
            Self::Public => SupervisionStrategy::forever().deciding(|supervised| {
                report("PublicRootActor", supervised, "Restarting");
                SupervisionDirective::Restart
            }),
        }
    }
}

/// DomoActors' root actors' report of a failure that reached them.
fn report(root: &str, supervised: &Supervised, action: &str) {
    tracing::info!(
        target: crate::base::logger::SUPERVISION,
        root,
        supervised = %supervised.actor().type_name(),
        supervised_id = %supervised.address().short(),
        reason = %supervised.error(),
        action,
        "a failure reached a root actor"
    );
}

/// The (empty) protocol of the root actors: they are only ever stopped.
pub(crate) enum RootMessage {}

impl Message for RootMessage {
    fn method_name(&self) -> &'static str {
        match *self {}
    }

    fn representation(&self) -> String {
        match *self {}
    }

    fn fail(self, _error: ActorError) {
        match self {}
    }

    fn find_handle(_cell: &Arc<dyn Any + Send + Sync>, _out: &mut dyn Any) {}
}

impl Deliver<RootActor> for RootMessage {
    type Route = std::convert::Infallible;
    type Answer = std::convert::Infallible;

    fn dispatch(
        self,
        _actor: &mut RootActor,
    ) -> (impl Future<Output = Self::Answer> + Send + '_, Self::Route) {
        match self {}
        #[allow(unreachable_code)]
        (std::future::pending(), unreachable!())
    }

    fn answer(route: Self::Route, _answer: Self::Answer) {
        match route {}
    }

    fn panicked(route: Self::Route, _payload: Box<dyn Any + Send>) -> HandlerFailure {
        match route {}
    }
}
