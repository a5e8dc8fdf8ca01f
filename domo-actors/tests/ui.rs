//! Diagnostics and accepted shapes of `#[actor_protocol]` and `#[derive(Actor)]`.
//!
//! `ui/fail/<mistake>.rs` must fail to compile with the checked-in `.stderr`; `ui/pass/<feature>.rs`
//! must compile and run. Regenerate snapshots with
//! `TRYBUILD=overwrite cargo test -p domo-actors --test ui` and read every changed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
