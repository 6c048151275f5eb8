#!/usr/bin/env bash
# `make bench`: run the benchmark programs against SQLite and a throwaway
# PostgreSQL cluster. Figures are medians of interleaved runs; quote ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
pgdir=$(mktemp -d --suffix=-junction-bench-pg)
trap './scripts/pg.sh stop "$pgdir"' EXIT INT TERM
if [[ -z "${JUNCTION_BENCH_POSTGRES_URL:-}" ]]; then
  JUNCTION_BENCH_POSTGRES_URL=$(./scripts/pg.sh start "$pgdir")
  export JUNCTION_BENCH_POSTGRES_URL
fi
./build/bin/bench_hydration "${ROUNDS:-30}"
./build/bin/bench_associations "${ROUNDS:-30}"
./build/bin/bench_joined "${ROUNDS:-30}"
