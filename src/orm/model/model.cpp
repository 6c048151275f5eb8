// Model definition: resolving attribute names, columns, keys and timestamps;
// the CREATE TABLE statement; sync and drop.
#include <fmt/format.h>

#include <map>
#include <set>

#include "junction/json.hpp"
#include "orm/internal.hpp"

namespace junction {

using Kind = sql::ColumnType::Kind;

Model::Model(Database& db, std::string name, AttributeList attributes, ModelOptions options)
    : db_(&db), name_(std::move(name)), options_(std::move(options)) {
  if (name_.empty()) throw UsageError("define(): the model name must not be empty");
  tableName_ = !options_.tableName.empty() ? options_.tableName
               : options_.freezeTableName  ? name_
                                           : pluralize(name_);
  auto columnFor = [&](const std::string& attr, const Attribute& spec) {
    if (!spec.fieldName().empty()) return spec.fieldName();
    return options_.underscored ? underscore(attr) : attr;
  };
  std::set<std::string, std::less<>> seenNames, seenColumns;
  auto add = [&](std::string attr, Attribute spec, bool isTimestamp) {
    if (attr.empty()) throw UsageError(fmt::format("model {}: an attribute name is empty", name_));
    if (!seenNames.insert(attr).second)
      throw UsageError(fmt::format("model {}: attribute \"{}\" is defined twice", name_, attr));
    AttributeDef def;
    def.column = columnFor(attr, spec);
    if (!seenColumns.insert(def.column).second)
      throw UsageError(
          fmt::format("model {}: column \"{}\" is used by two attributes", name_, def.column));
    def.name = std::move(attr);
    def.allowNull = spec.allowNullOption().value_or(!spec.isPrimaryKey());
    if (spec.isAutoIncrement() && spec.type().kind != Kind::Integer &&
        spec.type().kind != Kind::BigInt)
      throw UsageError(fmt::format(
          "model {}: autoIncrement attribute \"{}\" must be INTEGER or BIGINT", name_, def.name));
    def.spec = std::move(spec);
    def.isTimestamp = isTimestamp;
    attributes_.push_back(std::move(def));
    attributesChanged();
  };

  bool hasPk = false;
  for (auto& [n, a] : attributes) hasPk = hasPk || a.isPrimaryKey();
  // Sequelize adds `id INTEGER PRIMARY KEY AUTOINCREMENT` to models without a key.
  if (!hasPk) add("id", DataTypes::INTEGER.primaryKey().autoIncrement(), false);
  for (auto& [n, a] : attributes) add(n, a, false);

  auto stamp = [&](const TimestampName& opt, const char* def, std::string& out, bool nullable) {
    if (!opt.enabled) return;
    out = opt.name.empty() ? def : opt.name;
    if (seenNames.count(out)) return;  // the user defined it explicitly
    add(out, DataTypes::DATE.allowNull(nullable), true);
  };
  if (options_.timestamps) {
    stamp(options_.createdAt, "createdAt", createdAt_, false);
    stamp(options_.updatedAt, "updatedAt", updatedAt_, false);
  }
  if (options_.paranoid) {
    if (!options_.timestamps)
      throw UsageError(fmt::format("model {}: paranoid needs timestamps", name_));
    stamp(options_.deletedAt, "deletedAt", deletedAt_, true);
    if (deletedAt_.empty())
      throw UsageError(fmt::format("model {}: paranoid needs a deletedAt attribute", name_));
  }
  for (const auto& a : attributes_)
    if (a.spec.isPrimaryKey()) primaryKeys_.push_back(a.name);
  primaryKey_ = primaryKeys_.front();
}

std::optional<std::size_t> Model::attributeIndex(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < attributeNames_.size(); ++i)
    if (attributeNames_[i] == name) return i;
  return std::nullopt;
}

void Model::attributesChanged() {
  attributeNames_.clear();
  jsonKeys_.clear();
  for (const auto& a : attributes_) {
    attributeNames_.push_back(a.name);
    std::string key;
    writeJSONString(key, a.name);
    key.push_back(':');
    jsonKeys_.push_back(std::move(key));
  }
}

std::size_t Model::requireIndex(std::string_view name) const {
  if (auto i = attributeIndex(name)) return *i;
  throw UsageError(fmt::format("model {} has no attribute \"{}\"", name_, name));
}

const AttributeDef& Model::attribute(std::string_view name) const {
  return attributes_[requireIndex(name)];
}

sql::CreateTable Model::createTableStatement() const {
  sql::CreateTable ct;
  ct.name = tableName_;
  ct.ifNotExists = true;
  bool composite = primaryKeys_.size() > 1;
  std::map<std::string, std::vector<std::string>> compositeUniques;
  for (const auto& a : attributes_) {
    sql::ColumnDef c;
    c.name = a.column;
    c.type = a.spec.type();
    c.allowNull = a.allowNull;
    c.primaryKey = a.spec.isPrimaryKey() && !composite;
    c.autoIncrement = a.spec.isAutoIncrement();
    if (a.spec.isUnique()) {
      if (a.spec.uniqueKey().empty())
        c.unique = true;
      else
        compositeUniques[a.spec.uniqueKey()].push_back(a.column);
    }
    if (const auto& d = a.spec.defaultValueOption(); d && !d->isNull()) c.defaultValue = Expr(*d);
    c.references = a.spec.referencesOption();
    ct.columns.push_back(std::move(c));
    if (composite && a.spec.isPrimaryKey()) ct.primaryKey.push_back(a.column);
  }
  for (auto& [key, cols] : compositeUniques) ct.uniques.push_back({key, cols});
  return ct;
}

void Model::sync(SyncOptions options) const {
  detail::ConnectionScope scope(*db_, options.transaction);
  if (options.force) {
    sql::DropTable d;
    d.name = tableName_;
    d.ifExists = true;
    d.cascade = true;
    scope.run(d);
  }
  scope.run(createTableStatement());
}

void Model::drop(Transaction* transaction) const {
  detail::ConnectionScope scope(*db_, transaction);
  sql::DropTable d;
  d.name = tableName_;
  d.ifExists = true;
  d.cascade = true;
  scope.run(d);
}

}  // namespace junction
