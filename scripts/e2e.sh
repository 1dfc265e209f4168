#!/usr/bin/env bash
# The end-to-end test: builds the server, starts it on a free port with a
# fresh SQLite file, the demo orders and the Trunk build in dist/ (run
# `trunk build --release` first), and drives the shop in headless Chromium.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
[ -f dist/index.html ] || { echo "e2e: no dist/ (run trunk build --release first)" >&2; exit 1; }
[ -d e2e/node_modules/playwright-core ] || npm ci --silent --prefix e2e
cargo build --locked -p aftersale-server
work=$(mktemp -d)
token="e2e-$(date +%s%N)"
target/debug/aftersale-server --listen 127.0.0.1:0 --database "$work/e2e.db" \
  --static-dir dist --seed-demo --merchant-tokens "e2e:$token" >"$work/out" 2>"$work/err" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$work/out" | head -1)
[ -n "$base" ] || { cat "$work/err" >&2; echo "e2e: the server did not start" >&2; exit 1; }
node e2e/shop.mjs "$base" "$token"
