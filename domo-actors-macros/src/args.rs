//! Arguments of `#[actor_protocol(...)]` and of `#[derive(Actor)]`'s `#[actor(...)]`.
//!
//! The only argument is `crate = some::path`, for crates that re-export `domo_actors` under
//! another name. Every other argument is a spanned error; all of them are reported together.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Meta, Path, Token};

/// Parsed attribute arguments.
#[derive(Default, Debug)]
pub struct Args {
    /// The `crate = path` override, if given.
    pub krate: Option<Path>,
}

impl Args {
    /// Parses `#[actor_protocol]`'s arguments, collecting every error.
    pub fn parse(tokens: TokenStream) -> syn::Result<Self> {
        Args::parse_into(Args::default(), tokens, "actor_protocol")
    }

    /// Parses the arguments of one `#[attribute(..)]` (named in errors) on top of `args`, so
    /// that a `crate` already given by an earlier attribute is reported as a duplicate.
    pub fn parse_into(mut args: Args, tokens: TokenStream, attribute: &str) -> syn::Result<Self> {
        let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(tokens)?;
        let mut errors: Option<syn::Error> = None;
        let mut push = |error: syn::Error| match &mut errors {
            Some(all) => all.combine(error),
            None => errors = Some(error),
        };
        for meta in metas {
            match meta {
                Meta::NameValue(nv) if nv.path.is_ident("crate") => match nv.value {
                    Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => {
                        if args.krate.is_some() {
                            push(syn::Error::new_spanned(
                                &nv.path,
                                format!("duplicate #[{attribute}] argument `crate`"),
                            ));
                        } else {
                            args.krate = Some(p.path);
                        }
                    }
                    other => push(syn::Error::new_spanned(
                        other,
                        format!(
                            "#[{attribute}] `crate` expects a path, e.g. `crate = ::my_reexport::domo_actors`"
                        ),
                    )),
                },
                other => {
                    let name = other
                        .path()
                        .get_ident()
                        .map_or_else(|| "this".to_owned(), |i| format!("`{i}`"));
                    push(syn::Error::new_spanned(
                        other,
                        format!(
                            "unknown #[{attribute}] argument {name}: the only argument is `crate = path`"
                        ),
                    ));
                }
            }
        }
        match errors {
            Some(e) => Err(e),
            None => Ok(args),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn empty_and_crate() {
        assert!(Args::parse(quote!()).unwrap().krate.is_none());
        let args = Args::parse(quote!(crate = ::my::rt)).unwrap();
        let krate = args.krate.unwrap();
        assert_eq!(quote!(#krate).to_string(), quote!(::my::rt).to_string());
        assert!(Args::parse(quote!(crate = crate::rt,)).is_ok());
    }

    #[test]
    fn unknown_and_duplicate_arguments_are_all_reported() {
        let err = Args::parse(quote!(name = "x", crate = a, crate = b, debug)).unwrap_err();
        let messages: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("unknown #[actor_protocol] argument `name`"));
        assert!(messages[1].contains("duplicate"));
        assert!(messages[2].contains("`debug`"));
    }

    #[test]
    fn crate_must_be_a_path() {
        let err = Args::parse(quote!(crate = "domo_actors")).unwrap_err();
        assert!(err.to_string().contains("expects a path"));
    }
}
