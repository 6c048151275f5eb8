// Column definitions (junction/schema/column.hpp).
#include "junction/schema/column.hpp"

#include <fmt/format.h>

#include <cctype>

#include "junction/errors.hpp"

namespace junction {

using Kind = sql::ColumnType::Kind;

Column Column::primaryKey(bool on) const {
  Column a = *this;
  a.primaryKey_ = on;
  return a;
}
Column Column::autoIncrement(bool on) const {
  Column a = *this;
  a.autoIncrement_ = on;
  return a;
}
Column Column::allowNull(bool on) const {
  Column a = *this;
  a.allowNull_ = on;
  return a;
}
Column Column::unique(bool on) const {
  Column a = *this;
  a.unique_ = on;
  a.uniqueKey_.clear();
  return a;
}
Column Column::unique(std::string key) const {
  if (key.empty()) throw UsageError("unique(key): the composite key name must not be empty");
  Column a = *this;
  a.unique_ = true;
  a.uniqueKey_ = std::move(key);
  return a;
}
Column Column::defaultValue(Value v) const {
  Column a = *this;
  a.default_ = std::move(v);
  a.defaultFn_.reset();
  return a;
}
Column Column::defaultValue(DefaultFn f) const {
  if (f == DefaultFn::Now && type_.kind != Kind::Date && type_.kind != Kind::DateOnly)
    throw UsageError(fmt::format("defaultValue(NOW) needs a DATE or DATEONLY attribute, not {}",
                                 typeLabel(type_)));
  if (f == DefaultFn::UuidV4 && type_.kind != Kind::Uuid && type_.kind != Kind::String &&
      type_.kind != Kind::Text)
    throw UsageError(fmt::format("defaultValue(UUIDV4) needs a UUID or STRING attribute, not {}",
                                 typeLabel(type_)));
  Column a = *this;
  a.defaultFn_ = f;
  a.default_.reset();
  return a;
}
Column Column::references(std::string table, std::string key) const {
  if (table.empty() || key.empty())
    throw UsageError("references(): table and key must not be empty");
  Column a = *this;
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

Column Column::onDelete(std::string action) const {
  if (!references_) throw UsageError("onDelete() needs references() first");
  Column a = *this;
  a.references_->onDelete = checkedAction("onDelete", std::move(action));
  return a;
}
Column Column::onUpdate(std::string action) const {
  if (!references_) throw UsageError("onUpdate() needs references() first");
  Column a = *this;
  a.references_->onUpdate = checkedAction("onUpdate", std::move(action));
  return a;
}
Column Column::withModelOnlyOption(std::string what) const {
  Column a = *this;
  a.modelOnly_ = std::move(what);
  return a;
}

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
