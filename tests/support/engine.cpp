#include "support/engine.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "junction/dialects.hpp"
#include "junction/errors.hpp"

namespace junction::test {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string uniqueSuffix() {
  static std::atomic<int> counter{0};
  std::random_device rd;
  return std::to_string(::getpid()) + "_" + std::to_string(rd() % 100000) + "_" +
         std::to_string(counter++);
}

std::mutex mu;
std::vector<std::string> sqliteFiles;
std::vector<std::string> pgSchemas;

void cleanup() {
  std::lock_guard lock(mu);
  for (const auto& f : sqliteFiles) {
    std::error_code ec;
    for (const char* ext : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(f + ext, ec);
  }
  if (!pgSchemas.empty()) {
    try {
      auto conn = openConnection(serverUrl());
      for (const auto& s : pgSchemas) conn->execute("DROP SCHEMA IF EXISTS \"" + s + "\" CASCADE");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "test cleanup: %s\n", e.what());
    }
  }
}

void registerCleanup() {
  static std::once_flag once;
  std::call_once(once, [] { std::atexit(cleanup); });
}

}  // namespace

const std::string& engine() {
  static const std::string e = [] {
    std::string v = env("JUNCTION_TEST_ENGINE");
    return v.empty() ? std::string("sqlite") : v;
  }();
  return e;
}

bool isPostgres() { return engine() == "postgres"; }

const std::string& serverUrl() {
  static const std::string url = isPostgres() ? env("JUNCTION_TEST_POSTGRES_URL") : "";
  return url;
}

std::string freshDatabaseUrl() {
  registerCleanup();
  if (isPostgres()) {
    std::string schema = "jt_" + uniqueSuffix();
    {
      auto conn = openConnection(serverUrl());
      conn->execute("CREATE SCHEMA \"" + schema + "\"");
    }
    std::lock_guard lock(mu);
    pgSchemas.push_back(schema);
    const std::string& base = serverUrl();
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema;
  }
  auto path = (std::filesystem::temp_directory_path() / ("junction-test-" + uniqueSuffix() + ".db"))
                  .string();
  std::lock_guard lock(mu);
  sqliteFiles.push_back(path);
  return "sqlite://" + path;
}

const std::string& databaseUrl() {
  static const std::string url = freshDatabaseUrl();
  return url;
}

}  // namespace junction::test
