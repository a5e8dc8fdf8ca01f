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
    /// `FooCall`.
    pub call: Ident,
    /// `FooAnswer`.
    pub answer: Ident,
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
    /// `#[must_use]` attributes, copied to the proxy's inherent method in place of the one
    /// generated for methods that answer a value.
    pub must_uses: Vec<&'a Attribute>,
    /// The receiver, when the first parameter is one.
    pub receiver: Option<&'a Receiver>,
    /// Typed parameters.
    pub inputs: Vec<Input<'a>>,
    /// The declared return type (`None` for `()` by omission).
    pub output: Option<&'a Type>,
    /// When the return type is written `Result<T, E>` (last path segment `Result`, two type
    /// arguments): the error type `E`.
    pub result_error: Option<&'a Type>,
    /// The return type's last path segment is named `...Result` but is not `Result<T, E>`
    /// (`io::Result<T>`, `Result<T>`, `FetchResult`): probably a `Result` alias, whose failure
    /// policy the macro cannot see, so validation asks for a `#[failure(..)]` marker.
    pub result_alias: bool,
    /// `#[failure(..)]` markers (stripped from the re-emitted trait; validation allows one).
    pub failure_attrs: Vec<&'a Attribute>,
    /// The method returns `()` (by omission, or written `()`): its message carries no reply
    /// and its promise is settled by the actor's ledger.
    pub returns_unit: bool,
    /// What the return type says of a stream out of the actor: its last path segment is named
    /// `ActorStream`, well formed (`ActorStream<T>`) or not.
    pub stream: Option<StreamReply<'a>>,
}

/// A return type whose last path segment is named `ActorStream` (as written: the macro cannot
/// see through an alias, nor tell the runtime's type from another of the same name).
#[derive(Clone, Copy)]
pub enum StreamReply<'a> {
    /// `ActorStream<T>`: one type argument, the item `T`.
    Items(&'a Type),
    /// `ActorStream` with no arguments, or with other than exactly one type: the segment.
    Misshapen(&'a syn::PathSegment),
}

/// What plain `.await` on a proxy call does when the message cannot be answered (stopped actor,
/// dead letter, timeout): the promise's `OnFailure` policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// `ErrOnFailure`: return `Err(E::from(ActorError))`.
    Err,
    /// `PanicOnFailure`: panic in the caller.
    Panic,
    /// `StreamOnFailure`: an `ActorStream<T>` reply; plain `.await` yields a stream whose only
    /// item is the error.
    Stream,
}

impl Failure {
    /// The policy a `#[failure(err)]` / `#[failure(panic)]` marker names; anything else is an
    /// error spanned on the offending tokens.
    pub fn parse(attr: &Attribute) -> syn::Result<Self> {
        const EXPECTED: &str = "expected `#[failure(err)]` or `#[failure(panic)]`";
        let syn::Meta::List(list) = &attr.meta else {
            return Err(syn::Error::new_spanned(attr, EXPECTED));
        };
        let policy: Ident = list
            .parse_args()
            .map_err(|_| syn::Error::new_spanned(attr, EXPECTED))?;
        if policy == "err" {
            Ok(Failure::Err)
        } else if policy == "panic" {
            Ok(Failure::Panic)
        } else {
            Err(syn::Error::new_spanned(
                &policy,
                format_args!(
                    "unknown failure policy `{policy}`: write `#[failure(err)]` or `#[failure(panic)]`"
                ),
            ))
        }
    }
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
            call: names::call_enum(&item.ident),
            answer: names::answer_enum(&item.ident),
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
        let must_uses = item
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("must_use"))
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
        let result_error = output.and_then(result_error);
        let failure_attrs = item.attrs.iter().filter(|a| is_failure_attr(a)).collect();
        Method {
            item,
            sig,
            ident: &sig.ident,
            name: names::unraw(&sig.ident),
            variant: names::variant(&sig.ident),
            docs,
            cfgs,
            deprecations,
            must_uses,
            receiver,
            inputs,
            output,
            result_error,
            result_alias: result_error.is_none() && output.is_some_and(is_result_named),
            failure_attrs,
            returns_unit: output.is_none_or(is_unit),
            stream: output.and_then(stream_reply),
        }
    }
}

impl Method<'_> {
    /// The failure policy of the method's promise: its `#[failure(..)]` marker if any, else
    /// `Err` for a reply written `Result<T, E>`, `Stream` for one written `ActorStream<T>`,
    /// else `Panic`.
    pub fn failure(&self) -> Failure {
        let marked = self
            .failure_attrs
            .iter()
            .find_map(|attr| Failure::parse(attr).ok());
        match (marked, self.result_error, self.stream) {
            (Some(policy), _, _) => policy,
            (None, Some(_), _) => Failure::Err,
            (None, None, Some(StreamReply::Items(_))) => Failure::Stream,
            (None, None, _) => Failure::Panic,
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

/// `()`, possibly parenthesised.
fn is_unit(ty: &Type) -> bool {
    match ungroup(ty) {
        Type::Tuple(tuple) => tuple.elems.is_empty(),
        Type::Paren(paren) => is_unit(&paren.elem),
        _ => false,
    }
}

/// Whether `attr` is a `#[failure(..)]` marker (any form: validation judges the arguments).
pub fn is_failure_attr(attr: &Attribute) -> bool {
    attr.path().is_ident("failure")
}

/// The last segment of `ty` when it is a plain path (`a::b::C<..>`, no `<T as Tr>::` prefix).
fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ungroup(ty) {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        _ => None,
    }
}

/// Whether the last path segment of `ty` is named `Result` or ends in `Result`
/// (`io::Result<T>`, `anyhow::Result<T>`, `FetchResult<T>`).
fn is_result_named(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|last| names::unraw(&last.ident).ends_with("Result"))
}

/// `E` when `ty` is a path whose last segment is `Result` with exactly two type arguments.
fn result_error(ty: &Type) -> Option<&Type> {
    let last = last_segment(ty)?;
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

/// What `ty` says of a stream reply: `None` unless its last path segment is `ActorStream`.
fn stream_reply(ty: &Type) -> Option<StreamReply<'_>> {
    let last = last_segment(ty)?;
    if last.ident != "ActorStream" {
        return None;
    }
    let item = match &last.arguments {
        PathArguments::AngleBracketed(args) => match args.args.iter().collect::<Vec<_>>()[..] {
            [GenericArgument::Type(item)] => Some(item),
            _ => None,
        },
        _ => None,
    };
    Some(item.map_or(StreamReply::Misshapen(last), StreamReply::Items))
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
        assert_eq!(p.call, "CounterCall");
        assert_eq!(p.answer, "CounterAnswer");
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
        assert!(p.methods[2].result_alias);
        assert!(!p.methods[1].result_alias && !add.result_alias);
        assert_eq!(p.methods[1].failure(), Failure::Err);
        assert_eq!(add.failure(), Failure::Panic);
    }

    #[test]
    fn failure_markers_choose_the_policy() {
        let item: ItemTrait = parse_quote! {
            pub trait Files {
                #[failure(err)]
                async fn alias(&self) -> Res<u64>;
                #[failure(panic)]
                async fn opt_out(&self) -> Result<u64, E>;
                async fn unmarked(&self) -> Res<u64>;
                async fn suffixed(&self) -> FetchResult;
            }
        };
        let p = Protocol::from_syn(&item);
        let policies: Vec<Failure> = p.methods.iter().map(Method::failure).collect();
        assert_eq!(
            policies,
            [Failure::Err, Failure::Panic, Failure::Panic, Failure::Panic]
        );
        let aliases: Vec<bool> = p.methods.iter().map(|m| m.result_alias).collect();
        assert_eq!(aliases, [false, false, false, true]);
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

    #[test]
    fn recognises_stream_replies_by_their_last_segment() {
        let item: ItemTrait = parse_quote! {
            pub trait Feeds {
                async fn plain(&self) -> ActorStream<u64>;
                async fn qualified(&self) -> ::domo_actors::ActorStream<(u8, String)>;
                async fn bare(&self) -> ActorStream;
                async fn two(&self) -> ActorStream<u8, u8>;
                async fn refusable(&self) -> Result<ActorStream<u8>, E>;
                #[failure(panic)]
                async fn opted_out(&self) -> ActorStream<u8>;
                async fn other(&self) -> Vec<u8>;
            }
        };
        let p = Protocol::from_syn(&item);
        let shapes: Vec<&str> = p
            .methods
            .iter()
            .map(|m| match m.stream {
                Some(StreamReply::Items(_)) => "items",
                Some(StreamReply::Misshapen(_)) => "misshapen",
                None => "none",
            })
            .collect();
        assert_eq!(
            shapes,
            [
                "items",
                "items",
                "misshapen",
                "misshapen",
                "none",
                "items",
                "none"
            ]
        );
        let policies: Vec<Failure> = p.methods.iter().map(Method::failure).collect();
        assert_eq!(
            policies,
            [
                Failure::Stream,
                Failure::Stream,
                Failure::Panic,
                Failure::Panic,
                Failure::Err,
                Failure::Panic,
                Failure::Panic
            ]
        );
    }
}
