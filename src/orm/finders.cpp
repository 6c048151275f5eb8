// Reading rows: findAll and friends, counts and aggregates.
#include <fmt/format.h>

#include "orm/internal.hpp"

namespace junction {

std::vector<Instance> Model::findAll(FindOptions options) const {
  detail::BoundSelect b = detail::bindSelect(*this, options);
  detail::ConnectionScope scope(*db_, options.transaction);
  return detail::fetchInstances(scope, *this, b);
}

std::optional<Instance> Model::findOne(FindOptions options) const {
  options.limit = 1;
  auto rows = findAll(options);
  if (rows.empty()) {
    if (options.rejectOnEmpty) throw EmptyResultError(fmt::format("{}: no row matched", name_));
    return std::nullopt;
  }
  return std::move(rows.front());
}

std::optional<Instance> Model::findByPk(Value key, FindOptions options) const {
  if (primaryKeys_.size() != 1)
    throw UsageError(fmt::format("{}.findByPk needs a single-column primary key", name_));
  if (key.isNull()) return std::nullopt;  // Sequelize: findByPk(null) resolves to null
  const AttributeDef& pk = attribute(primaryKey_);
  Value k = detail::coerce(pk.spec.type(), std::move(key));
  if (auto err = detail::typeError(pk.spec.type(), k))
    throw UsageError(fmt::format("{}.findByPk: {}", name_, *err));
  Expr match = col(primaryKey_) == Expr(k);
  options.where =
      options.where.empty() ? Where(match) : Where(sql::and_({options.where.expr(), match}));
  return findOne(std::move(options));
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

Model::CountedRows Model::findAndCountAll(FindOptions options) const {
  CountedRows out;
  out.count = count(
      {.where = options.where, .paranoid = options.paranoid, .transaction = options.transaction});
  out.rows = findAll(std::move(options));
  return out;
}

std::int64_t Model::count(CountOptions options) const {
  if (!options.include.empty())
    throw UsageError(fmt::format("{}.count: include needs associations", name_));
  detail::BindContext ctx{this, name_, {}, "where"};
  sql::Select s;
  s.from = {tableName_, name_, nullptr};
  Expr target = options.col.empty() ? sql::literal("*") : detail::bind(ctx, col(options.col));
  Expr counted =
      options.distinct
          ? sql::countDistinct(options.col.empty() ? sql::col(name_, attribute(primaryKey_).column)
                                                   : target)
          : fn("COUNT", target);
  s.columns.push_back({counted, "count"});
  s.where = detail::bindWhere(ctx, options.where, options.paranoid);
  detail::ConnectionScope scope(*db_, options.transaction);
  ResultSet rs = scope.run(s);
  return rs.at(0, 0).as<std::int64_t>();
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
  s.where = detail::bindWhere(ctx, options.where, options.paranoid);
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
