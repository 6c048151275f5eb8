// junction/schema/table.hpp — constraints and table descriptions: what a
// schema change names (Sequelize's addConstraint options) and what an engine
// reports of a table (describeTable). The schema layer's vocabulary, below
// orm and migrate, as Column is; engines' schema editors
// (src/dialects/<engine>/schema_editor.cpp) read and write it.
//
// Thread-safety: plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "junction/sql/expr.hpp"

namespace junction {

enum class ConstraintType { Unique, Check, ForeignKey, PrimaryKey };

struct ConstraintReference {
  std::string table;
  std::string field = "id";
};

// Sequelize's addConstraint options.
struct ConstraintOptions {
  ConstraintType type = ConstraintType::Unique;
  std::vector<std::string> fields;  // Check: may stay empty
  // Default: <table>_<fields>_uk / _ck / _fk / _pk (Sequelize's names).
  std::string name;
  std::optional<ConstraintReference> references;  // ForeignKey only (required there)
  std::string onDelete;  // ForeignKey: CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION
  std::string onUpdate;
  // Check only: the condition, built with col()/val() (values are rendered
  // as literals, since DDL cannot bind) or literal("...").
  sql::Expr where;
};

struct ColumnDescription {
  std::string name;
  std::string type;  // the engine's type text, upper-case: "INTEGER", "VARCHAR(255)"
  bool allowNull = true;
  std::optional<std::string> defaultValue;  // as the engine reports it ("false", "FALSE")
  bool primaryKey = false;
  bool autoIncrement = false;
  bool unique = false;  // the column alone is a unique key (constraint or unique index)
};

struct ForeignKeyDescription {
  std::string name;  // constraint name; SQLite reports <table>_<column>_fkey for unnamed ones
  std::vector<std::string> columns;
  std::string referencedTable;
  std::vector<std::string> referencedColumns;
  std::string onDelete;  // upper-case, "NO ACTION" when not given
  std::string onUpdate;
};

struct IndexDescription {
  std::string name;
  std::vector<std::string> columns;
  bool unique = false;
  bool primary = false;     // the primary key's index
  bool constraint = false;  // backs a UNIQUE / PRIMARY KEY constraint (vs CREATE INDEX)
};

struct TableDescription {
  std::string name;
  std::vector<ColumnDescription> columns;  // in table order
  std::vector<ForeignKeyDescription> foreignKeys;
  std::vector<IndexDescription> indexes;  // unique constraints and indexes

  // The named column; throws UsageError naming table and column if absent.
  const ColumnDescription& column(std::string_view name) const;
  bool hasColumn(std::string_view name) const noexcept;
  // The foreign key whose columns are exactly {column}, if any.
  const ForeignKeyDescription* foreignKey(std::string_view column) const noexcept;
  // A unique index/constraint whose columns are exactly `columns`, if any.
  const IndexDescription* uniqueKey(const std::vector<std::string>& columns) const noexcept;
};

}  // namespace junction
