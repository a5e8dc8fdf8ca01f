//! Diagnostics and accepted shapes of `#[actor_protocol]` and `#[derive(Actor)]`.
//!
//! `ui/fail/<mistake>.rs` must fail to compile with the checked-in `.stderr`; `ui/pass/<feature>.rs`
//! must compile and run. Regenerate snapshots with
//! `TRYBUILD=overwrite cargo test -p domo-actors --test ui` and read every changed `.stderr`.
//!
//! The errors of `ui/fail/` are the macro's own (spanned on the user's tokens) or a shim's,
//! which name only the user's types. `ui/fail_toolchain/` holds mistakes that only rustc's
//! trait resolution can report (an actor missing one of its protocols): their text quotes
//! runtime internals and changes between compilers, so they are checked on the toolchain that
//! blessed them only.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}

/// See the module docs: blessed on stable 1.95.
#[rustversion::stable(1.95)]
#[test]
fn ui_on_the_blessing_toolchain() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail_toolchain/*.rs");
}
