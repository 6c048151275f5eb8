// Private to the QueryInterface: helpers shared by the engine-neutral part
// (query_interface.cpp) and the per-engine parts (query_interface_sqlite.cpp,
// query_interface_postgres.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "junction/migrate/query_interface.hpp"

namespace junction::migrate {

// The QueryInterface's private run/read paths, for the engine files.
struct QueryInterfaceAccess {
  static std::int64_t run(QueryInterface& qi, const sql::Compiled& c) { return qi.run(c); }
  static ResultSet read(QueryInterface& qi, const sql::Compiled& c) { return qi.read(c); }
  static std::vector<std::pair<std::string, std::string>>& planned(QueryInterface& qi) {
    return qi.plannedTables_;
  }
};

namespace detail {

// Which schema editor serves an engine, by what its dialect says it has
// (never by its name): an engine whose catalog is sqlite_master has SQLite's
// (PRAGMA introspection, ALTER by table rebuild with foreign keys off,
// query_interface_sqlite.cpp); the others the information_schema one
// (query_interface_postgres.cpp).
inline bool sqliteSchemaEditor(const sql::Dialect& d) noexcept {
  return d.capabilities().catalog == sql::Catalog::SqliteMaster;
}

// Throws UsageError when `name` cannot be a table/column/index name:
// empty, a NUL byte, longer than the engine keeps (PostgreSQL: 63 bytes, it
// would silently truncate), or a table name the engine reserves (sqlite_).
void checkName(const sql::Dialect& d, std::string_view what, const std::string& name);

std::string quote(const sql::Dialect& d, std::string_view ident);
std::string quoteList(const sql::Dialect& d, const std::vector<std::string>& idents);

// A migration column spec as a ColumnDef. Throws UsageError for field(),
// validators, UUIDV4 defaults (no SQL default exists on both engines).
sql::ColumnDef toColumnDef(const std::string& table, const std::string& column, const Column& spec);

// The column definition as the dialect renders it inside CREATE TABLE.
std::string renderColumn(const sql::Dialect& d, const sql::ColumnDef& col, bool inlinePrimaryKey);

// An expression with every bound value rendered as a literal (CHECK
// constraints: DDL cannot take parameters).
std::string renderInline(const sql::Dialect& d, const sql::Expr& e);

// CASCADE, SET NULL, ... validated and upper-cased; UsageError otherwise.
std::string referentialAction(std::string_view action, std::string_view clause);

// The constraint body for ADD CONSTRAINT / a table constraint, without the
// CONSTRAINT name prefix: UNIQUE (...), CHECK (...), FOREIGN KEY ... REFERENCES ...
std::string constraintClause(const sql::Dialect& d, const ConstraintOptions& c);
// Sequelize's default constraint name.
std::string constraintName(const std::string& table, const ConstraintOptions& c);
// Validates field lists and options per constraint type (UsageError).
void checkConstraint(const std::string& table, const ConstraintOptions& c);

std::string joinUnderscore(const std::vector<std::string>& names);

[[noreturn]] void noSuchTable(const std::string& table);
[[noreturn]] void noSuchColumn(const std::string& table, const std::string& column);

}  // namespace detail

// ---- per-engine implementations (same contracts as the public methods) ----
namespace sqlite_qi {
TableDescription describeTable(QueryInterface& qi, const std::string& table);
void addColumn(QueryInterface& qi, const std::string& table, const std::string& column,
               const sql::ColumnDef& def);
void removeColumn(QueryInterface& qi, const std::string& table, const std::string& column);
void changeColumn(QueryInterface& qi, const std::string& table, const std::string& column,
                  const sql::ColumnDef& def);
void addConstraint(QueryInterface& qi, const std::string& table, const ConstraintOptions& c);
void removeConstraint(QueryInterface& qi, const std::string& table, const std::string& name);
// Dry run: whether `table` exists only as a table this run created.
bool isPlanned(QueryInterface& qi, const std::string& table);
// Dry run: remembers the CREATE TABLE text of a table the run created.
void notePlanned(QueryInterface& qi, const std::string& table, std::string createSql);
}  // namespace sqlite_qi

namespace postgres_qi {
TableDescription describeTable(QueryInterface& qi, const std::string& table);
void changeColumn(QueryInterface& qi, const std::string& table, const std::string& column,
                  const sql::ColumnDef& def);
void removeConstraint(QueryInterface& qi, const std::string& table, const std::string& name);
}  // namespace postgres_qi

}  // namespace junction::migrate
