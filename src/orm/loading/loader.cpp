// Eager loading (DESIGN.md decision 4). To-one includes are joined into the
// parent's SELECT; to-many includes are loaded by one extra query per include
// node, `WHERE key IN (...)` over all parents at once, so a findAll costs
// 1 + (to-many include nodes) statements whatever the row count, limit and
// offset count parents, and there is no cartesian explosion. An include can
// force the single-JOIN strategy (LoadStrategy::Join), and one referenced by
// the query's own clauses (`col("notes.id")` in group/having) is joined.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <numeric>
#include <set>
#include <unordered_map>

#include "junction/associations.hpp"
#include "orm/internal.hpp"

namespace junction::detail {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// ------------------------------------------------------------------ plan

struct Node {
  const Association* a = nullptr;
  const Model* target = nullptr;
  const Include* spec = nullptr;
  std::string alias;  // SQL alias of the target in the query that reads it
  bool joined = false;
  bool required = false;
  std::vector<Node> children;
};

}  // namespace

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

namespace {

std::vector<Node> plan(const Model& parent, const std::vector<Include>& specs,
                       const std::string& base, bool baseIsQueryRoot,
                       const std::set<std::string>& mustJoin) {
  std::vector<Node> out;
  std::set<std::string> seen;
  for (const Include& inc : specs) {
    Node n;
    n.a = &resolveInclude(parent, inc);
    n.target = n.a->target;
    n.spec = &inc;
    if (!seen.insert(n.a->as).second)
      throw UsageError(fmt::format("include: association \"{}\" of {} is included twice", n.a->as,
                                   parent.name()));
    bool btm = n.a->type == AssociationType::BelongsToMany;
    if (!btm &&
        (inc.through.attributes.mode() != Attributes::Mode::All || !inc.through.where.empty()))
      throw UsageError(
          fmt::format("include \"{}\": through options need a belongsToMany", n.a->as));
    std::string joinedAlias = baseIsQueryRoot ? n.a->as : base + "->" + n.a->as;
    switch (inc.strategy) {
      case LoadStrategy::Join:
        n.joined = true;
        break;
      case LoadStrategy::Separate:
        n.joined = false;
        break;
      case LoadStrategy::Auto:
        n.joined = n.a->single() || mustJoin.count(joinedAlias) > 0;
        break;
    }
    if (!n.joined && mustJoin.count(joinedAlias))
      throw UsageError(
          fmt::format("include \"{}\": the query refers to its columns, so it must be joined "
                      "(remove strategy = Separate)",
                      n.a->as));
    n.alias = n.joined ? joinedAlias : n.a->as;
    n.required = inc.required.value_or(!inc.where.empty());
    n.children = plan(*n.target, inc.include, n.alias, false, {});
    out.push_back(std::move(n));
  }
  return out;
}

// ---------------------------------------------------------------- layout

// How to read one model's instance out of a row.
struct Layout {
  const Model* model = nullptr;
  std::vector<std::size_t> attrs;  // column first+j → attribute index
  std::vector<bool> visible;       // selected by the user (others are hidden keys)
  std::vector<ValueType> settled;  // per column: the type hydrate() leaves alone
  std::size_t first = 0;
  bool allVisibleInOrder = false;
  std::size_t pkColumn = kNone;  // absolute column of the primary key
  std::shared_ptr<const std::vector<std::string>> extraNames;
  std::size_t extraFirst = 0;
  std::shared_ptr<const std::vector<std::size_t>> order;  // toJSON order (attribute lists)
  // A belongsToMany's junction row: its columns, and the block its rows are
  // read into (both set by addThrough).
  std::unique_ptr<Layout> through;
  std::shared_ptr<ThroughRows> throughRows;
  struct Child {
    std::string name;
    bool single = false;
    Layout* layout = nullptr;
  };
  std::vector<Child> children;                   // joined includes
  std::vector<std::unique_ptr<Layout>> storage;  // owns the children's layouts
};

Expr qcol(const std::string& alias, const AttributeDef& a) {
  return sql::col(alias, a.column);
}

// The alias of a belongsToMany's junction table next to its target's alias.
std::string throughAliasOf(const std::string& alias, const Association& a) {
  return a.through ? alias + "->" + a.through->name() : alias;
}

// Adds the columns of `m` under `alias` to `s`: the attributes `at` selects,
// plus hidden ones listed in `needed` (keys the loader must read).
void addColumns(sql::Select& s, const Model& m, const std::string& alias, const Attributes& at,
                const std::vector<std::string>& needed, Layout& L, bool allowComputed,
                std::vector<sql::SelectItem>* computedItems) {
  L.model = &m;
  L.first = s.columns.size();
  std::vector<bool> chosen(m.attributes().size(), false);
  std::vector<std::size_t> order;
  auto choose = [&](std::size_t i) {
    if (!chosen[i]) {
      chosen[i] = true;
      order.push_back(i);
    }
  };
  std::vector<AttributeItem> computed;
  switch (at.mode()) {
    case Attributes::Mode::All:
      for (const auto& ex : at.excluded()) m.requireIndex(ex);
      for (std::size_t i = 0; i < m.attributes().size(); ++i) {
        const auto& ex = at.excluded();
        if (std::find(ex.begin(), ex.end(), m.attributes()[i].name) == ex.end()) choose(i);
      }
      for (const auto& item : at.extra()) computed.push_back(item);
      break;
    case Attributes::Mode::List:
      for (const auto& item : at.items()) {
        if (item.expr.empty())
          choose(m.requireIndex(item.name));
        else
          computed.push_back(item);
      }
      break;
    case Attributes::Mode::None:
      break;
  }
  if (!computed.empty() && !allowComputed)
    throw UsageError(
        fmt::format("attributes of included {}: computed attributes belong on the top-level "
                    "query's attributes",
                    m.name()));
  std::size_t visibleCount = order.size();
  L.order = displayOrder(order);
  for (const auto& n : needed) choose(m.requireIndex(n));
  L.allVisibleInOrder = visibleCount == m.attributes().size();
  for (std::size_t j = 0; L.allVisibleInOrder && j < order.size(); ++j)
    L.allVisibleInOrder = order[j] == j;
  for (std::size_t j = 0; j < order.size(); ++j) {
    const AttributeDef& a = m.attributes()[order[j]];
    std::string as = computedItems ? (a.column == a.name ? "" : a.name) : alias + "." + a.name;
    s.columns.push_back({qcol(alias, a), as});
    L.attrs.push_back(order[j]);
    L.visible.push_back(j < visibleCount);
    L.settled.push_back(settledType(a.spec.type()));
    if (a.name == m.primaryKey()) L.pkColumn = L.first + j;
  }
  if (computedItems) {
    std::vector<std::string> names;
    for (auto& item : computed) {
      if (item.name.empty())
        throw UsageError(
            fmt::format("attributes of {}: a computed attribute needs an alias", m.name()));
      auto idx = m.attributeIndex(item.name);
      if (idx && chosen[*idx] &&
          std::find(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(visibleCount),
                    *idx) != order.begin() + static_cast<std::ptrdiff_t>(visibleCount))
        throw UsageError(fmt::format(
            "attributes of {}: computed alias \"{}\" collides with a selected attribute", m.name(),
            item.name));
      names.push_back(item.name);
      computedItems->push_back({item.expr, item.name});
    }
    if (!names.empty())
      L.extraNames = std::make_shared<const std::vector<std::string>>(std::move(names));
  }
}

// Reads a belongsToMany's junction row next to the target's columns.
void addThrough(sql::Select& s, const Model& th, const std::string& alias, const Attributes& at,
                Layout& target) {
  target.through = std::make_unique<Layout>();
  addColumns(s, th, alias, at, {}, *target.through, false, nullptr);
  target.throughRows =
      std::make_shared<ThroughRows>(th, target.through->attrs, target.through->order);
}

// The attribute of the parent whose value the child rows are matched on.
const std::string& parentKeyOf(const Association& a) {
  return a.type == AssociationType::BelongsTo ? a.foreignKey : a.sourceKey;
}

// Keys a model's rows must carry for the includes below them.
std::vector<std::string> neededKeys(const Model& m, const std::vector<Node>& nodes, bool pk) {
  std::vector<std::string> keys;
  if (pk && !m.primaryKey().empty()) keys.push_back(m.primaryKey());
  for (const Node& n : nodes) keys.push_back(parentKeyOf(*n.a));
  return keys;
}

Expr paranoidFilter(const Model& m, const std::string& alias) {
  if (!m.isParanoid()) return {};
  return qcol(alias, m.attribute(m.deletedAtAttribute())).isNull();
}

// The defaultScope's where of an included model (scopes.cpp).
Expr scopeWhereFor(const Model& m, const std::string& alias, const Include& inc) {
  (void)inc;
  return defaultScopeWhere(m, alias);
}

struct Built {
  sql::Select select;
  Layout layout;
  bool joinedToMany = false;
  std::vector<std::pair<std::string, const Model*>> joinedAliases;
};

Expr requiredExists(const std::string& parentAlias, const Model& parent, const Node& n);

// Adds joined nodes (recursively) to a select: JOINs, columns, ORDER BY.
void addJoins(Built& b, const Model& parent, const std::string& parentAlias,
              const std::vector<Node>& nodes, Layout& parentLayout,
              std::vector<sql::OrderItem>& includeOrder, Expr& parentWhere) {
  for (const Node& n : nodes) {
    if (!n.joined) {
      if (n.required)
        parentWhere = sql::and_({parentWhere, requiredExists(parentAlias, parent, n)});
      continue;
    }
    const Association& a = *n.a;
    const Model& t = *n.target;
    BindContext ctx{&t, n.alias, {}, "include where"};
    Expr on;
    std::string throughAlias = throughAliasOf(n.alias, a);
    if (a.type == AssociationType::BelongsToMany) {
      const Model& th = *a.through;
      BindContext tctx{&th, throughAlias, {}, "include through.where"};
      Expr thOn = sql::and_({qcol(throughAlias, th.attribute(a.foreignKey)) ==
                                 qcol(parentAlias, parent.attribute(a.sourceKey)),
                             bind(tctx, n.spec->through.where.expr())});
      b.select.joins.push_back({n.required ? sql::JoinKind::Inner : sql::JoinKind::Left,
                                {th.tableName(), throughAlias, nullptr},
                                thOn});
      on = qcol(n.alias, t.attribute(a.targetKey)) == qcol(throughAlias, th.attribute(a.otherKey));
    } else if (a.type == AssociationType::BelongsTo) {
      on = qcol(n.alias, t.attribute(a.targetKey)) ==
           qcol(parentAlias, parent.attribute(a.foreignKey));
    } else {
      on = qcol(n.alias, t.attribute(a.foreignKey)) ==
           qcol(parentAlias, parent.attribute(a.sourceKey));
    }
    on = sql::and_({on, bind(ctx, n.spec->where.expr()), paranoidFilter(t, n.alias),
                    scopeWhereFor(t, n.alias, *n.spec)});
    b.select.joins.push_back({n.required ? sql::JoinKind::Inner : sql::JoinKind::Left,
                              {t.tableName(), n.alias, nullptr},
                              on});
    if (!a.single()) b.joinedToMany = true;
    b.joinedAliases.emplace_back(n.alias, &t);

    auto child = std::make_unique<Layout>();
    if (n.spec->attributes.mode() != Attributes::Mode::None || !n.children.empty()) {
      addColumns(b.select, t, n.alias, n.spec->attributes, neededKeys(t, n.children, true), *child,
                 false, nullptr);
    } else {
      child->model = &t;  // attributes none: joined for filtering/aggregates only
    }
    if (a.type == AssociationType::BelongsToMany &&
        n.spec->through.attributes.mode() != Attributes::Mode::None && child->pkColumn != kNone) {
      addThrough(b.select, *a.through, throughAlias, n.spec->through.attributes, *child);
    }
    for (const auto& o : n.spec->order) includeOrder.push_back(bindOrder(ctx, o));
    if (!a.single() && child->pkColumn != kNone)
      includeOrder.push_back({qcol(n.alias, t.attribute(t.primaryKey())), false, std::nullopt});
    addJoins(b, t, n.alias, n.children, *child, includeOrder, parentWhere);
    if (child->pkColumn != kNone || !child->children.empty())
      parentLayout.children.push_back({a.as, a.single(), child.get()});
    parentLayout.storage.push_back(std::move(child));
  }
}

// EXISTS (child rows matching the include's where) for a required to-many include.
Expr requiredExists(const std::string& parentAlias, const Model& parent, const Node& n) {
  const Association& a = *n.a;
  const Model& t = *n.target;
  std::string alias = "_" + n.a->as;
  BindContext ctx{&t, alias, {}, "include where"};
  auto sub = std::make_shared<sql::Select>();
  sub->columns.push_back({sql::literal("1"), ""});
  sub->from = {t.tableName(), alias, nullptr};
  Expr match;
  if (a.type == AssociationType::BelongsToMany) {
    const Model& th = *a.through;
    std::string ta = alias + "_through";
    BindContext tctx{&th, ta, {}, "include through.where"};
    sub->joins.push_back(
        {sql::JoinKind::Inner,
         {th.tableName(), ta, nullptr},
         qcol(alias, t.attribute(a.targetKey)) == qcol(ta, th.attribute(a.otherKey))});
    match = sql::and_(
        {qcol(ta, th.attribute(a.foreignKey)) == qcol(parentAlias, parent.attribute(a.sourceKey)),
         bind(tctx, n.spec->through.where.expr())});
  } else if (a.type == AssociationType::BelongsTo) {
    match =
        qcol(alias, t.attribute(a.targetKey)) == qcol(parentAlias, parent.attribute(a.foreignKey));
  } else {
    match =
        qcol(alias, t.attribute(a.foreignKey)) == qcol(parentAlias, parent.attribute(a.sourceKey));
  }
  sub->where = sql::and_({match, bind(ctx, n.spec->where.expr()), paranoidFilter(t, alias),
                          defaultScopeWhere(t, alias)});
  return sql::exists(sub);
}

// ---------------------------------------------------------------- reading

// Key values as hash keys without rendering them to text: equal when of the
// same type and equal.
struct SameKey {
  bool operator()(const Value& a, const Value& b) const { return a.type() == b.type() && a == b; }
};
struct KeyHash {
  std::size_t operator()(const Value& v) const {
    std::size_t h;
    if (auto i = v.getIf<std::int64_t>())
      h = std::hash<std::int64_t>{}(*i);
    else if (auto d = v.getIf<double>())
      h = std::hash<double>{}(*d);  // one hash for -0.0 and 0.0, which compare equal
    else if (auto str = v.getIf<std::string>())
      h = std::hash<std::string_view>{}(*str);
    else
      h = std::hash<std::string>{}(v.toString());
    return h ^ static_cast<std::size_t>(v.type());
  }
};
template <class T>
using KeyMap = std::unordered_map<Value, T, KeyHash, SameKey>;

// Normalises one field to its attribute's type (skipping the call when it
// already is: the usual case).
inline void hydrateField(const Layout& L, const std::vector<AttributeDef>& attrs, std::size_t j,
                         Value& v) {
  if (v.type() != L.settled[j] && !v.isNull()) hydrate(attrs[L.attrs[j]].spec.type(), v);
}

Instance readInstance(const Layout& L, std::span<Value> row) {
  const auto& attrs = L.model->attributes();
  Instance inst = [&] {
    if (!L.allVisibleInOrder) return InstanceAccess::loaded(*L.model);
    // Every attribute, in order: move the fields straight into a new vector.
    std::vector<Value> values;
    values.reserve(L.attrs.size());
    for (std::size_t j = 0; j < L.attrs.size(); ++j) {
      Value& v = row[L.first + j];
      hydrateField(L, attrs, j, v);
      values.push_back(std::move(v));
    }
    return InstanceAccess::loaded(*L.model, std::move(values));
  }();
  if (!L.allVisibleInOrder) {
    auto& values = InstanceAccess::values(inst);
    auto& flags = InstanceAccess::flags(inst);
    flags.assign(values.size(), 0);
    for (std::size_t j = 0; j < L.attrs.size(); ++j) {
      std::size_t idx = L.attrs[j];
      Value& v = row[L.first + j];
      hydrateField(L, attrs, j, v);
      values[idx] = std::move(v);
      if (L.visible[j]) flags[idx] = kPresent;
    }
  }
  if (L.order) InstanceAccess::setOrder(inst, L.order);
  if (L.extraNames) {
    std::vector<Value> extra;
    for (std::size_t k = 0; k < L.extraNames->size(); ++k)
      extra.push_back(std::move(row[L.extraFirst + k]));
    InstanceAccess::setExtras(inst, L.extraNames, std::move(extra));
  }
  if (L.through) {
    // The junction row goes into the query's shared block, not an instance.
    ThroughRows& rows = *L.throughRows;
    const Layout& T = *L.through;
    const auto& thAttrs = T.model->attributes();
    std::size_t r = rows.rows();
    for (std::size_t j = 0; j < T.attrs.size(); ++j) {
      Value& v = row[T.first + j];
      hydrateField(T, thAttrs, j, v);
      rows.values.push_back(std::move(v));
    }
    InstanceAccess::setThrough(inst, L.throughRows, r);
  }
  if (!L.children.empty()) {
    auto& loaded = InstanceAccess::loaded(inst);
    loaded.reserve(L.children.size());
    for (const auto& c : L.children) {
      Instance::Loaded& entry = loaded.emplace_back();
      entry.name = c.name;
      entry.single = c.single;
      if (c.layout->pkColumn != kNone && !row[c.layout->pkColumn].isNull())
        entry.items.push_back(readInstance(*c.layout, row));
    }
  }
  return inst;
}

Instance::Loaded* findLoaded(Instance& i, const std::string& name) {
  for (auto& l : InstanceAccess::loaded(i))
    if (l.name == name) return &l;
  return nullptr;
}

// The hydrated primary key of a row's `L` part (normalised in place, as
// readInstance would), and of an instance read through `L`.
Value& rowKey(const Layout& L, std::span<Value> row) {
  Value& v = row[L.pkColumn];
  hydrateField(L, L.model->attributes(), L.pkColumn - L.first, v);
  return v;
}
const Value& instanceKey(const Layout& L, const Instance& i) {
  return InstanceAccess::values(i)[L.attrs[L.pkColumn - L.first]];
}

// The children a joined to-many list already holds, by primary key, so that
// each repeated parent row finds its child in constant time (one user's 100
// readings used to cost 5,000 key comparisons, each rendering two keys as
// text). Keyed by the list, whose address survives the instances' moves
// (their vectors move their buffers along).
static_assert(std::is_nothrow_move_constructible_v<Instance>,
              "ChildIndex keys on Loaded entries inside moved Instances");
using ChildIndex = std::unordered_map<const Instance::Loaded*, KeyMap<std::size_t>>;

// A repeated parent row of a joined to-many: add the new children.
void mergeRow(Instance& existing, const Layout& L, std::span<Value> row, ChildIndex& index) {
  for (const auto& c : L.children) {
    const Layout& C = *c.layout;
    if (c.single || C.pkColumn == kNone || row[C.pkColumn].isNull()) continue;
    Instance::Loaded* entry = findLoaded(existing, c.name);
    if (!entry) continue;
    auto [known, built] = index.try_emplace(entry);
    KeyMap<std::size_t>& keys = known->second;
    if (built)  // first repeat: the items readInstance put there
      for (std::size_t i = 0; i < entry->items.size(); ++i)
        keys.emplace(instanceKey(C, entry->items[i]), i);
    auto [it, fresh] = keys.try_emplace(rowKey(C, row), entry->items.size());
    if (fresh)
      entry->items.push_back(readInstance(C, row));
    else
      mergeRow(entry->items[it->second], C, row, index);
  }
}

class LayoutSink final : public RowSink {
 public:
  LayoutSink(const Layout& L, bool dedupe, std::vector<Instance>& out,
             std::size_t matchColumn = kNone, std::vector<Value>* matches = nullptr)
      : L_(L), dedupe_(dedupe), out_(out), matchColumn_(matchColumn), matches_(matches) {}
  void row(std::span<Value> row) override {
    if (dedupe_ && L_.pkColumn != kNone) {
      // A row repeats its parent when both its key and (separate loading)
      // the parent key it matched are the same.
      Value& match = matchColumn_ != kNone ? row[matchColumn_] : noMatch_;
      auto [it, fresh] = seen_[match].try_emplace(rowKey(L_, row), out_.size());
      if (!fresh) {
        mergeRow(out_[it->second], L_, row, children_);
        return;
      }
    }
    if (matches_) matches_->push_back(std::move(row[matchColumn_]));
    out_.push_back(readInstance(L_, row));
  }

 private:
  const Layout& L_;
  bool dedupe_;
  std::vector<Instance>& out_;
  std::size_t matchColumn_;
  std::vector<Value>* matches_;
  Value noMatch_;
  KeyMap<KeyMap<std::size_t>> seen_;  // match key → row key → position in out_
  ChildIndex children_;
};

// ------------------------------------------------------- separate loading

void loadBelow(ConnectionScope& scope, const std::vector<Node>& nodes,
               std::vector<Instance*>& parents);

// One query for `n` over all `parents`, results attached to each parent.
// `limit` (lazy getters, one parent only) caps the rows read.
void loadSeparate(ConnectionScope& scope, const Node& n, std::vector<Instance*>& parents,
                  std::optional<std::int64_t> limit = std::nullopt) {
  const Association& a = *n.a;
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
    Built b;
    b.select.from = {t.tableName(), n.alias, nullptr};
    addColumns(b.select, t, n.alias, n.spec->attributes, neededKeys(t, n.children, true), b.layout,
               false, nullptr);
    std::string throughAlias = throughAliasOf(n.alias, a);
    Expr matchExpr;
    Expr where =
        sql::and_({bind(BindContext{&t, n.alias, {}, "include where"}, n.spec->where.expr()),
                   paranoidFilter(t, n.alias), scopeWhereFor(t, n.alias, *n.spec)});
    if (a.type == AssociationType::BelongsToMany) {
      const Model& th = *a.through;
      b.select.joins.push_back({sql::JoinKind::Inner,
                                {th.tableName(), throughAlias, nullptr},
                                qcol(n.alias, t.attribute(a.targetKey)) ==
                                    qcol(throughAlias, th.attribute(a.otherKey))});
      where = sql::and_({where, bind(BindContext{&th, throughAlias, {}, "include through.where"},
                                     n.spec->through.where.expr())});
      if (n.spec->through.attributes.mode() != Attributes::Mode::None)
        addThrough(b.select, th, throughAlias, n.spec->through.attributes, b.layout);
      matchExpr = qcol(throughAlias, th.attribute(a.foreignKey));
    } else if (a.type == AssociationType::BelongsTo) {
      matchExpr = qcol(n.alias, t.attribute(a.targetKey));
    } else {
      matchExpr = qcol(n.alias, t.attribute(a.foreignKey));
    }
    std::vector<sql::OrderItem> includeOrder;
    addJoins(b, t, n.alias, n.children, b.layout, includeOrder, where);
    // Which parent each row belongs to. With one parent key every row matched
    // it, so the column is only read when there are several (or when joined
    // to-many rows are told apart by it).
    std::size_t matchColumn = kNone;
    if (keys.size() > 1 || b.joinedToMany) {
      matchColumn = b.select.columns.size();
      b.select.columns.push_back({matchExpr, "_parent"});
    }
    BindContext octx{&t, n.alias, {}, "include order"};
    octx.joined = b.joinedAliases;
    for (const auto& o : n.spec->order) b.select.orderBy.push_back(bindOrder(octx, o));
    // Deterministic, and the same order the joined strategy produces. A
    // belongsToMany joined on the target's primary key orders by the
    // junction's copy of it instead: the same values (an inner join on
    // equality), but an index on the junction's (foreign key, other key),
    // which sync creates, then yields the rows in order without a sort.
    if (!t.primaryKey().empty()) {
      Expr pk = qcol(n.alias, t.attribute(t.primaryKey()));
      if (a.type == AssociationType::BelongsToMany && a.targetKey == t.primaryKey() &&
          t.attribute(a.targetKey).spec.type().kind ==
              a.through->attribute(a.otherKey).spec.type().kind)
        pk = qcol(throughAlias, a.through->attribute(a.otherKey));
      b.select.orderBy.push_back({pk, false, std::nullopt});
    }
    if (a.type == AssociationType::BelongsToMany && !a.through->primaryKey().empty())
      b.select.orderBy.push_back(
          {qcol(throughAlias, a.through->attribute(a.through->primaryKey())), false, std::nullopt});
    for (auto& o : includeOrder) b.select.orderBy.push_back(std::move(o));

    // One statement per chunk of keys under the engine's parameter limit.
    const std::size_t chunk =
        std::max<std::size_t>(1, scope.conn().dialect().capabilities().maxParams - 64);
    LayoutSink sink(b.layout, b.joinedToMany, children, matchColumn,
                    keys.size() == 1 ? nullptr : &matches);
    for (std::size_t start = 0; start < keys.size(); start += chunk) {
      std::vector<Value> part(
          keys.begin() + static_cast<std::ptrdiff_t>(start),
          keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), start + chunk)));
      sql::Select s = b.select;
      s.where = sql::and_({matchExpr.in(part), where});
      if (limit) {
        if (b.joinedToMany)
          throw UsageError(
              fmt::format("{}: limit with a joined to-many include is not supported", a.as));
        s.limit = limit;
      }
      scope.conn().stream(sql::compile(scope.conn().dialect(), s), sink);
    }
    std::vector<Instance*> childPtrs;
    for (auto& c : children) childPtrs.push_back(&c);
    loadBelow(scope, n.children, childPtrs);
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

void loadBelow(ConnectionScope& scope, const std::vector<Node>& nodes,
               std::vector<Instance*>& parents) {
  if (parents.empty()) return;
  for (const Node& n : nodes) {
    if (!n.joined) {
      loadSeparate(scope, n, parents);
      continue;
    }
    std::vector<Instance*> kids;
    for (Instance* p : parents)
      if (Instance::Loaded* l = findLoaded(*p, n.a->as))
        for (auto& item : l->items) kids.push_back(&item);
    loadBelow(scope, n.children, kids);
  }
}

std::set<std::string> referencedAliases(const Model& m, const FindOptions& o) {
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
  return out;
}

// The root SELECT of a query with includes.
// SQLite compares even quoted identifiers case-insensitively: a root alias
// "LikedToot" and an include alias "likedToot" would collide.
std::string rootAlias(const Model& m, const std::vector<Node>& nodes) {
  auto lower = [](std::string str) {
    for (char& ch : str) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return str;
  };
  for (const Node& n : nodes)
    if (lower(n.alias) == lower(m.name())) return m.name() + "_0";
  return m.name();
}

Built buildRoot(const Model& m, const FindOptions& o, const std::vector<Node>& nodes,
                bool forCount) {
  Built b;
  const std::string alias = rootAlias(m, nodes);
  b.select.from = {m.tableName(), alias, nullptr};
  std::vector<sql::SelectItem> computed;
  if (!forCount)
    addColumns(b.select, m, alias, o.attributes, neededKeys(m, nodes, true), b.layout, true,
               &computed);
  else
    b.layout.model = &m;
  Expr where;
  std::vector<sql::OrderItem> includeOrder;
  addJoins(b, m, alias, nodes, b.layout, includeOrder, where);

  BindContext ctx{&m, alias, {}, "where"};
  ctx.joined = b.joinedAliases;
  b.select.where = sql::and_({bindWhere(ctx, o.where, o.paranoid), where});
  if (forCount) return b;

  b.layout.extraFirst = b.select.columns.size();
  BindContext actx = ctx;
  actx.clause = "attributes";
  for (auto& item : computed) b.select.columns.push_back({bind(actx, item.expr), item.alias});
  if (b.layout.extraNames) ctx.computed = *b.layout.extraNames;
  ctx.clause = "group";
  for (const auto& g : o.group) b.select.groupBy.push_back(bind(ctx, g.expr));
  ctx.clause = "having";
  b.select.having = bind(ctx, o.having.expr());
  ctx.clause = "order";
  for (const auto& item : o.order) b.select.orderBy.push_back(bindOrder(ctx, item));
  // Joined to-many rows are ordered by their parent's key so the parents
  // come out in a fixed order. With one parent at most (findOne, findByPk)
  // that key is the same on every row, and sorting on it only costs the
  // server a comparison per row pair that never decides anything.
  const bool oneParent = o.limit && *o.limit <= 1;
  if (b.joinedToMany && !oneParent && !m.primaryKey().empty() && o.group.empty())
    b.select.orderBy.push_back({qcol(alias, m.attribute(m.primaryKey())), false, std::nullopt});
  if (o.group.empty())
    for (auto& oi : includeOrder) b.select.orderBy.push_back(std::move(oi));
  if (o.limit && *o.limit < 0)
    throw UsageError(fmt::format("limit must not be negative, got {}", *o.limit));
  if (o.offset && *o.offset < 0)
    throw UsageError(fmt::format("offset must not be negative, got {}", *o.offset));
  if (b.joinedToMany && (o.limit || o.offset)) {
    // Limit parents, not joined rows: the parents are chosen in a subquery.
    auto sub = std::make_shared<sql::Select>();
    sub->from = {m.tableName(), alias, nullptr};
    BindContext sctx{&m, alias, {}, "where"};
    sub->where = bindWhere(sctx, o.where, o.paranoid);
    for (const auto& item : o.order) sub->orderBy.push_back(bindOrder(sctx, item));
    sub->limit = o.limit;
    sub->offset = o.offset;
    b.select.from = {"", alias, sub};
    b.select.where = where;
  } else {
    b.select.limit = o.limit;
    b.select.offset = o.offset;
  }
  b.select.lock = o.lock;
  return b;
}

}  // namespace

std::vector<Instance> findWithIncludes(ConnectionScope& scope, const Model& m,
                                       const FindOptions& o) {
  std::vector<Node> nodes = plan(m, o.include, m.name(), true, referencedAliases(m, o));
  Built b = buildRoot(m, o, nodes, false);
  std::vector<Instance> out;
  bool dedupe = b.joinedToMany && o.group.empty();
  LayoutSink sink(b.layout, dedupe, out);
  scope.conn().stream(sql::compile(scope.conn().dialect(), b.select), sink);
  std::vector<Instance*> ptrs;
  for (auto& i : out) ptrs.push_back(&i);
  loadBelow(scope, nodes, ptrs);
  return out;
}

std::int64_t countWithIncludes(ConnectionScope& scope, const Model& m, const CountOptions& o) {
  FindOptions fo;
  fo.include = o.include;
  fo.where = o.where;
  fo.paranoid = o.paranoid;
  std::vector<Node> nodes = plan(m, fo.include, m.name(), true, referencedAliases(m, fo));
  Built b = buildRoot(m, fo, nodes, true);
  b.select.joins.erase(
      std::remove_if(b.select.joins.begin(), b.select.joins.end(),
                     [](const sql::Join& j) { return j.kind == sql::JoinKind::Left; }),
      b.select.joins.end());
  const std::string alias = rootAlias(m, nodes);
  Expr target = o.col.empty() ? qcol(alias, m.attribute(m.primaryKey()))
                              : bind(BindContext{&m, alias, {}, "count"}, col(o.col));
  b.select.columns = {{b.joinedToMany || o.distinct || !o.include.empty()
                           ? sql::countDistinct(target)
                           : fn("COUNT", target),
                       "count"}};
  ResultSet rs = scope.run(b.select);
  return rs.at(0, 0).as<std::int64_t>();
}

std::vector<Instance> loadAssociation(ConnectionScope& scope, Instance& owner, const Association& a,
                                      const AssociationGetOptions& o) {
  Include inc;
  inc.as = a.as;
  inc.attributes = o.attributes;
  inc.include = o.include;
  inc.where = o.where;
  inc.order = o.order;
  inc.through.attributes = o.joinTableAttributes;
  inc.through.where = o.throughWhere;
  std::vector<Include> specs{inc};
  std::vector<Node> nodes = plan(owner.model(), specs, owner.model().name(), true, {});
  nodes.front().joined = false;
  nodes.front().alias = a.as;
  if (o.limit && *o.limit < 0)
    throw UsageError(fmt::format("limit must not be negative, got {}", *o.limit));
  // A copy of the owner receives the rows, so the owner's loaded state is untouched.
  Instance holder = owner;
  std::vector<Instance*> parents{&holder};
  loadSeparate(scope, nodes.front(), parents, o.limit);
  for (auto& l : InstanceAccess::loaded(holder))
    if (l.name == a.as) return std::move(l.items);
  return {};
}

}  // namespace junction::detail
