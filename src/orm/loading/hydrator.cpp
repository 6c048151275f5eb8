// The hydrator (hydrator.hpp): column layouts, and rows into instances.
#include "orm/loading/hydrator.hpp"

#include <algorithm>

#include "orm/loading/strategy.hpp"

namespace junction::detail {

namespace {

// The toJSON order of selected attributes, or null when it is definition order.
std::shared_ptr<const std::vector<std::size_t>> displayOrder(
    const std::vector<std::size_t>& selected) {
  if (std::is_sorted(selected.begin(), selected.end())) return nullptr;
  return std::make_shared<const std::vector<std::size_t>>(selected);
}

// Normalises one field to its attribute's type (skipping the call when it
// already is: the usual case).
inline void hydrateField(const Layout& L, const std::vector<AttributeDef>& attrs, std::size_t j,
                         Value& v) {
  if (v.type() != L.settled[j] && !v.isNull()) hydrate(attrs[L.attrs[j]].spec.type(), v);
}

}  // namespace

void selectColumns(sql::Select& s, const Model& m, const std::string& alias, const Selection& sel,
                   const std::vector<std::string>& needed, Layout& L, ColumnNames names) {
  L.model = &m;
  L.first = s.columns.size();
  std::vector<std::size_t> order = sel.attrs;
  const std::size_t visibleCount = order.size();
  L.order = displayOrder(order);
  for (const auto& n : needed) {
    std::size_t i = m.requireIndex(n);
    if (std::find(order.begin(), order.end(), i) == order.end()) order.push_back(i);
  }
  L.allVisibleInOrder = visibleCount == m.attributes().size();
  for (std::size_t j = 0; L.allVisibleInOrder && j < order.size(); ++j)
    L.allVisibleInOrder = order[j] == j;
  s.columns.reserve(s.columns.size() + order.size());
  for (std::size_t j = 0; j < order.size(); ++j) {
    const AttributeDef& a = m.attributes()[order[j]];
    std::string as = names == ColumnNames::ByAttribute ? (a.column == a.name ? "" : a.name)
                                                       : alias + "." + a.name;
    s.columns.push_back({sql::col(alias, a.column), std::move(as)});
    L.attrs.push_back(order[j]);
    L.visible.push_back(j < visibleCount);
    L.settled.push_back(settledType(a.spec.type()));
    if (a.name == m.primaryKey()) L.pkColumn = L.first + j;
  }
}

void selectThrough(sql::Select& s, const Model& th, const std::string& alias, const Selection& sel,
                   Layout& target) {
  target.through = std::make_unique<Layout>();
  selectColumns(s, th, alias, sel, {}, *target.through, ColumnNames::ByPath);
  target.throughRows =
      std::make_shared<ThroughRows>(th, target.through->attrs, target.through->order);
}

std::size_t KeyHash::operator()(const Value& v) const {
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
    extra.reserve(L.extraNames->size());
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
    InstanceAccess::loaded(inst).reserve(L.children.size());
    for (const auto& c : L.children) c.strategy->consumeRow(c, inst, row, nullptr);
  }
  return inst;
}

void mergeRow(Instance& existing, const Layout& L, std::span<Value> row, ChildIndex& index) {
  for (const auto& c : L.children) c.strategy->consumeRow(c, existing, row, &index);
}

Instance::Loaded* findLoaded(Instance& i, const std::string& name) {
  for (auto& l : InstanceAccess::loaded(i))
    if (l.name == name) return &l;
  return nullptr;
}

Value& rowKey(const Layout& L, std::span<Value> row) {
  Value& v = row[L.pkColumn];
  hydrateField(L, L.model->attributes(), L.pkColumn - L.first, v);
  return v;
}

const Value& instanceKey(const Layout& L, const Instance& i) {
  return InstanceAccess::values(i)[L.attrs[L.pkColumn - L.first]];
}

// Rows are instances unless repeats merge: room for them all at once, so
// that the vector never moves its instances while it grows.
void Hydrator::expectRows(std::size_t count) {
  if (!dedupe_) out_.reserve(out_.size() + count);
  if (matches_) matches_->reserve(matches_->size() + count);
}

void Hydrator::row(std::span<Value> row) {
  if (dedupe_ && L_.pkColumn != kNone) {
    // A row repeats its parent when both its key and (select-in) the parent
    // key it matched are the same.
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

std::vector<Value> rowValues(const Model& m, ResultSet& rs, std::size_t row) {
  const auto& attrs = m.attributes();
  std::vector<Value> values(attrs.size());
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    Value& v = rs.mutableAt(row, i);
    hydrate(attrs[i].spec.type(), v);
    values[i] = std::move(v);
  }
  return values;
}

}  // namespace junction::detail
