#include "bench_util.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace junction::bench {

double Series::median() const {
  std::vector<double> v = ms;
  std::sort(v.begin(), v.end());
  if (v.empty()) return 0;
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

std::vector<Series> interleaved(
    const std::vector<std::pair<std::string, std::function<void()>>>& fns, int rounds, int warmup) {
  std::vector<Series> out;
  for (const auto& [name, fn] : fns) out.push_back({name, {}});
  for (int r = 0; r < warmup; ++r)
    for (const auto& [name, fn] : fns) fn();
  for (int r = 0; r < rounds; ++r) {
    for (std::size_t i = 0; i < fns.size(); ++i) {
      auto t0 = std::chrono::steady_clock::now();
      fns[i].second();
      auto t1 = std::chrono::steady_clock::now();
      out[i].ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
  }
  return out;
}

void report(const char* engine, const std::vector<Series>& s, double target) {
  double a = s.at(0).median(), b = s.at(1).median();
  for (const auto& x : s)
    std::printf("%-9s %-34s median %8.3f ms\n", engine, x.name.c_str(), x.median());
  std::printf("%-9s ratio ORM/raw %.2fx  (target <= %.2fx)\n\n", engine, a / b, target);
}

std::string postgresUrl() {
  for (const char* name : {"JUNCTION_BENCH_POSTGRES_URL", "JUNCTION_TEST_POSTGRES_URL"}) {
    const char* v = std::getenv(name);
    if (v && *v) return v;
  }
  return "";
}

std::string postgresUrlOrSkip() {
  std::string url = postgresUrl();
  if (url.empty())
    std::printf(
        "postgres  skipped: set JUNCTION_BENCH_POSTGRES_URL (make bench starts a cluster)\n");
  return url;
}

std::string libpqUrl(const std::string& url, std::string& schema) {
  schema.clear();
  std::size_t q = url.find('?');
  if (q == std::string::npos) return url;
  std::string kept;
  for (std::size_t pos = q + 1; pos <= url.size();) {
    std::size_t end = std::min(url.find('&', pos), url.size());
    std::string param = url.substr(pos, end - pos);
    if (param.rfind("schema=", 0) == 0)
      schema = param.substr(7);
    else if (!param.empty())
      kept += (kept.empty() ? "?" : "&") + param;
    pos = end + 1;
  }
  return url.substr(0, q) + kept;
}

}  // namespace junction::bench
