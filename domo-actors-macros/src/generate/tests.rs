use quote::quote;

use crate::expand::actor_protocol;

fn expand(item: proc_macro2::TokenStream) -> (String, syn::File) {
    let tokens = actor_protocol(quote!(), item);
    let text = tokens.to_string();
    let file = syn::parse2::<syn::File>(tokens).unwrap_or_else(|e| panic!("{e}: {text}"));
    (text, file)
}

fn counter() -> proc_macro2::TokenStream {
    quote! {
        pub trait Counter {
            /// Adds one.
            async fn increment(&mut self);
            async fn add(&mut self, n: u64, _: String) -> u64;
            #[cfg(feature = "x")]
            async fn try_take(&self, n: u64) -> Result<u64, CounterError>;
        }
    }
}

#[test]
fn expansion_is_valid_rust_with_every_item() {
    let (text, file) = expand(counter());
    if std::env::var_os("DOMO_PRINT_EXPANSION").is_some() {
        println!("{text}");
    }
    assert!(!text.contains("compile_error"), "{text}");
    // trait, call enum, answer enum, impl Call, impl Dispatch, proxy struct, impl Protocol,
    // inherent impl, trait for proxy, Clone, PartialEq, Eq, Hash, Debug, assertions; and again
    // for rustdoc (without the assumed bounds) every impl but Clone's and Call's (which assumes
    // nothing)
    assert_eq!(file.items.len(), 15 + 8, "{text}");
    assert_eq!(text.matches("# [cfg (doc)]").count(), 8, "{text}");
    assert_eq!(text.matches("# [cfg (not (doc))]").count(), 8, "{text}");
    assert!(text.contains("fn increment (& mut self) -> impl :: core :: future :: Future < Output = () > + :: core :: marker :: Send ;"), "{text}");
    assert!(text.contains("pub enum CounterCall"));
    assert!(text.contains("pub enum CounterAnswer"));
    assert!(text.contains("type Answer = CounterAnswer"), "{text}");
    assert!(
        !text.contains("__domo_reply :"),
        "calls carry arguments only: {text}"
    );
    assert!(text.contains("Add { # [doc = \"Argument `n`.\"] n : u64 , # [doc = \"Argument `__domo_arg1`.\"] __domo_arg1 : String"), "{text}");
    assert!(
        text.contains("< __DomoActor as Counter > :: add (__domo_actor , n , __domo_arg1)"),
        "{text}"
    );
    assert!(text.contains(":: domo_actors :: __private :: DeferredPromise < Result < u64 , CounterError > , :: domo_actors :: __private :: ErrOnFailure >"), "{text}");
    assert!(
        text.contains("__DomoAssertFromActorError < CounterError >"),
        "{text}"
    );
    assert!(text.contains("fn try_take (& self , n : u64)"), "{text}");
    assert_eq!(
        text.matches("# [cfg (feature = \"x\")]").count(),
        // the trait's method, the call and answer variants, the shims (3), impl Call's arms (4:
        // name, number, name of number, representation), and Dispatch's arm, the proxy's method
        // and the trait-for-proxy's method, twice each (the rustdoc copies)
        16,
        "{text}"
    );
}

#[test]
fn empty_protocol_expands() {
    let (text, _) = expand(quote!(
        trait Nothing {}
    ));
    assert!(text.contains("match self { }"), "{text}");
    assert!(!text.contains("const _"), "{text}");
}

#[test]
fn crate_override_is_used_everywhere() {
    let tokens = actor_protocol(quote!(crate = ::re::rt), counter()).to_string();
    assert!(!tokens.contains("domo_actors"), "{tokens}");
    assert!(tokens.contains(":: re :: rt :: __private :: ProxyHandle"));
}

#[test]
fn errors_keep_the_trait() {
    let tokens = actor_protocol(
        quote!(nope),
        quote!(
            trait Bad {
                fn sync(&self);
                async fn generic<T>(&self, t: T);
            }
        ),
    )
    .to_string();
    assert!(tokens.starts_with("trait Bad"), "{tokens}");
    assert_eq!(tokens.matches("compile_error").count(), 3, "{tokens}");
    // Stubs, so that code naming the proxy or the message raises no further errors...
    assert!(tokens.contains("enum BadCall { }"), "{tokens}");
    assert!(tokens.contains("enum BadAnswer { }"), "{tokens}");
    assert!(tokens.contains("struct BadProxy"), "{tokens}");
    assert!(
        tokens.contains("impl :: domo_actors :: __private :: Protocol for BadProxy"),
        "{tokens}"
    );
    // ...but nothing that needs the (invalid) trait.
    assert!(!tokens.contains("impl Bad for"), "{tokens}");
    assert!(!tokens.contains("__DomoActor : Bad"), "{tokens}");
}

#[test]
fn failure_markers_are_consumed_and_choose_the_promise() {
    let (text, _) = expand(quote!(
        pub trait Files {
            #[failure(err)]
            async fn count(&mut self) -> Res<u64>;
            #[failure(panic)]
            async fn size(&mut self) -> io::Result<u64>;
        }
    ));
    assert!(!text.contains("# [failure"), "{text}");
    assert!(
        text.contains(
            "DeferredPromise < Res < u64 > , :: domo_actors :: __private :: ErrOnFailure >"
        ),
        "{text}"
    );
    assert!(
        text.contains("DeferredPromise < io :: Result < u64 > >"),
        "{text}"
    );
    assert!(
        text.contains("_ : __DomoAssertErrReply < Res < u64 > >"),
        "{text}"
    );
    assert!(text.contains("for < '__domo > :: domo_actors :: __private :: ErrOnFailure : :: domo_actors :: __private :: OnFailure < Res < u64 > >"), "{text}");
    // An invalid protocol re-emits its trait without the markers.
    let tokens = actor_protocol(
        quote!(),
        quote!(
            trait Bad {
                #[failure(retry)]
                async fn m(&self) -> u64;
            }
        ),
    )
    .to_string();
    assert!(tokens.contains("unknown failure policy"), "{tokens}");
    assert!(!tokens.contains("# [failure"), "{tokens}");
}

#[test]
fn stream_replies_get_the_stream_policy() {
    let (text, _) = expand(quote!(
        pub trait Ticker {
            async fn prices(&self, symbol: String) -> ActorStream<u64>;
            async fn checked(&self) -> Result<ActorStream<u64>, TickerError>;
            #[failure(panic)]
            async fn mine(&self) -> ActorStream<u64>;
        }
    ));
    assert!(
        text.contains("fn prices (& self , symbol : String) -> :: domo_actors :: __private :: DeferredPromise < ActorStream < u64 > , :: domo_actors :: __private :: StreamOnFailure >"),
        "{text}"
    );
    assert!(
        text.contains("DeferredPromise < Result < ActorStream < u64 > , TickerError > , :: domo_actors :: __private :: ErrOnFailure >"),
        "{text}"
    );
    assert!(
        text.contains("fn mine (& self ,) -> :: domo_actors :: __private :: DeferredPromise < ActorStream < u64 > >"),
        "{text}"
    );
    // A misshapen one is an error, and `#[failure(err)]` on a stream too.
    let tokens = actor_protocol(
        quote!(),
        quote!(
            trait Bad {
                async fn bare(&self) -> ActorStream;
                #[failure(err)]
                async fn marked(&self) -> ActorStream<u8>;
            }
        ),
    )
    .to_string();
    assert!(
        tokens.contains("`ActorStream` takes one type argument"),
        "{tokens}"
    );
    assert!(
        tokens.contains("an `ActorStream<T>` reply has no `Err`"),
        "{tokens}"
    );
}

#[test]
fn impls_assume_what_the_shims_assert() {
    let (text, _) = expand(counter());
    // `u64` is an argument and a reply: said once.
    let assumptions = "where for < '__domo > u64 : :: core :: marker :: Send + 'static , for < '__domo > String : :: core :: marker :: Send + 'static , {";
    // Protocol, inherent, trait for proxy, PartialEq, Eq, Hash, Debug (and Dispatch, after its
    // own bound); the `#[cfg]` method's types are left out.
    assert_eq!(text.matches(assumptions).count(), 7, "{text}");
    assert!(
        text.contains(
            "__DomoActor : Counter + :: domo_actors :: __private :: Actor , for < '__domo > u64"
        ),
        "{text}"
    );
    assert!(!text.contains("'__domo > CounterError"), "{text}");
}

#[test]
fn non_traits_are_rejected() {
    let tokens = actor_protocol(
        quote!(),
        quote!(
            struct S;
        ),
    )
    .to_string();
    assert!(
        tokens.contains("can only be applied to a trait"),
        "{tokens}"
    );
    assert!(tokens.starts_with("struct S ;"), "{tokens}");
}

#[test]
fn every_generated_proxy_method_is_reserved() {
    let (_, file) = expand(quote!(
        trait Nothing {}
    ));
    let mut generated = Vec::new();
    for item in &file.items {
        if let syn::Item::Impl(imp) = item {
            let self_ty = &imp.self_ty;
            if quote!(#self_ty).to_string() != "NothingProxy" {
                continue;
            }
            for impl_item in &imp.items {
                if let syn::ImplItem::Fn(f) = impl_item {
                    generated.push(f.sig.ident.to_string());
                }
            }
        }
    }
    assert!(generated.len() >= 12, "{generated:?}");
    for name in generated {
        assert!(
            crate::names::RESERVED_METHODS.contains(&name.as_str()),
            "generated `{name}` is missing from names::RESERVED_METHODS"
        );
    }
}

/// The `#[must_use]` attributes on the proxy's inherent methods, by method name.
fn proxy_must_uses(file: &syn::File, proxy: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for item in &file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let self_ty = &imp.self_ty;
        if imp.trait_.is_some() || quote!(#self_ty).to_string() != proxy {
            continue;
        }
        for impl_item in &imp.items {
            if let syn::ImplItem::Fn(f) = impl_item {
                let must_uses = f
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("must_use"))
                    .map(|a| quote!(#a).to_string())
                    .collect();
                found.push((f.sig.ident.to_string(), must_uses));
            }
        }
    }
    found
}

#[test]
fn proxy_methods_answering_a_value_are_must_use() {
    let (_, file) = expand(quote!(
        pub trait Pinger {
            async fn ping(&mut self) -> u64;
            async fn reset(&mut self);
            async fn unit(&mut self) -> ();
            async fn check(&mut self) -> Result<(), PingError>;
            #[must_use = "confirm it"]
            async fn shut_down(&mut self);
            #[must_use]
            async fn pong(&mut self) -> u64;
        }
    ));
    let must_uses = proxy_must_uses(&file, "PingerProxy");
    let of = |method: &str| {
        must_uses
            .iter()
            .find(|(name, _)| name == method)
            .unwrap_or_else(|| panic!("no proxy method `{method}`: {must_uses:?}"))
            .1
            .clone()
    };
    let generated = "# [must_use = \"the message is sent, but dropping its promise discards the answer: `.await` it to get the answer, or `drop(..)` it to send without waiting\"]";
    assert_eq!(of("ping"), [generated]);
    assert_eq!(of("check"), [generated], "an `Err` would be lost too");
    assert!(of("reset").is_empty(), "a `()` method is a tell");
    assert!(of("unit").is_empty(), "`-> ()` as well");
    assert!(of("stop").is_empty(), "the proxy's own stop is a tell");
    assert_eq!(
        of("shut_down"),
        ["# [must_use = \"confirm it\"]"],
        "the method's own"
    );
    assert_eq!(
        of("pong"),
        ["# [must_use]"],
        "the method's own, in place of ours"
    );
}
