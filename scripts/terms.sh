#!/usr/bin/env bash
# Run by Trunk's post-build hook (scripts/post-build.sh): builds the terms bundle beside the
# order widget, into Trunk's staging folder, so that `dist/` holds both:
#   aftersale-widget.js + _bg.wasm  every kind of widget (order pages);
#   aftersale-terms.js  + _bg.wasm  product and cart summaries only
#                                   (`data-mode="product"`), 56% of the bytes.
# The terms bundle is the same crate without its `orders` feature, through
# the steps Trunk takes for the other (cargo, wasm-bindgen, wasm-opt -Oz in
# a release build). The library is compiled once per feature set and kept.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk build (TRUNK_STAGING_DIR)}"
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# Only beside the widget: another page built with this Trunk.toml (the
# benchmark's bare counter) gets no terms bundle.
if [ -n "${TRUNK_HTML_FILE:-}" ] && [ "$(realpath "$TRUNK_HTML_FILE")" != "$(realpath index.html)" ]; then
  exit 0
fi

profile=debug
flags=(--locked --target wasm32-unknown-unknown --bin aftersale-widget --no-default-features)
if [ "${TRUNK_PROFILE:-}" = release ]; then
  profile=release
  flags+=(--release)
fi
# No network either way: Trunk's own build has just needed the same crates
# (the feature changes none of them). Cargo gives the binary of either build
# the same file, so each build links it again (about 15 s in release).
cargo build "${flags[@]}"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
wasm-bindgen --target web --no-typescript --out-name aftersale-terms --out-dir "$out" \
  "target/wasm32-unknown-unknown/$profile/aftersale-widget.wasm"
if [ "$profile" = release ]; then
  wasm-opt -Oz "$out/aftersale-terms_bg.wasm" -o "$out/aftersale-terms_bg.wasm"
fi
cp "$out/aftersale-terms.js" "$out/aftersale-terms_bg.wasm" "$dir/"
