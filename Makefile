# The two set-up commands of the README: `make run` and `make test`.
# Everything else here is a step they share.

BUILD_DIR ?= build
JOBS      ?= 2
CMAKE_ARGS ?=

.PHONY: run test test-sanitize fuzz deps build configure clean bench bench-http install-test

# Only what the server needs: no tests, no benchmarks.
run: configure
	cmake --build $(BUILD_DIR) -j$(JOBS) --target bloglist
	./scripts/run.sh

test: build
	./scripts/test.sh

# The suite under AddressSanitizer + UBSan, then ThreadSanitizer (TSAN=0: skip).
test-sanitize:
	./scripts/test_sanitize.sh

# The libFuzzer targets, each for FUZZ_SECONDS (default 60).
fuzz:
	./scripts/fuzz.sh

deps:
	./scripts/deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja $(CMAKE_ARGS); fi

build: configure
	cmake --build $(BUILD_DIR) -j$(JOBS)

bench: build
	./scripts/bench.sh

# Express + Sequelize against bloglist, with wrk (installs both from Debian/npm).
bench-http: build
	./scripts/bench_http.sh

clean:
	rm -rf $(BUILD_DIR)
