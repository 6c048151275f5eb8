#!/usr/bin/env bash
# `make bench-http`: bloglist (C++, junction) against the same routes written
# with Express + Sequelize (bench/http/node), both on one throwaway PostgreSQL
# database with the same data, loaded with wrk in one run. See the "HTTP
# benchmark" section of docs/testing.md.
#
#   BLOGLIST_BIN   the server binary (default build/bin/bloglist; not built here)
#   DURATION       wrk duration per scenario and server (default 10s)
#   WRK_THREADS    wrk threads (default 2), WRK_CONNECTIONS (default 32)
#   SEARCH         the search term of scenario (a) (default "react")
#   KEEP_NODE_MODULES=1  skip `npm ci` when bench/http/node/node_modules exists
#   DB_POOL        passed to both servers (bloglist's default 16, Sequelize's 5)
#   BENCH_PG_MALLOC=default  PostgreSQL with glibc's own malloc trimming (see below)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

BLOGLIST_BIN=${BLOGLIST_BIN:-build/bin/bloglist}
DURATION=${DURATION:-10s}
WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
SEARCH=${SEARCH:-react}
PASSWORD=benchpass
CHOSEN_USER=2  # seed.js gives this user exactly 100 readings

die() { echo "bench_http: $*" >&2; exit 1; }
[[ -x "$BLOGLIST_BIN" ]] || die "no bloglist binary at $BLOGLIST_BIN; build it first (cmake --build build --target bloglist) or set BLOGLIST_BIN"
BLOGLIST_BIN=$(realpath "$BLOGLIST_BIN")
for tool in wrk node npm psql curl; do
  command -v "$tool" >/dev/null || die "$tool not found (wrk: apt-get install wrk; node/npm: Node 18+)"
done

work=$(mktemp -d --suffix=-junction-bench-http)
pgdir=$(mktemp -d --suffix=-junction-bench-http-pg)
bloglist_pid=""
express_pid=""

stop_pid() {  # stop one server we started, by its pid
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$bloglist_pid"
  stop_pid "$express_pid"
  ./scripts/pg.sh stop "$pgdir" || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# wait_ready LOG PID NAME: the readiness line's URL, or fail with the log
wait_ready() {
  local log=$1 pid=$2 name=$3 url=""
  for _ in $(seq 600); do
    url=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$log" 2>/dev/null | head -n 1 | sed 's/^listening on //') || true
    [[ -n "$url" ]] && { echo "$url"; return 0; }
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "$name exited before it was ready"; }
    sleep 0.1
  done
  cat "$log" >&2
  die "$name not ready after 60 s"
}

echo "== PostgreSQL"
# glibc returns the top of a backend's heap to the kernel whenever more than
# trim_threshold (128 KiB until a large mmapped block is freed) lies free
# there, which is the case after every query that sorts or hashes: the next
# query page-faults the memory back in, 5-6 faults per request here, and
# PostgreSQL's CPU per search doubled (0.33 -> 0.75 ms). Whether a backend
# is in that state depended on the postmaster's malloc history (a
# configuration reload cured it), so runs differed by 2x for no reason in
# either server. A fixed 64 MiB threshold takes that out of the comparison,
# for both servers alike. BENCH_PG_MALLOC=default measures without it.
if [[ ${BENCH_PG_MALLOC:-fixed} == default ]]; then
  pg_url=$(./scripts/pg.sh start "$pgdir")
else
  pg_url=$(GLIBC_TUNABLES=glibc.malloc.trim_threshold=67108864 ./scripts/pg.sh start "$pgdir")
fi
db_url=${pg_url%/*}/bloglist_bench
psql "$pg_url" -qXc "CREATE DATABASE bloglist_bench"
echo "$db_url"

export SECRET=bench-http-secret LOG_LEVEL=warn DATA_DIR=$work/data
mkdir -p "$DATA_DIR"

echo "== bloglist: migrate, first user through the API (its password hash is copied to the others)"
DATABASE_URL=$db_url PORT=0 "$BLOGLIST_BIN" >"$work/bloglist-migrate.log" 2>&1 &
bloglist_pid=$!
bl_url=$(wait_ready "$work/bloglist-migrate.log" "$bloglist_pid" bloglist)
status=$(curl -s -o "$work/user1.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"username\":\"user1@bench.example\",\"name\":\"Arto Luukkainen\",\"password\":\"$PASSWORD\"}" "$bl_url/api/users")
[[ $status == 201 ]] || { cat "$work/user1.json" >&2; die "POST /api/users answered $status"; }
stop_pid "$bloglist_pid"; bloglist_pid=""

echo "== npm ci (bench/http/node)"
if [[ ${KEEP_NODE_MODULES:-0} == 1 && -d bench/http/node/node_modules ]]; then
  echo "kept existing node_modules"
else
  (cd bench/http/node && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== seed"
DATABASE_URL=$db_url BENCH_PASSWORD=$PASSWORD node bench/http/node/seed.js
# As pgbench does before it times anything: the rows were just inserted, so
# the trigram indexes' GIN pending lists still hold every entry (each search
# scanned them linearly: 2.2 ms instead of 0.4) and the planner has no
# statistics. Autovacuum would get there within a minute; do it now, for
# both servers alike. The checkpoint writes the seed's dirty pages now, not
# during the first scenario (the checkpointer's CPU counts as PostgreSQL's).
psql "$db_url" -qXc "VACUUM ANALYZE" -c "CHECKPOINT"
hash_head=$(psql "$db_url" -AtXc "SELECT substr(password_hash, 1, 30) FROM users WHERE id = 1")
echo "password hash (bloglist's, all users): $hash_head..."

echo "== start both servers"
DATABASE_URL=$db_url PORT=0 "$BLOGLIST_BIN" >"$work/bloglist.log" 2>&1 &
bloglist_pid=$!
(cd bench/http/node && DATABASE_URL=$db_url PORT=0 NODE_ENV=production exec node app.js) >"$work/express.log" 2>&1 &
express_pid=$!
bl_url=$(wait_ready "$work/bloglist.log" "$bloglist_pid" bloglist)
ex_url=$(wait_ready "$work/express.log" "$express_pid" express)
echo "bloglist $bl_url (pid $bloglist_pid), express $ex_url (pid $express_pid)"

path_a="/api/blogs?search=$SEARCH"
path_b="/api/users/$CHOSEN_USER"
path_c="/api/authors"

echo "== same answers?"
node bench/http/node/compare.js "$bl_url" "$ex_url" "$path_a" "$path_b" "$path_c" \
  || die "bloglist and express disagree; not timing different work"

export BENCH_WRK_DIR=$root/bench/http/wrk
export BENCH_LOGIN_DATA=$work/login_users.lua
wrk_opts=(-t"$WRK_THREADS" -c"$WRK_CONNECTIONS" --timeout 30s --latency)

# Scenario (d)'s users: one per wrk thread (ids 3, 4, ...), each with its own
# reading-list rows and their current `read` values; sessions emptied so both
# servers start from the same table.
login_setup() {
  psql "$db_url" -qXc "DELETE FROM sessions"
  psql "$db_url" -AtX -F' ' -c "
    SELECT u.username, string_agg(r.id || ':' || r.read, ',' ORDER BY r.id)
    FROM readinglists r JOIN users u ON u.id = r.user_id
    WHERE r.user_id BETWEEN 3 AND $((2 + WRK_THREADS))
    GROUP BY u.id, u.username ORDER BY u.id" |
  awk -v pw="$PASSWORD" '
    BEGIN { print "return {" }
    {
      printf "  { username = \"%s\", password = \"%s\", rows = {", $1, pw
      n = split($2, a, ",")
      for (i = 1; i <= n; i++) { split(a[i], b, ":"); printf "{id=%s,read=%s},", b[1], (b[2] == "t" ? "true" : "false") }
      print "} },"
    }
    END { print "}" }' >"$BENCH_LOGIN_DATA"
}

warm_login() {
  for url in "$bl_url" "$ex_url"; do
    login_setup
    wrk "${wrk_opts[@]}" -d3s -s "$BENCH_WRK_DIR/login_put.lua" "$url" >/dev/null
  done
}

echo "== warm-up (read routes)"
for url in "$bl_url" "$ex_url"; do
  for p in "$path_a" "$path_b" "$path_c"; do
    wrk "${wrk_opts[@]}" -d3s -s "$BENCH_WRK_DIR/report.lua" "$url$p" >/dev/null
  done
done

# run_wrk NAME SCENARIO URL: full wrk output kept in $work; BENCH line parsed
declare -A rps p50 p99 errs cpu pgcpu pid_of=([bloglist]=$bloglist_pid [express]=$express_pid)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime, all threads
pg_ticks() {  # the whole cluster: live backends, plus the reaped ones via the postmaster
  local pm
  pm=$(head -n 1 "$pgdir/data/postmaster.pid")
  { cat "/proc/$pm/stat"; for c in $(ps --ppid "$pm" -o pid=); do cat "/proc/$c/stat" 2>/dev/null || true; done; } |
    awk -v pm="$pm" '{ t += $14 + $15; if ($1 == pm) t += $16 + $17 } END { print t }'
}
run_wrk() {
  local server=$1 scenario=$2 url=$3 out=$work/wrk-$1-$2.txt
  local ticks0 pg0
  [[ $scenario == d ]] && login_setup
  ticks0=$(cpu_ticks "${pid_of[$server]}")
  pg0=$(pg_ticks)
  if [[ $scenario == d ]]; then
    wrk "${wrk_opts[@]}" -d"$DURATION" -s "$BENCH_WRK_DIR/login_put.lua" "$url" >"$out"
  else
    wrk "${wrk_opts[@]}" -d"$DURATION" -s "$BENCH_WRK_DIR/report.lua" "$url" >"$out"
  fi
  local ticks1 pg1 line
  kill -0 "${pid_of[$server]}" 2>/dev/null || { tail -n 20 "$work/$server.log" >&2; die "$server died during scenario $scenario"; }
  ticks1=$(cpu_ticks "${pid_of[$server]}")
  pg1=$(pg_ticks)
  line=$(grep '^BENCH ' "$out") || { cat "$out" >&2; die "no result from wrk ($server, $scenario)"; }
  field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  rps[$server$scenario]=$(field rps)
  p50[$server$scenario]=$(awk -v u="$(field p50_us)" 'BEGIN { printf "%.2f", u / 1000 }')
  p99[$server$scenario]=$(awk -v u="$(field p99_us)" 'BEGIN { printf "%.2f", u / 1000 }')
  # the server's own CPU time (not PostgreSQL's) per request, in ms
  cpu[$server$scenario]=$(awk -v t=$((ticks1 - ticks0)) -v hz="$(getconf CLK_TCK)" -v n="$(field requests)" \
    'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "n/a" }')
  pgcpu[$server$scenario]=$(awk -v t=$((pg1 - pg0)) -v hz="$(getconf CLK_TCK)" -v n="$(field requests)" \
    'BEGIN { if (n > 0) printf "%.3f", t * 1000 / hz / n; else print "n/a" }')
  errs[$server$scenario]=$(( $(field err_connect) + $(field err_read) + $(field err_write) + $(field err_status) + $(field err_timeout) ))
  printf '  %-8s %s: %s req/s, p50 %s ms, p99 %s ms, CPU ms/req: server %s, PostgreSQL %s; errors %s\n' "$server" "$scenario" \
    "${rps[$server$scenario]}" "${p50[$server$scenario]}" "${p99[$server$scenario]}" "${cpu[$server$scenario]}" \
    "${pgcpu[$server$scenario]}" "${errs[$server$scenario]}"
}

declare -A label=(
  [a]="GET $path_a"
  [b]="GET $path_b (100 readings)"
  [c]="GET $path_c"
  [d]="POST /api/login + PUT /api/readinglists/:id"
)
echo "== load: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION per scenario and server (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
hwm() { awk '/^VmHWM/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
for s in a b c d; do
  case $s in
    a) p=$path_a ;; b) p=$path_b ;; c) p=$path_c ;;
    d) # peak memory of the read routes alone, before any password hashing
       bl_hwm_read=$(hwm "$bloglist_pid"); ex_hwm_read=$(hwm "$express_pid")
       echo "  (warm-up of login + PUT)"; warm_login; p="" ;;
  esac
  run_wrk bloglist "$s" "$bl_url$p"
  run_wrk express "$s" "$ex_url$p"
done
bl_hwm=$(hwm "$bloglist_pid")
ex_hwm=$(hwm "$express_pid")

echo
echo "## bloglist vs Express + Sequelize, $(date -u +%Y-%m-%d), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| scenario | bloglist req/s | p50 ms | p99 ms | express req/s | p50 ms | p99 ms | ratio |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
bad=0
for s in a b c d; do
  ratio=$(awk -v a="${rps[bloglist$s]}" -v b="${rps[express$s]}" 'BEGIN { if (b > 0) printf "%.1f×", a / b; else print "n/a" }')
  printf '| (%s) %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "${label[$s]}" \
    "${rps[bloglist$s]}" "${p50[bloglist$s]}" "${p99[bloglist$s]}" \
    "${rps[express$s]}" "${p50[express$s]}" "${p99[express$s]}" "$ratio"
  if (( errs[bloglist$s] + errs[express$s] > 0 )); then bad=1; fi
done
echo
echo "Peak RSS (VmHWM) at the end: bloglist $bl_hwm MiB, express $ex_hwm MiB;"
echo "after (a)-(c), before any login: bloglist $bl_hwm_read MiB, express $ex_hwm_read MiB."
echo
echo "| CPU ms per request | (a) | (b) | (c) | (d) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for server in bloglist express; do
  printf '| %s process | %s | %s | %s | %s |\n' "$server" "${cpu[${server}a]}" "${cpu[${server}b]}" "${cpu[${server}c]}" "${cpu[${server}d]}"
  printf '| PostgreSQL, serving %s | %s | %s | %s | %s |\n' "$server" "${pgcpu[${server}a]}" "${pgcpu[${server}b]}" "${pgcpu[${server}c]}" "${pgcpu[${server}d]}"
done
if (( bad )); then
  echo
  echo "WARNING: some requests failed (socket errors, timeouts or non-2xx):"
  for s in a b c d; do
    for server in bloglist express; do
      if (( errs[$server$s] > 0 )); then
        echo "  $server ($s): ${errs[$server$s]}"
        grep -E 'Non-2xx|Socket errors' "$work/wrk-$server-$s.txt" | sed 's/^/    /' || true
      fi
    done
  done
fi

stop_pid "$bloglist_pid"; bloglist_pid=""
stop_pid "$express_pid"; express_pid=""
