//! Std trait impls of the proxy: `Clone`, `PartialEq`, `Eq`, `Hash`, `Debug` (all by address).

use proc_macro2::TokenStream;
use quote::quote;

use super::Generator;
use super::checks::impl_with_assumptions;
use crate::names;

/// Clones the handle; compares, hashes and prints the proxy by the actor's address.
///
/// `eq`, `hash` and `fmt` read the address through the inherent impl, so they carry its
/// assumptions (one impl per call: the `#[cfg]` that [`impl_with_assumptions`] adds covers one
/// item).
pub fn impl_std_traits(g: &Generator) -> TokenStream {
    let proxy = &g.protocol.proxy;
    let handle = names::handle();
    let proxy_name = proxy.to_string();
    let clone = quote! {
        /// Clones the handle (one reference count); both proxies reach the same actor.
        #[automatically_derived]
        impl ::core::clone::Clone for #proxy {
            fn clone(&self) -> Self {
                Self { #handle: ::core::clone::Clone::clone(&self.#handle) }
            }
        }
    };
    let partial_eq = impl_with_assumptions(g, |predicates| {
        quote! {
            /// Two proxies are equal when they reach the same actor.
            #[automatically_derived]
            impl ::core::cmp::PartialEq for #proxy where #predicates {
                fn eq(&self, other: &Self) -> bool {
                    #proxy::address(self) == #proxy::address(other)
                }
            }
        }
    });
    let eq = impl_with_assumptions(g, |predicates| {
        quote! {
            /// Proxies compare by the actor's address.
            #[automatically_derived]
            impl ::core::cmp::Eq for #proxy where #predicates {}
        }
    });
    let hash = impl_with_assumptions(g, |predicates| {
        quote! {
            /// Hashes the actor's address.
            #[automatically_derived]
            impl ::core::hash::Hash for #proxy where #predicates {
                fn hash<__DomoH: ::core::hash::Hasher>(&self, state: &mut __DomoH) {
                    ::core::hash::Hash::hash(&#proxy::address(self), state);
                }
            }
        }
    });
    let debug = impl_with_assumptions(g, |predicates| {
        quote! {
            /// Prints the proxy's name and the actor's address: `CounterProxy(42)`.
            #[automatically_derived]
            impl ::core::fmt::Debug for #proxy where #predicates {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    ::core::write!(f, "{}({})", #proxy_name, #proxy::address(self))
                }
            }
        }
    });
    quote!(#clone #partial_eq #eq #hash #debug)
}
