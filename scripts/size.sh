#!/usr/bin/env bash
# Checks the widget's release build in dist/ against bench/size-budget:
# the brotli size (-q 11, as scripts/precompress.sh writes its copies) of
# its wasm and of its JS glue, which is everything a page loads for the
# widget (its stylesheet is inside the wasm). Prints both and the total, the budget and
# the goal, and ends with a "1 passed" or "1 failed" line for the test
# command's count. Run after `trunk build --release`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${1:-$ROOT/dist}"
budget_file="$ROOT/bench/size-budget"
goal=100000

fail() { echo "size: $*" >&2; echo "size: 0 passed, 1 failed"; exit 1; }

budget=$(awk '$1 == "total" { print $2 }' "$budget_file")
[[ "$budget" =~ ^[0-9]+$ ]] || fail "no 'total <bytes>' line in $budget_file"

command -v brotli >/dev/null || fail "no brotli command (scripts/setup.sh installs it)"
for f in aftersale-widget_bg.wasm aftersale-widget.js; do
  [ -f "$dist/$f" ] || fail "$dist/$f is missing: run 'trunk build --release' first"
  # A debug build has no compressed copies (scripts/precompress.sh).
  [ -f "$dist/$f.br" ] || [ -f "$dist/$f.gz" ] \
    || fail "$dist holds no release build (no $f.br or .gz beside it): run 'trunk build --release' first"
done
size_of() { brotli -q 11 -c "$dist/$1" | wc -c; }
wasm=$(size_of aftersale-widget_bg.wasm)
js=$(size_of aftersale-widget.js)
total=$((wasm + js))

echo "size: wasm $wasm B + JS $js B = $total B (brotli -q 11); budget $budget B; goal $goal B"
if [ "$total" -gt "$goal" ]; then
  echo "size: the goal of $goal B is not met ($((total - goal)) B over)"
fi
if [ "$total" -gt "$budget" ]; then
  echo "size: over the budget by $((total - budget)) B: shrink what grew, or raise bench/size-budget" \
    "in the same commit and say by how much and why" >&2
  echo "size: 0 passed, 1 failed"
  exit 1
fi
echo "size: $((budget - total)) B under the budget"
echo "size: 1 passed, 0 failed"
