#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on a free loopback port.
#   scripts/postgres.sh start DIR   initdb in DIR, start, print the URL
#   scripts/postgres.sh stop DIR    stop it
# As root, the server runs as the `postgres` user (PostgreSQL refuses root).
set -euo pipefail
cmd="${1:?start|stop}"
dir="${2:?a folder for the cluster}"
initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
[ -n "$initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; exit 1; }
bin=$(dirname "$initdb")
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
      as_owner test -w "$dir" || { echo "postgres.sh: the postgres user cannot reach $dir (make its parents o+x)" >&2; exit 1; }
    fi
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "postgres.sh: start or stop, not $cmd" >&2; exit 2 ;;
esac
