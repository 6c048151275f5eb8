#!/usr/bin/env bash
# A soak run (on demand, not a test): bloglist on a throwaway PostgreSQL,
# seeded as `make bench-http` seeds it, under wrk for MINUTES (default 10) of
# reads, logins and writes (bench/http/wrk/soak_mix.lua), one wrk run per
# minute. Prints per minute: requests/s, p99, errors and the server's
# resident memory; errors must be 0 and memory flat (docs/testing.md).
#   BLOGLIST_BIN (default build/bin/bloglist), MINUTES, WRK_THREADS (2),
#   WRK_CONNECTIONS (32)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
BLOGLIST_BIN=$(realpath "${BLOGLIST_BIN:-build/bin/bloglist}")
MINUTES=${MINUTES:-10} THREADS=${WRK_THREADS:-2} CONNS=${WRK_CONNECTIONS:-32}
PASSWORD=soakpass
work=$(mktemp -d) pgdir=$(mktemp -d --suffix=-soak-pg) pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  ./scripts/pg.sh stop "$pgdir" || true
  rm -rf "$work"
}
trap cleanup EXIT
ready() {
  for _ in $(seq 600); do
    u=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$1" | head -1 | sed 's/^listening on //') || true
    [[ -n $u ]] && { echo "$u"; return; }
    sleep 0.1
  done
  cat "$1" >&2; exit 1
}
rss() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

pg_url=$(./scripts/pg.sh start "$pgdir")
db=${pg_url%/*}/bloglist_soak
psql "$pg_url" -qXc "CREATE DATABASE bloglist_soak"
export SECRET=soak-secret-0123456789 LOG_LEVEL=warn DATA_DIR=$work/data
mkdir -p "$DATA_DIR"
DATABASE_URL=$db PORT=0 "$BLOGLIST_BIN" >"$work/m.log" 2>&1 & pid=$!
url=$(ready "$work/m.log")
curl -s -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"user1@bench.example\",\"name\":\"Arto\",\"password\":\"$PASSWORD\"}" "$url/api/users"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
(cd bench/http/node && { [[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error; })
DATABASE_URL=$db BENCH_PASSWORD=$PASSWORD node bench/http/node/seed.js >/dev/null
psql "$db" -qXc "VACUUM ANALYZE" -c "CHECKPOINT"

export BENCH_WRK_DIR=$root/bench/http/wrk BENCH_LOGIN_DATA=$work/users.lua
psql "$db" -AtX -F' ' -c "
  SELECT u.username, string_agg(r.id || ':' || r.read, ',' ORDER BY r.id)
  FROM readinglists r JOIN users u ON u.id = r.user_id
  WHERE r.user_id BETWEEN 3 AND $((2 + THREADS)) GROUP BY u.id, u.username ORDER BY u.id" |
awk -v pw="$PASSWORD" 'BEGIN { print "return {" }
  { printf "  { username = \"%s\", password = \"%s\", rows = {", $1, pw
    n = split($2, a, ","); for (i = 1; i <= n; i++) { split(a[i], b, ":");
      printf "{id=%s,read=%s},", b[1], (b[2] == "t" ? "true" : "false") }
    print "} }," }
  END { print "}" }' >"$BENCH_LOGIN_DATA"

DATABASE_URL=$db PORT=0 "$BLOGLIST_BIN" >"$work/s.log" 2>&1 & pid=$!
url=$(ready "$work/s.log")
echo "| minute | req/s | p99 ms | errors | RSS MiB |"
echo "| ---: | ---: | ---: | ---: | ---: |"
echo "| 0 | | | | $(rss "$pid") |"
total_errors=0
for m in $(seq "$MINUTES"); do
  line=$(wrk -t"$THREADS" -c"$CONNS" -d60s --timeout 30s --latency -s "$BENCH_WRK_DIR/soak_mix.lua" "$url" | grep '^BENCH ')
  f() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  errors=$(( $(f err_connect) + $(f err_read) + $(f err_write) + $(f err_status) + $(f err_timeout) ))
  total_errors=$((total_errors + errors))
  kill -0 "$pid" || { cat "$work/s.log" >&2; echo "bloglist died" >&2; exit 1; }
  printf '| %s | %s | %.2f | %s | %s |\n' "$m" "$(f rps)" "$(awk -v u="$(f p99_us)" 'BEGIN { print u / 1000 }')" \
    "$errors" "$(rss "$pid")"
done
echo
echo "errors in all: $total_errors"
(( total_errors == 0 ))
