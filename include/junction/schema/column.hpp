// junction/schema/column.hpp — a column definition: the vocabulary the ORM
// and the migrator both speak (DESIGN.md's schema layer).
//
//   qi.addColumn("blogs", "user_id",
//                INTEGER.allowNull(false).references("users", "id").onDelete("CASCADE"));
//
// A Column is a type (sql::ColumnType) with its constraints: primary key,
// auto-increment, null, unique (alone or in a named composite key), a
// default, and a reference with ON DELETE / ON UPDATE. It knows nothing of
// models: an ORM Attribute (junction/data_types.hpp) is a Column plus
// validators and model options, and converts to one where a migration takes
// columns. Setters return a modified copy; UsageError for a bad option.
//
// Thread-safety: a plain value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "junction/sql/statement.hpp"
#include "junction/value.hpp"

namespace junction {

// A default computed when a row is made: NOW (the current timestamp, or
// today's date for DATEONLY) and UUIDV4 (a random version-4 UUID).
enum class DefaultFn { Now, UuidV4 };

class Column {
 public:
  explicit Column(sql::ColumnType t) : type_(std::move(t)) {}

  Column primaryKey(bool on = true) const;
  Column autoIncrement(bool on = true) const;
  Column allowNull(bool on) const;
  Column notNull() const { return allowNull(false); }
  Column unique(bool on = true) const;
  // Several columns naming the same key form one composite unique constraint.
  Column unique(std::string compositeKeyName) const;
  Column unique(const char* compositeKeyName) const {
    return unique(std::string(compositeKeyName));
  }
  Column defaultValue(Value v) const;
  Column defaultValue(DefaultFn f) const;  // NOW: DATE/DATEONLY; UUIDV4: UUID/STRING/TEXT
  Column references(std::string table, std::string key = "id") const;
  Column onDelete(std::string action) const;  // CASCADE, SET NULL, RESTRICT, NO ACTION, SET DEFAULT
  Column onUpdate(std::string action) const;

  const sql::ColumnType& type() const noexcept { return type_; }
  bool isPrimaryKey() const noexcept { return primaryKey_; }
  bool isAutoIncrement() const noexcept { return autoIncrement_; }
  // Unset means "nullable unless primary key" (Sequelize's default).
  std::optional<bool> allowNullOption() const noexcept { return allowNull_; }
  bool isUnique() const noexcept { return unique_; }
  const std::string& uniqueKey() const noexcept { return uniqueKey_; }
  const std::optional<Value>& defaultValueOption() const noexcept { return default_; }
  const std::optional<DefaultFn>& defaultFn() const noexcept { return defaultFn_; }
  const std::optional<sql::ForeignKeyRef>& referencesOption() const noexcept { return references_; }

  // The model-only option this column was made from ("field()",
  // "validators"), empty when none: an Attribute that carried one converts,
  // and the QueryInterface refuses the column naming table, column and option.
  const std::string& modelOnlyOption() const noexcept { return modelOnly_; }
  Column withModelOnlyOption(std::string what) const;

 private:
  sql::ColumnType type_;
  bool primaryKey_ = false;
  bool autoIncrement_ = false;
  std::optional<bool> allowNull_;
  bool unique_ = false;
  std::string uniqueKey_;
  std::optional<Value> default_;
  std::optional<DefaultFn> defaultFn_;
  std::optional<sql::ForeignKeyRef> references_;
  std::string modelOnly_;
};

// A table's columns in order: {{"id", INTEGER.primaryKey()}, ...}.
using ColumnList = std::vector<std::pair<std::string, Column>>;

// The name Sequelize prints for a type in messages ("INTEGER", "STRING(255)").
std::string typeLabel(const sql::ColumnType& t);

}  // namespace junction
