#!/usr/bin/env bash
# `make test`: start a throwaway PostgreSQL cluster, run every test on SQLite
# and PostgreSQL, stop the cluster whatever happens.
# Under CI=true a cluster that does not start is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}

pgdir=$(mktemp -d --suffix=-junction-pg)
cleanup() { ./scripts/pg.sh stop "$pgdir"; }
trap cleanup EXIT INT TERM

if url=$(./scripts/pg.sh start "$pgdir"); then
  export JUNCTION_TEST_POSTGRES_URL="$url"
  echo "test: PostgreSQL cluster at $url"
else
  if [[ "${CI:-}" == "true" ]]; then
    echo "test: FAILED to start PostgreSQL under CI" >&2
    exit 1
  fi
  echo "test: WARNING: PostgreSQL did not start; the postgres tests will report SKIPPED" >&2
fi

ctest --test-dir "$BUILD_DIR" --output-on-failure -j "${JOBS:-2}" "$@"
