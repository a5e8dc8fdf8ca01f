//! Assertion shims: trait-bound failures land on the user's type, not inside generated code.
//!
//! Arguments and replies cross tasks, so each must be `Send + 'static`; a reply whose failure
//! policy is `Err` (written `Result<T, E>`, or marked `#[failure(err)]`) also needs
//! `E: From<ActorError>` so that a delivery failure can be returned as `Err`. For a marked alias
//! the macro cannot see `E`, so the check goes through a local trait implemented for every
//! `Result<T, E>` with such an `E`.
//!
//! A reply the macro cannot tell from a `Result` (an alias such as `Res<T>`) and that carries no
//! `#[failure(..)]` marker is asked of the compiler: a probe whose inherent method exists only
//! for `Result<V, E>`, and requires a trait nobody implements (named for the fix), is called on
//! it; any other reply finds a trait method that requires nothing.
//!
//! Each requirement is a bounded struct used as a parameter type of one never-called function,
//! spanned on the user's type, so an unmet one is reported there, naming only the user's types
//! and the shim. Every generated impl that depends on the requirements also carries them as
//! where-clause predicates ([`assumptions`]), so an unmet requirement is reported once, by the
//! shim, and not again by each impl (naming runtime internals such as the mailbox).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use super::Generator;
use crate::ast::{Failure, Method, StreamReply};
use crate::names;

/// One anonymous `const` holding every assertion of the protocol.
pub fn assertions(g: &Generator) -> TokenStream {
    let actor_error = g.paths.private("ActorError");
    let t = names::check_type_param();
    let mut params = Vec::new();
    let mut probes = Vec::new();
    for m in &g.protocol.methods {
        let cfgs = m.cfg_attrs();
        // A reply that is a `Result` the macro cannot see (an alias such as `Res<T>`), with no
        // marker: plain `.await` would panic instead of returning `Err`. Refused.
        if let (true, None, Some(reply)) = (m.failure_attrs.is_empty(), m.result_error, m.output) {
            probes.push(result_alias_probe(&cfgs, reply));
        }
        for ty in m.inputs.iter().map(|i| i.ty).chain(sent_reply(m)) {
            params.push(spanned_param(&cfgs, "__DomoAssertSend", ty));
        }
        match (m.failure(), m.result_error, m.output) {
            (Failure::Err, Some(error), _) => {
                params.push(spanned_param(&cfgs, "__DomoAssertFromActorError", error));
            }
            (Failure::Err, None, Some(alias)) => {
                params.push(spanned_param(&cfgs, "__DomoAssertErrReply", alias));
            }
            _ => {}
        }
    }
    if params.is_empty() && probes.is_empty() {
        return TokenStream::new();
    }
    let probes = (!probes.is_empty()).then(|| {
        quote! {
            struct __DomoReplyProbe<#t>(::core::marker::PhantomData<#t>);
            // Named for the fix, since rustc names it in the error; implemented by nothing.
            trait MarkThisMethodFailureErrOrFailurePanic {}
            // Chosen for a `Result` (an inherent method goes before a trait's), then refused by
            // its bound; any other reply finds the trait's method, which asks nothing.
            impl<__DomoV, __DomoE> __DomoReplyProbe<::core::result::Result<__DomoV, __DomoE>> {
                fn __domo_policy(&self)
                where
                    ::core::result::Result<__DomoV, __DomoE>: MarkThisMethodFailureErrOrFailurePanic,
                {
                }
            }
            trait __DomoNotAResult {
                fn __domo_policy(&self) {}
            }
            impl<#t> __DomoNotAResult for __DomoReplyProbe<#t> {}
            fn __domo_reply_probes() {
                #(#probes)*
            }
        }
    });
    quote! {
        #[allow(dead_code)]
        const _: () = {
            struct __DomoAssertSend<#t: ::core::marker::Send + 'static>(
                ::core::marker::PhantomData<#t>,
            );
            struct __DomoAssertFromActorError<#t: ::core::convert::From<#actor_error>>(
                ::core::marker::PhantomData<#t>,
            );
            // Named for what it asks, since rustc names it in the error. (No
            // `#[diagnostic::on_unimplemented]`: it does not resolve under `no_implicit_prelude`.)
            trait __DomoResultWithErrorFromActorError {}
            impl<__DomoV, __DomoE: ::core::convert::From<#actor_error>>
                __DomoResultWithErrorFromActorError for ::core::result::Result<__DomoV, __DomoE>
            {
            }
            struct __DomoAssertErrReply<#t: __DomoResultWithErrorFromActorError>(
                ::core::marker::PhantomData<#t>,
            );
            #[allow(clippy::too_many_arguments)]
            fn __domo_assertions(#(#params),*) {}
            #probes
        };
    }
}

/// The part of the reply to assert `Send + 'static` on: the item of an `ActorStream<T>` (the
/// stream is `Send` when its item is, and an error naming the item is clearer than one naming
/// the stream's channel), else the reply itself.
fn sent_reply<'a>(m: &'a Method) -> Option<&'a syn::Type> {
    match (m.failure(), m.stream) {
        (Failure::Stream, Some(StreamReply::Items(item))) => Some(item),
        _ => m.output,
    }
}

/// The assertions again, as `for<'__domo> T: Send + 'static, ..` where-clause predicates for
/// every generated impl whose well-formedness depends on them.
///
/// When an assertion fails, the shim above reports it on the user's type; without these
/// predicates every impl that needs the message or a reply to be `Send` would report it again
/// (naming runtime internals such as the mailbox). Under its predicates an impl is well-formed
/// whether or not they hold, and rustc does not reject them as trivially false because the
/// (unused) `for<'__domo>` binder makes them non-global. When they hold, as they do in any
/// program that compiles, they change nothing. Methods under `#[cfg]` are left out: a
/// predicate cannot carry a `#[cfg]`, and their types may not exist.
pub fn assumptions(g: &Generator) -> TokenStream {
    let actor_error = g.paths.private("ActorError");
    let (err_on_failure, on_failure) = (
        g.paths.private("ErrOnFailure"),
        g.paths.private("OnFailure"),
    );
    let mut predicates = Vec::new();
    for m in g.protocol.methods.iter().filter(|m| m.cfgs.is_empty()) {
        for ty in m.inputs.iter().map(|i| i.ty).chain(m.output) {
            predicates.push(quote!(for<'__domo> #ty: ::core::marker::Send + 'static));
        }
        match (m.failure(), m.result_error, m.output) {
            (Failure::Err, Some(error), _) => {
                predicates.push(quote!(for<'__domo> #error: ::core::convert::From<#actor_error>));
            }
            (Failure::Err, None, Some(alias)) => {
                predicates.push(quote!(for<'__domo> #err_on_failure: #on_failure<#alias>));
            }
            _ => {}
        }
    }
    // Once each: two arguments of one type need not say it twice (nor trip clippy's
    // `trait_duplication_in_bounds` in the user's crate).
    let mut seen = std::collections::HashSet::new();
    predicates.retain(|predicate| seen.insert(predicate.to_string()));
    quote!(#(#predicates,)*)
}

/// The impl `make` builds from the [`assumptions`], twice: with them for the compiler
/// (`#[cfg(not(doc))]`), and with none for rustdoc (`#[cfg(doc)]`), on whose pages they would
/// only be noise (`where for<'__domo> u64: Send + 'static`): in a program that compiles, they
/// hold. `make` writes `where #predicates`, which may be empty.
pub fn impl_with_assumptions(
    g: &Generator,
    make: impl Fn(&TokenStream) -> TokenStream,
) -> TokenStream {
    let predicates = assumptions(g);
    if predicates.is_empty() {
        return make(&predicates);
    }
    let compiled = make(&predicates);
    let documented = make(&TokenStream::new());
    quote! {
        #[cfg(not(doc))]
        #compiled
        #[cfg(doc)]
        #documented
    }
}

/// `__DomoReplyProbe::<ty>(..).__domo_policy();`, spanned on the user's reply type, so that a
/// reply that is a `Result` without a marker is reported there.
fn result_alias_probe(cfgs: &TokenStream, reply: &syn::Type) -> TokenStream {
    let span = reply.span();
    let call = quote_spanned!(span=> .__domo_policy(););
    let probe = quote_spanned!(span=> __DomoReplyProbe::<);
    let close = quote_spanned!(span=> >(::core::marker::PhantomData));
    quote!(#cfgs { #probe #reply #close #call })
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
