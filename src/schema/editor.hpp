// An engine's schema editor: how table definitions are read and tables
// changed where engines differ. The QueryInterface (src/migrate) does the
// engine-neutral checks and statements and hands the rest to the editor its
// connection's dialect registered (src/dialects/builtin.cpp). Each engine's
// folder implements one: src/dialects/sqlite/schema_editor.cpp (PRAGMA
// introspection, ALTER by table rebuild), src/dialects/postgres/
// schema_editor.cpp (information_schema, ALTER TABLE). Private to the library.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "junction/connection.hpp"
#include "junction/result.hpp"
#include "junction/schema/table.hpp"
#include "junction/sql/compiler.hpp"
#include "junction/sql/statement.hpp"

namespace junction::schema {

// What an editor works through: the QueryInterface's connection, its
// statement sink and dry-run mode.
class SchemaSession {
 public:
  virtual ~SchemaSession() = default;
  virtual const sql::Dialect& dialect() const noexcept = 0;
  virtual Connection& connection() const noexcept = 0;
  virtual bool dryRun() const noexcept = 0;
  // A statement that changes something: to the sink, then executed unless
  // dry-run. Returns rows affected (0 in dry-run).
  virtual std::int64_t run(const sql::Compiled& statement) = 0;
  // A read: always executed.
  virtual ResultSet read(const sql::Compiled& statement) = 0;
  // Dry run: table → the CREATE TABLE text it would have after the recorded
  // statements, for editors that plan from the table's text (SQLite).
  virtual std::vector<std::pair<std::string, std::string>>& plannedTables() = 0;
};

// Same contracts as the QueryInterface's public methods of the same names.
class SchemaEditor {
 public:
  virtual ~SchemaEditor() = default;
  virtual std::vector<std::string> showAllTables(SchemaSession& s) const = 0;
  virtual TableDescription describeTable(SchemaSession& s, const std::string& table) const = 0;
  // Default: ALTER TABLE ... ADD COLUMN.
  virtual void addColumn(SchemaSession& s, const std::string& table, const std::string& column,
                         const sql::ColumnDef& def) const;
  // Default: ALTER TABLE ... DROP COLUMN.
  virtual void removeColumn(SchemaSession& s, const std::string& table,
                            const std::string& column) const;
  virtual void changeColumn(SchemaSession& s, const std::string& table, const std::string& column,
                            const sql::ColumnDef& def) const = 0;
  // `c` is named. Default: ALTER TABLE ... ADD CONSTRAINT.
  virtual void addConstraint(SchemaSession& s, const std::string& table,
                             const ConstraintOptions& c) const;
  virtual void removeConstraint(SchemaSession& s, const std::string& table,
                                const std::string& name) const = 0;
  // Dry run: `table` was created by this run, as `createSql`. Default: nothing.
  virtual void createdTable(SchemaSession& s, const std::string& table,
                            std::string createSql) const;
  // Before CREATE INDEX: UsageError for a column `table` does not have,
  // where the engine would not say so itself. Default: nothing.
  virtual void checkIndexColumns(SchemaSession& s, const std::string& table,
                                 const std::vector<std::string>& columns) const;

  // Foreign-key enforcement around a migration (migrate::ForeignKeysOff),
  // for engines whose schema changes would fire or trip it. Outside any
  // transaction: switch enforcement off, returning whether it was on
  // (default: nothing to do, false).
  virtual bool suspendForeignKeys(Connection& conn) const;
  virtual void resumeForeignKeys(Connection& conn) const;
  // Before COMMIT: ForeignKeyConstraintError naming a table with a row
  // whose reference has no match. Default: nothing (the engine checks).
  virtual void checkForeignKeys(Connection& conn) const;
};

// Engines register their editor with their dialect (registerBuiltinDialects);
// the dialect object's identity is the key, never its name.
void registerSchemaEditor(const sql::Dialect& dialect, const SchemaEditor& editor);
// UsageError when no editor was registered for `dialect`.
const SchemaEditor& schemaEditorFor(const sql::Dialect& dialect);

}  // namespace junction::schema
