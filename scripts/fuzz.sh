#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets of fuzz/ (build-asan/, clang,
# the tree `make test-sanitize` shares) and runs each for FUZZ_SECONDS
# (default 60) from its seed corpus in fuzz/corpus/<target>/ (the corpus
# grows in build-asan/fuzz/corpus/, never in the repository). Prints
# executions and findings per target; a crash, leak, timeout or
# out-of-memory input is saved in build-asan/fuzz/findings/<target>/ and
# fails the run. Add a finding to fuzz/corpus/<target>/ once fixed: the
# regression test replays every corpus input (ctest fuzz.replay.*).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
seconds=${FUZZ_SECONDS:-60}
targets=(replacements url http_request options)
./scripts/instrumented_build.sh "${targets[@]/#/fuzz_}"
work=build-asan/fuzz

failed=0
for t in "${targets[@]}"; do
  corpus=$work/corpus/$t findings=$work/findings/$t
  mkdir -p "$corpus" "$findings"
  cp -n fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null || true
  log=$work/$t.log
  touch "$work/$t.started"  # findings newer than this are this run's
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    build-asan/bin/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  found=$(find "$findings" -type f -newer "$work/$t.started" | wc -l)
  printf 'fuzz %-14s %10s executions in %ss, corpus %s inputs, %s finding(s)\n' \
    "$t" "${runs:-?}" "$seconds" "$(ls "$corpus" | wc -l)" "$found"
  if (( rc != 0 || found > 0 )); then
    failed=1
    tail -n 40 "$log" >&2
  fi
done
exit $failed
