#!/usr/bin/env bash
# Load time of the widget (an order page, and a product page by either
# bundle) beside a bare Leptos counter built the same way
# (trunk --release, wasm-opt -Oz), all served from one local folder as a
# shop serves them (their brotli copies: bench/load/serve.mjs) and
# loaded in headless Chromium; plus the brotli size of each bundle and of the
# engine alone (bench/floor: policy parsing and quoting, no view), the floor
# under the widget's size, and of the engine with a bare counter in one
# module (its `leptos` feature), the floor with Leptos's runtime; and the
# work the widget does each second while idle on orders of 10, 120 and 240
# lines (bench/load/busy.mjs).
#   RUNS=30 LATENCY_MS=150 SLOW_RUNS=10 SLOW_KBPS=1600 scripts/bench-load.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" >/dev/null
trunk build --release --offline >/dev/null
trunk --config Trunk.toml build --release --offline --dist target/bench/counter bench/counter/index.html >/dev/null
# The floor, through the steps Trunk takes (cargo, wasm-bindgen, wasm-opt -Oz).
cargo build --release --locked --offline --target wasm32-unknown-unknown -p bench-floor --quiet
wasm-bindgen --target web --out-dir target/bench/floor target/wasm32-unknown-unknown/release/bench_floor.wasm
wasm-opt -Oz target/bench/floor/bench_floor_bg.wasm -o target/bench/floor/bench_floor_bg.wasm
# The floor with Leptos's runtime: the engine and a bare counter in one module.
cargo build --release --locked --offline --target wasm32-unknown-unknown -p bench-floor --features leptos --quiet
wasm-bindgen --target web --out-dir target/bench/floor-leptos target/wasm32-unknown-unknown/release/bench_floor.wasm
wasm-opt -Oz target/bench/floor-leptos/bench_floor_bg.wasm -o target/bench/floor-leptos/bench_floor_bg.wasm
site=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$site"' EXIT
cp dist/aftersale-widget.js dist/aftersale-widget_bg.wasm bench/load/widget.html "$site/"
# A product page with the terms bundle, and the same page with the order
# widget's bundle (every kind of widget) in its place.
cp dist/aftersale-terms.js dist/aftersale-terms_bg.wasm bench/load/product.html "$site/"
sed 's|aftersale-terms|aftersale-widget|g' bench/load/product.html >"$site/product-widget.html"
# The same page with its two files asked for as its head is read, as the
# README's embedding guide advises.
sed 's|<link rel="icon" href="data:," />|&\
    <link rel="modulepreload" href="/aftersale-widget.js" />\
    <link rel="preload" href="/aftersale-widget_bg.wasm" as="fetch" type="application/wasm" crossorigin />|' \
  bench/load/widget.html >"$site/widget-preload.html"
grep -q modulepreload "$site/widget-preload.html" || { echo "bench: widget-preload.html was not made" >&2; exit 1; }
cp target/bench/counter/bench-counter.js target/bench/counter/bench-counter_bg.wasm "$site/"
cp target/bench/counter/index.html "$site/counter.html"
size() { brotli -q 11 -c "$1" | wc -c; }
echo "brotli -q 11 sizes:"
printf '  widget:  wasm %s B (its CSS included), JS %s B\n' "$(size "$site/aftersale-widget_bg.wasm")" "$(size "$site/aftersale-widget.js")"
printf '  terms bundle (product and cart pages): wasm %s B, JS %s B\n' "$(size "$site/aftersale-terms_bg.wasm")" "$(size "$site/aftersale-terms.js")"
printf '  counter: wasm %s B, JS %s B\n' "$(size "$site/bench-counter_bg.wasm")" "$(size "$site/bench-counter.js")"
printf '  engine alone (no view): wasm %s B, JS %s B\n' "$(size target/bench/floor/bench_floor_bg.wasm)" "$(size target/bench/floor/bench_floor.js)"
printf '  engine and a bare counter, one module: wasm %s B, JS %s B\n' "$(size target/bench/floor-leptos/bench_floor_bg.wasm)" "$(size target/bench/floor-leptos/bench_floor.js)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Every file compressed as a release build's are, and served as a shop
# serves them: the .br copy, with Content-Encoding: br.
for f in "$site"/*; do brotli -q 11 -f -k "$f"; done
node bench/load/serve.mjs "$site" "$port" &
server=$!
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/widget.html')" 2>/dev/null && break; sleep 0.1; done
node bench/load/measure.mjs "http://127.0.0.1:$port" "${RUNS:-30}"
# A phone's round trip: what preloading the files saves where waiting is
# most of the load.
node bench/load/measure.mjs "http://127.0.0.1:$port" "${RUNS:-30}" "${LATENCY_MS:-150}"
# A slow mobile connection (Chrome's "Fast 3G": 150 ms, 1.6 Mbit/s), where
# every kilobyte costs 5 ms.
node bench/load/measure.mjs "http://127.0.0.1:$port" "${SLOW_RUNS:-10}" 150 "${SLOW_KBPS:-1600}"
node bench/load/busy.mjs "http://127.0.0.1:$port"
