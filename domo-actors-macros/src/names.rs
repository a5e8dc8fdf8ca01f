//! Every identifier the macro invents, in one place.
//!
//! Generated names are deterministic and documented: for a trait `Foo` the macro emits
//! `FooCall`, `FooAnswer` and `FooProxy`; each method `do_thing` becomes the variant `DoThing`. Locals and
//! fields the user never writes are `__domo_`-prefixed, and arguments with that prefix are
//! rejected by validation, so they cannot collide.

use proc_macro2::{Ident, Span};
use quote::format_ident;

/// Prefix reserved for identifiers introduced by the macro.
pub const RESERVED_PREFIX: &str = "__domo_";

/// Inherent methods (and trait methods) the generated proxy already has; a protocol method with
/// one of these names would be shadowed by, or clash with, the generated one.
pub const RESERVED_METHODS: &[&str] = &[
    "address",
    "type_name",
    "is_stopped",
    "execution_context",
    "with_execution_context",
    "actor_ref",
    "stop",
    "clone",
    "eq",
    "ne",
    "hash",
    "fmt",
    "from_handle",
    "handle",
];

/// `FooCall`: the call enum of trait `Foo`.
///
/// Spanned on the trait's name, so that a clash with a user's item of the same name
/// ("defined multiple times") points at the trait.
pub fn call_enum(trait_ident: &Ident) -> Ident {
    Ident::new(&format!("{}Call", unraw(trait_ident)), trait_ident.span())
}

/// `FooAnswer`: the answer enum of trait `Foo` (spanned like [`call_enum`]).
pub fn answer_enum(trait_ident: &Ident) -> Ident {
    Ident::new(&format!("{}Answer", unraw(trait_ident)), trait_ident.span())
}

/// `FooProxy`: the proxy struct of trait `Foo` (spanned like [`call_enum`]).
pub fn proxy_struct(trait_ident: &Ident) -> Ident {
    Ident::new(&format!("{}Proxy", unraw(trait_ident)), trait_ident.span())
}

/// The variant of the call and answer enums for a method: `try_take` -> `TryTake`.
pub fn variant(method: &Ident) -> Ident {
    Ident::new(&snake_to_upper_camel(&unraw(method)), method.span())
}

/// The name of a method as callers write it, without any `r#` prefix.
pub fn unraw(ident: &Ident) -> String {
    let s = ident.to_string();
    match s.strip_prefix("r#") {
        Some(rest) => rest.to_owned(),
        None => s,
    }
}

/// Field (and proxy parameter) name for the `index`-th argument when it is written `_`.
pub fn wildcard_arg(index: usize) -> Ident {
    format_ident!("__domo_arg{}", index)
}

/// The answer enum's value in a proxy's projection.
pub fn answer() -> Ident {
    local("answer")
}

/// The proxy's only field: the runtime's handle to the actor.
pub fn handle() -> Ident {
    local("handle")
}

/// The actor parameter of `Dispatch::dispatch`.
pub fn actor() -> Ident {
    local("actor")
}

/// The string being built by `Call::representation`.
pub fn repr() -> Ident {
    local("repr")
}

/// The actor type parameter of the `Dispatch` impl.
pub fn actor_type_param() -> Ident {
    Ident::new("__DomoActor", Span::call_site())
}

/// The type parameter of assertion shims.
pub fn check_type_param() -> Ident {
    Ident::new("__DomoT", Span::call_site())
}

fn local(name: &str) -> Ident {
    Ident::new(&format!("{RESERVED_PREFIX}{name}"), Span::call_site())
}

/// Converts a snake_case (or any) identifier to UpperCamelCase.
///
/// Each `_`-separated word gets an upper-case first letter; the rest of the word is kept as
/// written (`doIt` -> `DoIt`, `get_HTTP` -> `GetHTTP`). Leading underscores are kept, so the
/// result is always a valid identifier (`_1` stays `_1`, `_private` becomes `_Private`).
pub fn snake_to_upper_camel(name: &str) -> String {
    let body = name.trim_start_matches('_');
    let mut out = String::with_capacity(name.len());
    out.push_str(&name[..name.len() - body.len()]);
    for word in body.split('_') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_to_upper_camel_converts_words() {
        assert_eq!(snake_to_upper_camel("increment"), "Increment");
        assert_eq!(snake_to_upper_camel("try_take"), "TryTake");
        assert_eq!(snake_to_upper_camel("add_2"), "Add2");
        assert_eq!(snake_to_upper_camel("a__b_"), "AB");
        assert_eq!(snake_to_upper_camel("doIt"), "DoIt");
        assert_eq!(snake_to_upper_camel("get_HTTP"), "GetHTTP");
        assert_eq!(snake_to_upper_camel("élan_vital"), "ÉlanVital");
    }

    #[test]
    fn snake_to_upper_camel_keeps_leading_underscores() {
        assert_eq!(snake_to_upper_camel("_private"), "_Private");
        assert_eq!(snake_to_upper_camel("_1"), "_1");
        assert_eq!(snake_to_upper_camel("__"), "__");
    }

    #[test]
    fn generated_names() {
        let counter = Ident::new("Counter", Span::call_site());
        assert_eq!(call_enum(&counter), "CounterCall");
        assert_eq!(answer_enum(&counter), "CounterAnswer");
        assert_eq!(proxy_struct(&counter), "CounterProxy");
        let raw = Ident::new_raw("type", Span::call_site());
        assert_eq!(variant(&raw), "Type");
        assert_eq!(unraw(&raw), "type");
        assert_eq!(wildcard_arg(3), "__domo_arg3");
        assert_eq!(answer(), "__domo_answer");
    }

    #[test]
    fn internal_names_use_the_reserved_prefix() {
        for ident in [answer(), handle(), actor(), repr(), wildcard_arg(0)] {
            assert!(ident.to_string().starts_with(RESERVED_PREFIX), "{ident}");
        }
    }
}
