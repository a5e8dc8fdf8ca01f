//! Values every layer shares: addresses, errors, logging (and where a panic happened), the
//! hooks of the `metrics` feature, type names, the locks the loom models swap out. Nothing here imports anything of the crate
//! outside this folder.

pub(crate) mod address;
pub(crate) mod error;
pub(crate) mod in_span;
pub(crate) mod logger;
pub(crate) mod message_trace;
pub(crate) mod metrics;
// Here, not in `mailbox/`, because `ActorError::DroppedByOverflow` names the policy.
pub(crate) mod overflow_policy;
pub(crate) mod panic_site;
pub(crate) mod representation;
pub(crate) mod sync;
pub(crate) mod type_names;
