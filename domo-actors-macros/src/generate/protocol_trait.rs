//! The user's trait, rewritten so each `async fn` returns a `Send` future.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote_spanned};
use syn::{ReturnType, TraitItem};

use super::Generator;
use crate::ast::is_failure_attr;

/// `async fn m(&mut self, ..) -> T` becomes
/// `fn m(&mut self, ..) -> impl ::core::future::Future<Output = T> + ::core::marker::Send`;
/// docs, attributes and argument patterns are kept as written, except the `#[failure(..)]`
/// markers, which only the macro reads.
pub fn rewritten_trait(g: &Generator) -> TokenStream {
    let mut item = g.protocol.item.clone();
    for (trait_item, method) in item
        .items
        .iter_mut()
        .filter_map(|i| match i {
            TraitItem::Fn(f) => Some(f),
            _ => None,
        })
        .zip(&g.protocol.methods)
    {
        let reply = method.reply_type();
        let span = method.reply_span();
        trait_item.attrs.retain(|attr| !is_failure_attr(attr));
        trait_item.sig.asyncness = None;
        trait_item.sig.output = ReturnType::Type(
            syn::Token![->](span),
            Box::new(syn::Type::Verbatim(quote_spanned! {span=>
                impl ::core::future::Future<Output = #reply> + ::core::marker::Send
            })),
        );
    }
    item.to_token_stream()
}
