// The joined strategy: the include is read from its parents' own rows, by a
// JOIN (an inner join when it filters its parents). The default for to-one
// includes (belongsTo, hasOne), for includes the query's own clauses name,
// and for LoadStrategy::Join. A joined to-many include repeats its parent
// on every row; the hydrator merges the repeats.
#include "orm/loading/strategy.hpp"

namespace junction::detail {

namespace {

class JoinedStrategy final : public LoaderStrategy {
 public:
  bool readsParentStatement() const noexcept override { return true; }
  std::string_view name() const noexcept override { return "joined"; }

  void shapeQuery(const LoadNode& n, ParentStatement& p) const override {
    const Association& a = *n.association;
    const Model& t = *n.target;
    const auto kind = n.required() ? sql::JoinKind::Inner : sql::JoinKind::Left;
    AssociationKeys k = keysOf(a, p.alias, n.alias, n.throughAlias);
    Expr on = k.childKey == k.parentKey;
    if (a.type == AssociationType::BelongsToMany) {
      p.select.joins.push_back({kind,
                                {a.through->tableName(), n.throughAlias, nullptr},
                                sql::and_({on, n.clauses.throughFilter})});
      on = k.junctionOn;
    }
    p.select.joins.push_back(
        {kind, {t.tableName(), n.alias, nullptr}, sql::and_({on, n.clauses.filter})});
    if (!a.single()) p.joinedToMany = true;

    auto child = std::make_unique<Layout>();
    if (n.bound->spec->attributes.mode() != Attributes::Mode::None || !n.children.empty())
      selectColumns(p.select, t, n.alias, n.bound->selection, neededKeys(t, n.children), *child,
                    ColumnNames::ByPath);
    else
      child->model = &t;  // attributes none: joined for filtering/aggregates only
    if (n.bound->through && child->pkColumn != kNone)
      selectThrough(p.select, *a.through, n.throughAlias, *n.bound->through, *child);
    for (const auto& o : n.clauses.order) p.order.push_back(o);
    if (!a.single() && child->pkColumn != kNone)
      p.order.push_back({columnOf(n.alias, t.attribute(t.primaryKey())), false, std::nullopt});
    ParentStatement below{p.select, t, n.alias, *child, p.filter, p.order, p.joinedToMany};
    shapeNodes(n.children, below);
    if (child->pkColumn != kNone || !child->children.empty())
      p.layout.children.push_back({a.as, a.single(), child.get(), this});
    p.layout.storage.push_back(std::move(child));
  }

  void consumeRow(const Layout::Child& c, Instance& parent, std::span<Value> row,
                  ChildIndex* index) const override {
    const Layout& C = *c.layout;
    const bool present = C.pkColumn != kNone && !row[C.pkColumn].isNull();
    if (!index) {  // the parent's first row: its entry, with the child if the row has one
      Instance::Loaded& entry = InstanceAccess::loaded(parent).emplace_back();
      entry.name = c.name;
      entry.single = c.single;
      if (present) entry.items.push_back(readInstance(C, row));
      return;
    }
    if (c.single || !present) return;  // a to-one child was read with the first row
    Instance::Loaded* entry = findLoaded(parent, c.name);
    if (!entry) return;
    auto [known, built] = index->try_emplace(entry);
    KeyMap<std::size_t>& keys = known->second;
    if (built)  // first repeat: the items the first row put there
      for (std::size_t i = 0; i < entry->items.size(); ++i)
        keys.emplace(instanceKey(C, entry->items[i]), i);
    auto [it, fresh] = keys.try_emplace(rowKey(C, row), entry->items.size());
    if (fresh)
      entry->items.push_back(readInstance(C, row));
    else
      mergeRow(entry->items[it->second], C, row, *index);
  }

  void finishParents(LoadContext& ctx, const LoadNode& n,
                     std::vector<Instance*>& parents) const override {
    if (n.children.empty()) return;
    std::vector<Instance*> kids;
    for (Instance* p : parents)
      if (Instance::Loaded* l = findLoaded(*p, n.association->as))
        for (auto& item : l->items) kids.push_back(&item);
    finishNodes(ctx, n.children, kids);
  }
};

}  // namespace

const LoaderStrategy& joinedStrategy() noexcept {
  static const JoinedStrategy s;
  return s;
}

}  // namespace junction::detail
