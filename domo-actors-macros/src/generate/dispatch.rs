//! `impl Dispatch<A> for FooMessage`: match on the message, call the actor by UFCS.

use proc_macro2::TokenStream;
use quote::quote;

use super::Generator;
use crate::names;

/// Each arm calls `<A as Foo>::m(actor, args..)` (UFCS, so an inherent method of the actor with
/// the same name cannot hijack dispatch) and settles the reply with its output. The actor must
/// implement the trait, unless `!requires_trait` (the stubs of an invalid protocol).
pub fn impl_dispatch(g: &Generator, requires_trait: bool) -> TokenStream {
    let p = g.protocol;
    let (message, trait_ident) = (&p.message, p.ident);
    let dispatch = g.paths.private("Dispatch");
    let actor_trait = g.paths.private("Actor");
    let handler_failure = g.paths.private("HandlerFailure");
    let complete_unit = g.paths.private("complete_unit");
    let a = names::actor_type_param();
    let protocol_bound = requires_trait.then(|| quote!(#trait_ident +));
    let (actor, reply) = (names::actor(), names::reply());
    let arms = p.methods.iter().map(|m| {
        let (cfgs, variant, method, name) = (m.cfg_attrs(), &m.variant, m.ident, &m.name);
        let args = m.arg_idents();
        if m.returns_unit {
            return quote! {
                #cfgs
                Self::#variant { #(#args,)* } => {
                    #complete_unit(#name, <#a as #trait_ident>::#method(#actor, #(#args),*)).await
                }
            };
        }
        quote! {
            #cfgs
            Self::#variant { #(#args,)* #reply } => {
                #reply
                    .complete(#name, <#a as #trait_ident>::#method(#actor, #(#args),*))
                    .await
            }
        }
    }).collect::<Vec<_>>();
    super::checks::impl_with_assumptions(g, |assumptions| {
        quote! {
            /// Delivers a message of this protocol to an actor that implements it.
            #[automatically_derived]
            #[allow(deprecated)]
            impl<#a> #dispatch<#a> for #message
            where
                #a: #protocol_bound #actor_trait,
                #assumptions
            {
                fn dispatch(
                    self,
                    #actor: &mut #a,
                ) -> impl ::core::future::Future<
                    Output = ::core::result::Result<(), #handler_failure>,
                > + ::core::marker::Send + '_ {
                    async move {
                        match self {
                            #(#arms)*
                        }
                    }
                }
            }
        }
    })
}
