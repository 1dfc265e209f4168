#!/usr/bin/env bash
# The end-to-end test: builds the server, starts it on a free port with a
# fresh SQLite file, the demo orders and the Trunk build in dist/ (run
# `trunk build --release` first), and a second one whose orders need their
# keys, and drives the shop in headless Chromium.
#   E2E_POSTGRES=postgres://…/postgres scripts/e2e.sh   the two servers on
#   two new databases of that PostgreSQL server instead (psql makes them)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
[ -f dist/index.html ] || { echo "e2e: no dist/ (run trunk build --release first)" >&2; exit 1; }
[ -d e2e/node_modules/playwright-core ] || npm ci --silent --prefix e2e
cargo build --locked -p aftersale-server
work=$(mktemp -d)
token="e2e-$(date +%s%N)"
# A second server whose orders need their keys (--order-secret), and which
# tells the other shop's page server (its /hook) of each request.
secret="e2e-secret-$(date +%s%N)"
started() { # the address a server printed in $1
  for _ in $(seq 100); do grep -q "listening on" "$1" 2>/dev/null && break; sleep 0.1; done
  grep -o 'http://[0-9.:]*' "$1" | head -1
}
# A shop's page on an origin of its own, which the first server allows.
node e2e/other-shop.mjs >"$work/other-out" &
other_server=$!
trap 'kill $other_server 2>/dev/null || true; rm -rf "$work"' EXIT
other=$(started "$work/other-out")
[ -n "$other" ] || { echo "e2e: the other shop's page did not start" >&2; exit 1; }
database="$work/e2e.db" keyed_database="$work/keyed.db"
dropped() { :; }
if [ -n "${E2E_POSTGRES:-}" ]; then
  suffix="$(date +%s)_$$"
  psql -q "$E2E_POSTGRES" -c "CREATE DATABASE e2e_$suffix" -c "CREATE DATABASE keyed_$suffix"
  database="${E2E_POSTGRES%/*}/e2e_$suffix" keyed_database="${E2E_POSTGRES%/*}/keyed_$suffix"
  # Gone with the run, as the SQLite files are (FORCE: the servers may
  # still be closing their connections).
  dropped() {
    psql -q "$E2E_POSTGRES" -c "DROP DATABASE IF EXISTS e2e_$suffix WITH (FORCE)" \
      -c "DROP DATABASE IF EXISTS keyed_$suffix WITH (FORCE)" || true
  }
fi
target/debug/aftersale-server --listen 127.0.0.1:0 --database "$database" \
  --static-dir dist --seed-demo --merchant-tokens "e2e:$token" --allow-origin "$other" \
  --policy demo/acme.json --orders demo/acme-orders.json >"$work/out" 2>"$work/err" &
server=$!
target/debug/aftersale-server --listen 127.0.0.1:0 --database "$keyed_database" \
  --static-dir dist --seed-demo --merchant-tokens "e2e:$token" --order-secret "$secret" \
  --webhook-url "$other/hook" --webhook-secret "$secret" \
  >"$work/keyed-out" 2>"$work/keyed-err" &
keyed=$!
trap 'kill $server $keyed $other_server 2>/dev/null || true; dropped; rm -rf "$work"' EXIT
base=$(started "$work/out")
[ -n "$base" ] || { cat "$work/err" >&2; echo "e2e: the server did not start" >&2; exit 1; }
keyed_base=$(started "$work/keyed-out")
[ -n "$keyed_base" ] || { cat "$work/keyed-err" >&2; echo "e2e: the keyed server did not start" >&2; exit 1; }
key=$(target/debug/aftersale-server --order-secret "$secret" --print-order-key X-102)
node e2e/shop.mjs "$base" "$token" "$keyed_base" "$key" "$other"
