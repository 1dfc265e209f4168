#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on a free loopback port.
#   scripts/postgres.sh start DIR   initdb in DIR, start, print the URL
#   scripts/postgres.sh stop DIR    stop it
# As root, the server runs as the `postgres` user (PostgreSQL refuses root).
# It takes TLS with a certificate for `localhost` (not 127.0.0.1) signed by
# a CA made for it, DIR/ca.crt; the role `tls_only`, once made, may connect
# with TLS only, as a managed database's users do.
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
    # The CA and the server's certificate (ECDSA P-256, valid two days).
    ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -days 2 -subj "/CN=aftersale test CA" \
      -keyout "$dir/ca.key" -out "$dir/ca.crt" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req "${ec[@]}" -subj "/CN=localhost" -keyout "$dir/server.key" -out "$dir/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' >"$dir/server.ext"
    openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
      -days 2 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
    chmod 600 "$dir/server.key"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir/server.key" "$dir/server.crt"
    hba="$dir/data/pg_hba.conf"
    { printf 'hostnossl all tls_only all reject\nhostssl all tls_only 127.0.0.1/32 trust\n'; cat "$hba"; } >"$hba.new"
    mv "$hba.new" "$hba"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$hba"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c ssl=on -c ssl_cert_file=$dir/server.crt -c ssl_key_file=$dir/server.key" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "postgres.sh: start or stop, not $cmd" >&2; exit 2 ;;
esac
