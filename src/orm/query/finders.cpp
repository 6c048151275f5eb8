// Model's finders (the surface is detail::Finder), findOrCreate and aggregates.
#include <fmt/format.h>

#include "orm/internal.hpp"
#include "orm/query/binder.hpp"
#include "orm/query/finder.hpp"

namespace junction {

std::vector<Instance> Model::findAll(FindOptions options) const {
  return detail::defaultFinder(*this).findAll(std::move(options));
}
std::optional<Instance> Model::findOne(FindOptions options) const {
  return detail::defaultFinder(*this).findOne(std::move(options));
}
std::optional<Instance> Model::findByPk(Value key, FindOptions options) const {
  return detail::defaultFinder(*this).findByPk(std::move(key), std::move(options));
}
Model::CountedRows Model::findAndCountAll(FindOptions options) const {
  return detail::defaultFinder(*this).findAndCountAll(std::move(options));
}
std::int64_t Model::count(CountOptions options) const {
  return detail::defaultFinder(*this).count(std::move(options));
}
std::int64_t Model::update(const Record& values, UpdateOptions options) const {
  return detail::defaultFinder(*this).update(values, std::move(options));
}
std::int64_t Model::destroy(DestroyOptions options) const {
  return detail::defaultFinder(*this).destroy(std::move(options));
}

std::pair<Instance, bool> Model::findOrCreate(FindOrCreateOptions options) const {
  if (options.where.empty()) throw UsageError(fmt::format("{}.findOrCreate needs a where", name_));
  Record values;
  for (const auto& [k, v] : options.where.equalities()) values.emplace_back(k, v);
  for (const auto& [k, v] : options.defaults) {
    bool overridden = false;
    for (auto& [k2, v2] : values)
      if (k2 == k) {
        v2 = v;
        overridden = true;
      }
    if (!overridden) values.emplace_back(k, v);
  }
  return detail::atomically(
      *db_, options.transaction, [&](Transaction& t) -> std::pair<Instance, bool> {
        if (auto found = findOne({.where = options.where, .transaction = &t}))
          return {std::move(*found), false};
        try {
          // A savepoint, so a lost race does not abort the enclosing transaction.
          Instance created = detail::atomically(
              *db_, &t, [&](Transaction& sp) { return create(values, {.transaction = &sp}); });
          return {std::move(created), true};
        } catch (const UniqueConstraintError&) {
          if (auto found = findOne({.where = options.where, .transaction = &t}))
            return {std::move(*found), false};
          throw;
        }
      });
}

namespace {
Value aggregate(const Model& m, std::string_view function, std::string_view attribute,
                const AggregateOptions& options) {
  const AttributeDef& a = m.attribute(attribute);
  detail::BindContext ctx{&m, m.name(), {}, "where"};
  sql::Select s;
  s.from = {m.tableName(), m.name(), nullptr};
  s.columns.push_back(
      {fn(std::string(function), sql::col(m.name(), a.column)), std::string(function)});
  s.where =
      detail::bindWhere(ctx, detail::defaultFinder(m).scopedWhere(options.where), options.paranoid);
  detail::ConnectionScope scope(m.database(), options.transaction);
  ResultSet rs = scope.run(s);
  Value v = std::move(rs.mutableAt(0, 0));
  using K = sql::ColumnType::Kind;
  if (function == "SUM") {
    // PostgreSQL's SUM(integer) is NUMERIC/BIGINT; return the attribute's number kind.
    if (v.isNull()) return v;
    if (a.spec.type().kind == K::Integer || a.spec.type().kind == K::BigInt) {
      sql::ColumnType big;
      big.kind = K::BigInt;
      return detail::coerce(big, std::move(v));
    }
    if (a.spec.type().kind == K::Decimal) return detail::coerce(a.spec.type(), std::move(v));
    sql::ColumnType dbl;
    dbl.kind = K::Double;
    return detail::coerce(dbl, std::move(v));
  }
  detail::hydrate(a.spec.type(), v);
  return v;
}
}  // namespace

Value Model::max(std::string_view attribute, AggregateOptions options) const {
  return aggregate(*this, "MAX", attribute, options);
}
Value Model::min(std::string_view attribute, AggregateOptions options) const {
  return aggregate(*this, "MIN", attribute, options);
}
Value Model::sum(std::string_view attribute, AggregateOptions options) const {
  return aggregate(*this, "SUM", attribute, options);
}

}  // namespace junction
