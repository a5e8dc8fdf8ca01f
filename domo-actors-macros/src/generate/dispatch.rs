//! `impl Dispatch<A> for FooCall`: match on the call, call the actor by UFCS, wrap the answer.

use proc_macro2::TokenStream;
use quote::quote;

use super::Generator;
use crate::names;

/// Each arm calls `<A as Foo>::m(actor, args..)` (UFCS, so an inherent method of the actor with
/// the same name cannot hijack dispatch) and wraps its output in the answer enum. The actor
/// must implement the trait, unless `!requires_trait` (the stubs of an invalid protocol).
pub fn impl_dispatch(g: &Generator, requires_trait: bool) -> TokenStream {
    let p = g.protocol;
    let (call, answer, trait_ident) = (&p.call, &p.answer, p.ident);
    let dispatch = g.paths.private("Dispatch");
    let actor_trait = g.paths.private("Actor");
    let a = names::actor_type_param();
    let protocol_bound = requires_trait.then(|| quote!(#trait_ident +));
    let actor = names::actor();
    let arms = p
        .methods
        .iter()
        .map(|m| {
            let (cfgs, variant, method) = (m.cfg_attrs(), &m.variant, m.ident);
            let args = m.arg_idents();
            quote! {
                #cfgs
                Self::#variant { #(#args,)* } => {
                    #answer::#variant(<#a as #trait_ident>::#method(#actor, #(#args),*).await)
                }
            }
        })
        .collect::<Vec<_>>();
    super::checks::impl_with_assumptions(g, |assumptions| {
        quote! {
            /// Serves a call of this protocol on an actor that implements it.
            #[automatically_derived]
            #[allow(deprecated)]
            impl<#a> #dispatch<#a> for #call
            where
                #a: #protocol_bound #actor_trait,
                #assumptions
            {
                fn dispatch(
                    self,
                    #actor: &mut #a,
                ) -> impl ::core::future::Future<Output = #answer> + ::core::marker::Send + '_ {
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
