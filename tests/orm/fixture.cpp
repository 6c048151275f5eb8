#include "fixture.hpp"

namespace junction::test {

using namespace junction::DataTypes;

void OrmTest::SetUp() {
  db = std::make_unique<Database>(
      databaseUrl(),
            // Pool tests log from several threads at once.
      DatabaseOptions{.logging = [this](const QueryEvent& e) {
        std::lock_guard lock(logMutex);
        log.emplace_back(e.sql);
      }});
  User = &db->define("user",
                     {
                         {"id", INTEGER.primaryKey().autoIncrement()},
                         {"username", STRING.unique().allowNull(false).validate(isEmail())},
                         {"name", STRING.allowNull(false)},
                         {"admin", BOOLEAN.defaultValue(false)},
                         {"disabled", BOOLEAN.defaultValue(false)},
                     },
                     {.underscored = true});
  Blog = &db->define("blog",
                     {
                         {"id", INTEGER.primaryKey().autoIncrement()},
                         {"author", TEXT},
                         {"url", TEXT.allowNull(false)},
                         {"title", TEXT.allowNull(false)},
                         {"likes", INTEGER.defaultValue(0)},
                         {"year", INTEGER.validate({min(1991), max(2026)})},
                         {"userId", INTEGER.references("users", "id")},
                     },
                     {.underscored = true});
  db->sync({.force = true});
  clearLog();
}

void OrmTest::TearDown() {
  if (db) db->drop();
  db.reset();
}

}  // namespace junction::test
