#!/usr/bin/env bash
# `make run`: serve bloglist on 127.0.0.1:3001 from data/bloglist.db. It
# applies its pending migrations at start-up (MIGRATE=off skips that).
# DATABASE_URL=postgres://... runs the same binary on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
export DATA_DIR="${DATA_DIR:-data}"
export DATABASE_URL="${DATABASE_URL:-sqlite://data/bloglist.db}"
exec ./build/bin/bloglist
