// The binder's query half: attribute lists, include trees and the root
// statement's clauses, resolved against the models (binder.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "orm/internal.hpp"
#include "orm/query/binder.hpp"

namespace junction::detail {

Selection bindAttributes(const Model& m, const Attributes& at, bool allowComputed) {
  Selection sel;
  std::vector<bool> chosen(m.attributes().size(), false);
  auto choose = [&](std::size_t i) {
    if (!chosen[i]) {
      chosen[i] = true;
      sel.attrs.push_back(i);
    }
  };
  switch (at.mode()) {
    case Attributes::Mode::All:
      // Unknown names are errors; "" names nothing and excludes nothing
      // (seed 000's routes write exclude: [''], a no-op in Sequelize).
      for (const auto& ex : at.excluded())
        if (!ex.empty()) m.requireIndex(ex);
      for (std::size_t i = 0; i < m.attributes().size(); ++i) {
        const auto& ex = at.excluded();
        if (std::find(ex.begin(), ex.end(), m.attributes()[i].name) == ex.end()) choose(i);
      }
      for (const auto& item : at.extra()) {
        if (item.expr.empty())
          throw UsageError(fmt::format("attributes.include of {}: \"{}\" needs an expression",
                                       m.name(), item.name));
        sel.computed.push_back(item);
      }
      break;
    case Attributes::Mode::List:
      for (const auto& item : at.items()) {
        if (item.expr.empty())
          choose(m.requireIndex(item.name));
        else
          sel.computed.push_back(item);
      }
      break;
    case Attributes::Mode::None:
      break;
  }
  if (sel.computed.empty()) return sel;
  if (!allowComputed)
    throw UsageError(
        fmt::format("attributes of included {}: computed attributes belong on the top-level "
                    "query's attributes",
                    m.name()));
  for (const auto& item : sel.computed) {
    if (item.name.empty())
      throw UsageError(
          fmt::format("attributes of {}: a computed attribute needs an alias", m.name()));
    auto idx = m.attributeIndex(item.name);
    if (idx && chosen[*idx])
      throw UsageError(
          fmt::format("attributes of {}: computed alias \"{}\" collides with a selected attribute",
                      m.name(), item.name));
    sel.computedNames.push_back(item.name);
  }
  return sel;
}

const Association& resolveInclude(const Model& parent, const Include& inc) {
  if (!inc.as.empty()) {
    const Association* a = parent.findAssociation(inc.as);
    if (!a)
      throw AssociationError(
          fmt::format("include: model {} has no association named \"{}\"", parent.name(), inc.as));
    if (inc.model.model && a->target != inc.model.model)
      throw AssociationError(fmt::format("include: association \"{}\" of {} targets {}, not {}",
                                         inc.as, parent.name(), a->target->name(),
                                         inc.model.model->name()));
    return *a;
  }
  if (!inc.model.model) throw UsageError("include: give .model or .as");
  std::vector<const Association*> candidates, defaulted;
  for (const Association* a : parent.associations()) {
    if (a->target != inc.model.model) continue;
    candidates.push_back(a);
    if (!aliasWasGiven(parent, *a)) defaulted.push_back(a);
  }
  if (candidates.size() == 1) return *candidates.front();
  if (candidates.empty())
    throw AssociationError(
        fmt::format("include: {} is not associated to {}", inc.model.model->name(), parent.name()));
  // Sequelize: {model: Note} means the association without an alias.
  if (defaulted.size() == 1) return *defaulted.front();
  std::string names;
  for (const Association* a : candidates) names += (names.empty() ? "" : ", ") + a->as;
  throw AssociationError(
      fmt::format("include: {} is associated to {} several times ({}); say which with .as",
                  inc.model.model->name(), parent.name(), names));
}

std::vector<BoundInclude> bindIncludes(const Model& parent, const std::vector<Include>& specs) {
  std::vector<BoundInclude> out;
  std::set<std::string> seen;
  for (const Include& inc : specs) {
    BoundInclude b;
    b.association = &resolveInclude(parent, inc);
    b.spec = &inc;
    const Association& a = *b.association;
    if (!seen.insert(a.as).second)
      throw UsageError(
          fmt::format("include: association \"{}\" of {} is included twice", a.as, parent.name()));
    const bool btm = a.type == AssociationType::BelongsToMany;
    if (!btm &&
        (inc.through.attributes.mode() != Attributes::Mode::All || !inc.through.where.empty()))
      throw UsageError(fmt::format("include \"{}\": through options need a belongsToMany", a.as));
    IncludeScope scope = includeScope(inc, *a.target);
    b.selection = bindAttributes(*a.target, *scope.attributes, false);
    if (btm && inc.through.attributes.mode() != Attributes::Mode::None)
      b.through = bindAttributes(*a.through, inc.through.attributes, false);
    b.required = inc.required.value_or(!inc.where.empty() || !scope.where.empty());
    b.scopeWhere = std::move(scope.where);
    b.children = bindIncludes(*a.target, inc.include);
    out.push_back(std::move(b));
  }
  return out;
}

IncludeClauses bindIncludeClauses(const BoundInclude& inc, const std::string& alias,
                                  const std::string& throughAlias,
                                  std::vector<std::pair<std::string, const Model*>> joined) {
  const Association& a = *inc.association;
  const Model& t = *a.target;
  const Include& spec = *inc.spec;
  IncludeClauses c;
  // The where may name the junction (joined before the target), not the
  // includes below, which are joined after it.
  std::vector<std::pair<std::string, const Model*>> junction;
  if (a.through) junction.emplace_back(throughAlias, a.through);
  c.filter = sql::and_(
      {bind(BindContext{&t, alias, {}, "include where", std::move(junction)}, spec.where.expr()),
       spec.paranoid ? paranoidFilter(t, alias) : Expr(),
       bind(BindContext{&t, alias, {}, "include scope where"}, inc.scopeWhere.expr())});
  if (a.type == AssociationType::BelongsToMany)
    c.throughFilter = bind(BindContext{a.through, throughAlias, {}, "include through.where"},
                           spec.through.where.expr());
  BindContext octx{&t, alias, {}, "include order", std::move(joined)};
  for (const auto& o : spec.order) c.order.push_back(bindOrder(octx, o));
  return c;
}

std::vector<std::string> referencedIncludes(const Model& m, const FindOptions& o) {
  std::set<std::string> out;
  auto visit = [&](const Expr& e) {
    if (e.empty()) return;
    sql::visitColumns(e, [&](const sql::ColumnRef& c) {
      if (!c.table.empty() && c.table != m.name() && c.table != m.tableName()) out.insert(c.table);
    });
  };
  visit(o.where.expr());
  visit(o.having.expr());
  for (const auto& g : o.group) visit(g.expr);
  for (const auto& oi : o.order) visit(oi.target);
  for (const auto& item : o.attributes.items()) visit(item.expr);
  for (const auto& item : o.attributes.extra()) visit(item.expr);
  return {out.begin(), out.end()};
}

RootClauses bindRootClauses(const Model& m, const FindOptions& o, const std::string& alias,
                            const Selection& selection,
                            std::vector<std::pair<std::string, const Model*>> joined) {
  RootClauses rc;
  BindContext ctx{&m, alias, {}, "where", std::move(joined)};
  rc.where = bindWhere(ctx, o.where, o.paranoid);  // computed aliases are not visible in WHERE
  ctx.clause = "attributes";
  for (const auto& item : selection.computed)
    rc.computed.push_back({bind(ctx, item.expr), item.name});
  ctx.computed = selection.computedNames;
  ctx.clause = "group";
  for (const auto& g : o.group) rc.group.push_back(bind(ctx, g.expr));
  ctx.clause = "having";
  rc.having = bind(ctx, o.having.expr());
  ctx.clause = "order";
  for (const auto& item : o.order) {
    rc.order.push_back(bindOrder(ctx, item));
    rc.orderNamesOnlyRoot.push_back(namesOnlyRoot(ctx, item.target));
  }
  checkLimits(o.limit, o.offset);
  return rc;
}

}  // namespace junction::detail
