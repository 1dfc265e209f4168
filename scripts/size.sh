#!/usr/bin/env bash
# Checks the release build in dist/ against bench/size-budget: for each of
# its two bundles, the brotli size (-q 11, as scripts/precompress.sh writes
# its copies) of its wasm and of its JS glue, which is everything a page
# loads for the widget (its stylesheet is inside the wasm):
#   total  aftersale-widget: order pages (and any page with every kind);
#   terms  aftersale-terms: product and cart pages (scripts/terms.sh).
# Prints each with its budget and the goal, and ends with a "N passed, M
# failed" line for the test command's count. Run after
# `trunk build --release`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="${1:-$ROOT/dist}"
budget_file="$ROOT/bench/size-budget"
goal=100000

fail() { echo "size: $*" >&2; echo "size: 0 passed, 2 failed"; exit 1; }
command -v brotli >/dev/null || fail "no brotli command (scripts/setup.sh installs it)"

passed=0
failed=0
# check <budget line> <bundle name> <what it is for>
check() {
  local budget wasm js total f
  budget=$(awk -v k="$1" '$1 == k { print $2 }' "$budget_file")
  [[ "$budget" =~ ^[0-9]+$ ]] || fail "no '$1 <bytes>' line in $budget_file"
  for f in "$2_bg.wasm" "$2.js"; do
    [ -f "$dist/$f" ] || fail "$dist/$f is missing: run 'trunk build --release' first"
    # A debug build has no compressed copies (scripts/precompress.sh).
    [ -f "$dist/$f.br" ] || [ -f "$dist/$f.gz" ] \
      || fail "$dist holds no release build (no $f.br or .gz beside it): run 'trunk build --release' first"
  done
  wasm=$(brotli -q 11 -c "$dist/$2_bg.wasm" | wc -c)
  js=$(brotli -q 11 -c "$dist/$2.js" | wc -c)
  total=$((wasm + js))
  echo "size: $2 ($3): wasm $wasm B + JS $js B = $total B (brotli -q 11); budget $budget B; goal $goal B"
  if [ "$total" -gt "$goal" ]; then
    echo "size:   the goal of $goal B is not met ($((total - goal)) B over)"
  fi
  if [ "$total" -gt "$budget" ]; then
    echo "size:   over the budget by $((total - budget)) B: shrink what grew, or raise" \
      "'$1' in bench/size-budget in the same commit and say by how much and why" >&2
    failed=$((failed + 1))
  else
    echo "size:   $((budget - total)) B under the budget"
    passed=$((passed + 1))
  fi
}
check total aftersale-widget "order pages"
check terms aftersale-terms "product and cart pages"
echo "size: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
