#!/usr/bin/env bash
# The release check of the three published crates (issue 16, part 7): `cargo publish --dry-run`
# for the workspace, then what each `.crate` must carry.
#
# What it proves. `cargo publish --dry-run --workspace` (cargo 1.90 or newer) packages every
# publishable member (the root `domo-actors-suite` has `publish = false` and is skipped) in
# dependency order: domo-actors-macros, domo-actors, domo-actors-testkit. Each `.crate` is then
# unpacked and built on its own, from its normalized manifest (path dependencies turned into
# version requirements, path-only dev-dependencies dropped), resolving the crates published just
# before it from a temporary local registry overlaid on crates.io, as crates.io will hold them
# once they are uploaded in that order. So: every crate's files are in its package, its
# manifest is accepted, and it builds from the package alone against its published
# dependencies. Nothing is uploaded.
#
# What it does not prove. The verification builds the library; it runs no tests and builds no
# docs from the package. crates.io's own checks (the names being free, ownership, the upload
# itself) happen only on a real `cargo publish`. The crates.io index must be reachable, for the
# third-party dependencies.
#
# Why not `cargo publish --dry-run -p domo-actors` alone: it resolves domo-actors-macros on
# crates.io, where it is not yet, and fails ("no matching package named `domo-actors-macros`");
# likewise the testkit and domo-actors. Only the macros crate passes on its own. Publishing for
# real, crate by crate, works in the same order (macros, then domo-actors, then the testkit),
# each once the one before it is on crates.io; or `cargo publish --workspace` does all three.
#
# Arguments are passed to cargo (e.g. `--allow-dirty` to check uncommitted changes).
set -euo pipefail
cd "$(dirname "$0")/.."

crates=(domo-actors-macros domo-actors domo-actors-testkit)

cargo_minor=$(cargo --version | sed -E 's/^cargo 1\.([0-9]+).*/\1/')
if [ "$cargo_minor" -lt 90 ]; then
    echo "cargo 1.90 or newer is needed for \`cargo publish --workspace\` ($(cargo --version))" >&2
    exit 1
fi

echo "== cargo publish --dry-run --workspace"
cargo publish --dry-run --workspace "$@"

echo "== every package carries the licences and its README (domo-actors: its guides too)"
for dir in "${crates[@]}"; do
    for licence in LICENSE-MIT LICENSE-APACHE; do
        if ! cmp -s "$licence" "$dir/$licence"; then
            echo "$dir/$licence differs from the root's $licence" >&2
            exit 1
        fi
    done
done
for crate in "${crates[@]}"; do
    files=$(cargo package --list -p "$crate" "$@")
    expected=(LICENSE-MIT LICENSE-APACHE README.md)
    if [ "$crate" = domo-actors ]; then
        # `src/guide.rs` includes them with `include_str!`: without them the crate does not build.
        for guide in domo-actors/guide/*.md; do
            expected+=("guide/$(basename "$guide")")
        done
    fi
    for file in "${expected[@]}"; do
        if ! grep -qx "$file" <<<"$files"; then
            echo "the package of $crate lacks $file" >&2
            exit 1
        fi
    done
    echo "$crate: ${expected[*]}"
done
echo "ok"
