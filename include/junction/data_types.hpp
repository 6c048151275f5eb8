// junction/data_types.hpp — Sequelize's DataTypes and attribute options.
//
//   using namespace junction::DataTypes;
//   db.define("user", {
//     {"id",       INTEGER.primaryKey().autoIncrement()},
//     {"username", STRING.unique().allowNull(false).validate(isEmail())},
//     {"name",     STRING(100).allowNull(false)},
//     {"admin",    BOOLEAN.defaultValue(false)},
//     {"joined",   DATE.defaultValue(NOW)},
//     {"teamId",   INTEGER.references("teams", "id").onDelete("CASCADE")},
//   });
//
// The type constants are constexpr values (usable at static-initialisation
// time); chaining an option yields an Attribute. Options chain in any order,
// as Sequelize's object keys do. An Attribute is a schema Column
// (junction/schema/column.hpp: type, null, default, unique, references)
// plus what only models have (validators, field()); migrations take
// Columns, and an Attribute converts to one.
//
// Thread-safety: plain values.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "junction/schema/column.hpp"
#include "junction/sql/statement.hpp"
#include "junction/validators.hpp"
#include "junction/value.hpp"

namespace junction {

class Attribute;

// A column type plus the chaining API; converts to Attribute.
struct DataType {
  sql::ColumnType::Kind kind = sql::ColumnType::Kind::Integer;
  int length = 0;
  int precision = 0;
  int scale = 0;

  // STRING(100), DECIMAL(10, 2): a sized copy of the type.
  constexpr DataType operator()(int n) const {
    DataType d = *this;
    if (kind == sql::ColumnType::Kind::Decimal)
      d.precision = n;
    else
      d.length = n;
    return d;
  }
  constexpr DataType operator()(int p, int s) const {
    DataType d = *this;
    d.precision = p;
    d.scale = s;
    return d;
  }

  // Chaining: each returns an Attribute of this type with the option set.
  Attribute primaryKey(bool on = true) const;
  Attribute autoIncrement(bool on = true) const;
  Attribute allowNull(bool on) const;
  Attribute notNull() const;
  Attribute unique(bool on = true) const;
  Attribute unique(std::string compositeKeyName) const;
  // Without this, unique("key") would pick unique(bool): a pointer converts to bool first.
  Attribute unique(const char* compositeKeyName) const;
  Attribute defaultValue(Value v) const;
  Attribute defaultValue(DefaultFn f) const;
  Attribute field(std::string columnName) const;
  Attribute references(std::string table, std::string key = "id") const;
  Attribute validate(Validator v) const;
  Attribute validate(std::initializer_list<Validator> vs) const;

  sql::ColumnType columnType() const;
  // A bare column of this type, where a migration takes columns.
  operator Column() const { return Column(columnType()); }
};

namespace DataTypes {
using K = sql::ColumnType::Kind;
inline constexpr DataType INTEGER{K::Integer};
inline constexpr DataType BIGINT{K::BigInt};
inline constexpr DataType STRING{K::String, 255};
inline constexpr DataType TEXT{K::Text};
inline constexpr DataType BOOLEAN{K::Boolean};
inline constexpr DataType FLOAT{K::Float};
inline constexpr DataType DOUBLE{K::Double};
inline constexpr DataType DECIMAL{K::Decimal};
inline constexpr DataType DATE{K::Date};
inline constexpr DataType DATEONLY{K::DateOnly};
inline constexpr DataType JSON{K::Json};
inline constexpr DataType UUID{K::Uuid};
inline constexpr DataType BLOB{K::Blob};
inline constexpr DefaultFn NOW = DefaultFn::Now;
inline constexpr DefaultFn UUIDV4 = DefaultFn::UuidV4;
// ENUM("admin", "developer"): a string restricted to the given values.
Attribute ENUM(std::initializer_list<std::string> values);
Attribute ENUM(std::vector<std::string> values);
}  // namespace DataTypes

// One attribute of a model: a Column (type and constraints) plus the model's
// own options. Built by chaining from a DataType; all setters return a
// modified copy.
class Attribute {
 public:
  Attribute(DataType t) : column_(t.columnType()) {}
  explicit Attribute(sql::ColumnType t) : column_(std::move(t)) {}
  Attribute(Column c) : column_(std::move(c)) {}

  Attribute primaryKey(bool on = true) const { return with(column_.primaryKey(on)); }
  Attribute autoIncrement(bool on = true) const { return with(column_.autoIncrement(on)); }
  Attribute allowNull(bool on) const { return with(column_.allowNull(on)); }
  Attribute notNull() const { return allowNull(false); }
  Attribute unique(bool on = true) const { return with(column_.unique(on)); }
  // Several attributes naming the same key form one composite unique constraint.
  Attribute unique(std::string compositeKeyName) const {
    return with(column_.unique(std::move(compositeKeyName)));
  }
  Attribute unique(const char* compositeKeyName) const {
    return unique(std::string(compositeKeyName));
  }
  Attribute defaultValue(Value v) const { return with(column_.defaultValue(std::move(v))); }
  Attribute defaultValue(DefaultFn f) const { return with(column_.defaultValue(f)); }
  Attribute references(std::string table, std::string key = "id") const {
    return with(column_.references(std::move(table), std::move(key)));
  }
  // CASCADE, SET NULL, RESTRICT, NO ACTION, SET DEFAULT
  Attribute onDelete(std::string action) const { return with(column_.onDelete(std::move(action))); }
  Attribute onUpdate(std::string action) const { return with(column_.onUpdate(std::move(action))); }
  // Model-only: the column's name when it differs from the attribute's.
  Attribute field(std::string columnName) const;
  Attribute validate(Validator v) const;
  Attribute validate(std::initializer_list<Validator> vs) const;

  const Column& column() const noexcept { return column_; }
  const sql::ColumnType& type() const noexcept { return column_.type(); }
  bool isPrimaryKey() const noexcept { return column_.isPrimaryKey(); }
  bool isAutoIncrement() const noexcept { return column_.isAutoIncrement(); }
  // Unset means "nullable unless primary key" (Sequelize's default).
  std::optional<bool> allowNullOption() const noexcept { return column_.allowNullOption(); }
  bool isUnique() const noexcept { return column_.isUnique(); }
  const std::string& uniqueKey() const noexcept { return column_.uniqueKey(); }
  const std::optional<Value>& defaultValueOption() const noexcept {
    return column_.defaultValueOption();
  }
  const std::optional<DefaultFn>& defaultFn() const noexcept { return column_.defaultFn(); }
  const std::string& fieldName() const noexcept { return field_; }
  const std::optional<sql::ForeignKeyRef>& referencesOption() const noexcept {
    return column_.referencesOption();
  }
  const std::vector<Validator>& validators() const noexcept { return validators_; }

  // The column a migration takes. An attribute with validators or field()
  // still converts, marked, so that the QueryInterface refuses it by name.
  operator Column() const;

 private:
  Attribute with(Column c) const {
    Attribute a = *this;
    a.column_ = std::move(c);
    return a;
  }
  Column column_;
  std::string field_;
  std::vector<Validator> validators_;
};

// A model's attribute list, in definition order: {{"id", INTEGER...}, ...}.
using AttributeList = std::vector<std::pair<std::string, Attribute>>;

}  // namespace junction
