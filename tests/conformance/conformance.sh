#!/usr/bin/env bash
# ctest's entry to the conformance suite.
#   conformance.sh setup DIR           npm ci of the pinned packages into DIR
#   conformance.sh ENGINE DIR BIN_DIR  run.js on sqlite or postgres
# Without node/npm the suite reports SKIPPED (77); under CI=true it fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
what=$1 dir=$(realpath -m "$2")

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    if [[ "${CI:-}" == "true" ]]; then
      echo "conformance: $tool not found; it is required under CI (scripts/deps.sh installs it)" >&2
      exit 1
    fi
    echo "conformance: SKIPPED: $tool not found (apt-get install nodejs npm)"
    exit 77
  fi
done

if [[ $what == setup ]]; then
  mkdir -p "$dir"
  # Reinstall only when the lockfile changed.
  if [[ -d $dir/node_modules ]] && cmp -s "$here/package-lock.json" "$dir/installed-lock.json"; then
    echo "conformance: packages up to date in $dir"
    exit 0
  fi
  cp "$here/package.json" "$here/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  node -e "require('$dir/node_modules/sequelize'); require('$dir/node_modules/pg'); require('$dir/node_modules/sqlite3')"
  cp "$here/package-lock.json" "$dir/installed-lock.json"
  echo "conformance: installed $(node -p "require('$dir/node_modules/sequelize/package.json').version") of sequelize in $dir"
  exit 0
fi

NODE_PATH="$dir/node_modules" exec node "$here/run.js" --engine "$what" --bin "$3"
