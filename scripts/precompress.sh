#!/usr/bin/env bash
# Run by Trunk's post-build hook (scripts/post-build.sh): writes a brotli (-q 11) and a gzip
# (-9) copy beside each file of a release build, which the reference backend
# (`--static-dir`) and any web server set up for it send as they are, rather
# than compressing on the fly at faster settings (the widget's wasm: 219 KB
# this way, 265 KB by the backend's on-the-fly brotli). Debug builds are left
# as they are.
set -euo pipefail
dir="${TRUNK_STAGING_DIR:?run by trunk build (TRUNK_STAGING_DIR)}"
[ "${TRUNK_PROFILE:-}" = release ] || exit 0
if ! command -v brotli >/dev/null; then
  echo "precompress: no brotli command (scripts/setup.sh installs it); writing only .gz copies" >&2
fi
for f in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css "$dir"/*.html; do
  [ -f "$f" ] || continue
  if command -v brotli >/dev/null; then brotli -q 11 -f -k -o "$f.br" "$f"; fi
  gzip -9 -n -c "$f" >"$f.gz"
done
