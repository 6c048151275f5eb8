// DESIGN.md's layer rule, proven by the linker: this program is linked from
// the objects of every layer but the orm (tests/layers/CMakeLists.txt), so it
// only builds while migrate needs nothing of the orm. It also runs: a
// migration with schema Columns, applied and undone on SQLite.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "junction/migrate/migrator.hpp"
#include "junction/migrate/query_interface.hpp"
#include "junction/schema/column.hpp"

using namespace junction;
using namespace junction::migrate;

namespace {

Column typed(sql::ColumnType::Kind k) {
  sql::ColumnType t;
  t.kind = k;
  return Column(t);
}

int fail(const char* what) {
  std::fprintf(stderr, "migrate_without_orm: %s\n", what);
  return 1;
}

}  // namespace

int main() {
  using K = sql::ColumnType::Kind;
  const auto file = std::filesystem::temp_directory_path() /
                    ("junction-layers-" + std::to_string(::getpid()) + ".db");
  const std::string url = "sqlite://" + file.string();
  int rc = 0;
  {
    Migration notes{"20240101_00_notes",
                    [&](QueryInterface& qi) {
                      qi.createTable("notes",
                                     {{"id", typed(K::Integer).primaryKey().autoIncrement()},
                                      {"content", typed(K::Text).allowNull(false)}});
                    },
                    [](QueryInterface& qi) { qi.dropTable("notes"); }};
    Migrator migrator(url, {notes});
    if (migrator.up().size() != 1) rc = fail("the migration did not apply");
    if (migrator.down().size() != 1) rc = fail("the migration did not undo");
  }
  std::filesystem::remove(file);
  return rc;
}
