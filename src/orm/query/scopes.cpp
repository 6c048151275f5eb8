// Scopes: Sequelize's defaultScope, named and parameterised scopes, chained
// with AND-combined wheres; scope(...) replaces the default scope and
// unscoped() drops it.
#include <fmt/format.h>

#include <span>

#include "orm/internal.hpp"
#include "orm/query/binder.hpp"
#include "orm/query/finder.hpp"

namespace junction {

namespace {

bool defaultAttributes(const Attributes& a) {
  return a.mode() == Attributes::Mode::All && a.excluded().empty() && a.extra().empty();
}

bool isEmpty(const Scope& s) {
  return s.where.empty() && defaultAttributes(s.attributes) && s.include.empty() &&
         s.order.empty() && !s.limit;
}

Where andWhere(const Where& a, const Where& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return Where(sql::and_({a.expr(), b.expr()}));
}

// Includes of the same association are replaced by the later one.
void mergeIncludes(std::vector<Include>& acc, const std::vector<Include>& more) {
  for (const Include& inc : more) {
    auto same = std::find_if(acc.begin(), acc.end(), [&](const Include& x) {
      return (!inc.as.empty() && x.as == inc.as) ||
             (inc.as.empty() && x.as.empty() && x.model.model == inc.model.model);
    });
    if (same != acc.end())
      *same = inc;
    else
      acc.push_back(inc);
  }
}

void mergeScope(FindOptions& acc, const Scope& s) {
  acc.where = andWhere(acc.where, s.where);
  if (!defaultAttributes(s.attributes)) acc.attributes = s.attributes;
  mergeIncludes(acc.include, s.include);
  if (!s.order.empty()) acc.order = s.order;
  if (s.limit) acc.limit = s.limit;
}

FindOptions applyScopes(std::span<const Scope> scopes, FindOptions o) {
  if (scopes.empty()) return o;
  FindOptions acc;
  for (const Scope& s : scopes) mergeScope(acc, s);
  acc.where = andWhere(acc.where, o.where);
  if (!defaultAttributes(o.attributes)) acc.attributes = std::move(o.attributes);
  mergeIncludes(acc.include, o.include);
  if (!o.order.empty()) acc.order = std::move(o.order);
  if (o.limit) acc.limit = o.limit;
  acc.offset = o.offset;
  acc.group = std::move(o.group);
  acc.having = std::move(o.having);
  acc.paranoid = o.paranoid;
  acc.lock = o.lock;
  acc.rejectOnEmpty = o.rejectOnEmpty;
  acc.transaction = o.transaction;
  return acc;
}

}  // namespace

ModelRef::ModelRef(const ScopedModel& m)
    : model(&m.model()), scopes(std::make_shared<const std::vector<Scope>>(m.scopes())) {}

namespace detail {

IncludeScope includeScope(const Include& inc, const Model& target) {
  std::span<const Scope> scopes =
      inc.model.scopes ? std::span<const Scope>(*inc.model.scopes) : defaultScopes(target);
  IncludeScope out{{}, &inc.attributes};
  for (const Scope& s : scopes) {
    out.where = andWhere(out.where, s.where);
    if (defaultAttributes(inc.attributes) && !defaultAttributes(s.attributes))
      out.attributes = &s.attributes;
  }
  return out;
}

std::span<const Scope> defaultScopes(const Model& m) noexcept {
  const Scope& s = m.options().defaultScope;
  return {&s, isEmpty(s) ? 0u : 1u};
}

FindOptions Finder::scoped(FindOptions o) const {
  return applyScopes(scopes_, std::move(o));
}

}  // namespace detail

ScopedModel Model::scope(std::vector<ScopeRef> refs) const {
  std::vector<Scope> resolved;
  for (const ScopeRef& r : refs) {
    if (r.name == "defaultScope") {
      resolved.push_back(options_.defaultScope);
      continue;
    }
    auto it = options_.scopes.find(r.name);
    if (it == options_.scopes.end())
      throw UsageError(fmt::format("model {} has no scope named \"{}\"", name_, r.name));
    const Scope& s = it->second;
    if (s.method) {
      resolved.push_back(s.method(r.args));
    } else {
      if (!r.args.empty())
        throw UsageError(fmt::format("scope \"{}\" of {} takes no arguments", r.name, name_));
      resolved.push_back(s);
    }
  }
  return ScopedModel(*this, std::move(resolved));
}

ScopedModel Model::unscoped() const {
  return ScopedModel(*this, {});
}

ScopedModel ScopedModel::scope(std::vector<ScopeRef> more) const {
  ScopedModel extra = model_->scope(std::move(more));
  std::vector<Scope> all = scopes_;
  all.insert(all.end(), extra.scopes_.begin(), extra.scopes_.end());
  return ScopedModel(*model_, std::move(all));
}

FindOptions ScopedModel::apply(FindOptions options) const {
  return applyScopes(scopes_, std::move(options));
}

std::vector<Instance> ScopedModel::findAll(FindOptions options) const {
  return detail::Finder(*model_, scopes_).findAll(std::move(options));
}
std::optional<Instance> ScopedModel::findOne(FindOptions options) const {
  return detail::Finder(*model_, scopes_).findOne(std::move(options));
}
std::optional<Instance> ScopedModel::findByPk(Value key, FindOptions options) const {
  return detail::Finder(*model_, scopes_).findByPk(std::move(key), std::move(options));
}
Model::CountedRows ScopedModel::findAndCountAll(FindOptions options) const {
  return detail::Finder(*model_, scopes_).findAndCountAll(std::move(options));
}
std::int64_t ScopedModel::count(CountOptions options) const {
  return detail::Finder(*model_, scopes_).count(std::move(options));
}
std::int64_t ScopedModel::update(const Record& values, UpdateOptions options) const {
  return detail::Finder(*model_, scopes_).update(values, std::move(options));
}
std::int64_t ScopedModel::destroy(DestroyOptions options) const {
  return detail::Finder(*model_, scopes_).destroy(std::move(options));
}

}  // namespace junction
