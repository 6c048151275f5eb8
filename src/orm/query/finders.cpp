// Reading rows: findAll and friends, counts and aggregates.
#include <fmt/format.h>

#include "orm/internal.hpp"

namespace junction {

namespace detail {

std::vector<Instance> runFindAll(const Model& m, const FindOptions& o) {
  ConnectionScope scope(m.database(), o.transaction);
  if (!o.include.empty()) return findWithIncludes(scope, m, o);
  BoundSelect b = bindSelect(m, o);  // the lean path: no includes
  return fetchInstances(scope, m, b);
}

Where primaryKeyMatch(const Model& m, Value key) {
  if (m.primaryKeys().size() != 1)
    throw UsageError(fmt::format("{}.findByPk needs a single-column primary key", m.name()));
  if (key.isNull()) return {};
  const AttributeDef& pk = m.attribute(m.primaryKey());
  Value k = coerce(pk.spec.type(), std::move(key));
  if (auto err = typeError(pk.spec.type(), k))
    throw UsageError(fmt::format("{}.findByPk: {}", m.name(), *err));
  return Where(col(m.primaryKey()) == Expr(k));
}

std::int64_t runCount(const Model& m, const CountOptions& options) {
  ConnectionScope scope(m.database(), options.transaction);
  if (!options.include.empty()) return countWithIncludes(scope, m, options);
  BindContext ctx{&m, m.name(), {}, "where"};
  sql::Select s;
  s.from = {m.tableName(), m.name(), nullptr};
  Expr target = options.col.empty() ? sql::literal("*") : bind(ctx, col(options.col));
  Expr counted =
      options.distinct
          ? sql::countDistinct(options.col.empty()
                                   ? sql::col(m.name(), m.attribute(m.primaryKey()).column)
                                   : target)
          : fn("COUNT", target);
  s.columns.push_back({counted, "count"});
  s.where = bindWhere(ctx, options.where, options.paranoid);
  ResultSet rs = scope.run(s);
  return rs.at(0, 0).as<std::int64_t>();
}

}  // namespace detail

std::vector<Instance> Model::findAll(FindOptions options) const {
  return detail::runFindAll(*this, detail::withDefaultScope(*this, std::move(options)));
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
  FindOptions merged = detail::withDefaultScope(*this, std::move(options));
  CountedRows out;
  // Distinct parents: includes never multiply the count.
  out.count = detail::runCount(*this, {.include = merged.include,
                                       .where = merged.where,
                                       .paranoid = merged.paranoid,
                                       .transaction = merged.transaction});
  out.rows = detail::runFindAll(*this, merged);
  return out;
}

std::int64_t Model::count(CountOptions options) const {
  options.where = detail::withDefaultScopeWhere(*this, options.where);
  return detail::runCount(*this, options);
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
      detail::bindWhere(ctx, detail::withDefaultScopeWhere(m, options.where), options.paranoid);
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
