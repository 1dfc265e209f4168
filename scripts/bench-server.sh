#!/usr/bin/env bash
# Load benchmark of the server on loopback with wrk: POST /api/requests
# (each request a new one: a fresh Idempotency-Key, re-quoted, stored with
# synchronous=FULL) beside GET /api/health (touches nothing) in the same
# run, then the merchant's pages, a returns page finding orders, orders put
# by the shop's systems and the search. Prints requests per second and p99
# latency of each.
#   DURATION=20s CONNECTIONS=16 scripts/bench-server.sh
#   DATABASE=postgres scripts/bench-server.sh   (a throwaway PostgreSQL
#   server, scripts/postgres.sh, in place of the SQLite file; over TLS, as
#   its default sslmode prefers; SSLMODE=disable for none)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-16}"
DATABASE="${DATABASE:-sqlite}"
case "$DATABASE" in sqlite|postgres) ;; *) echo "bench: DATABASE is sqlite or postgres, not $DATABASE" >&2; exit 2 ;; esac
if ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq wrk >/dev/null || { echo "bench: cannot install wrk" >&2; exit 1; }
fi
cargo build --profile native --locked -p aftersale-server -p aftersale-cli
work=$(mktemp -d)
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ago() { date -u -d "$1 days ago" +%Y-%m-%dT%H:%M:%SZ; }
order=$(cat <<JSON
{"id":"BENCH-1","currency":"USD","placed_at":"$(ago 6)","shipped_at":"$(ago 5)","last_tracking_event_at":"$(ago 3)",
 "delivered_at":"$(ago 2)","ship_from":"us_warehouse","shipping_paid":"0.00","exchanges_used":0,
 "lines":[{"id":"L1","sku":"AC-BOX-6","title":"Acrylic display box","unit_price":"39.90","quantity":100000,"tags":[]}]}
JSON
)
request='{"kind":"return","reason":"changed_mind","lines":[{"line_id":"L1","quantity":1}],"resolution":null,"condition":{"unused":true,"original_packaging":true,"complete":true},"exchange_for":null}'
# 1,000 orders alike (the POSTs spread over them, as real traffic would).
ORDER="$order" python3 -c '
import json, os
o = json.loads(os.environ["ORDER"])
print(json.dumps([{"id": f"BENCH-{i}", "policy_id": "xtelary", "label": "bench",
                   "email": f"customer{i}@example.com",
                   "data": {"order": dict(o, id=f"BENCH-{i}"), "exchange_options": []}} for i in range(1000)]))
' >"$work/orders.json"
quote=$(echo "{\"now\":\"$now\",\"order\":$order,\"request\":$request}" | target/native/aftersale quote --policy xtelary)
version=$(grep -o '"version": *"[^"]*"' engine/policies/xtelary.json | head -1 | sed 's/.*: *"//; s/"$//')
printf '{"format":"aftersale.request/1","order_id":"BENCH-1","policy":{"id":"xtelary","version":"%s"},"request":%s,"quote":%s,"attachments":[{"name":"box.jpg","type":"image/jpeg","size":1000}],"contact":{"email":"bench@example.com"},"locale":"en","submitted_at":"%s"}' \
  "$version" "$request" "$quote" "$now" >"$work/payload.json"
cat >"$work/post.lua" <<LUA
local body = io.open("$work/payload.json"):read("*a")
local threads, n = 0, 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init() n = 0 end
function request()
  n = n + 1
  local b = body:gsub("BENCH%-1", "BENCH-" .. ((n * 2 + tid) % 1000))
  return wrk.format("POST", "/api/requests",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = "bench-" .. tid .. "-" .. n }, b)
end
function response(status) if status ~= 201 then io.stderr:write("unexpected status " .. status .. "\n") end end
LUA
# A new version of an order, as the shop's systems put it (PUT
# /api/merchant/orders/{id}): checked as the widget reads it, then stored
# if it keeps what the order's requests name.
python3 -c '
import json, sys
entry = json.load(open(sys.argv[1]))[0]
del entry["id"]
print(json.dumps(entry))
' "$work/orders.json" >"$work/put.json"
cat >"$work/put.lua" <<LUA
local body = io.open("$work/put.json"):read("*a")
local threads, n = 0, 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init() n = 0 end
function request()
  n = n + 1
  local id = "BENCH-" .. ((n * 2 + tid) % 1000)
  local b = body:gsub("BENCH%-0", id):gsub('"label": "bench"', '"label": "bench ' .. n .. '"')
  return wrk.format("PUT", "/api/merchant/orders/" .. id,
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer bench-token" }, b)
end
function response(status) if status ~= 200 then io.stderr:write("unexpected status " .. status .. "\n") end end
LUA
# A returns page finding an order by its number and email (POST
# /api/find-order): counted, looked up, found, taken back.
cat >"$work/find.lua" <<LUA
local threads, n = 0, 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init() n = 0 end
function request()
  n = n + 1
  local i = (n * 2 + tid) % 1000
  return wrk.format("POST", "/api/find-order", { ["Content-Type"] = "application/json" },
    '{"order": "#BENCH-' .. i .. '", "email": "Customer' .. i .. '@example.com"}')
end
function response(status) if status ~= 200 then io.stderr:write("unexpected status " .. status .. "\n") end end
LUA
database="$work/bench.db"
stop_postgres() { :; }
if [ "$DATABASE" = postgres ]; then
  chmod o+x "$work"
  database="$(scripts/postgres.sh start "$work/pg")?sslmode=${SSLMODE:-prefer}"
  stop_postgres() { scripts/postgres.sh stop "$work/pg" || true; }
fi
server=""
trap '[ -z "$server" ] || kill $server 2>/dev/null || true; wait; stop_postgres; rm -rf "$work"' EXIT
target/native/aftersale-server --listen 127.0.0.1:0 --database "$database" --orders "$work/orders.json" \
  --merchant-tokens "bench:bench-token" >"$work/out" &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/out" 2>/dev/null && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$work/out" | head -1)
run() { # name, wrk args
  local name=$1; shift
  local out; out=$(wrk --latency -t2 -c"$CONNECTIONS" -d"$DURATION" "$@")
  local rps p99
  rps=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
  printf '%-34s %10s req/s   p99 %s\n' "$name" "$rps" "$p99"
  echo "$out" | grep -E "Non-2xx|Socket errors" || true
}
echo "wrk, $CONNECTIONS connections, 2 threads, $DURATION each, on $(nproc) cores, $DATABASE${SSLMODE:+ (sslmode=$SSLMODE)}:"
run "GET /api/health (baseline)" "$base/api/health"
run "POST /api/requests (new, stored)" -s "$work/post.lua" "$base/api/requests"
run "GET /api/merchant/requests (a page of 50)" -H "Authorization: Bearer bench-token" "$base/api/merchant/requests?limit=50"
# Before the puts, which give every order they put BENCH-0's email.
run "POST /api/find-order (found)" -s "$work/find.lua" "$base/api/find-order"
run "PUT /api/merchant/orders/{id}" -s "$work/put.lua" "$base/api/merchant/orders/BENCH-0"
# The merchant's search: one order's requests among all of them.
run "GET /api/merchant/requests?find=ORDER" -H "Authorization: Bearer bench-token" "$base/api/merchant/requests?find=bench-7&limit=50"
# Every request as one CSV file, once.
curl -s -o "$work/requests.csv" -H 'Authorization: Bearer bench-token' -H 'Accept-Encoding: br' \
  -w 'GET /api/merchant/requests.csv      %{time_total} s, %{size_download} bytes (brotli)' "$base/api/merchant/requests.csv"
echo ", $(curl -s -H 'Authorization: Bearer bench-token' "$base/api/merchant/requests.csv" | wc -l) lines"
# The merchant list, page by page (`next` is where the page after begins).
rows=0 after=""
while :; do
  page=$(curl -s -H 'Authorization: Bearer bench-token' "$base/api/merchant/requests?limit=200$after")
  rows=$((rows + $(grep -o '"id":"[0-9a-f-]\{36\}"' <<<"$page" | wc -l || true)))
  next=$(grep -o '"next":"[^"]*"' <<<"$page" | cut -d'"' -f4 || true)
  [ -n "$next" ] || break
  after="&after=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$next")"
done
echo "rows stored: $rows"
