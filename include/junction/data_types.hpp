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
// as Sequelize's object keys do.
//
// Thread-safety: plain values.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "junction/sql/statement.hpp"
#include "junction/validators.hpp"
#include "junction/value.hpp"

namespace junction {

// A default computed when an instance is built: NOW (the current timestamp,
// or today's date for DATEONLY) and UUIDV4 (a random version-4 UUID).
enum class DefaultFn { Now, UuidV4 };

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

// One attribute of a model: its type and options. Built by chaining from a
// DataType; all setters return a modified copy.
class Attribute {
 public:
  Attribute(DataType t) : type_(t.columnType()) {}
  explicit Attribute(sql::ColumnType t) : type_(std::move(t)) {}

  Attribute primaryKey(bool on = true) const;
  Attribute autoIncrement(bool on = true) const;
  Attribute allowNull(bool on) const;
  Attribute notNull() const { return allowNull(false); }
  Attribute unique(bool on = true) const;
  // Several attributes naming the same key form one composite unique constraint.
  Attribute unique(std::string compositeKeyName) const;
  Attribute unique(const char* compositeKeyName) const { return unique(std::string(compositeKeyName)); }
  Attribute defaultValue(Value v) const;
  Attribute defaultValue(DefaultFn f) const;
  Attribute field(std::string columnName) const;
  Attribute references(std::string table, std::string key = "id") const;
  Attribute onDelete(
      std::string action) const;  // CASCADE, SET NULL, RESTRICT, NO ACTION, SET DEFAULT
  Attribute onUpdate(std::string action) const;
  Attribute validate(Validator v) const;
  Attribute validate(std::initializer_list<Validator> vs) const;

  const sql::ColumnType& type() const noexcept { return type_; }
  bool isPrimaryKey() const noexcept { return primaryKey_; }
  bool isAutoIncrement() const noexcept { return autoIncrement_; }
  // Unset means "nullable unless primary key" (Sequelize's default).
  std::optional<bool> allowNullOption() const noexcept { return allowNull_; }
  bool isUnique() const noexcept { return unique_; }
  const std::string& uniqueKey() const noexcept { return uniqueKey_; }
  const std::optional<Value>& defaultValueOption() const noexcept { return default_; }
  const std::optional<DefaultFn>& defaultFn() const noexcept { return defaultFn_; }
  const std::string& fieldName() const noexcept { return field_; }
  const std::optional<sql::ForeignKeyRef>& referencesOption() const noexcept { return references_; }
  const std::vector<Validator>& validators() const noexcept { return validators_; }

 private:
  sql::ColumnType type_;
  bool primaryKey_ = false;
  bool autoIncrement_ = false;
  std::optional<bool> allowNull_;
  bool unique_ = false;
  std::string uniqueKey_;
  std::optional<Value> default_;
  std::optional<DefaultFn> defaultFn_;
  std::string field_;
  std::optional<sql::ForeignKeyRef> references_;
  std::vector<Validator> validators_;
};

// A model's attribute list, in definition order: {{"id", INTEGER...}, ...}.
using AttributeList = std::vector<std::pair<std::string, Attribute>>;

// The name Sequelize prints for a type in messages ("INTEGER", "STRING").
std::string typeLabel(const sql::ColumnType& t);

}  // namespace junction
