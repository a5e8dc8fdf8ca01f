//! Assertion shims: trait-bound failures land on the user's type, not inside generated code.
//!
//! Arguments and replies cross tasks, so each must be `Send + 'static`; a `Result<T, E>` reply
//! also needs `E: From<ActorError>` so that a delivery failure can be returned as `Err`. Each call
//! below is spanned on the type it checks, so rustc points there.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::Generator;
use crate::names;

/// One anonymous `const` holding every assertion of the protocol.
pub fn assertions(g: &Generator) -> TokenStream {
    let actor_error = g.paths.private("ActorError");
    let t = names::check_type_param();
    let mut calls = Vec::new();
    let mut needs_from = false;
    for m in &g.protocol.methods {
        let cfgs = m.cfg_attrs();
        for input in &m.inputs {
            let ty = input.ty;
            calls.push(quote_spanned! {ty.span()=>
                #cfgs
                __domo_assert_send::<#ty>();
            });
        }
        let reply = m.reply_type();
        calls.push(quote_spanned! {m.reply_span()=>
            #cfgs
            __domo_assert_send::<#reply>();
        });
        if let Some(error) = m.result_error {
            needs_from = true;
            calls.push(quote_spanned! {error.span()=>
                #cfgs
                __domo_assert_from_actor_error::<#error>();
            });
        }
    }
    if calls.is_empty() {
        return TokenStream::new();
    }
    let from = needs_from.then(|| {
        quote!(const fn __domo_assert_from_actor_error<#t: ::core::convert::From<#actor_error>>() {})
    });
    quote! {
        const _: () = {
            const fn __domo_assert_send<#t: ::core::marker::Send + 'static>() {}
            #from
            #(#calls)*
        };
    }
}
