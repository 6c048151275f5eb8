// Time to apply (and undo) 200 generated migrations on each engine, through
// the Migrator with its lock, one transaction per migration and its storage
// row. Each migration creates a table, adds a column and an index, as a
// typical schema step does.
//
//   build/bin/bench_migrate_200            SQLite temp file; PostgreSQL when
//                                          JUNCTION_BENCH_POSTGRES_URL or
//                                          JUNCTION_TEST_POSTGRES_URL is set
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "bench_util.hpp"
#include "junction/data_types.hpp"
#include "junction/dialects.hpp"
#include "junction/migrate/migrator.hpp"
#include "junction/migrate/query_interface.hpp"

using namespace junction;
using namespace junction::DataTypes;
using namespace junction::migrate;

namespace {

constexpr int kMigrations = 200;

MigrationRegistry generated() {
  MigrationRegistry r;
  for (int i = 0; i < kMigrations; ++i) {
    std::string table = fmt::format("bench_t{:03}", i);
    r.add(
        fmt::format("20240101{:06}_create_{}", i, table),
        [table](QueryInterface& queryInterface) {
          queryInterface.createTable(table, {
                                                {"id", INTEGER.primaryKey().autoIncrement()},
                                                {"name", STRING.allowNull(false)},
                                            });
          queryInterface.addColumn(table, "score", INTEGER.defaultValue(0));
          queryInterface.addIndex(table, {"name"});
        },
        [table](QueryInterface& queryInterface) { queryInterface.dropTable(table); });
  }
  return r;
}

void run(const std::string& label, const std::string& url) {
  auto registry = generated();
  Migrator migrator(url, registry.migrations());
  auto t0 = std::chrono::steady_clock::now();
  auto up = migrator.up();
  auto t1 = std::chrono::steady_clock::now();
  auto down = migrator.down({.all = true});
  auto t2 = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("%-10s up %zu migrations: %8.1f ms (%.2f ms each)   down all: %8.1f ms\n",
              label.c_str(), up.size(), ms(t1 - t0), ms(t1 - t0) / kMigrations, ms(t2 - t1));
  if (up.size() != kMigrations || down.size() != kMigrations)
    throw Error("bench: not every migration ran");
}

}  // namespace

int main() {
  try {
    auto path = std::filesystem::temp_directory_path() /
                fmt::format("junction-bench-migrate-{}.db", ::getpid());
    run("sqlite", "sqlite://" + path.string());
    for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + ext);

    std::string pg = bench::postgresUrl();
    if (pg.empty()) {
      std::printf("postgres   skipped (set JUNCTION_BENCH_POSTGRES_URL)\n");
      return 0;
    }
    std::string schema = fmt::format("bench_migrate_{}", ::getpid());
    auto admin = openConnection(pg);
    admin->execute("CREATE SCHEMA " + schema);
    try {
      run("postgres", pg + (pg.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema);
    } catch (...) {
      admin->execute("DROP SCHEMA " + schema + " CASCADE");
      throw;
    }
    admin->execute("DROP SCHEMA " + schema + " CASCADE");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_migrate_200: %s\n", e.what());
    return 1;
  }
  return 0;
}
