use syn::parse_quote;

use syn::TraitItemFn;

use super::*;

/// The errors for a trait `Counter` holding only `item`.
fn method_errors(item: &TraitItemFn) -> Vec<String> {
    trait_errors(syn::parse_quote!(trait Counter { #item }))
}

fn trait_errors(item: syn::ItemTrait) -> Vec<String> {
    match Protocol::from_syn(&item).validate() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

fn assert_one(found: Vec<String>, expected: &str) {
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains(expected),
        "{found:?} should contain {expected:?}"
    );
}

#[test]
fn valid_protocol_passes() {
    let item: syn::ItemTrait = parse_quote! {
        pub trait Counter {
            /// Docs.
            #[cfg(test)]
            async fn increment(&mut self);
            async fn get(&self) -> u64;
            async fn add(&mut self, n: u64, _: String, r#type: u8) -> Result<u64, E>;
        }
    };
    assert_eq!(trait_errors(item), Vec::<String>::new());
    assert_eq!(
        trait_errors(parse_quote!(
            trait Empty {}
        )),
        Vec::<String>::new()
    );
}

#[test]
fn method_rules() {
    let cases: Vec<(TraitItemFn, &str)> = vec![
        (
            parse_quote!(
                async fn m<T>(&mut self, t: T);
            ),
            "cannot be generic",
        ),
        (
            parse_quote!(
                async fn m<const N: usize>(&mut self);
            ),
            "cannot be generic",
        ),
        (
            parse_quote!(
                async fn m<'a>(&mut self);
            ),
            "lifetime parameters",
        ),
        (
            parse_quote!(
                async fn m(&mut self)
                where
                    u8: Copy;
            ),
            "`where` clause",
        ),
        (
            parse_quote!(
                async fn m(n: u8);
            ),
            "need a `&mut self` or `&self` receiver",
        ),
        (
            parse_quote!(
                async fn m(self);
            ),
            "not `self` by value",
        ),
        (
            parse_quote!(
                async fn m(mut self);
            ),
            "not `self` by value",
        ),
        (
            parse_quote!(
                async fn m(self: Box<Self>);
            ),
            "not with a type",
        ),
        (
            parse_quote!(
                async fn m(&'a mut self);
            ),
            "cannot name a lifetime",
        ),
        (
            parse_quote!(
                fn m(&mut self);
            ),
            "must be `async fn`",
        ),
        (
            parse_quote!(
                async fn m(&mut self) {}
            ),
            "default body",
        ),
        (
            parse_quote!(
                async unsafe fn m(&mut self);
            ),
            "`unsafe`",
        ),
        (
            parse_quote!(
                const async fn m(&mut self);
            ),
            "`const`",
        ),
        (
            parse_quote!(
                async extern "C" fn m(&mut self);
            ),
            "`extern`",
        ),
        (
            parse_quote!(
                async fn m(&mut self, (a, b): (u8, u8));
            ),
            "plain identifiers",
        ),
        (
            parse_quote!(
                async fn m(&mut self, mut a: u8);
            ),
            "plain identifiers",
        ),
        (
            parse_quote!(
                async fn m(&mut self, __domo_reply: u8);
            ),
            "reserved",
        ),
        (
            parse_quote!(
                async fn m(&mut self, __domo_x: u8);
            ),
            "reserved",
        ),
        (
            parse_quote!(
                async fn m(&mut self, s: &str);
            ),
            "argument types cannot be references",
        ),
        (
            parse_quote!(
                async fn m(&mut self) -> &'static str;
            ),
            "return types cannot be references",
        ),
        (
            parse_quote!(
                async fn m(&mut self, s: impl Tr);
            ),
            "`impl Trait`",
        ),
        (
            parse_quote!(
                async fn m(&mut self) -> impl Tr;
            ),
            "`impl Trait`",
        ),
        (
            parse_quote!(
                async fn m(&mut self, s: dyn Tr);
            ),
            "bare `dyn Trait`",
        ),
        (
            parse_quote!(
                async fn stop(&mut self);
            ),
            "method `stop` conflicts with the generated `CounterProxy::stop`",
        ),
        (
            parse_quote!(
                async fn clone(&mut self);
            ),
            "generated `CounterProxy::clone`",
        ),
    ];
    for (item, expected) in cases {
        assert_one(method_errors(&item), expected);
    }
}

#[test]
fn variadic_methods_are_rejected() {
    let item: syn::ItemTrait = parse_quote!(
        trait Counter {
            async unsafe extern "C" fn m(&mut self, ...);
        }
    );
    let found = trait_errors(item);
    assert!(found.iter().any(|e| e.contains("variadic")), "{found:?}");
}

#[test]
fn trait_rules() {
    let cases: Vec<(syn::ItemTrait, &str)> = vec![
        (
            parse_quote!(
                trait P<T> {}
            ),
            "traits cannot be generic",
        ),
        (
            parse_quote!(
                trait P where
                    u8: Copy,
                {
                }
            ),
            "`where` clause",
        ),
        (
            parse_quote!(
                trait P: Send {}
            ),
            "supertraits",
        ),
        (
            parse_quote!(
                unsafe trait P {}
            ),
            "`unsafe`",
        ),
        (parse_quote!(auto trait P {}), "`auto` traits"),
        (
            parse_quote!(
                trait P {
                    type T;
                }
            ),
            "associated types",
        ),
        (
            parse_quote!(
                trait P {
                    const N: u8;
                }
            ),
            "associated consts",
        ),
        (
            parse_quote!(
                trait P {
                    m!();
                }
            ),
            "macro invocations",
        ),
    ];
    for (item, expected) in cases {
        assert_one(trait_errors(item), expected);
    }
}

#[test]
fn duplicate_variants_are_rejected() {
    let item: syn::ItemTrait = parse_quote! {
        trait P { async fn do_it(&mut self); async fn doIt(&mut self); }
    };
    assert_one(
        trait_errors(item),
        "method `doIt` maps to the same message variant `DoIt` as method `do_it`",
    );
}

#[test]
fn all_errors_are_reported_together() {
    let item: syn::ItemTrait = parse_quote! {
        trait P<T>: Send {
            fn a(&mut self);
            async fn b<U>(self, x: &str);
            type X;
        }
    };
    assert_eq!(trait_errors(item).len(), 7);
}

#[test]
fn result_aliases_need_a_failure_marker() {
    for item in [
        parse_quote!(
            async fn m(&self) -> io::Result<u64>;
        ),
        parse_quote!(
            async fn m(&self) -> Result<u64>;
        ),
        parse_quote!(
            async fn m(&self) -> FetchResult;
        ),
        parse_quote!(
            async fn m(&self) -> Result<u64, E, X>;
        ),
    ] {
        assert_one(method_errors(&item), "may be a `Result` alias");
    }
    for item in [
        parse_quote!(
            async fn m(&self) -> Result<u64, E>;
        ),
        parse_quote!(
            async fn m(&self) -> Res<u64>;
        ),
        parse_quote!(
            #[failure(err)]
            async fn m(&self) -> io::Result<u64>;
        ),
        parse_quote!(
            #[failure(panic)]
            async fn m(&self) -> FetchResult;
        ),
        parse_quote!(
            #[failure(panic)]
            async fn m(&self);
        ),
    ] {
        assert_eq!(method_errors(&item), Vec::<String>::new());
    }
}

#[test]
fn failure_markers_are_checked() {
    let cases: Vec<(TraitItemFn, &str)> = vec![
        (
            parse_quote!(
                #[failure(retry)]
                async fn m(&self) -> u64;
            ),
            "unknown failure policy `retry`",
        ),
        (
            parse_quote!(
                #[failure]
                async fn m(&self) -> u64;
            ),
            "expected `#[failure(err)]` or `#[failure(panic)]`",
        ),
        (
            parse_quote!(
                #[failure = "err"]
                async fn m(&self) -> u64;
            ),
            "expected `#[failure(err)]` or `#[failure(panic)]`",
        ),
        (
            parse_quote!(
                #[failure(err)]
                #[failure(err)]
                async fn m(&self) -> Res<u64>;
            ),
            "duplicate `#[failure(..)]` marker",
        ),
        (
            parse_quote!(
                #[failure(err)]
                async fn m(&self);
            ),
            "needs a `Result` reply",
        ),
    ];
    for (item, expected) in cases {
        assert_one(method_errors(&item), expected);
    }
}
