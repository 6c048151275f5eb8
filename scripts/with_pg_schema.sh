#!/usr/bin/env bash
# Runs "$@ URL" against a fresh schema of the test cluster
# (JUNCTION_TEST_POSTGRES_URL), dropping the schema afterwards. Exit 77
# (skip) without a cluster, unless CI=true, where that is a failure.
set -euo pipefail
if [[ -z "${JUNCTION_TEST_POSTGRES_URL:-}" ]]; then
  if [[ "${CI:-}" == "true" ]]; then echo "FAIL: CI=true but JUNCTION_TEST_POSTGRES_URL is not set" >&2; exit 1; fi
  echo "SKIPPED: JUNCTION_TEST_POSTGRES_URL is not set" >&2; exit 77
fi
schema="jx_$$_$RANDOM"
psql -q -X "$JUNCTION_TEST_POSTGRES_URL" -c "CREATE SCHEMA $schema" >/dev/null
trap 'psql -q -X "$JUNCTION_TEST_POSTGRES_URL" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null' EXIT
sep='?'; [[ "$JUNCTION_TEST_POSTGRES_URL" == *\?* ]] && sep='&'
"$@" "${JUNCTION_TEST_POSTGRES_URL}${sep}schema=${schema}"
