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

// Whether an engine's schema editor is SQLite's (its catalog is
// sqlite_master): PRAGMA introspection, ALTER by table rebuild with foreign
// keys off. Asked of the dialect's capabilities, never its name.
inline bool rebuildsTables(const sql::Dialect& d) noexcept {
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

// The first column of every row, as text (catalog queries that list names).
std::vector<std::string> firstColumn(const ResultSet& rs);

[[noreturn]] void noSuchTable(const std::string& table);
[[noreturn]] void noSuchColumn(const std::string& table, const std::string& column);

}  // namespace detail

// ---- schema editors ----

// An engine's schema editor: how the QueryInterface reads table definitions
// and changes a table where engines differ (same contracts as the public
// methods). The engine-neutral checks and statements stay in
// query_interface.cpp; each engine's file implements one editor.
class SchemaEditor {
 public:
  virtual ~SchemaEditor() = default;
  virtual std::vector<std::string> showAllTables(QueryInterface& qi) const = 0;
  virtual TableDescription describeTable(QueryInterface& qi, const std::string& table) const = 0;
  // Default: ALTER TABLE ... ADD COLUMN.
  virtual void addColumn(QueryInterface& qi, const std::string& table, const std::string& column,
                         const sql::ColumnDef& def) const;
  // Default: ALTER TABLE ... DROP COLUMN.
  virtual void removeColumn(QueryInterface& qi, const std::string& table,
                            const std::string& column) const;
  virtual void changeColumn(QueryInterface& qi, const std::string& table, const std::string& column,
                            const sql::ColumnDef& def) const = 0;
  // `c` is named. Default: ALTER TABLE ... ADD CONSTRAINT.
  virtual void addConstraint(QueryInterface& qi, const std::string& table,
                             const ConstraintOptions& c) const;
  virtual void removeConstraint(QueryInterface& qi, const std::string& table,
                                const std::string& name) const = 0;
  // Dry run: `table` was created by this run, as `createSql`.
  virtual void createdTable(QueryInterface& qi, const std::string& table,
                            std::string createSql) const;
  // Before CREATE INDEX: UsageError for a column `table` does not have,
  // where the engine would not say so itself. Default: nothing.
  virtual void checkIndexColumns(QueryInterface& qi, const std::string& table,
                                 const std::vector<std::string>& columns) const;
};

// The editor for an engine, by its dialect's catalog (never its name).
const SchemaEditor& schemaEditorFor(const sql::Dialect& d);
const SchemaEditor& sqliteSchemaEditor();       // query_interface_sqlite.cpp
const SchemaEditor& informationSchemaEditor();  // query_interface_postgres.cpp

}  // namespace junction::migrate
