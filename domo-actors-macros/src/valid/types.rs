//! Rules for argument and return types: messages and replies cross tasks, so they must be
//! owned (`'static`) and sized, with one concrete type.

use syn::visit::{self, Visit};
use syn::{
    Lifetime, ParenthesizedGenericArguments, TraitBound, Type, TypeBareFn, TypeImplTrait, TypePath,
    TypeReference,
};

use super::Errors;
use crate::ast::ungroup;

/// Where a type appears.
#[derive(Clone, Copy)]
pub enum Position {
    /// The type of a method argument (part of the message).
    Argument,
    /// A method's return type (the reply).
    Return,
}

impl Position {
    fn what(self) -> &'static str {
        match self {
            Position::Argument => "argument types",
            Position::Return => "return types",
        }
    }

    fn why(self) -> &'static str {
        match self {
            Position::Argument => "messages cross tasks",
            Position::Return => "replies cross tasks",
        }
    }
}

/// Reports every problem with `ty` (at most one per kind of problem).
pub fn check(ty: &Type, position: Position, errors: &mut Errors) {
    let top = ungroup(ty);
    match top {
        Type::TraitObject(_) => errors.spanned(
            top,
            format_args!(
                "#[actor_protocol] {} cannot be a bare `dyn Trait`: it is unsized; use `Box<dyn Trait + Send>`",
                position.what()
            ),
        ),
        Type::Slice(_) => errors.spanned(
            top,
            format_args!(
                "#[actor_protocol] {} cannot be unsized slices; use `Vec<T>`",
                position.what()
            ),
        ),
        _ => {}
    }
    let mut finder = Finder::default();
    finder.visit_type(ty);
    let what = position.what();
    let why = position.why();
    if let Some(reference) = finder.reference {
        errors.spanned(
            reference,
            format_args!(
                "#[actor_protocol] {what} cannot be references: {why}, so use owned data (e.g. `String`, not `&str`)"
            ),
        );
    }
    if let Some(lifetime) = finder.lifetime {
        errors.spanned(
            lifetime,
            format_args!(
                "#[actor_protocol] {what} cannot carry lifetimes: {why} and must be `'static`"
            ),
        );
    }
    if let Some(impl_trait) = finder.impl_trait {
        errors.spanned(
            impl_trait,
            format_args!(
                "#[actor_protocol] {what} cannot be `impl Trait`: a message needs one concrete type"
            ),
        );
    }
    if let Some(self_type) = finder.self_type {
        errors.spanned(
            self_type,
            format_args!("#[actor_protocol] {what} cannot name `Self`: the proxy and the actor are different types"),
        );
    }
}

/// `ty` as the user would write it (`io::Result<u64>`), for error messages: the token stream's
/// spacing (`io :: Result < u64 >`) without the spaces around `::`, `<`, `>` and before `,`.
pub fn display(ty: &Type) -> String {
    let mut text = quote::ToTokens::to_token_stream(ty).to_string();
    for (spaced, tight) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
    ] {
        text = text.replace(spaced, tight);
    }
    text
}

/// Finds the first offending node of each kind.
///
/// Function-pointer types and `Fn(..)` sugar are not entered: `Box<dyn Fn(&str) + Send>` is an
/// owned value even though its signature mentions a reference. Nor are higher-ranked bounds.
#[derive(Default)]
struct Finder<'ast> {
    reference: Option<&'ast TypeReference>,
    lifetime: Option<&'ast Lifetime>,
    impl_trait: Option<&'ast TypeImplTrait>,
    self_type: Option<&'ast TypePath>,
}

impl<'ast> Visit<'ast> for Finder<'ast> {
    fn visit_type_reference(&mut self, node: &'ast TypeReference) {
        self.reference.get_or_insert(node);
    }

    fn visit_lifetime(&mut self, node: &'ast Lifetime) {
        if node.ident != "static" {
            self.lifetime.get_or_insert(node);
        }
    }

    fn visit_type_impl_trait(&mut self, node: &'ast TypeImplTrait) {
        self.impl_trait.get_or_insert(node);
    }

    fn visit_type_path(&mut self, node: &'ast TypePath) {
        if node.qself.is_none()
            && node
                .path
                .segments
                .first()
                .is_some_and(|s| s.ident == "Self")
        {
            self.self_type.get_or_insert(node);
        }
        visit::visit_type_path(self, node);
    }

    fn visit_type_bare_fn(&mut self, _: &'ast TypeBareFn) {}

    fn visit_parenthesized_generic_arguments(&mut self, _: &'ast ParenthesizedGenericArguments) {}

    fn visit_trait_bound(&mut self, node: &'ast TraitBound) {
        if node.lifetimes.is_none() {
            visit::visit_trait_bound(self, node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn messages(ty: Type) -> Vec<String> {
        let mut errors = Errors::default();
        check(&ty, Position::Argument, &mut errors);
        match errors.finish() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn display_tightens_paths_and_generics() {
        let cases: Vec<(Type, &str)> = vec![
            (parse_quote!(io::Result<u64>), "io::Result<u64>"),
            (
                parse_quote!(::std::io::Result<Vec<u8>>),
                "::std::io::Result<Vec<u8>>",
            ),
            (
                parse_quote!(Result<(u8, String), E>),
                "Result<(u8, String), E>",
            ),
        ];
        for (ty, expected) in cases {
            assert_eq!(display(&ty), expected);
        }
    }

    #[test]
    fn owned_types_pass() {
        for ty in [
            parse_quote!(u64),
            parse_quote!(::std::string::String),
            parse_quote!(Vec<Option<(u8, String)>>),
            parse_quote!(Box<dyn Fn(&str) -> &str + Send>),
            parse_quote!(fn(&u8) -> u8),
            parse_quote!(std::borrow::Cow<'static, str>),
            parse_quote!(Box<dyn std::error::Error + Send + 'static>),
            parse_quote!(Box<dyn for<'a> Tr<'a> + Send>),
            parse_quote!(<u8 as Tr>::Out),
        ] {
            assert_eq!(messages(ty), Vec::<String>::new());
        }
    }

    #[test]
    fn borrowed_unsized_and_opaque_types_fail() {
        let cases: Vec<(Type, &str)> = vec![
            (parse_quote!(&str), "cannot be references"),
            (parse_quote!(&'static str), "cannot be references"),
            (parse_quote!(Vec<&mut u8>), "cannot be references"),
            (parse_quote!(Ref<'a, u8>), "cannot carry lifetimes"),
            (parse_quote!(Box<dyn Tr + '_>), "cannot carry lifetimes"),
            (parse_quote!(impl Tr), "cannot be `impl Trait`"),
            (parse_quote!(Vec<impl Tr>), "cannot be `impl Trait`"),
            (parse_quote!(dyn Tr), "bare `dyn Trait`"),
            (parse_quote!([u8]), "unsized slices"),
            (parse_quote!(Option<Self>), "cannot name `Self`"),
        ];
        for (ty, expected) in cases {
            let found = messages(ty.clone());
            assert_eq!(found.len(), 1, "{}: {found:?}", quote::quote!(#ty));
            assert!(found[0].contains(expected), "{found:?}");
        }
    }
}
