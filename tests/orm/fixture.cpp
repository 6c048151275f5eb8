#include "fixture.hpp"

#include <algorithm>
#include <regex>

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

Json jsonOf(const std::vector<Instance>& rows) {
  Json a = Json::array();
  for (const auto& r : rows) a.push_back(r.toJSON());
  // Every tree a test looks at also checks the text writer against it.
  EXPECT_EQ(toJSONString(rows), a.dump(-1, ' ', false, Json::error_handler_t::replace))
      << "Instance::writeJSON disagrees with toJSON().dump()";
  return a;
}

bool isIsoTimestamp(const Json& v) {
  static const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");
  return v.is_string() && std::regex_match(v.get<std::string>(), iso);
}

Json withoutTimes(Json j, const std::vector<std::string>& keys) {
  if (j.is_array()) {
    for (auto& e : j) e = withoutTimes(std::move(e), keys);
  } else if (j.is_object()) {
    for (auto& [k, v] : j.items()) {
      bool timestamp = std::find(keys.begin(), keys.end(), k) != keys.end() && isIsoTimestamp(v);
      v = timestamp ? Json("<ts>") : withoutTimes(std::move(v), keys);
    }
  }
  return j;
}

}  // namespace junction::test
