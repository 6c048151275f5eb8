#!/usr/bin/env bash
# `make run`: until apps/bloglist exists, run the example program on a SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p data
exec ./build/bin/example_blog "${DATABASE_URL:-sqlite://data/example.db}"
