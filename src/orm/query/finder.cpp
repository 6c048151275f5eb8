// The finder surface (finder.hpp).
#include "orm/query/finder.hpp"

#include <fmt/format.h>

#include "orm/internal.hpp"
#include "orm/loading/load.hpp"

namespace junction::detail {

std::vector<Instance> Finder::findAll(FindOptions o) const {
  FindOptions merged = scoped(std::move(o));
  ConnectionScope scope(m_.database(), merged.transaction);
  return findInstances(scope.conn(), m_, merged);
}

std::optional<Instance> Finder::findOne(FindOptions o) const {
  o.limit = 1;
  const bool reject = o.rejectOnEmpty;
  auto rows = findAll(std::move(o));
  if (rows.empty()) {
    if (reject) throw EmptyResultError(fmt::format("{}: no row matched", m_.name()));
    return std::nullopt;
  }
  return std::move(rows.front());
}

std::optional<Instance> Finder::findByPk(Value key, FindOptions o) const {
  std::optional<Where> match = primaryKeyMatch(m_, std::move(key));
  if (!match) return std::nullopt;
  o.where = o.where.empty() ? std::move(*match) : Where(sql::and_({o.where.expr(), match->expr()}));
  return findOne(std::move(o));
}

Model::CountedRows Finder::findAndCountAll(FindOptions o) const {
  FindOptions merged = scoped(std::move(o));
  ConnectionScope scope(m_.database(), merged.transaction);
  Model::CountedRows out;
  // Distinct parents: includes never multiply the count.
  out.count = countInstances(
      scope.conn(), m_,
      {.include = merged.include, .where = merged.where, .paranoid = merged.paranoid});
  out.rows = findInstances(scope.conn(), m_, merged);
  return out;
}

std::int64_t Finder::count(CountOptions o) const {
  FindOptions merged = scoped({.include = std::move(o.include), .where = std::move(o.where)});
  o.include = std::move(merged.include);
  o.where = std::move(merged.where);
  ConnectionScope scope(m_.database(), o.transaction);
  return countInstances(scope.conn(), m_, o);
}

std::int64_t Finder::update(const Record& values, UpdateOptions o) const {
  if (o.where.empty())
    throw UsageError(
        fmt::format("{}.update needs a where; to update every row pass .where = literal(\"1 = 1\")",
                    m_.name()));
  o.where = scopedWhere(o.where);
  return runUpdate(m_, values, std::move(o));
}

std::int64_t Finder::destroy(DestroyOptions o) const {
  if (o.where.empty() && !o.truncate)
    throw UsageError(fmt::format(
        "{}.destroy needs a where, or .truncate = true to delete every row", m_.name()));
  o.where = scopedWhere(o.where);
  return runDestroy(m_, std::move(o));
}

Where Finder::scopedWhere(const Where& w) const {
  if (scopes_.empty()) return w;
  return scoped({.where = w}).where;
}

std::optional<Where> primaryKeyMatch(const Model& m, Value key) {
  if (m.primaryKeys().size() != 1)
    throw UsageError(fmt::format("{}.findByPk needs a single-column primary key", m.name()));
  if (key.isNull()) return std::nullopt;  // Sequelize: findByPk(null) resolves to null
  const AttributeDef& pk = m.attribute(m.primaryKey());
  Value k = coerce(pk.spec.type(), std::move(key));
  // A key no row can have (2147483648 for an INTEGER key, "abc", text that is
  // not UTF-8) finds nothing, without a statement: a path id from a request
  // is a 404, not an error.
  if (typeError(pk.spec.type(), k)) return std::nullopt;
  return Where(col(m.primaryKey()) == Expr(k));
}

}  // namespace junction::detail
