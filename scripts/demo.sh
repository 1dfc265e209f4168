#!/usr/bin/env bash
# Installs what is missing, builds the widget and serves the demo shop.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
PORT="${PORT:-8080}"
echo "demo: building, then serving at http://127.0.0.1:$PORT/"
exec trunk serve --release --offline --address 127.0.0.1 --port "$PORT"
