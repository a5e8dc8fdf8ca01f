//! `ObservableState`: named values an actor shows to tests about itself.

use std::collections::BTreeMap;
use std::fmt;

use crate::StateValue;

/// A snapshot of an actor's state as named [`StateValue`]s, which tests wait on
/// ([`await_observable_state`](crate::await_observable_state),
/// [`await_state_value`](crate::await_state_value)) instead of reaching into the actor.
///
/// The actor builds it in a handler (see
/// [`ObservableStateProvider`](crate::ObservableStateProvider)), so it is a consistent picture
/// taken between two messages. Names are kept sorted, which makes [`keys`](Self::keys),
/// [`snapshot`](Self::snapshot) and the `Display` rendering deterministic:
///
/// ```
/// use domo_actors_testkit::{ObservableState, StateValue};
///
/// let mut state = ObservableState::new();
/// state.put_value("name", "x").put_value("count", 3u64);
///
/// assert_eq!(state.value_of("count"), Some(&StateValue::Int(3)));
/// assert_eq!(state.value_of_or_default("missing", false), StateValue::Bool(false));
/// assert_eq!(state.keys().collect::<Vec<_>>(), ["count", "name"]);
/// assert_eq!(state.to_string(), r#"{count: 3, name: "x"}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObservableState {
    values: BTreeMap<String, StateValue>,
}

impl ObservableState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the value named `name`, replacing any previous one; returns `self` for chaining.
    pub fn put_value(
        &mut self,
        name: impl Into<String>,
        value: impl Into<StateValue>,
    ) -> &mut Self {
        self.values.insert(name.into(), value.into());
        self
    }

    /// This state with the value named `name` set: [`put_value`](Self::put_value) for building a
    /// state in one expression, as an actor's `observable_state` handler usually does.
    #[must_use]
    pub fn with_value(mut self, name: impl Into<String>, value: impl Into<StateValue>) -> Self {
        self.put_value(name, value);
        self
    }

    /// The value named `name`, if there is one.
    pub fn value_of(&self, name: &str) -> Option<&StateValue> {
        self.values.get(name)
    }

    /// The value named `name`, or `default` if there is none.
    pub fn value_of_or_default(&self, name: &str, default: impl Into<StateValue>) -> StateValue {
        match self.values.get(name) {
            Some(value) => value.clone(),
            None => default.into(),
        }
    }

    /// Whether there is a value named `name`.
    pub fn has_value(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// How many values there are.
    pub fn size(&self) -> usize {
        self.values.len()
    }

    /// The names of the values, in sorted order.
    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.values.keys().map(String::as_str)
    }

    /// Removes every value.
    pub fn clear(&mut self) {
        self.values.clear();
    }

    /// A copy of the values, by name (DomoActors' plain-object snapshot).
    pub fn snapshot(&self) -> BTreeMap<String, StateValue> {
        self.values.clone()
    }
}

/// JSON-like and sorted by name: `{count: 3, name: "x"}`; `{}` when empty.
impl fmt::Display for ObservableState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("{")?;
        for (index, (name, value)) in self.values.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name}: {value}")?;
        }
        f.write_str("}")
    }
}

impl<K, V> FromIterator<(K, V)> for ObservableState
where
    K: Into<String>,
    V: Into<StateValue>,
{
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut state = Self::new();
        for (name, value) in pairs {
            state.put_value(name, value);
        }
        state
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::ObservableState;
    use crate::StateValue;

    #[test]
    fn put_value_replaces_and_chains() {
        let mut state = ObservableState::new();
        state
            .put_value("a", 1)
            .put_value("b", true)
            .put_value("a", 2);
        assert_eq!(state.size(), 2);
        assert_eq!(state.value_of("a"), Some(&StateValue::Int(2)));
        assert_eq!(state.value_of("b"), Some(&StateValue::Bool(true)));
        assert_eq!(state.value_of("c"), None);
        assert!(state.has_value("a"));
        assert!(!state.has_value("c"));
    }

    #[test]
    fn value_of_or_default_prefers_the_stored_value() {
        let state = ObservableState::new().with_value("mode", "busy");
        assert_eq!(state.value_of_or_default("mode", "idle"), "busy".into());
        assert_eq!(state.value_of_or_default("other", "idle"), "idle".into());
    }

    #[test]
    fn keys_and_snapshot_are_sorted() {
        let state: ObservableState = [("b", 2), ("c", 3), ("a", 1)].into_iter().collect();
        assert_eq!(state.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        let expected: BTreeMap<String, StateValue> = [("a", 1), ("b", 2), ("c", 3)]
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value.into()))
            .collect();
        assert_eq!(state.snapshot(), expected);
    }

    #[test]
    fn snapshot_is_a_copy() {
        let mut state = ObservableState::new().with_value("a", 1);
        let snapshot = state.snapshot();
        state.clear();
        assert_eq!(state.size(), 0);
        assert_eq!(snapshot.len(), 1);
    }

    #[test]
    fn display_renders_sorted_json_like() {
        assert_eq!(ObservableState::new().to_string(), "{}");
        let state = ObservableState::new()
            .with_value("name", "x")
            .with_value("count", 3u64)
            .with_value("ratio", 0.5)
            .with_value("tags", vec!["a", "b"]);
        assert_eq!(
            state.to_string(),
            r#"{count: 3, name: "x", ratio: 0.5, tags: ["a", "b"]}"#
        );
    }

    #[test]
    fn equality_is_by_value() {
        let a = ObservableState::new().with_value("count", 3u64);
        let b = ObservableState::new().with_value("count", 3);
        assert_eq!(a, b);
        assert_ne!(a, ObservableState::new().with_value("count", 3.0));
    }
}
