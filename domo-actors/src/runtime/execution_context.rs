//! `ExecutionContext`: values that travel with messages down a chain of actors.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use tracing::Span;

use crate::ActorRef;

/// A string-keyed bag of values, plus a list of collaborator actors, that travels with messages.
///
/// Each actor has a *persistent* context; a proxy snapshots it into every message it sends, and
/// while the actor handles that message the snapshot is its *current-message* context. At
/// delivery the snapshot is [propagated](ExecutionContext::propagate) to the actor's
/// collaborators, so a value set at the top of a call chain (a request id, a command name) reaches
/// every actor down the chain without being passed as an argument.
///
/// # Cost
///
/// A context is copy-on-write: cloning one (which the runtime does for every message) clones an
/// `Arc`, never the map, and an empty context is a `None` that allocates nothing. A mutation of a
/// shared context copies the map first (shallowly: the values themselves are shared `Arc`s).
///
/// # Value types
///
/// Values are stored as `dyn Any` and read back by exact type, so the type used to read must be
/// the type that was stored. In particular `set_value("k", "text")` stores a `&'static str`, which
/// [`value::<String>`](ExecutionContext::value) will not find; prefer storing owned values
/// (`String::from("text")`, or a newtype of your own).
///
/// # Examples
///
/// ```
/// use domo_actors::ExecutionContext;
///
/// let mut context = ExecutionContext::new();
/// context
///     .set_value("command", String::from("open-account"))
///     .set_value("attempt", 2_u32);
///
/// assert_eq!(context.value::<String>("command").map(String::as_str), Some("open-account"));
/// assert_eq!(context.value::<u32>("attempt"), Some(&2));
/// assert_eq!(context.value::<u64>("attempt"), None); // stored as u32
/// assert_eq!(context.value_or("missing", 0_u32), 0);
///
/// let snapshot = context.clone(); // cheap: shares the map
/// context.reset();
/// assert!(!context.has_context());
/// assert_eq!(snapshot.count(), 2); // the snapshot is unaffected
/// ```
#[derive(Clone, Default)]
pub struct ExecutionContext {
    /// `None` for an empty context (no values, no collaborators), so the common case of sending
    /// with no context costs nothing.
    data: Option<Arc<ContextData>>,
}

#[derive(Clone, Default)]
struct ContextData {
    values: HashMap<String, Arc<dyn Any + Send + Sync>>,
    collaborators: Vec<ActorRef>,
    /// The sender's span, in a message's snapshot only (never in a persistent context, nor in
    /// the context a handler sees): the message's span follows from it (see
    /// `runtime/message_trace.rs`). Set only while a subscriber wants message spans.
    caller: Option<Box<Span>>,
}

impl ExecutionContext {
    /// An empty context; allocates nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stores `value` under `key`, replacing any previous value; chainable.
    ///
    /// See [Value types](ExecutionContext#value-types) about `&str` versus `String`.
    pub fn set_value(
        &mut self,
        key: impl Into<String>,
        value: impl Any + Send + Sync,
    ) -> &mut Self {
        self.data_mut().values.insert(key.into(), Arc::new(value));
        self
    }

    /// The value under `key`, if there is one and it has type `T`.
    pub fn value<T: Any>(&self, key: &str) -> Option<&T> {
        let value: &(dyn Any + Send + Sync) = self.data.as_ref()?.values.get(key)?.as_ref();
        value.downcast_ref::<T>()
    }

    /// The value under `key` if there is one of type `T`, otherwise `default`.
    pub fn value_or<T: Any + Clone>(&self, key: &str, default: T) -> T {
        self.value::<T>(key).cloned().unwrap_or(default)
    }

    /// Whether there is a value (of any type) under `key`.
    pub fn contains(&self, key: &str) -> bool {
        self.data
            .as_ref()
            .is_some_and(|data| data.values.contains_key(key))
    }

    /// The number of values (collaborators are not counted).
    pub fn count(&self) -> usize {
        self.data.as_ref().map_or(0, |data| data.values.len())
    }

    /// Whether there is at least one value (DomoActors' `hasContext()`).
    pub fn has_context(&self) -> bool {
        self.count() > 0
    }

    /// Whether there are no values; the opposite of [`has_context`](Self::has_context).
    /// Collaborators are not considered.
    pub fn is_empty(&self) -> bool {
        !self.has_context()
    }

    /// Removes every value, keeping the collaborators (as DomoActors' `reset()` does); chainable.
    ///
    /// Typical use before a send: `context.reset().set_value("command", ...)`.
    pub fn reset(&mut self) -> &mut Self {
        if let Some(data) = &mut self.data {
            if data.collaborators.is_empty() {
                self.data = None;
            } else if let Some(data) = Arc::get_mut(data) {
                data.values.clear();
            } else {
                // Shared: build the result directly instead of copying a map only to clear it.
                *data = Arc::new(ContextData {
                    values: HashMap::new(),
                    collaborators: data.collaborators.clone(),
                    caller: None,
                });
            }
        }
        self
    }

    /// The keys of the values, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.data
            .iter()
            .flat_map(|data| data.values.keys().map(String::as_str))
    }

    /// Appends `actors` to the collaborators that [`propagate`](Self::propagate) passes this
    /// context's values to; chainable.
    pub fn collaborators(&mut self, actors: impl IntoIterator<Item = ActorRef>) -> &mut Self {
        let mut actors = actors.into_iter().peekable();
        if actors.peek().is_some() {
            self.data_mut().collaborators.extend(actors);
        }
        self
    }

    /// The collaborators, in the order they were added.
    pub fn collaborator_list(&self) -> &[ActorRef] {
        self.data.as_ref().map_or(&[], |data| &data.collaborators)
    }

    /// Replaces the persistent context of every collaborator with this context's values (not its
    /// collaborators): the next message a collaborator's proxy sends carries them on.
    ///
    /// The runtime calls this when it delivers a message; calling it yourself pushes the values
    /// out immediately. As in DomoActors a collaborator's previous values are replaced, not merged.
    pub fn propagate(&self) {
        let Some(data) = &self.data else { return };
        if data.collaborators.is_empty() {
            return;
        }
        let values_only = ExecutionContext {
            data: (!data.values.is_empty()).then(|| {
                Arc::new(ContextData {
                    values: data.values.clone(),
                    collaborators: Vec::new(),
                    caller: None,
                })
            }),
        };
        for collaborator in &data.collaborators {
            collaborator.replace_execution_context(values_only.clone());
        }
    }

    /// This context with `source`'s values in place of its own, and its own collaborators kept:
    /// what a collaborator's persistent context becomes when a context is propagated to it (so
    /// that propagation goes on down a chain of collaborators).
    pub(crate) fn with_values_of(&self, source: &ExecutionContext) -> ExecutionContext {
        let collaborators = self
            .data
            .as_ref()
            .map(|data| data.collaborators.as_slice())
            .unwrap_or_default();
        if collaborators.is_empty() {
            return source.clone();
        }
        let values = source
            .data
            .as_ref()
            .map(|data| data.values.clone())
            .unwrap_or_default();
        ExecutionContext {
            data: Some(Arc::new(ContextData {
                values,
                collaborators: collaborators.to_vec(),
                caller: None,
            })),
        }
    }

    /// Whether this is the empty context that was never written to (no allocation): the fast path
    /// for proxies and deliveries. A context whose values were all removed by
    /// [`reset`](Self::reset) but that still has collaborators is not unset.
    pub(crate) fn is_unset(&self) -> bool {
        self.data.is_none()
    }

    /// A message's snapshot of this (persistent) context that also carries `caller`, the
    /// sender's span, for the message's span to follow from.
    pub(crate) fn linked_to(&self, caller: Box<Span>) -> ExecutionContext {
        let (values, collaborators) = self.data.as_ref().map_or_else(Default::default, |data| {
            (data.values.clone(), data.collaborators.clone())
        });
        ExecutionContext {
            data: Some(Arc::new(ContextData {
                values,
                collaborators,
                caller: Some(caller),
            })),
        }
    }

    /// The sender's span a message's snapshot carries, if any.
    pub(crate) fn caller(&self) -> Option<&Span> {
        self.data.as_ref()?.caller.as_deref()
    }

    /// This context without the sender's span a message's snapshot may carry: what the
    /// message's handler sees.
    pub(crate) fn without_caller(&self) -> ExecutionContext {
        match &self.data {
            Some(data) if data.caller.is_some() => ExecutionContext {
                data: (!data.values.is_empty() || !data.collaborators.is_empty()).then(|| {
                    Arc::new(ContextData {
                        values: data.values.clone(),
                        collaborators: data.collaborators.clone(),
                        caller: None,
                    })
                }),
            },
            _ => self.clone(),
        }
    }

    /// The data for writing: allocated on first write, copied first if shared.
    fn data_mut(&mut self) -> &mut ContextData {
        Arc::make_mut(self.data.get_or_insert_with(Default::default))
    }
}

impl fmt::Debug for ExecutionContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values are `dyn Any` and cannot be printed; sorted keys keep the output deterministic.
        let mut keys: Vec<&str> = self.keys().collect();
        keys.sort_unstable();
        f.debug_struct("ExecutionContext")
            .field("keys", &keys)
            .field("collaborators", &self.collaborator_list())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::ExecutionContext;
    use crate::{ActorRef, Address};

    #[test]
    fn chaining_and_typed_get() {
        let mut context = ExecutionContext::new();
        context
            .set_value("name", String::from("alice"))
            .set_value("count", 3_i64)
            .set_value("literal", "static");
        assert_eq!(context.count(), 3);
        assert!(context.has_context());
        assert!(!context.is_empty());
        assert_eq!(context.value::<String>("name").unwrap(), "alice");
        assert_eq!(context.value::<i64>("count"), Some(&3));
        assert_eq!(context.value::<i32>("count"), None, "wrong type");
        assert_eq!(context.value::<i64>("absent"), None);
        assert_eq!(context.value::<&str>("literal"), Some(&"static"));
        assert_eq!(
            context.value::<String>("literal"),
            None,
            "a &str is not a String"
        );
        assert_eq!(context.value_or("count", 0_i64), 3);
        assert_eq!(context.value_or("absent", 7_i64), 7);
        assert!(context.contains("name"));
        assert!(!context.contains("absent"));
        let mut keys: Vec<&str> = context.keys().collect();
        keys.sort_unstable();
        assert_eq!(keys, ["count", "literal", "name"]);

        context.set_value("count", 4_i64);
        assert_eq!(context.value::<i64>("count"), Some(&4));
        assert_eq!(context.count(), 3);
    }

    #[test]
    fn empty_context_allocates_nothing() {
        let mut context = ExecutionContext::new();
        assert!(context.is_unset());
        assert!(ExecutionContext::default().is_unset());
        assert!(context.clone().is_unset());
        assert_eq!(context.count(), 0);
        assert!(context.is_empty());
        assert!(context.collaborator_list().is_empty());
        assert_eq!(context.keys().count(), 0);
        context.reset().collaborators(Vec::new());
        context.propagate();
        assert!(context.is_unset(), "no-op operations must not allocate");

        context.set_value("k", 1_u8);
        assert!(!context.is_unset());
        context.reset();
        assert!(
            context.is_unset(),
            "reset without collaborators returns to the empty state"
        );
    }

    #[test]
    fn clone_is_shallow_and_copy_on_write() {
        let mut original = ExecutionContext::new();
        original.set_value("a", 1_u32);
        let mut copy = original.clone();
        assert!(Arc::ptr_eq(
            original.data.as_ref().unwrap(),
            copy.data.as_ref().unwrap()
        ));

        copy.set_value("a", 2_u32).set_value("b", 3_u32);
        assert_eq!(original.value::<u32>("a"), Some(&1));
        assert!(!original.contains("b"));
        assert_eq!(copy.value::<u32>("a"), Some(&2));

        let mut third = original.clone();
        third.reset();
        assert_eq!(original.count(), 1, "resetting a clone leaves the original");
        assert_eq!(third.count(), 0);
    }

    #[test]
    fn reset_keeps_collaborators() {
        let actor = ActorRef::for_test(Address::from_number(1), "Worker");
        let mut context = ExecutionContext::new();
        context.collaborators([actor.clone()]).set_value("k", 1_u8);
        let shared = context.clone();
        context.reset();
        assert_eq!(context.count(), 0);
        assert_eq!(context.collaborator_list(), std::slice::from_ref(&actor));
        assert!(!context.is_unset());
        assert_eq!(shared.count(), 1);

        let mut unique = shared;
        unique.reset().set_value("j", 2_u8);
        assert_eq!(unique.collaborator_list(), [actor]);
        assert_eq!(unique.keys().collect::<Vec<_>>(), ["j"]);
    }

    #[test]
    fn collaborators_append_and_propagate_values_only() {
        let first = ActorRef::for_test(Address::from_number(10), "First");
        let second = ActorRef::for_test(Address::from_number(11), "Second");
        let mut context = ExecutionContext::new();
        context
            .collaborators([first.clone()])
            .collaborators([second.clone()]);
        assert_eq!(context.collaborator_list(), [first.clone(), second.clone()]);

        // A collaborator's previous values are replaced, not merged.
        let mut stale = ExecutionContext::new();
        stale.set_value("stale", true);
        first.replace_execution_context(stale);

        context.set_value("request", String::from("r-1"));
        context.propagate();
        for actor in [&first, &second] {
            let received = actor.execution_context();
            assert_eq!(received.value::<String>("request").unwrap(), "r-1");
            assert!(!received.contains("stale"));
            assert!(received.collaborator_list().is_empty(), "values only");
        }

        // Propagating an empty context clears the collaborators' values.
        context.reset().propagate();
        assert!(first.execution_context().is_unset());
    }

    #[test]
    fn debug_lists_sorted_keys() {
        let mut context = ExecutionContext::new();
        context.set_value("b", 1_u8).set_value("a", 2_u8);
        assert_eq!(
            format!("{context:?}"),
            r#"ExecutionContext { keys: ["a", "b"], collaborators: [] }"#
        );
    }
}
