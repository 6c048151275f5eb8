#!/usr/bin/env bash
# The instrumented tree that `make test-sanitize` and `make fuzz` share
# (build-asan/): clang, everything — library, server, tests and the fuzz
# targets — built with AddressSanitizer, UBSan and libFuzzer's coverage
# hooks, at -O1 -g1. One cold build serves both (docs/testing.md).
# Arguments: the targets to build (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-asan
# A tree configured another way (g++, without the fuzz targets) starts over.
if [[ -f $dir/CMakeCache.txt ]] && ! grep -q '^JUNCTION_FUZZ:BOOL=ON' "$dir/CMakeCache.txt"; then
  rm -rf "$dir"
fi
if [[ ! -f $dir/build.ninja ]]; then
  # Warnings are the g++ build's job; clang's set differs and would only
  # stop this build.
  CC=clang CXX=clang++ cmake -S . -B "$dir" -G Ninja -DJUNCTION_SANITIZE=address,undefined \
    -DJUNCTION_FUZZ=ON -DJUNCTION_BUILD_BENCH=OFF -DJUNCTION_WERROR=OFF
fi
cmake --build "$dir" -j"${JOBS:-2}" ${1:+--target "$@"}
