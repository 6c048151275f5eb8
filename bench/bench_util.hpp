// Shared benchmark helpers: interleaved timing and medians, so ORM and raw
// runs see the same machine state and their ratio is measured in one run.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace junction::bench {

struct Series {
  std::string name;
  std::vector<double> ms;
  double median() const;
};

// Runs each function `rounds` times, round-robin, after `warmup` untimed rounds.
std::vector<Series> interleaved(
    const std::vector<std::pair<std::string, std::function<void()>>>& fns, int rounds, int warmup);

// Prints both series' medians and the ratio first / second against `target`.
void report(const char* engine, const std::vector<Series>& s, double target = 1.3);

// The PostgreSQL URL to benchmark against (JUNCTION_BENCH_POSTGRES_URL, then
// JUNCTION_TEST_POSTGRES_URL), or "" to skip PostgreSQL.
std::string postgresUrl();
// The same, printing the line that says PostgreSQL is skipped when it is "".
std::string postgresUrlOrSkip();

// `url` as libpq takes it: junction's `schema=` parameter (which libpq does
// not know) removed and returned in `schema` ("" when there is none).
std::string libpqUrl(const std::string& url, std::string& schema);

// `url` as libpq takes it: junction's `schema=` parameter (which libpq does
// not know) removed and returned in `schema` ("" when there is none).
std::string libpqUrl(const std::string& url, std::string& schema);

}  // namespace junction::bench
