#include "junction/data_types.hpp"

#include <fmt/format.h>

#include <cctype>

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

Attribute Attribute::primaryKey(bool on) const {
  Attribute a = *this;
  a.primaryKey_ = on;
  return a;
}
Attribute Attribute::autoIncrement(bool on) const {
  Attribute a = *this;
  a.autoIncrement_ = on;
  return a;
}
Attribute Attribute::allowNull(bool on) const {
  Attribute a = *this;
  a.allowNull_ = on;
  return a;
}
Attribute Attribute::unique(bool on) const {
  Attribute a = *this;
  a.unique_ = on;
  a.uniqueKey_.clear();
  return a;
}
Attribute Attribute::unique(std::string key) const {
  if (key.empty()) throw UsageError("unique(key): the composite key name must not be empty");
  Attribute a = *this;
  a.unique_ = true;
  a.uniqueKey_ = std::move(key);
  return a;
}
Attribute Attribute::defaultValue(Value v) const {
  Attribute a = *this;
  a.default_ = std::move(v);
  a.defaultFn_.reset();
  return a;
}
Attribute Attribute::defaultValue(DefaultFn f) const {
  if (f == DefaultFn::Now && type_.kind != Kind::Date && type_.kind != Kind::DateOnly)
    throw UsageError(fmt::format("defaultValue(NOW) needs a DATE or DATEONLY attribute, not {}",
                                 typeLabel(type_)));
  if (f == DefaultFn::UuidV4 && type_.kind != Kind::Uuid && type_.kind != Kind::String &&
      type_.kind != Kind::Text)
    throw UsageError(fmt::format("defaultValue(UUIDV4) needs a UUID or STRING attribute, not {}",
                                 typeLabel(type_)));
  Attribute a = *this;
  a.defaultFn_ = f;
  a.default_.reset();
  return a;
}
Attribute Attribute::field(std::string c) const {
  if (c.empty()) throw UsageError("field(): the column name must not be empty");
  Attribute a = *this;
  a.field_ = std::move(c);
  return a;
}
Attribute Attribute::references(std::string table, std::string key) const {
  if (table.empty() || key.empty())
    throw UsageError("references(): table and key must not be empty");
  Attribute a = *this;
  sql::ForeignKeyRef r;
  r.table = std::move(table);
  r.column = std::move(key);
  if (a.references_) {
    r.onDelete = a.references_->onDelete;
    r.onUpdate = a.references_->onUpdate;
  }
  a.references_ = std::move(r);
  return a;
}

namespace {
std::string checkedAction(std::string_view what, std::string action) {
  std::string up;
  for (char c : action) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* ok : {"CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"})
    if (up == ok) return up;
  throw UsageError(fmt::format(
      "{}(\"{}\"): expected CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION", what, action));
}
}  // namespace

Attribute Attribute::onDelete(std::string action) const {
  if (!references_) throw UsageError("onDelete() needs references() first");
  Attribute a = *this;
  a.references_->onDelete = checkedAction("onDelete", std::move(action));
  return a;
}
Attribute Attribute::onUpdate(std::string action) const {
  if (!references_) throw UsageError("onUpdate() needs references() first");
  Attribute a = *this;
  a.references_->onUpdate = checkedAction("onUpdate", std::move(action));
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

std::string typeLabel(const sql::ColumnType& t) {
  switch (t.kind) {
    case Kind::Integer:
      return "INTEGER";
    case Kind::BigInt:
      return "BIGINT";
    case Kind::String:
      return fmt::format("STRING({})", t.length ? t.length : 255);
    case Kind::Text:
      return "TEXT";
    case Kind::Boolean:
      return "BOOLEAN";
    case Kind::Float:
      return "FLOAT";
    case Kind::Double:
      return "DOUBLE";
    case Kind::Decimal:
      return t.precision ? fmt::format("DECIMAL({},{})", t.precision, t.scale) : "DECIMAL";
    case Kind::Date:
      return "DATE";
    case Kind::DateOnly:
      return "DATEONLY";
    case Kind::Json:
      return "JSON";
    case Kind::Uuid:
      return "UUID";
    case Kind::Enum:
      return "ENUM";
    case Kind::Blob:
      return "BLOB";
  }
  return "UNKNOWN";
}

}  // namespace junction
