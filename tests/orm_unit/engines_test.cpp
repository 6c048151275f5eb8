// Engines come from a registry keyed by URL scheme: a Database asks it for
// its dialect, and adding an engine is one registration (no database).
#include <gtest/gtest.h>

#include <memory>
#include <mutex>

#include "junction/dialects.hpp"
#include "junction/junction.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

// A third engine: numbered placeholders `:n`, and a connection that records
// what it is asked to run.
class TestDialect final : public sql::Dialect {
 public:
  std::string_view name() const noexcept override { return "testdb"; }
  const sql::Capabilities& capabilities() const noexcept override {
    static const sql::Capabilities caps{.maxParams = 100};
    return caps;
  }
  void placeholder(std::string& out, std::size_t index) const override {
    out += ':';
    out += std::to_string(index);
  }
  std::string columnType(const sql::ColumnType&) const override { return "ANY"; }
};
const TestDialect kTestDialect;

std::mutex logMutex;
std::vector<std::string> statements;

class RecordingConnection final : public Connection {
 public:
  const sql::Dialect& dialect() const noexcept override { return kTestDialect; }
  using Connection::query;
  ResultSet query(std::string_view sql, std::span<const Value>) override {
    std::lock_guard lock(logMutex);
    statements.emplace_back(sql);
    return {};
  }
  void execute(std::string_view script) override { query(script, {}); }
  bool isUsable() noexcept override { return true; }
  std::size_t cachedStatements() const noexcept override { return 0; }

 protected:
  void beginOutermost(IsolationLevel) override {}
};

TEST(Engines, TheBuiltinsAreRegisteredByScheme) {
  registerBuiltinDialects();
  EXPECT_EQ(&dialectFor("sqlite"), &sqliteDialect());
  EXPECT_EQ(&dialectFor("postgres"), &postgresDialect());
  EXPECT_EQ(&dialectFor("postgresql"), &postgresDialect());
  EXPECT_EQ(&Database("sqlite::memory:").dialect(), &sqliteDialect());
  EXPECT_EQ(&Database("postgres://u@localhost/db").dialect(), &postgresDialect());
  try {
    dialectFor("mysql");
    FAIL() << "an unknown scheme is an error";
  } catch (const InvalidUrlError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("\"mysql\""), std::string::npos) << m;
    EXPECT_NE(m.find("postgres"), std::string::npos) << "names the registered ones: " << m;
  }
  Database unknown("mysql://localhost/db");  // fails on use, not on construction
  EXPECT_THROW(unknown.dialect(), InvalidUrlError);
}

TEST(Engines, AnEngineIsOneRegistration) {
  registerEngine("testdb", kTestDialect,
                 [](const ConnectionUrl&) { return std::make_unique<RecordingConnection>(); });
  Database db("testdb://somewhere/app");
  EXPECT_EQ(&db.dialect(), &kTestDialect);
  auto& Note = db.define("note", {{"content", TEXT}}, {.timestamps = false});
  statements.clear();
  EXPECT_TRUE(Note.findAll({.where = {{"content", "x"}}, .limit = 2}).empty());
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0], R"(SELECT "note"."id", "note"."content" FROM "notes" AS "note" )"
                           R"(WHERE "note"."content" = :1 LIMIT :2)");
}

}  // namespace
