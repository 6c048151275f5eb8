// The load pipeline (load.hpp): the root statement, and the strategies'
// hooks in order.
#include "orm/loading/load.hpp"

#include <algorithm>

#include "orm/loading/plan.hpp"

namespace junction::detail {

// ---------------------------------------------- what every strategy shares

void LoaderStrategy::consumeRow(const Layout::Child&, Instance&, std::span<Value>,
                                ChildIndex*) const {}

const std::string& parentKeyOf(const Association& a) {
  return a.type == AssociationType::BelongsTo ? a.foreignKey : a.sourceKey;
}

std::vector<std::string> neededKeys(const Model& m, const std::vector<LoadNode>& nodes) {
  std::vector<std::string> keys;
  if (!m.primaryKey().empty()) keys.push_back(m.primaryKey());
  for (const LoadNode& n : nodes) keys.push_back(parentKeyOf(*n.association));
  return keys;
}

AssociationKeys keysOf(const Association& a, const std::string& parentAlias,
                       const std::string& alias, const std::string& throughAlias) {
  const Model& t = *a.target;
  AssociationKeys k;
  k.parentKey = columnOf(parentAlias, a.source->attribute(parentKeyOf(a)));
  switch (a.type) {
    case AssociationType::BelongsToMany:
      k.childKey = columnOf(throughAlias, a.through->attribute(a.foreignKey));
      k.junctionOn = columnOf(alias, t.attribute(a.targetKey)) ==
                     columnOf(throughAlias, a.through->attribute(a.otherKey));
      break;
    case AssociationType::BelongsTo:
      k.childKey = columnOf(alias, t.attribute(a.targetKey));
      break;
    default:
      k.childKey = columnOf(alias, t.attribute(a.foreignKey));
      break;
  }
  return k;
}

void shapeNodes(const std::vector<LoadNode>& nodes, ParentStatement& parent) {
  for (const LoadNode& n : nodes) n.strategy->shapeQuery(n, parent);
}

void finishNodes(LoadContext& ctx, const std::vector<LoadNode>& nodes,
                 std::vector<Instance*>& parents) {
  if (parents.empty()) return;
  for (const LoadNode& n : nodes) n.strategy->finishParents(ctx, n, parents);
}

// ------------------------------------------------------- the root statement

namespace {

struct RootStatement {
  sql::Select select;
  Layout layout;
  bool joinedToMany = false;
};

// The statement that reads the root model's rows, shaped by the plan's
// nodes. For a count, only its FROM, joins and WHERE matter.
RootStatement shapeRoot(const Model& m, const FindOptions& o, const LoadPlan& plan, bool forCount) {
  RootStatement r;
  const std::string& alias = plan.rootAlias;
  sql::Select& s = r.select;
  s.from = {m.tableName(), alias, nullptr};
  Selection sel;
  if (!forCount) {
    sel = bindAttributes(m, o.attributes, true);
    selectColumns(s, m, alias, sel,
                  plan.nodes.empty() ? std::vector<std::string>{} : neededKeys(m, plan.nodes),
                  r.layout, ColumnNames::ByAttribute);
  } else {
    r.layout.model = &m;
  }
  Expr filter;
  std::vector<sql::OrderItem> includeOrder;
  ParentStatement p{s, m, alias, r.layout, filter, includeOrder, r.joinedToMany};
  shapeNodes(plan.nodes, p);
  RootClauses rc = bindRootClauses(m, o, alias, sel, plan.joined);
  s.where = filter.empty() ? std::move(rc.where) : sql::and_({rc.where, filter});
  if (forCount) return r;

  r.layout.extraFirst = s.columns.size();
  for (auto& item : rc.computed) s.columns.push_back(std::move(item));
  if (!sel.computedNames.empty())
    r.layout.extraNames = std::make_shared<const std::vector<std::string>>(sel.computedNames);
  if (s.columns.empty()) s.columns.push_back({sql::literal("1"), "_"});
  s.groupBy = std::move(rc.group);
  s.having = std::move(rc.having);
  s.orderBy = rc.order;
  // Joined to-many rows are ordered by their parent's key so the parents
  // come out in a fixed order. With one parent at most (findOne, findByPk)
  // that key is the same on every row, and sorting on it only costs the
  // server a comparison per row pair that never decides anything.
  const bool oneParent = o.limit && *o.limit <= 1;
  if (r.joinedToMany && !oneParent && !m.primaryKey().empty() && o.group.empty())
    s.orderBy.push_back({columnOf(alias, m.attribute(m.primaryKey())), false, std::nullopt});
  if (o.group.empty())
    for (auto& oi : includeOrder) s.orderBy.push_back(std::move(oi));
  if (r.joinedToMany && (o.limit || o.offset)) {
    // Limit parents, not joined rows: the parents are chosen in a subquery,
    // which has none of the joins. Its order is the query's order items
    // that name the root alone; the others order the joined rows outside.
    auto sub = std::make_shared<sql::Select>();
    sub->from = {m.tableName(), alias, nullptr};
    sub->where = bindWhere(BindContext{&m, alias, {}, "where"}, o.where, o.paranoid);
    for (std::size_t i = 0; i < rc.order.size(); ++i)
      if (rc.orderNamesOnlyRoot[i]) sub->orderBy.push_back(rc.order[i]);
    sub->limit = o.limit;
    sub->offset = o.offset;
    s.from = {"", alias, sub};
    s.where = filter;
  } else {
    s.limit = o.limit;
    s.offset = o.offset;
  }
  s.lock = o.lock;
  return r;
}

}  // namespace

// ----------------------------------------------------------- the three uses

std::vector<Instance> findInstances(Connection& conn, const Model& m, const FindOptions& o) {
  LoadPlan plan = planLoad(
      m, o.include, o.include.empty() ? std::vector<std::string>{} : referencedIncludes(m, o));
  RootStatement r = shapeRoot(m, o, plan, false);
  std::vector<Instance> out;
  if (r.select.limit)
    out.reserve(static_cast<std::size_t>(std::min<std::int64_t>(*r.select.limit, 1024)));
  Hydrator sink(r.layout, r.joinedToMany && o.group.empty(), out);
  conn.stream(sql::compile(conn.dialect(), r.select), sink);
  if (!plan.nodes.empty()) {
    std::vector<Instance*> parents;
    parents.reserve(out.size());
    for (auto& i : out) parents.push_back(&i);
    LoadContext ctx{conn};
    finishNodes(ctx, plan.nodes, parents);
  }
  return out;
}

std::int64_t countInstances(Connection& conn, const Model& m, const CountOptions& o) {
  FindOptions fo;
  fo.include = o.include;
  fo.where = o.where;
  fo.paranoid = o.paranoid;
  LoadPlan plan = planLoad(
      m, fo.include, fo.include.empty() ? std::vector<std::string>{} : referencedIncludes(m, fo));
  RootStatement r = shapeRoot(m, fo, plan, true);
  // Only the joins that filter: an outer join cannot change which parents count.
  std::erase_if(r.select.joins, [](const sql::Join& j) { return j.kind == sql::JoinKind::Left; });
  // With includes, parents are counted once each however many rows join them.
  const bool distinct = o.distinct || !o.include.empty();
  const std::string& alias = plan.rootAlias;
  Expr target = !o.col.empty() ? bind(BindContext{&m, alias, {}, "count"}, col(o.col))
                : distinct     ? columnOf(alias, m.attribute(m.primaryKey()))
                               : sql::literal("*");
  r.select.columns = {{distinct ? sql::countDistinct(target) : fn("COUNT", target), "count"}};
  ResultSet rs = conn.query(sql::compile(conn.dialect(), r.select));
  return rs.at(0, 0).as<std::int64_t>();
}

std::vector<Instance> loadAssociation(Connection& conn, const Instance& owner, const Association& a,
                                      const AssociationGetOptions& o) {
  std::vector<Include> spec(1);
  Include& inc = spec.front();
  inc.as = a.as;
  inc.attributes = o.attributes;
  inc.include = o.include;
  inc.where = o.where;
  inc.order = o.order;
  inc.through.attributes = o.joinTableAttributes;
  inc.through.where = o.throughWhere;
  LoadPlan plan = planGetter(owner.model(), spec, o.limit);
  // A holder of the owner's values receives the rows, so the owner's loaded
  // state is untouched.
  Instance holder = InstanceAccess::loaded(owner.model(), InstanceAccess::values(owner));
  std::vector<Instance*> parents{&holder};
  LoadContext ctx{conn};
  finishNodes(ctx, plan.nodes, parents);
  for (auto& l : InstanceAccess::loaded(holder))
    if (l.name == a.as) return std::move(l.items);
  return {};
}

std::int64_t countAssociation(Connection& conn, const Association& a, const Value& key,
                              const AssociationCountOptions& o) {
  std::vector<Include> spec(1);
  spec.front().as = a.as;
  spec.front().where = o.where;
  spec.front().through.where = o.throughWhere;
  LoadPlan plan = planGetter(*a.source, spec, std::nullopt);
  const LoadNode& n = plan.nodes.front();
  AssociationKeys k = keysOf(a, n.alias, n.alias, n.throughAlias);
  sql::Select s;
  s.from = {a.target->tableName(), n.alias, nullptr};
  Expr where = sql::and_({k.childKey == Expr(key), n.clauses.filter});
  if (a.type == AssociationType::BelongsToMany) {
    s.joins.push_back(
        {sql::JoinKind::Inner, {a.through->tableName(), n.throughAlias, nullptr}, k.junctionOn});
    where = sql::and_({where, n.clauses.throughFilter});
  }
  s.columns.push_back({fn("COUNT", sql::literal("*")), "count"});
  s.where = std::move(where);
  return conn.query(sql::compile(conn.dialect(), s)).at(0, 0).as<std::int64_t>();
}

}  // namespace junction::detail
