// The select-in strategy: the include is read by its own statement,
// `WHERE key IN (...)` over every parent at once (in chunks under the
// engine's parameter limit), and its rows are handed to their parents. The
// default for to-many includes: a findAll costs 1 + (to-many nodes)
// statements whatever the row count, and rows never multiply. When the
// include filters its parents (required, or a where), the parents'
// statement gets an EXISTS for it.
#include <fmt/format.h>

#include <numeric>

#include "orm/loading/strategy.hpp"

namespace junction::detail {

namespace {

class SelectInStrategy final : public LoaderStrategy {
 public:
  bool readsParentStatement() const noexcept override { return false; }
  std::string_view name() const noexcept override { return "select-in"; }

  // Reads nothing from the parents' rows but their key (a needed key of
  // the parents' layout); filters them when the include is required.
  void shapeQuery(const LoadNode& n, ParentStatement& p) const override {
    if (n.required()) p.filter = sql::and_({p.filter, requiredExists(n, p)});
  }

  void finishParents(LoadContext& ctx, const LoadNode& n,
                     std::vector<Instance*>& parents) const override;

 private:
  // EXISTS (a row of the include, matching its where, for this parent).
  static Expr requiredExists(const LoadNode& n, const ParentStatement& p);
};

Expr SelectInStrategy::requiredExists(const LoadNode& n, const ParentStatement& p) {
  const Association& a = *n.association;
  const Model& t = *n.target;
  // Its own aliases, so that the subquery's names never shadow the parent's.
  const std::string alias = "_" + a.as;
  const std::string ta = alias + "_through";
  IncludeClauses c = bindIncludeClauses(*n.bound, alias, ta, {});
  AssociationKeys k = keysOf(a, p.alias, alias, ta);
  auto sub = std::make_shared<sql::Select>();
  sub->columns.push_back({sql::literal("1"), ""});
  sub->from = {t.tableName(), alias, nullptr};
  Expr match = k.childKey == k.parentKey;
  if (a.type == AssociationType::BelongsToMany) {
    sub->joins.push_back(
        {sql::JoinKind::Inner, {a.through->tableName(), ta, nullptr}, k.junctionOn});
    match = sql::and_({match, c.throughFilter});
  }
  sub->where = sql::and_({match, c.filter});
  return sql::exists(sub);
}

void SelectInStrategy::finishParents(LoadContext& ctx, const LoadNode& n,
                                     std::vector<Instance*>& parents) const {
  if (parents.empty()) return;
  const Association& a = *n.association;
  const Model& t = *n.target;
  const std::string& parentKey = parentKeyOf(a);
  std::vector<Value> keys;
  KeyMap<bool> seenKeys;
  for (Instance* p : parents) {
    const Value& v = p->get(parentKey);
    if (!v.isNull() && seenKeys.try_emplace(v, true).second) keys.push_back(v);
  }
  std::vector<Instance> children;
  std::vector<Value> matches;
  if (!keys.empty()) {
    sql::Select select;
    Layout layout;
    select.from = {t.tableName(), n.alias, nullptr};
    selectColumns(select, t, n.alias, n.bound->selection, neededKeys(t, n.children), layout,
                  ColumnNames::ByPath);
    Expr where = n.clauses.filter;
    // The parents' keys are the statement's IN list: only the child's side
    // of the association's keys is used.
    AssociationKeys k = keysOf(a, n.alias, n.alias, n.throughAlias);
    Expr matchExpr = k.childKey;
    if (a.type == AssociationType::BelongsToMany) {
      select.joins.push_back(
          {sql::JoinKind::Inner, {a.through->tableName(), n.throughAlias, nullptr}, k.junctionOn});
      where = sql::and_({where, n.clauses.throughFilter});
      if (n.bound->through)
        selectThrough(select, *a.through, n.throughAlias, *n.bound->through, layout);
    }
    std::vector<sql::OrderItem> includeOrder;
    bool joinedToMany = false;
    ParentStatement self{select, t, n.alias, layout, where, includeOrder, joinedToMany};
    shapeNodes(n.children, self);
    // Which parent each row belongs to. With one parent key every row matched
    // it, so the column is only read when there are several (or when joined
    // to-many rows are told apart by it).
    std::size_t matchColumn = kNone;
    if (keys.size() > 1 || joinedToMany) {
      matchColumn = select.columns.size();
      select.columns.push_back({matchExpr, "_parent"});
    }
    select.orderBy = n.clauses.order;
    // Deterministic, and the same order the joined strategy produces. A
    // belongsToMany joined on the target's primary key orders by the
    // junction's copy of it instead: the same values (an inner join on
    // equality), but an index on the junction's (foreign key, other key),
    // which sync creates, then yields the rows in order without a sort.
    if (!t.primaryKey().empty()) {
      Expr pk = columnOf(n.alias, t.attribute(t.primaryKey()));
      if (a.type == AssociationType::BelongsToMany && a.targetKey == t.primaryKey() &&
          t.attribute(a.targetKey).spec.type().kind ==
              a.through->attribute(a.otherKey).spec.type().kind)
        pk = columnOf(n.throughAlias, a.through->attribute(a.otherKey));
      select.orderBy.push_back({pk, false, std::nullopt});
    }
    if (a.type == AssociationType::BelongsToMany && !a.through->primaryKey().empty())
      select.orderBy.push_back(
          {columnOf(n.throughAlias, a.through->attribute(a.through->primaryKey())), false,
           std::nullopt});
    for (auto& o : includeOrder) select.orderBy.push_back(std::move(o));
    if (n.limit) {
      if (joinedToMany)
        throw UsageError(
            fmt::format("{}: limit with a joined to-many include is not supported", a.as));
      select.limit = n.limit;
    }

    // One statement per chunk of keys under the engine's parameter limit.
    const std::size_t chunk =
        std::max<std::size_t>(1, ctx.conn.dialect().capabilities().maxParams - 64);
    Hydrator sink(layout, joinedToMany, children, matchColumn,
                  keys.size() == 1 ? nullptr : &matches);
    for (std::size_t start = 0; start < keys.size(); start += chunk) {
      std::vector<Value> part(
          keys.begin() + static_cast<std::ptrdiff_t>(start),
          keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), start + chunk)));
      sql::Select s = select;
      s.where = sql::and_({matchExpr.in(part), where});
      ctx.conn.stream(sql::compile(ctx.conn.dialect(), s), sink);
    }
    std::vector<Instance*> childPtrs;
    childPtrs.reserve(children.size());
    for (auto& c : children) childPtrs.push_back(&c);
    finishNodes(ctx, n.children, childPtrs);
  }
  // Group children by the parent key they matched, then hand them out. The
  // rows of one parent usually arrive together (always, for one parent), so
  // a run of equal keys reuses its group without a lookup.
  std::vector<std::vector<std::size_t>> groups;
  KeyMap<std::size_t> groupOf;
  if (keys.size() == 1 && !children.empty()) {
    groupOf.try_emplace(keys.front(), 0);
    groups.emplace_back(children.size());
    std::iota(groups.front().begin(), groups.front().end(), std::size_t{0});
  }
  for (std::size_t i = 0, current = kNone; i < matches.size(); ++i) {
    if (current == kNone || !SameKey{}(matches[i], matches[i - 1])) {
      auto [it, fresh] = groupOf.try_emplace(matches[i], groups.size());
      if (fresh) groups.emplace_back();
      current = it->second;
    }
    groups[current].push_back(i);
  }
  KeyMap<std::size_t> remaining;
  for (Instance* p : parents) ++remaining[p->get(parentKey)];
  for (Instance* p : parents) {
    const Value& k = p->get(parentKey);
    Instance::Loaded entry{a.as, {}, a.single()};
    auto it = k.isNull() ? groupOf.end() : groupOf.find(k);
    if (it != groupOf.end()) {
      const auto& group = groups[it->second];
      bool last = --remaining[k] == 0;
      if (last && !a.single() && group.size() == children.size()) {
        entry.items = std::move(children);  // every child, already in order
      } else {
        entry.items.reserve(a.single() ? 1 : group.size());
        for (std::size_t i : group) {
          if (a.single() && !entry.items.empty()) break;
          if (last)
            entry.items.push_back(std::move(children[i]));
          else
            entry.items.push_back(children[i]);
        }
      }
    }
    auto& loaded = InstanceAccess::loaded(*p);
    std::erase_if(loaded, [&](const Instance::Loaded& l) { return l.name == a.as; });
    loaded.push_back(std::move(entry));
  }
}

}  // namespace

const LoaderStrategy& selectInStrategy() noexcept {
  static const SelectInStrategy s;
  return s;
}

}  // namespace junction::detail
