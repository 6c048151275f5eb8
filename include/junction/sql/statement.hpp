// junction/sql/statement.hpp — statements as plain data.
//
// Select, Insert, Update, Delete (with upsert via Insert::onConflict), and
// the DDL the ORM's sync() and the migrator's QueryInterface build on
// (CreateTable, DropTable, ...). They know nothing of models or connections:
// build one, hand it to a Compiler with a Dialect, execute the result.
//
// Thread-safety: plain aggregates; treat as values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "junction/sql/expr.hpp"

namespace junction::sql {

struct SelectItem {
  Expr expr;
  std::string alias;  // AS "alias" when non-empty
};

struct TableRef {
  std::string name;                        // table name (quoted)
  std::string alias;                       // AS "alias" when non-empty
  std::shared_ptr<const Select> subquery;  // FROM (subquery) AS alias, when set
};

enum class JoinKind { Inner, Left };

struct Join {
  JoinKind kind = JoinKind::Left;
  TableRef table;
  Expr on;
};

struct OrderItem {
  Expr expr;
  bool descending = false;
  std::optional<bool> nullsFirst;  // NULLS FIRST / LAST when set
};

enum class LockMode { None, Update, Share };

struct Select {
  bool distinct = false;
  std::vector<SelectItem> columns;  // empty: SELECT *
  TableRef from;
  std::vector<Join> joins;
  Expr where;
  std::vector<Expr> groupBy;
  Expr having;
  std::vector<OrderItem> orderBy;
  std::optional<std::int64_t> limit;   // bound as parameters
  std::optional<std::int64_t> offset;
  LockMode lock = LockMode::None;      // FOR UPDATE / FOR SHARE (ignored by SQLite)
};

// ON CONFLICT (target) DO UPDATE SET col = excluded.col, ... | DO NOTHING
struct OnConflict {
  std::vector<std::string> target;         // conflict columns
  std::vector<std::string> updateColumns;  // empty with doNothing
  bool doNothing = false;
};

struct Insert {
  std::string table;
  std::vector<std::string> columns;        // empty: DEFAULT VALUES (one row)
  std::vector<std::vector<Expr>> rows;     // each row has columns.size() items
  std::optional<OnConflict> onConflict;
  std::vector<SelectItem> returning;       // RETURNING ... when non-empty
};

struct Update {
  std::string table;
  std::vector<std::pair<std::string, Expr>> set;
  Expr where;
  std::vector<SelectItem> returning;
};

struct Delete {
  std::string table;
  Expr where;
  std::vector<SelectItem> returning;
};

// ------------------------------------------------------------------- DDL

// Abstract column type; each Dialect maps it to its own type name.
struct ColumnType {
  enum class Kind {
    Integer, BigInt, String, Text, Boolean, Float, Double, Decimal,
    Date,      // timestamp with time zone (Sequelize DATE)
    DateOnly,  // calendar date
    Json, Uuid, Enum, Blob,
  };
  Kind kind = Kind::Integer;
  int length = 0;      // String: VARCHAR(length), 0 means 255
  int precision = 0;   // Decimal
  int scale = 0;       // Decimal
  std::vector<std::string> values;  // Enum: allowed values (a CHECK constraint)

  friend bool operator==(const ColumnType&, const ColumnType&) = default;
};

struct ForeignKeyRef {
  std::string table;
  std::string column = "id";
  std::string onDelete;  // "CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT" or empty
  std::string onUpdate;
};

struct ColumnDef {
  std::string name;
  ColumnType type;
  bool allowNull = true;
  bool primaryKey = false;
  bool autoIncrement = false;
  bool unique = false;
  Expr defaultValue;                 // a Param (rendered as a literal in DDL) or literal()
  std::optional<ForeignKeyRef> references;
  std::string comment;
};

struct UniqueConstraint {
  std::string name;  // generated when empty
  std::vector<std::string> columns;
};

struct CreateTable {
  std::string name;
  bool ifNotExists = false;
  std::vector<ColumnDef> columns;
  std::vector<std::string> primaryKey;  // composite primary key (when no column has primaryKey)
  std::vector<UniqueConstraint> uniques;
};

struct DropTable {
  std::string name;
  bool ifExists = false;
  bool cascade = false;  // PostgreSQL only
};

struct CreateIndex {
  std::string name;
  std::string table;
  std::vector<std::string> columns;
  bool unique = false;
  bool ifNotExists = false;
};

}  // namespace junction::sql
