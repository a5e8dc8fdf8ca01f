//! Validation: every rule a protocol trait must follow, each a spanned error.
//!
//! All recoverable errors are collected (`syn::Error::combine`) and reported together; nothing
//! here emits tokens.

mod types;

use std::collections::HashMap;

use quote::ToTokens;
use syn::TraitItem;

use crate::ast::{Failure, Method, Protocol, StreamReply};
use crate::names;

/// Accumulates errors.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    /// Adds an error spanned on `tokens`.
    pub fn spanned(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// Adds an error.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// `Err` with every collected error, or `Ok`.
    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

impl Protocol<'_> {
    /// Checks every rule, reporting all violations at once.
    pub fn validate(&self) -> syn::Result<()> {
        let mut errors = Errors::default();
        self.validate_trait(&mut errors);
        let mut variants: HashMap<String, &Method> = HashMap::new();
        for method in &self.methods {
            method.validate(&self.proxy, &mut errors);
            let variant = method.variant.to_string();
            if let Some(first) = variants.get(&variant) {
                errors.spanned(
                    method.ident,
                    format_args!(
                        "method `{}` maps to the same message variant `{variant}` as method `{}`",
                        method.name, first.name
                    ),
                );
            } else {
                variants.insert(variant, method);
            }
        }
        errors.finish()
    }

    fn validate_trait(&self, errors: &mut Errors) {
        let item = self.item;
        if let Some(unsafety) = &item.unsafety {
            errors.spanned(unsafety, "#[actor_protocol] traits cannot be `unsafe`");
        }
        if let Some(auto) = &item.auto_token {
            errors.spanned(auto, "#[actor_protocol] traits cannot be `auto` traits");
        }
        if !item.generics.params.is_empty() {
            errors.spanned(
                &item.generics,
                "#[actor_protocol] traits cannot be generic: the message enum and proxy need concrete types",
            );
        }
        if let Some(where_clause) = &item.generics.where_clause {
            errors.spanned(
                where_clause,
                "#[actor_protocol] traits cannot have a `where` clause",
            );
        }
        if item.colon_token.is_some() || !item.supertraits.is_empty() {
            errors.spanned(
                &item.supertraits,
                "#[actor_protocol] traits cannot have supertraits: the generated proxy implements only this trait",
            );
        }
        for other in &self.other_items {
            let what = match other {
                TraitItem::Type(_) => {
                    "#[actor_protocol] traits cannot have associated types: every message needs one concrete type"
                }
                TraitItem::Const(_) => {
                    "#[actor_protocol] traits cannot have associated consts: only `async fn` methods become messages"
                }
                TraitItem::Macro(_) => {
                    "#[actor_protocol] traits cannot contain macro invocations: the macro must see every method"
                }
                _ => {
                    "unsupported item in an #[actor_protocol] trait: only `async fn` methods are allowed"
                }
            };
            errors.spanned(other, what);
        }
    }
}

impl Method<'_> {
    fn validate(&self, proxy: &syn::Ident, errors: &mut Errors) {
        let sig = self.sig;
        if let Some(constness) = &sig.constness {
            errors.spanned(constness, "#[actor_protocol] methods cannot be `const`");
        }
        if let Some(unsafety) = &sig.unsafety {
            errors.spanned(unsafety, "#[actor_protocol] methods cannot be `unsafe`");
        }
        if let Some(abi) = &sig.abi {
            errors.spanned(abi, "#[actor_protocol] methods cannot be `extern`");
        }
        if sig.asyncness.is_none() {
            errors.spanned(
                sig.fn_token,
                "#[actor_protocol] methods must be `async fn`: every message is handled asynchronously",
            );
        }
        self.validate_generics(errors);
        if let Some(variadic) = &sig.variadic {
            errors.spanned(variadic, "#[actor_protocol] methods cannot be variadic");
        }
        if let Some(body) = &self.item.default {
            errors.spanned(
                body,
                "#[actor_protocol] methods cannot have a default body: the actor implements every method",
            );
        }
        self.validate_receiver(errors);
        for input in &self.inputs {
            if !input.is_simple {
                errors.spanned(
                    input.pat,
                    "#[actor_protocol] arguments must be plain identifiers or `_`: each becomes a message field",
                );
            } else if names::unraw(&input.ident).starts_with(names::RESERVED_PREFIX)
                && !matches!(input.pat, syn::Pat::Wild(_))
            {
                errors.spanned(
                    input.pat,
                    format_args!(
                        "argument names starting with `{}` are reserved for code generated by #[actor_protocol]",
                        names::RESERVED_PREFIX
                    ),
                );
            }
            types::check(input.ty, types::Position::Argument, errors);
        }
        if let Some(output) = self.output {
            types::check(output, types::Position::Return, errors);
        }
        self.validate_failure(errors);
        self.validate_stream(errors);
        if names::RESERVED_METHODS.contains(&self.name.as_str()) {
            errors.spanned(
                self.ident,
                format_args!(
                    "method `{}` conflicts with the generated `{proxy}::{}`",
                    self.name, self.name
                ),
            );
        }
    }

    /// A reply named `ActorStream` is `ActorStream<T>`, with one item type, and carries its
    /// failures in the stream (so no `#[failure(err)]`). A misshapen one with a marker is a
    /// type of the user's that shares the name: the marker gives its policy.
    fn validate_stream(&self, errors: &mut Errors) {
        match self.stream {
            Some(StreamReply::Misshapen(segment)) if self.failure_attrs.is_empty() => errors
                .spanned(
                    segment,
                    "`ActorStream` takes one type argument, the item: write `ActorStream<T>` \
                 (for a type of your own of that name, mark the method `#[failure(panic)]`)",
                ),
            Some(StreamReply::Items(_)) => {
                for attr in &self.failure_attrs {
                    if let Ok(Failure::Err) = Failure::parse(attr) {
                        errors.spanned(
                            attr,
                            "an `ActorStream<T>` reply has no `Err` to return: a failure ends the \
                             stream with `Err(StreamError)`; remove `#[failure(err)]`, or return \
                             `Result<ActorStream<T>, E>` to refuse a stream with an error",
                        );
                    }
                }
            }
            Some(StreamReply::Misshapen(_)) | None => {}
        }
    }

    /// `#[failure(..)]`: at most one, naming a known policy, and never `err` on a `()` reply.
    /// A reply that is probably a `Result` alias must say which policy it wants (see
    /// [`Method::result_alias`]).
    fn validate_failure(&self, errors: &mut Errors) {
        for (i, attr) in self.failure_attrs.iter().enumerate() {
            if i > 0 {
                errors.spanned(
                    attr,
                    "duplicate `#[failure(..)]` marker: a method has one failure policy",
                );
                continue;
            }
            match Failure::parse(attr) {
                Ok(Failure::Err) if self.returns_unit => errors.spanned(
                    attr,
                    "`#[failure(err)]` needs a `Result` reply: this method returns `()`, which has no `Err` to return",
                ),
                Ok(_) => {}
                Err(error) => errors.push(error),
            }
        }
        if let (true, [], Some(output)) = (
            self.result_alias,
            self.failure_attrs.as_slice(),
            self.output,
        ) {
            errors.spanned(
                output,
                format_args!(
                    "`{}` may be a `Result` alias, and the macro cannot see its failure policy: \
                     write `Result<T, E>`, or mark the method `#[failure(err)]` (plain `.await` returns \
                     `Err(E::from(ActorError))`) or `#[failure(panic)]` (plain `.await` panics when \
                     the message cannot be answered)",
                    types::display(output)
                ),
            );
        }
    }

    fn validate_generics(&self, errors: &mut Errors) {
        let generics = &self.sig.generics;
        if !generics.params.is_empty() {
            let only_lifetimes = generics.lifetimes().count() == generics.params.len();
            let message = if only_lifetimes {
                "#[actor_protocol] methods cannot have lifetime parameters: messages cross tasks and must be `'static`"
            } else {
                "#[actor_protocol] methods cannot be generic: a message must have one concrete type"
            };
            errors.spanned(generics, message);
        }
        if let Some(where_clause) = &generics.where_clause {
            errors.spanned(
                where_clause,
                "#[actor_protocol] methods cannot have a `where` clause",
            );
        }
    }

    fn validate_receiver(&self, errors: &mut Errors) {
        let Some(receiver) = self.receiver else {
            errors.spanned(
                self.ident,
                "#[actor_protocol] methods need a `&mut self` or `&self` receiver: each method is a message to one actor",
            );
            return;
        };
        if receiver.colon_token.is_some() {
            errors.spanned(
                receiver,
                "#[actor_protocol] receivers must be written `&mut self` or `&self`, not with a type",
            );
        } else if receiver.reference.is_none() {
            errors.spanned(
                receiver,
                "#[actor_protocol] methods take `&mut self` or `&self`, not `self` by value: the actor handles many messages",
            );
        } else if let Some((_, Some(lifetime))) = &receiver.reference {
            errors.spanned(
                lifetime,
                "#[actor_protocol] receivers cannot name a lifetime: write `&mut self` or `&self`",
            );
        }
    }
}

#[cfg(test)]
mod tests;
