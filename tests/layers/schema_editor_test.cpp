// The schema-editor registry: the QueryInterface asks the editor its
// connection's dialect registered (src/dialects/builtin.cpp), never the
// engine's name, so an engine is its folder plus its registration.
#include <gtest/gtest.h>

#include "dialects/sqlite/schema_editor.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/migrate/query_interface.hpp"
#include "schema/editor.hpp"

using namespace junction;

namespace {

// A dialect no engine registered.
class UnregisteredDialect final : public sql::Dialect {
 public:
  std::string_view name() const noexcept override { return "nowhere"; }
  const sql::Capabilities& capabilities() const noexcept override { return caps_; }
  void placeholder(std::string& out, std::size_t) const override { out += '?'; }
  std::string columnType(const sql::ColumnType&) const override { return "TEXT"; }
  std::string renderLiteral(const Value&) const override { return "NULL"; }

 private:
  sql::Capabilities caps_;
};

// Answers showAllTables itself and records the change it was handed.
class RecordingEditor final : public schema::SchemaEditor {
 public:
  mutable std::vector<std::string> calls;
  std::vector<std::string> showAllTables(schema::SchemaSession&) const override {
    return {"from-the-registered-editor"};
  }
  TableDescription describeTable(schema::SchemaSession&, const std::string& t) const override {
    return {.name = t};
  }
  void changeColumn(schema::SchemaSession& s, const std::string& table, const std::string& column,
                    const sql::ColumnDef&) const override {
    calls.push_back(std::string(s.dialect().name()) + " changeColumn " + table + "." + column);
  }
  void removeConstraint(schema::SchemaSession&, const std::string&,
                        const std::string&) const override {}
};

}  // namespace

TEST(SchemaEditorRegistry, EachBuiltinEngineRegistersItsEditor) {
  registerBuiltinDialects();
  EXPECT_EQ(&schema::schemaEditorFor(sqliteDialect()), &sqlite::schemaEditor());
  EXPECT_NE(&schema::schemaEditorFor(postgresDialect()), &sqlite::schemaEditor());
}

TEST(SchemaEditorRegistry, ADialectWithoutAnEditorIsAClearError) {
  UnregisteredDialect d;
  try {
    schema::schemaEditorFor(d);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("no schema editor is registered for the nowhere dialect"),
              std::string::npos)
        << e.what();
  }
}

TEST(SchemaEditorRegistry, TheQueryInterfaceUsesTheRegisteredEditor) {
  auto conn = openConnection("sqlite::memory:");
  RecordingEditor recording;
  schema::registerSchemaEditor(conn->dialect(), recording);
  migrate::QueryInterface qi(*conn);
  EXPECT_EQ(qi.showAllTables(), std::vector<std::string>{"from-the-registered-editor"});
  qi.changeColumn("t", "c", Column(sql::ColumnType{sql::ColumnType::Kind::Integer}));
  EXPECT_EQ(recording.calls, std::vector<std::string>{"sqlite changeColumn t.c"});
  schema::registerSchemaEditor(conn->dialect(), sqlite::schemaEditor());
  EXPECT_TRUE(qi.showAllTables().empty()) << "the SQLite editor reads sqlite_master again";
}
