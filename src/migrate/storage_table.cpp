// The storage table: every statement is built as an sql:: statement and
// compiled for the connection's dialect, so the configurable table name is
// always quoted and the migration names always bound.
#include <fmt/format.h>

#include "junction/errors.hpp"
#include "junction/migrate/storage.hpp"
#include "junction/sql/compiler.hpp"

namespace junction::migrate {

namespace {

using sql::ColumnType;

sql::Compiled compileExists(const sql::Dialect& d, std::string_view table) {
  std::string text;
  if (d.capabilities().catalog == sql::Catalog::InformationSchema)
    text =
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name = ";
  else
    text = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ";
  d.placeholder(text, 1);
  return {std::move(text), {Value(std::string(table))}};
}

sql::Insert logStatement(const std::string& table, std::string_view name,
                         const std::optional<std::string>& checksum) {
  return sql::Insert{.table = table,
                     .columns = {"name", "applied_at", "checksum"},
                     .rows = {{sql::val(std::string(name)), sql::val(Timestamp::now()),
                               sql::val(checksum ? Value(*checksum) : Value())}}};
}

sql::Delete unlogStatement(const std::string& table, std::string_view name) {
  return sql::Delete{.table = table, .where = sql::col("name") == sql::val(std::string(name))};
}

std::string describe(const sql::Compiled& c) {
  std::string out = c.sql + ";";
  if (!c.params.empty()) {
    out += " -- parameters:";
    for (const auto& p : c.params) out += " " + p.toDebugString();
  }
  return out;
}

sql::CreateTable createStatement(const std::string& table) {
  return sql::CreateTable{
      .name = table,
      .ifNotExists = true,
      .columns = {
          {.name = "name",
           .type = {.kind = ColumnType::Kind::String},
           .allowNull = false,
           .primaryKey = true},
          {.name = "applied_at", .type = {.kind = ColumnType::Kind::Date}, .allowNull = false},
          {.name = "checksum", .type = {.kind = ColumnType::Kind::String, .length = 64}},
      }};
}

}  // namespace

MigrationStorage::MigrationStorage(std::string table) : table_(std::move(table)) {
  if (table_.empty()) throw UsageError("the migration storage table name must not be empty");
}

bool MigrationStorage::exists(Connection& conn) const {
  return !conn.query(compileExists(conn.dialect(), table_)).empty();
}

void MigrationStorage::ensureTable(Connection& conn) const {
  if (exists(conn)) return;
  conn.query(sql::compile(conn.dialect(), createStatement(table_)));
}

std::vector<AppliedMigration> MigrationStorage::executed(Connection& conn) const {
  std::vector<AppliedMigration> out;
  if (!exists(conn)) return out;
  sql::Select select{
      .columns = {{sql::col("name")}, {sql::col("applied_at")}, {sql::col("checksum")}},
      .from = {.name = table_},
      .orderBy = {{sql::col("name")}}};
  auto rows = conn.query(sql::compile(conn.dialect(), select));
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r)
    out.push_back({rows.at(r, 0).as<std::string>(), rows.at(r, 1).as<Timestamp>(),
                   rows.at(r, 2).asOptional<std::string>()});
  // The engine orders by its collation; the migrator orders by bytes.
  std::sort(out.begin(), out.end(),
            [](const AppliedMigration& a, const AppliedMigration& b) { return a.name < b.name; });
  return out;
}

bool MigrationStorage::isApplied(Connection& conn, std::string_view name) const {
  sql::Select select{.columns = {{sql::col("name")}},
                     .from = {.name = table_},
                     .where = sql::col("name") == sql::val(std::string(name))};
  return !conn.query(sql::compile(conn.dialect(), select)).empty();
}

void MigrationStorage::logMigration(Connection& conn, std::string_view name,
                                    const std::optional<std::string>& checksum) const {
  conn.query(sql::compile(conn.dialect(), logStatement(table_, name, checksum)));
}

void MigrationStorage::unlogMigration(Connection& conn, std::string_view name) const {
  auto r = conn.query(sql::compile(conn.dialect(), unlogStatement(table_, name)));
  if (r.rowsAffected != 1)
    throw DatabaseError(fmt::format("migration {} is not recorded in table {}", name, table_));
}

std::string MigrationStorage::describeLog(const sql::Dialect& d, std::string_view name,
                                          const std::optional<std::string>& checksum) const {
  return describe(sql::compile(d, logStatement(table_, name, checksum)));
}

std::string MigrationStorage::describeCreate(const sql::Dialect& d) const {
  return describe(sql::compile(d, createStatement(table_)));
}

std::string MigrationStorage::describeUnlog(const sql::Dialect& d, std::string_view name) const {
  return describe(sql::compile(d, unlogStatement(table_, name)));
}

}  // namespace junction::migrate
