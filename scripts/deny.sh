#!/usr/bin/env bash
# The dependency policy of `deny.toml` (issue 16, part 7): every crate in the workspace's graph
# (dev and loom-only dependencies included) under a licence `deny.toml` allows, and no `*`
# version requirement on a crates.io dependency.
#
# Runs `cargo deny check licenses bans`, which needs no network beyond what `cargo metadata`
# needs (nothing, once the dependencies are in cargo's cache).
#
# The advisories check (`cargo deny check advisories`) is NOT run: it needs the RustSec advisory
# database, which cargo-deny clones from GitHub, and these machines cannot reach it. Run it where
# the network allows; `deny.toml` configures it.
#
# cargo-deny is installed with `cargo install cargo-deny --locked` when missing. Arguments are
# passed to `cargo deny` before `check` (e.g. `--log-level warn`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo deny --version >/dev/null 2>&1; then
    echo "== cargo install cargo-deny --locked"
    cargo install cargo-deny --locked
fi

echo "== $(cargo deny --version): cargo deny check licenses bans"
cargo deny "$@" check licenses bans
