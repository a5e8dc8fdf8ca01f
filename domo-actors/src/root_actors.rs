//! The root actors: the private root (parent of everything) and the public root (the default
//! parent of actors the stage creates).

use crate::error::HandlerFailure;
use crate::{Actor, ActorError, Dispatch, Message};

/// The type name of the private root actor.
pub const PRIVATE_ROOT_TYPE: &str = "__privateRoot";
/// The type name of the public root actor.
pub const PUBLIC_ROOT_TYPE: &str = "__publicRoot";

/// A root actor: it has children and a lifecycle, and no protocol methods.
pub(crate) struct RootActor;

impl Actor for RootActor {}

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
}

impl Dispatch<RootActor> for RootMessage {
    async fn dispatch(self, _actor: &mut RootActor) -> Result<(), HandlerFailure> {
        match self {}
    }
}
