//! `StateValue`: one value of an [`ObservableState`](crate::ObservableState).

use std::fmt;

/// One value an actor shows in its [`ObservableState`](crate::ObservableState): a boolean, a
/// number, a text, or a list of values, like the JSON values DomoActors' state holds.
///
/// Values are built with `From` (or `.into()`) from the usual Rust types, and compared with `==`
/// (strict equality, as in DomoActors; note that a float NaN equals nothing, itself included).
///
/// All integer types become one variant, [`Int`](StateValue::Int), which holds any `i64` or `u64`:
/// an actor may store a `u64` counter and a test may expect the literal `3` (an `i32`), and the
/// two must be equal, as JavaScript numbers are. Floats stay apart: `Float(3.0)` is not `Int(3)`.
///
/// ```
/// use domo_actors_testkit::StateValue;
///
/// assert_eq!(StateValue::from(3u64), StateValue::from(3));
/// assert_eq!(StateValue::from(3u64), StateValue::Int(3));
/// assert_ne!(StateValue::from(3.0), StateValue::from(3));
/// assert_eq!(StateValue::from("idle").as_str(), Some("idle"));
/// assert_eq!(StateValue::from(vec![1, 2]).to_string(), "[1, 2]");
/// assert_eq!(StateValue::from("idle").to_string(), "\"idle\"");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum StateValue {
    /// A boolean.
    Bool(bool),
    /// An integer of any Rust integer type up to 64 bits, signed or not (`i128` holds them all).
    Int(i128),
    /// A floating-point number.
    Float(f64),
    /// A text.
    Text(String),
    /// A list of values.
    List(Vec<StateValue>),
}

impl StateValue {
    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            StateValue::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// The integer, if this is one and it fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            StateValue::Int(value) => i64::try_from(*value).ok(),
            _ => None,
        }
    }

    /// The integer, if this is one and it fits a `u64` (it is not negative).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            StateValue::Int(value) => u64::try_from(*value).ok(),
            _ => None,
        }
    }

    /// The float, if this is one. Integers are not converted: they are a different kind of value.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            StateValue::Float(value) => Some(*value),
            _ => None,
        }
    }

    /// The text, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            StateValue::Text(value) => Some(value),
            _ => None,
        }
    }

    /// The list, if this is one.
    pub fn as_list(&self) -> Option<&[StateValue]> {
        match self {
            StateValue::List(values) => Some(values),
            _ => None,
        }
    }
}

/// JSON-like: `true`, `3`, `2.5`, `"text"` (quoted and escaped as by `Debug`), `[1, 2]`.
impl fmt::Display for StateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StateValue::Bool(value) => write!(f, "{value}"),
            StateValue::Int(value) => write!(f, "{value}"),
            // `Debug` keeps the `.0` of whole floats, so `3.0` does not read as the integer `3`.
            StateValue::Float(value) => write!(f, "{value:?}"),
            StateValue::Text(value) => write!(f, "{value:?}"),
            StateValue::List(values) => {
                f.write_str("[")?;
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{value}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl From<bool> for StateValue {
    fn from(value: bool) -> Self {
        StateValue::Bool(value)
    }
}

/// `From` for each integer type, into the one [`StateValue::Int`] variant.
macro_rules! from_integer {
    ($($integer:ty),*) => {$(
        impl From<$integer> for StateValue {
            fn from(value: $integer) -> Self {
                StateValue::Int(i128::from(value))
            }
        }
    )*};
}

from_integer!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<isize> for StateValue {
    fn from(value: isize) -> Self {
        // `isize` is at most 64 bits on every platform Rust supports.
        StateValue::Int(value as i128)
    }
}

impl From<usize> for StateValue {
    fn from(value: usize) -> Self {
        // `usize` is at most 64 bits on every platform Rust supports.
        StateValue::Int(value as i128)
    }
}

impl From<f32> for StateValue {
    fn from(value: f32) -> Self {
        StateValue::Float(f64::from(value))
    }
}

impl From<f64> for StateValue {
    fn from(value: f64) -> Self {
        StateValue::Float(value)
    }
}

impl From<&str> for StateValue {
    fn from(value: &str) -> Self {
        StateValue::Text(value.to_owned())
    }
}

impl From<String> for StateValue {
    fn from(value: String) -> Self {
        StateValue::Text(value)
    }
}

impl From<&String> for StateValue {
    fn from(value: &String) -> Self {
        StateValue::Text(value.clone())
    }
}

impl From<char> for StateValue {
    fn from(value: char) -> Self {
        StateValue::Text(value.to_string())
    }
}

impl<T: Into<StateValue>> From<Vec<T>> for StateValue {
    fn from(values: Vec<T>) -> Self {
        StateValue::List(values.into_iter().map(Into::into).collect())
    }
}

impl<T: Clone + Into<StateValue>> From<&[T]> for StateValue {
    fn from(values: &[T]) -> Self {
        StateValue::List(values.iter().cloned().map(Into::into).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::StateValue;

    #[test]
    fn integers_of_every_type_are_one_kind() {
        assert_eq!(StateValue::from(3u8), StateValue::from(3i64));
        assert_eq!(StateValue::from(3usize), StateValue::from(3isize));
        assert_eq!(StateValue::from(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(StateValue::from(u64::MAX).as_i64(), None);
        assert_eq!(StateValue::from(-1).as_u64(), None);
        assert_eq!(StateValue::from(-1).as_i64(), Some(-1));
    }

    #[test]
    fn kinds_do_not_mix() {
        assert_ne!(StateValue::from(1), StateValue::from(true));
        assert_ne!(StateValue::from(1), StateValue::from(1.0));
        assert_ne!(StateValue::from("1"), StateValue::from(1));
        assert_eq!(StateValue::from(1).as_f64(), None);
        assert_eq!(StateValue::from(1.5).as_f64(), Some(1.5));
        assert_eq!(StateValue::from(true).as_bool(), Some(true));
        assert_eq!(StateValue::from('x').as_str(), Some("x"));
        assert_ne!(StateValue::from(f64::NAN), StateValue::from(f64::NAN));
    }

    #[test]
    fn lists_convert_element_wise() {
        let from_slice = StateValue::from(&["a", "b"][..]);
        assert_eq!(from_slice, StateValue::from(vec!["a", "b"]));
        assert_eq!(
            from_slice.as_list(),
            Some(&[StateValue::from("a"), StateValue::from("b")][..])
        );
    }

    #[test]
    fn display_is_json_like() {
        assert_eq!(StateValue::from(true).to_string(), "true");
        assert_eq!(StateValue::from(-7).to_string(), "-7");
        assert_eq!(StateValue::from(3.0).to_string(), "3.0");
        assert_eq!(StateValue::from(2.5).to_string(), "2.5");
        assert_eq!(
            StateValue::from("say \"hi\"").to_string(),
            r#""say \"hi\"""#
        );
        assert_eq!(
            StateValue::from(vec![StateValue::from(1), StateValue::from("x")]).to_string(),
            r#"[1, "x"]"#
        );
        assert_eq!(StateValue::List(Vec::new()).to_string(), "[]");
    }
}
