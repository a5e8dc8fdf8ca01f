//! Generation: one function per generated item, stitched together here.
//!
//! Generators assume a validated protocol; they never report user errors.

mod call;
mod checks;
mod dispatch;
mod protocol_trait;
mod proxy;
mod proxy_std;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Method, Protocol};
use crate::paths::Paths;

/// Emits everything `#[actor_protocol]` generates for one trait.
pub struct Generator<'a> {
    /// The validated protocol.
    pub protocol: &'a Protocol<'a>,
    /// Where the runtime lives.
    pub paths: Paths,
}

impl ToTokens for Generator<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(checks::assertions(self));
        tokens.extend(protocol_trait::rewritten_trait(self));
        tokens.extend(call::call_enum(self));
        tokens.extend(call::answer_enum(self));
        tokens.extend(call::impl_call(self));
        tokens.extend(dispatch::impl_dispatch(self, true));
        tokens.extend(proxy::proxy_struct(self));
        tokens.extend(proxy::impl_protocol(self));
        tokens.extend(proxy::impl_inherent(self));
        tokens.extend(proxy::impl_trait_for_proxy(self));
        tokens.extend(proxy_std::impl_std_traits(self));
    }
}

impl Generator<'_> {
    /// Stand-ins for the call and answer enums and the proxy, emitted next to the errors of an invalid
    /// protocol (whose `methods` the caller has emptied), as thiserror does for its impls: code
    /// that names `FooProxy` or `FooCall`, or spawns an actor behind the proxy, still
    /// compiles, so the macro's errors are the only ones. Neither the trait (emitted as written)
    /// nor `impl Foo for FooProxy` is generated, and `Dispatch` does not require the trait,
    /// which may be the invalid part.
    pub fn stubs(&self) -> TokenStream {
        let mut tokens = TokenStream::new();
        tokens.extend(call::call_enum(self));
        tokens.extend(call::answer_enum(self));
        tokens.extend(call::impl_call(self));
        tokens.extend(dispatch::impl_dispatch(self, false));
        tokens.extend(proxy::proxy_struct(self));
        tokens.extend(proxy::impl_protocol(self));
        tokens.extend(proxy::impl_inherent(self));
        tokens.extend(proxy_std::impl_std_traits(self));
        tokens
    }
}

impl Method<'_> {
    /// The reply type: the declared return type, or `()`.
    fn reply_type(&self) -> TokenStream {
        match self.output {
            Some(ty) => ty.to_token_stream(),
            None => quote_spanned!(self.ident.span()=> ()),
        }
    }

    /// The span to blame for the reply type.
    fn reply_span(&self) -> Span {
        self.output
            .map_or_else(|| self.ident.span(), |ty| ty.span())
    }

    /// `#[cfg]` attributes, to copy onto every item generated for this method.
    fn cfg_attrs(&self) -> TokenStream {
        let cfgs = &self.cfgs;
        quote!(#(#cfgs)*)
    }

    /// The method's docs, or `fallback` when it has none.
    fn docs_or(&self, fallback: &str) -> TokenStream {
        if self.docs.is_empty() {
            quote!(#[doc = #fallback])
        } else {
            let docs = &self.docs;
            quote!(#(#docs)*)
        }
    }

    /// `a, b, c`: the field / parameter names.
    fn arg_idents(&self) -> Vec<&syn::Ident> {
        self.inputs.iter().map(|i| &i.ident).collect()
    }
}

#[cfg(test)]
mod tests;
