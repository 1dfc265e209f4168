#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml), its steps in order (Trunk runs the
# hooks of a stage at once): the terms bundle beside the order widget
# (scripts/terms.sh); in a release build, both bundles' JS glue minified by
# esbuild (wasm-bindgen writes it readable, with its doc comments: 2.4 KB
# of brotli per page); then the compressed copies of every file
# (scripts/precompress.sh).
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
dir="${TRUNK_STAGING_DIR:?run by trunk build (TRUNK_STAGING_DIR)}"
"$here/terms.sh"
if [ "${TRUNK_PROFILE:-}" = release ]; then
  for f in aftersale-widget.js aftersale-terms.js; do
    [ -f "$dir/$f" ] || continue
    esbuild "$dir/$f" --minify --format=esm --log-level=warning --outfile="$dir/$f" --allow-overwrite
  done
fi
"$here/precompress.sh"
