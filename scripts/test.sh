#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting and lints, the
# TypeScript declarations (types/), the native tests (engine, CLI, server
# with SQLite), the server's storage tests
# against PostgreSQL, the browser tests in headless Chromium, a release build
# of the widget with Trunk (its two bundles) and their sizes against bench/size-budget, and the
# end-to-end test of the demo shop (on SQLite, then on PostgreSQL). Ends with
# one "N passed, N failed" line.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"

log=$(mktemp)
pg=$(mktemp -d)
chmod 755 "$pg"
cleanup() {
  "$ROOT/scripts/postgres.sh" stop "$pg/cluster" 2>/dev/null || true
  rm -rf "$log" "$pg"
}
trap cleanup EXIT
step() { printf '\n== %s\n' "$*"; }
# Free space where target/ is written, in MB. A build that fills the disk fails
# in the linker with "Bus error" or "No space left on device"; this says why first.
free_mb() { df -Pm "$ROOT" | awk 'NR == 2 { print $4 }'; }
# Measured on 2026-11-23: target/ is 2.8 GB after a run from a fresh clone;
# installing Trunk takes 0.9 GB more while it compiles, freed after.
need_mb=3500
start_free=$(free_mb)
echo "disk: $start_free MB free for target/ (a fresh run writes about $need_mb MB)"
if [ "$start_free" -lt "$need_mb" ]; then
  echo "warning: less free disk than a fresh run writes; the build may stop with 'No space left on device'" >&2
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native and wasm32)"
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p aftersale-widget -p aftersale-js-read --all-targets --target wasm32-unknown-unknown --locked -- -D warnings
# The terms bundle: the widget without its `orders` feature (scripts/terms.sh).
cargo clippy -p aftersale-widget --no-default-features --target wasm32-unknown-unknown --locked -- -D warnings
cargo clippy -p bench-floor --features leptos --target wasm32-unknown-unknown --locked -- -D warnings

step "cargo doc (every public item's docs, their links checked)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --workspace --locked

step "TypeScript declarations: written from the schemas, a shop's use of them type-checked"
{ node "$ROOT/scripts/types.mjs" --check &&
  { "$ROOT/e2e/node_modules/.bin/tsc" -p "$ROOT/types" || { echo "types: tsc: 0 passed, 1 failed"; false; }; } &&
  echo "types: 1 passed, 0 failed"; } 2>&1 | tee -a "$log"

step "native tests: engine (tables, properties), CLI, server (API, storage, kill -9)"
cargo test --workspace --locked 2>&1 | tee -a "$log"

step "server storage tests against PostgreSQL (a throwaway server on loopback)"
AFTERSALE_TEST_POSTGRES=$("$ROOT/scripts/postgres.sh" start "$pg/cluster")
AFTERSALE_TEST_POSTGRES_CA="$pg/cluster/ca.crt"
export AFTERSALE_TEST_POSTGRES AFTERSALE_TEST_POSTGRES_CA
cargo test -p aftersale-server --test storage --locked -- --ignored 2>&1 | tee -a "$log"

step "browser tests: headless Chromium"
cargo test -p aftersale-widget --target wasm32-unknown-unknown --locked 2>&1 | tee -a "$log"

step "the widget builds for release (trunk, wasm-opt)"
trunk build --release --offline

step "the sizes of the two bundles against their budgets (bench/size-budget)"
"$ROOT/scripts/size.sh" 2>&1 | tee -a "$log"

step "end to end: the demo shop on aftersale-server, in headless Chromium"
"$ROOT/scripts/e2e.sh" 2>&1 | tee -a "$log"

step "end to end again, the servers on PostgreSQL (over TLS, as sslmode=prefer finds it)"
E2E_POSTGRES="$AFTERSALE_TEST_POSTGRES" "$ROOT/scripts/e2e.sh" 2>&1 | tee -a "$log"

passed=$(grep -Eo '[0-9]+ passed' "$log" | awk '{ s += $1 } END { print s + 0 }')
failed=$(grep -Eo '[0-9]+ failed' "$log" | awk '{ s += $1 } END { print s + 0 }')
echo
echo "disk: target/ is $(du -sm "$ROOT/target" | cut -f1) MB, $(free_mb) MB free"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
