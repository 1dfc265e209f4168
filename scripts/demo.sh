#!/usr/bin/env bash
# Installs what is missing, builds the widget and the server, and serves the
# demo shop: the widget, its orders (seeded relative to now, and a third
# shop's order under its own policy file, demo/acme.json) and its requests,
# stored in a SQLite file (DATABASE_URL to use another, or a postgres://
# URL). Prints the address and the merchant token.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
PORT="${PORT:-8080}"
echo "demo: building the widget (trunk) and the server"
trunk build --release --offline
cargo build --profile native --locked -p aftersale-server
exec "$ROOT/target/native/aftersale-server" --listen "127.0.0.1:$PORT" \
  --database "${DATABASE_URL:-$ROOT/aftersale-demo.db}" --static-dir "$ROOT/dist" --seed-demo \
  --policy "$ROOT/demo/acme.json" --orders "$ROOT/demo/acme-orders.json"
