#!/usr/bin/env bash
# Checks the dashboard example in a real browser (not run by CI): starts
# `cargo run --example dashboard`, loads its page in headless Chromium, saves a screenshot, and
# fails unless the page, once its script has run, shows the bank's actors.
#
#   scripts/dashboard-screenshot.sh [SCREENSHOT.png]     (default: target/dashboard.png)
#
# Installs Debian's `chromium` package if it is missing (needs root, or sudo). DASHBOARD_PORT
# picks the port (default 3077, so as not to take the example's own 3000).
set -euo pipefail

cd "$(dirname "$0")/.."
screenshot="$(realpath -m "${1:-target/dashboard.png}")"
port="${DASHBOARD_PORT:-3077}"
url="http://127.0.0.1:${port}/"
chromium=/usr/bin/chromium

if [[ ! -x "$chromium" ]]; then
    echo "Installing Debian's chromium..."
    sudo_if_needed=()
    [[ "$(id -u)" -ne 0 ]] && sudo_if_needed=(sudo)
    "${sudo_if_needed[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_if_needed[@]}" apt-get install -y -qq chromium >/dev/null
fi

# `cargo run --example dashboard`, in two steps: the wait below is then for the server, not the
# compiler, and the process stopped at the end is the example itself, not cargo.
cargo build --quiet --example dashboard
example="${CARGO_TARGET_DIR:-target}/debug/examples/dashboard"
log="$(mktemp)"
profile="$(mktemp -d)"
# Runs long enough for the page to load and poll; stopped below in any case.
DASHBOARD_PORT="$port" RUST_BACKTRACE=0 "$example" --for 60 >"$log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$profile" "$log"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "the dashboard example exited early:" >&2
        cat "$log" >&2
        exit 1
    fi
    sleep 0.1
done
# The picture is better while the auditor holds an account (2.5 s of every 5 s): the queues
# behind it show. Wait for that a little while, then take the picture anyway.
for _ in $(seq 1 60); do
    if curl -fsS "${url}snapshot.json" 2>/dev/null | grep -q '"state":"suspended"'; then
        break
    fi
    sleep 0.1
done

browse() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --window-size=1200,900 --virtual-time-budget=5000 \
        "$@" "$url" 2>/dev/null
}

mkdir -p "$(dirname "$screenshot")"
browse --screenshot="$screenshot" >/dev/null
dom="$(browse --dump-dom)"

# Each actor the page drew is a row `<div class="row actor[ root]" data-type="...">`.
rows="$(grep -o 'class="row actor' <<<"$dom" | wc -l)"
missing=()
for type in Teller Bank TransferCoordinator Account TransactionHistory; do
    grep -q "data-type=\"$type\"" <<<"$dom" || missing+=("$type")
done
if [[ "$rows" -eq 0 || ${#missing[@]} -ne 0 ]]; then
    echo "FAIL: the page shows $rows actors; missing: ${missing[*]:-none}" >&2
    exit 1
fi
if [[ ! -s "$screenshot" ]]; then
    echo "FAIL: no screenshot at $screenshot" >&2
    exit 1
fi
echo "ok: the page shows $rows actors (the bank's among them); screenshot: $screenshot"
