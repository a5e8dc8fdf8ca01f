//! The pipeline and its error policy: parse -> IR -> validate -> generate.
//!
//! On error the user's item is emitted unchanged next to the errors, so code that names the trait
//! (and IDE completion) keeps working.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::ItemTrait;

use crate::args::Args;
use crate::ast::{Protocol, is_failure_attr};
use crate::generate::Generator;
use crate::paths::Paths;
use crate::valid::Errors;

/// Expands `#[actor_protocol(args)] item`.
pub fn actor_protocol(args: TokenStream, item: TokenStream) -> TokenStream {
    let trait_item = match syn::parse2::<ItemTrait>(item.clone()) {
        Ok(trait_item) => trait_item,
        Err(error) => {
            let error = match syn::parse2::<syn::Item>(item.clone()) {
                Ok(other) => syn::Error::new_spanned(
                    item_head(&other),
                    "#[actor_protocol] can only be applied to a trait",
                ),
                Err(_) => error,
            };
            return with_errors(item, error);
        }
    };
    let mut errors = Errors::default();
    let args = args_or_default(Args::parse(args), &mut errors);
    let paths = Paths::new(args.krate.as_ref());
    let protocol = Protocol::from_syn(&trait_item);
    if let Err(error) = protocol.validate() {
        errors.push(error);
    }
    match errors.finish() {
        Ok(()) => Generator {
            protocol: &protocol,
            paths,
        }
        .into_token_stream(),
        Err(error) => {
            let stubs = stubs(&trait_item, paths);
            let item = with_errors(without_markers(trait_item).into_token_stream(), error);
            quote!(#item #stubs)
        }
    }
}

/// The message enum and proxy of `trait_item` as if it had no methods: see
/// [`Generator::stubs`].
fn stubs(trait_item: &ItemTrait, paths: Paths) -> TokenStream {
    let protocol = Protocol {
        methods: Vec::new(),
        other_items: Vec::new(),
        ..Protocol::from_syn(trait_item)
    };
    Generator {
        protocol: &protocol,
        paths,
    }
    .stubs()
}

fn args_or_default(parsed: syn::Result<Args>, errors: &mut Errors) -> Args {
    parsed.unwrap_or_else(|error| {
        errors.push(error);
        Args::default()
    })
}

/// The trait without the `#[failure(..)]` markers only this macro understands (rustc would
/// report each as an unknown attribute, on top of the real error).
fn without_markers(mut trait_item: ItemTrait) -> ItemTrait {
    for item in &mut trait_item.items {
        if let syn::TraitItem::Fn(method) = item {
            method.attrs.retain(|attr| !is_failure_attr(attr));
        }
    }
    trait_item
}

fn with_errors(item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    quote!(#item #errors)
}

/// The part of a non-trait item to blame: its keyword and name rather than its whole body.
fn item_head(item: &syn::Item) -> TokenStream {
    match item {
        syn::Item::Struct(s) => head(&s.struct_token, &s.ident),
        syn::Item::Enum(e) => head(&e.enum_token, &e.ident),
        syn::Item::Fn(f) => head(&f.sig.fn_token, &f.sig.ident),
        syn::Item::Impl(i) => head(&i.impl_token, &i.self_ty),
        other => other.to_token_stream(),
    }
}

fn head(keyword: &impl ToTokens, name: &impl ToTokens) -> TokenStream {
    quote!(#keyword #name)
}
