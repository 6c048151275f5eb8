#!/usr/bin/env bash
# `make test-sanitize`: the whole suite, both engines, built with
# AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/, clang; the
# same tree `make fuzz` uses); then, unless TSAN=0, the concurrent tests
# built with ThreadSanitizer (build-tsan/, g++). Any report fails the run
# (halt_on_error / abort_on_error).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
./scripts/instrumented_build.sh
BUILD_DIR=build-asan ./scripts/test.sh "$@"

if [[ ${TSAN:-1} == 1 ]]; then
  export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
  [[ -f build-tsan/build.ninja ]] ||
    cmake -S . -B build-tsan -G Ninja -DJUNCTION_SANITIZE=thread -DJUNCTION_BUILD_BENCH=OFF
  cmake --build build-tsan -j"${JOBS:-2}"
  # The tests that run threads against shared state: the pool, the
  # migrator's concurrent runs, the server's event loops and password-hash
  # slots, prepared-statement caches, transactions across threads.
  BUILD_DIR=build-tsan ./scripts/test.sh \
    -R 'Pool|pool|Concurren|Thread|thread|Parallel|parallel|Fifo|Slots|Prepared|Cache|Migrator' "$@"
fi
