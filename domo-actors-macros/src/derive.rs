//! `#[derive(Actor)]`: `impl Actor for T {}` (every lifecycle hook has a default).
//!
//! `#[actor(crate = path)]` names the runtime through a re-export, as
//! `#[actor_protocol(crate = path)]` does.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, GenericParam, parse_quote};

use crate::args::Args;
use crate::paths::Paths;
use crate::valid::Errors;

/// Expands `#[derive(Actor)]`; type parameters get `Send + 'static` bounds.
pub fn derive_actor(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input) {
        Ok(input) => {
            // A bad `#[actor(..)]` is reported, and the impl still emitted (under the default
            // path), so that the type's uses as an actor raise no further errors.
            let (args, errors) = actor_args(&input);
            let errors = errors.finish().err().map(|e| e.to_compile_error());
            let item = expand(input, &Paths::new(args.krate.as_ref()));
            quote!(#item #errors)
        }
        Err(error) => error.to_compile_error(),
    }
}

/// The `#[actor(..)]` helper attributes, merged (a second `crate` is a duplicate).
fn actor_args(input: &DeriveInput) -> (Args, Errors) {
    let mut args = Args::default();
    let mut errors = Errors::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("actor")) {
        let tokens = match &attr.meta {
            syn::Meta::List(list) => list.tokens.clone(),
            other => {
                errors.spanned(other, "expected `#[actor(crate = path)]`");
                continue;
            }
        };
        let krate = args.krate.clone();
        match Args::parse_into(args, tokens, "actor") {
            Ok(parsed) => args = parsed,
            Err(error) => {
                errors.push(error);
                args = Args { krate };
            }
        }
    }
    (args, errors)
}

fn expand(mut input: DeriveInput, paths: &Paths) -> TokenStream {
    let bounded: Vec<syn::Ident> = input
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(t) => Some(t.ident.clone()),
            _ => None,
        })
        .collect();
    let where_clause = input.generics.make_where_clause();
    for ident in bounded {
        where_clause
            .predicates
            .push(parse_quote!(#ident: ::core::marker::Send + 'static));
    }
    let ident = &input.ident;
    let actor = paths.private("Actor");
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        /// Makes this type an actor; every lifecycle hook keeps its default.
        #[automatically_derived]
        impl #impl_generics #actor for #ident #ty_generics #where_clause {
            // Every hook is the default: nothing to run before the first message.
            const STARTS_EAGERLY: bool = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_generic() {
        let plain = derive_actor(quote!(
            struct Counter {
                n: u64,
            }
        ))
        .to_string();
        assert!(
            plain.contains("impl :: domo_actors :: __private :: Actor for Counter"),
            "{plain}"
        );
        assert!(
            plain.contains("const STARTS_EAGERLY : bool = false"),
            "{plain}"
        );
        let generic = derive_actor(quote!(
            struct Cache<K, V: Clone>
            where
                K: Eq,
            {
                m: Vec<(K, V)>,
            }
        ))
        .to_string();
        assert!(generic.contains("K : Eq , K : :: core :: marker :: Send + 'static , V : :: core :: marker :: Send + 'static"), "{generic}");
    }

    #[test]
    fn crate_override_and_bad_arguments() {
        let custom = derive_actor(quote!(
            #[actor(crate = ::re::domo)]
            struct Echo;
        ))
        .to_string();
        assert!(
            custom.contains("impl :: re :: domo :: __private :: Actor for Echo"),
            "{custom}"
        );
        assert!(!custom.contains("compile_error"), "{custom}");
        let bad = derive_actor(quote!(
            #[actor(crate = a)]
            #[actor(crate = b, name = "x")]
            #[actor]
            struct Echo;
        ))
        .to_string();
        assert!(
            bad.contains("impl a :: __private :: Actor for Echo"),
            "{bad}"
        );
        assert!(bad.contains("duplicate #[actor] argument `crate`"), "{bad}");
        assert!(bad.contains("unknown #[actor] argument `name`"), "{bad}");
        assert!(bad.contains("expected `#[actor(crate = path)]`"), "{bad}");
    }
}
