// junction/migrate/query_interface.hpp — schema changes per dialect
// (Sequelize's QueryInterface), the API a migration's up/down is written in.
//
//   using namespace junction::DataTypes;
//   migrate::QueryInterface qi(conn);
//   qi.createTable("notes", {
//       {"id", INTEGER.primaryKey().autoIncrement()},
//       {"content", TEXT.allowNull(false)},
//       {"date", DATE},
//   });
//   qi.addColumn("notes", "user_id", INTEGER.allowNull(false).references("users", "id"));
//   qi.removeColumn("users", "admin");
//
// Contracts shared by every operation:
// - It works on one Connection it does not own and never begins or commits
//   the caller's transaction. The migrator runs each migration inside a
//   transaction on that connection, so a failing operation rolls back with
//   the rest of the migration (both engines have transactional DDL).
// - SQLite cannot ALTER what a migration needs (change a column, drop a
//   constrained column, add or drop a constraint). Those operations rebuild
//   the table (the 12-step procedure of sqlite.org/lang_altertable.html):
//   rows, indexes, triggers, foreign keys in both directions and the
//   AUTOINCREMENT sequence are kept. A rebuild runs inside the caller's
//   transaction, or inside one of its own when the connection has none.
// - Identifiers are quoted by the dialect; values are bound parameters. DDL
//   DEFAULTs are the one place a Value is rendered as a literal
//   (Dialect::renderLiteral).
// - Wrong calls (unknown table or column, empty column lists, invalid names,
//   a model attribute's field()/validators, unknown constraint options) throw
//   UsageError naming what is wrong; statements the engine refuses throw
//   DatabaseError (or a subclass) as Connection::query does.
//
// Dry run: constructed with Mode::DryRun, every statement that would change
// the schema or data is handed to the sink and not executed; reads
// (describeTable, showAllTables, and the reads a SQLite rebuild does first)
// still run. Tables created earlier in the same dry run are remembered, so a
// later rebuild of one of them (e.g. addColumn of a NOT NULL foreign key on
// SQLite) is planned from its recorded definition. In Mode::Execute the sink,
// when given, sees each statement just before it runs (progress, logging).
//
// Thread-safety: as the Connection it wraps — one thread at a time.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "junction/connection.hpp"
#include "junction/result.hpp"
#include "junction/schema/column.hpp"
#include "junction/schema/table.hpp"
#include "junction/sql/compiler.hpp"
#include "junction/sql/expr.hpp"
#include "junction/value.hpp"

namespace junction::migrate {

// Column specs in definition order: {{"id", INTEGER.primaryKey()}, ...}.
// Columns (junction/schema/column.hpp): a migration never depends on models,
// though the DataTypes of junction/data_types.hpp spell them.
using ColumnSpecs = ColumnList;

struct CreateTableOptions {
  bool ifNotExists = false;
  // Extra composite unique constraints ({.name = "x", .columns = {"a", "b"}});
  // several columns with the same unique("key") form one as well.
  std::vector<sql::UniqueConstraint> uniqueKeys;
};

struct DropTableOptions {
  bool ifExists = false;
  bool cascade = false;  // PostgreSQL: also drop dependent objects; SQLite has none
};

struct IndexOptions {
  std::string name;  // default: <table>_<col>[_<col>...]
  bool unique = false;
};

// The constraint and table-description vocabulary is the schema layer's
// (junction/schema/table.hpp); a migration names it as migrate:: as before.
using junction::ColumnDescription;
using junction::ConstraintOptions;
using junction::ConstraintReference;
using junction::ConstraintType;
using junction::ForeignKeyDescription;
using junction::IndexDescription;
using junction::TableDescription;

// One row for bulkInsert: column → value, in column order.
using Row = std::vector<std::pair<std::string, Value>>;

using StatementSink = std::function<void(const sql::Compiled&)>;

// "SQL;" followed by " -- [param, param]" when there are parameters, for
// printing a recorded statement (the CLI's --dry-run). Text parameters are
// shown quoted.
std::string formatStatement(const sql::Compiled& statement);

// SQLite: PRAGMA foreign_keys cannot change inside a transaction, and while
// it is on, rebuilding a table that other rows reference with ON DELETE
// CASCADE / SET NULL / SET DEFAULT / RESTRICT would fire those actions, so
// QueryInterface refuses such a rebuild (UsageError). A migrator constructs
// this guard before BEGIN of a migration's transaction and calls check()
// before COMMIT; the destructor restores enforcement as it was. On other
// engines it does nothing. Throws UsageError when constructed inside a
// transaction.
class ForeignKeysOff {
 public:
  explicit ForeignKeysOff(Connection& conn);
  ~ForeignKeysOff();
  ForeignKeysOff(const ForeignKeysOff&) = delete;
  ForeignKeysOff& operator=(const ForeignKeysOff&) = delete;

  // PRAGMA foreign_key_check over the database: ForeignKeyConstraintError
  // naming the first table with a row whose reference has no match.
  void check();

 private:
  Connection& conn_;
  bool restore_ = false;
};

class QueryInterface {
 public:
  enum class Mode { Execute, DryRun };

  // `conn` must outlive the QueryInterface. See the file comment for modes.
  explicit QueryInterface(Connection& conn, StatementSink onStatement = {},
                          Mode mode = Mode::Execute);

  Connection& connection() const noexcept { return conn_; }
  const sql::Dialect& dialect() const noexcept;
  bool dryRun() const noexcept { return mode_ == Mode::DryRun; }

  // ---- tables ----
  void createTable(const std::string& table, const ColumnSpecs& columns,
                   const CreateTableOptions& options = {});
  void dropTable(const std::string& table, const DropTableOptions& options = {});
  void renameTable(const std::string& from, const std::string& to);
  // Base tables of the current database (PostgreSQL: the current schema),
  // sorted by name; SQLite's internal sqlite_* tables are excluded.
  std::vector<std::string> showAllTables();
  // Columns, foreign keys and indexes of `table`; UsageError if it does not exist.
  TableDescription describeTable(const std::string& table);

  // ---- columns ----
  // SQLite: ALTER TABLE ADD COLUMN when the engine allows it, otherwise a
  // rebuild (NOT NULL without default, PRIMARY KEY, UNIQUE, a foreign key).
  void addColumn(const std::string& table, const std::string& column, const Column& spec);
  // Drops the column with the indexes and constraints that involve it
  // (PostgreSQL's behaviour; SQLite rebuilds when ALTER cannot).
  void removeColumn(const std::string& table, const std::string& column);
  // Sets type, nullability and default to what `spec` says (an unset
  // default drops the old one); adds UNIQUE and a foreign key when the spec
  // has them. Existing unique keys and foreign keys of the column are kept.
  void changeColumn(const std::string& table, const std::string& column, const Column& spec);
  void renameColumn(const std::string& table, const std::string& from, const std::string& to);

  // ---- indexes and constraints ----
  void addIndex(const std::string& table, const std::vector<std::string>& columns,
                const IndexOptions& options = {});
  void removeIndex(const std::string& table, const std::string& name);
  // Removes the index on exactly these columns, in this order.
  void removeIndex(const std::string& table, const std::vector<std::string>& columns);
  // Makes removeIndex("t", {"a", "b"}) pick the column overload.
  void removeIndex(const std::string& table, std::initializer_list<std::string> columns) {
    removeIndex(table, std::vector<std::string>(columns));
  }
  void addConstraint(const std::string& table, const ConstraintOptions& options);
  // Removes a named constraint (or a unique index of that name).
  void removeConstraint(const std::string& table, const std::string& name);

  // ---- data ----
  // Inserts the rows with bound parameters, chunked so no statement exceeds
  // the dialect's parameter limit. All rows must name the same columns.
  // Returns the number of rows inserted.
  std::int64_t bulkInsert(const std::string& table, const std::vector<Row>& rows);
  // UPDATE table SET values WHERE where (empty where: every row). Returns rows changed.
  std::int64_t bulkUpdate(const std::string& table, const Row& values, const sql::Expr& where);
  // DELETE FROM table WHERE where (empty where: every row). Returns rows deleted.
  std::int64_t bulkDelete(const std::string& table, const sql::Expr& where = {});

  // ---- raw SQL ----
  // One statement with bound parameters; recorded (and an empty result
  // returned) in dry-run mode.
  ResultSet query(std::string_view sql, std::vector<Value> params = {});
  // A parameterless script of one or more statements (.sql migrations).
  void execute(std::string_view script);

 private:
  // Every statement that changes something goes through here: sink, then
  // execute unless dry-run. Returns rows affected (0 in dry-run).
  std::int64_t run(const sql::Compiled& statement);
  ResultSet read(const sql::Compiled& statement);

  Connection& conn_;
  StatementSink sink_;
  Mode mode_;
  // Dry run on SQLite only: table → the CREATE TABLE text it would have
  // after the recorded statements, so a later rebuild can be planned.
  std::vector<std::pair<std::string, std::string>> plannedTables_;

  friend struct QueryInterfaceAccess;  // src/migrate helpers
};

}  // namespace junction::migrate
