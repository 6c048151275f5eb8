#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests.
#   scripts/pg.sh start DIR   initdb into DIR, start on 127.0.0.1 and a free
#                             private port; prints the URL on stdout
#   scripts/pg.sh stop DIR    stop the cluster and remove DIR
#   scripts/pg.sh pause DIR   stop the server, keep the cluster (an outage)
#   scripts/pg.sh resume DIR  start it again on the same port
# initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` system user (created by Debian's postgresql package).
set -euo pipefail

cmd=${1:?usage: pg.sh start|stop|pause|resume DIR}
dir=${2:?usage: pg.sh start|stop DIR}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x "$bindir/initdb" ]] || { echo "pg.sh: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # A free port can be taken between the check and the bind (other tests'
    # servers listen on ephemeral ports in this range too): try the next.
    port=""
    for p in $(seq 55432 55499); do
      port_free "$p" || continue
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
           -o "-p $p -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
           >/dev/null; then
        port=$p
        break
      fi
      grep -q "could not bind\|could not create any TCP/IP sockets\|already in use" "$dir/server.log" \
        || { cat "$dir/server.log" >&2; exit 1; }
    done
    [[ -n "$port" ]] || { echo "pg.sh: no free port in 55432-55499" >&2; exit 1; }
    echo "$port" >"$dir/port"
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  pause)
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    port=$(cat "$dir/port")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    if [[ -d "$dir/data" ]]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: pg.sh start|stop|pause|resume DIR" >&2; exit 2 ;;
esac
