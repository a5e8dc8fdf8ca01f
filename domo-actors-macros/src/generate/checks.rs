//! Assertion shims: trait-bound failures land on the user's type, not inside generated code.
//!
//! Arguments and replies cross tasks, so each must be `Send + 'static`; a `Result<T, E>` reply
//! also needs `E: From<ActorError>` so that a delivery failure can be returned as `Err`.
//!
//! Each requirement is a bounded struct used as a parameter type of one never-called function,
//! spanned on the user's type. Signatures are checked before bodies and this item is emitted
//! first, so the spanned error is the first one rustc reports; the errors that follow from it
//! (the message enum is not `Send`, ...) come after.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use super::Generator;
use crate::names;

/// One anonymous `const` holding every assertion of the protocol.
pub fn assertions(g: &Generator) -> TokenStream {
    let actor_error = g.paths.private("ActorError");
    let t = names::check_type_param();
    let mut params = Vec::new();
    for m in &g.protocol.methods {
        let cfgs = m.cfg_attrs();
        let types = m.inputs.iter().map(|i| i.ty).chain(m.output);
        for ty in types {
            params.push(spanned_param(&cfgs, "__DomoAssertSend", ty));
        }
        if let Some(error) = m.result_error {
            params.push(spanned_param(&cfgs, "__DomoAssertFromActorError", error));
        }
    }
    if params.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[allow(dead_code)]
        const _: () = {
            struct __DomoAssertSend<#t: ::core::marker::Send + 'static>(
                ::core::marker::PhantomData<#t>,
            );
            struct __DomoAssertFromActorError<#t: ::core::convert::From<#actor_error>>(
                ::core::marker::PhantomData<#t>,
            );
            #[allow(clippy::too_many_arguments)]
            fn __domo_assertions(#(#params),*) {}
        };
    }
}

/// `_: Assert<ty>` whose tokens start on the type's first token and end on its last, so that
/// rustc underlines exactly the user's type (a single span cannot cover several tokens on stable).
fn spanned_param(cfgs: &TokenStream, assert: &str, ty: &syn::Type) -> TokenStream {
    let tokens = ty.to_token_stream();
    let first = ty.span();
    let assert = proc_macro2::Ident::new(assert, first);
    let last = tokens.into_iter().last().map_or(first, |t| t.span());
    let open = quote_spanned!(first=> _: #assert<);
    let close = quote_spanned!(last=> >);
    quote!(#cfgs #open #ty #close)
}
