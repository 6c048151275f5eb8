#include "junction/data_types.hpp"

#include <fmt/format.h>

#include "junction/errors.hpp"

namespace junction {

using Kind = sql::ColumnType::Kind;

sql::ColumnType DataType::columnType() const {
  sql::ColumnType t;
  t.kind = kind;
  t.length = length;
  t.precision = precision;
  t.scale = scale;
  return t;
}

// DataType's chaining forwards to Attribute so both spellings behave the same.
Attribute DataType::primaryKey(bool on) const {
  return Attribute(*this).primaryKey(on);
}
Attribute DataType::autoIncrement(bool on) const {
  return Attribute(*this).autoIncrement(on);
}
Attribute DataType::allowNull(bool on) const {
  return Attribute(*this).allowNull(on);
}
Attribute DataType::notNull() const {
  return Attribute(*this).allowNull(false);
}
Attribute DataType::unique(bool on) const {
  return Attribute(*this).unique(on);
}
Attribute DataType::unique(std::string key) const {
  return Attribute(*this).unique(std::move(key));
}
Attribute DataType::unique(const char* key) const {
  return Attribute(*this).unique(std::string(key));
}
Attribute DataType::defaultValue(Value v) const {
  return Attribute(*this).defaultValue(std::move(v));
}
Attribute DataType::defaultValue(DefaultFn f) const {
  return Attribute(*this).defaultValue(f);
}
Attribute DataType::field(std::string c) const {
  return Attribute(*this).field(std::move(c));
}
Attribute DataType::references(std::string table, std::string key) const {
  return Attribute(*this).references(std::move(table), std::move(key));
}
Attribute DataType::validate(Validator v) const {
  return Attribute(*this).validate(std::move(v));
}
Attribute DataType::validate(std::initializer_list<Validator> vs) const {
  return Attribute(*this).validate(vs);
}

Attribute Attribute::field(std::string c) const {
  if (c.empty()) throw UsageError("field(): the column name must not be empty");
  Attribute a = *this;
  a.field_ = std::move(c);
  return a;
}
Attribute Attribute::validate(Validator v) const {
  Attribute a = *this;
  a.validators_.push_back(std::move(v));
  return a;
}
Attribute Attribute::validate(std::initializer_list<Validator> vs) const {
  Attribute a = *this;
  a.validators_.insert(a.validators_.end(), vs.begin(), vs.end());
  return a;
}

namespace DataTypes {
Attribute ENUM(std::initializer_list<std::string> values) {
  return ENUM(std::vector<std::string>(values));
}
Attribute ENUM(std::vector<std::string> values) {
  if (values.empty()) throw UsageError("ENUM needs at least one value");
  sql::ColumnType t;
  t.kind = Kind::Enum;
  t.values = std::move(values);
  return Attribute(std::move(t));
}
}  // namespace DataTypes

Attribute::operator Column() const {
  if (!field_.empty()) return column_.withModelOnlyOption("field()");
  if (!validators_.empty()) return column_.withModelOnlyOption("validators");
  return column_;
}

}  // namespace junction
