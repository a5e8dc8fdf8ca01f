//! The IR: plain structs borrowing from the parsed trait.
//!
//! `from_syn` never fails and never judges: it records what the user wrote (including what
//! validation will reject) so that `valid.rs` can report every problem at once and the
//! generators in `generate/` can assume a valid protocol.

use proc_macro2::Ident;
use syn::{
    Attribute, FnArg, GenericArgument, ItemTrait, Pat, PathArguments, Receiver, ReturnType,
    Signature, TraitItem, TraitItemFn, Type, Visibility,
};

use crate::names;

/// A protocol trait.
pub struct Protocol<'a> {
    /// The trait as written.
    pub item: &'a ItemTrait,
    /// The trait's visibility; also the visibility of everything generated.
    pub vis: &'a Visibility,
    /// The trait's name.
    pub ident: &'a Ident,
    /// `FooMessage`.
    pub message: Ident,
    /// `FooProxy`.
    pub proxy: Ident,
    /// The `fn` items of the trait.
    pub methods: Vec<Method<'a>>,
    /// Trait items other than methods (rejected by validation).
    pub other_items: Vec<&'a TraitItem>,
}

/// A protocol method.
pub struct Method<'a> {
    /// The method as written.
    pub item: &'a TraitItemFn,
    /// Its signature.
    pub sig: &'a Signature,
    /// Its name.
    pub ident: &'a Ident,
    /// The name as callers write it (without `r#`).
    pub name: String,
    /// The message variant: UpperCamel of the name.
    pub variant: Ident,
    /// `///` docs and `#[doc]` attributes.
    pub docs: Vec<&'a Attribute>,
    /// `#[cfg]` and `#[cfg_attr]` attributes, copied to every item generated for this method.
    pub cfgs: Vec<&'a Attribute>,
    /// `#[deprecated]` attributes, copied to the proxy's inherent method.
    pub deprecations: Vec<&'a Attribute>,
    /// The receiver, when the first parameter is one.
    pub receiver: Option<&'a Receiver>,
    /// Typed parameters.
    pub inputs: Vec<Input<'a>>,
    /// The declared return type (`None` for `()` by omission).
    pub output: Option<&'a Type>,
    /// When the return type looks like `Result<T, E>`: the error type `E`.
    pub result_error: Option<&'a Type>,
    /// The method returns `()` (by omission, or written `()`): its message carries no reply
    /// and its promise is settled by the actor's ledger.
    pub returns_unit: bool,
}

/// A typed parameter of a protocol method.
pub struct Input<'a> {
    /// The pattern as written.
    pub pat: &'a Pat,
    /// The field / parameter name: the identifier, or `__domo_arg{i}` for `_`.
    pub ident: Ident,
    /// Whether the pattern is a plain identifier or `_` (anything else is rejected).
    pub is_simple: bool,
    /// The declared type.
    pub ty: &'a Type,
}

impl<'a> Protocol<'a> {
    /// Builds the IR from a parsed trait.
    pub fn from_syn(item: &'a ItemTrait) -> Self {
        let mut methods = Vec::new();
        let mut other_items = Vec::new();
        for trait_item in &item.items {
            match trait_item {
                TraitItem::Fn(f) => methods.push(Method::from_syn(f)),
                other => other_items.push(other),
            }
        }
        Protocol {
            item,
            vis: &item.vis,
            ident: &item.ident,
            message: names::message_enum(&item.ident),
            proxy: names::proxy_struct(&item.ident),
            methods,
            other_items,
        }
    }
}

impl<'a> Method<'a> {
    fn from_syn(item: &'a TraitItemFn) -> Self {
        let sig = &item.sig;
        let docs = item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .collect();
        let cfgs = item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg") || a.path().is_ident("cfg_attr"))
            .collect();
        let deprecations = item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("deprecated"))
            .collect();
        let mut receiver = None;
        let mut inputs = Vec::new();
        for arg in &sig.inputs {
            match arg {
                FnArg::Receiver(r) => receiver = Some(r),
                FnArg::Typed(t) => inputs.push(Input::from_syn(&t.pat, &t.ty, inputs.len())),
            }
        }
        let output = match &sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some(&**ty),
        };
        Method {
            item,
            sig,
            ident: &sig.ident,
            name: names::unraw(&sig.ident),
            variant: names::variant(&sig.ident),
            docs,
            cfgs,
            deprecations,
            receiver,
            inputs,
            output,
            result_error: output.and_then(result_error),
            returns_unit: output.is_none_or(is_unit),
        }
    }
}

impl<'a> Input<'a> {
    fn from_syn(pat: &'a Pat, ty: &'a Type, index: usize) -> Self {
        let (ident, is_simple) = match pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none() => {
                (p.ident.clone(), true)
            }
            Pat::Wild(_) => (names::wildcard_arg(index), true),
            _ => (names::wildcard_arg(index), false),
        };
        Input {
            pat,
            ident,
            is_simple,
            ty,
        }
    }
}

/// `E` when `ty` is a path whose last segment is `Result` with exactly two type arguments.
/// `()`, possibly parenthesised.
fn is_unit(ty: &Type) -> bool {
    match ungroup(ty) {
        Type::Tuple(tuple) => tuple.elems.is_empty(),
        Type::Paren(paren) => is_unit(&paren.elem),
        _ => false,
    }
}

fn result_error(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ungroup(ty) else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let types: Vec<&Type> = args
        .args
        .iter()
        .filter_map(|arg| match arg {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .collect();
    match (types.as_slice(), args.args.len()) {
        ([_, error], 2) => Some(error),
        _ => None,
    }
}

/// Looks through invisible groups and parentheses (`(T)`), as produced by `macro_rules!`.
pub fn ungroup(mut ty: &Type) -> &Type {
    loop {
        match ty {
            Type::Group(g) => ty = &g.elem,
            Type::Paren(p) => ty = &p.elem,
            _ => return ty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;
    use syn::parse_quote;

    #[test]
    fn builds_methods_inputs_and_result_errors() {
        let item: ItemTrait = parse_quote! {
            pub trait Counter {
                /// Adds.
                #[cfg(test)]
                async fn add(&mut self, n: u64, _: String) -> u64;
                async fn try_take(&mut self, n: u64) -> ::core::result::Result<u64, Oops>;
                async fn alias(&self) -> Result<u64>;
                type Nope;
            }
        };
        let p = Protocol::from_syn(&item);
        assert_eq!(p.message, "CounterMessage");
        assert_eq!(p.proxy, "CounterProxy");
        assert_eq!(p.methods.len(), 3);
        assert_eq!(p.other_items.len(), 1);
        let add = &p.methods[0];
        assert_eq!(add.variant, "Add");
        assert_eq!(add.docs.len(), 1);
        assert_eq!(add.cfgs.len(), 1);
        assert!(add.receiver.is_some());
        assert_eq!(add.inputs[0].ident, "n");
        assert_eq!(add.inputs[1].ident, "__domo_arg1");
        assert!(add.result_error.is_none());
        let err = p.methods[1].result_error.unwrap();
        assert_eq!(quote!(#err).to_string(), "Oops");
        assert!(p.methods[2].result_error.is_none());
    }

    #[test]
    fn knows_which_methods_return_unit() {
        let item: ItemTrait = parse_quote! {
            pub trait Shapes {
                async fn omitted(&mut self);
                async fn written(&mut self) -> ();
                async fn parenthesised(&mut self) -> (());
                async fn value(&self) -> u64;
                async fn pair(&self) -> ((), ());
            }
        };
        let p = Protocol::from_syn(&item);
        let unit: Vec<bool> = p.methods.iter().map(|m| m.returns_unit).collect();
        assert_eq!(unit, [true, true, true, false, false]);
    }
}
