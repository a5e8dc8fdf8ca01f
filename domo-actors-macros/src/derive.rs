//! `#[derive(Actor)]`: `impl Actor for T {}` (every lifecycle hook has a default).

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, GenericParam, parse_quote};

/// Expands `#[derive(Actor)]`; type parameters get `Send + 'static` bounds.
pub fn derive_actor(input: TokenStream) -> TokenStream {
    match syn::parse2::<DeriveInput>(input) {
        Ok(input) => expand(input),
        Err(error) => error.to_compile_error(),
    }
}

fn expand(mut input: DeriveInput) -> TokenStream {
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
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        /// Makes this type an actor; every lifecycle hook keeps its default.
        #[automatically_derived]
        impl #impl_generics ::domo_actors::__private::Actor for #ident #ty_generics #where_clause {
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
}
