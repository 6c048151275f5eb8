// Instance: attribute access, dirty tracking, validation and toJSON. The
// statements that persist an instance are in persistence.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "junction/json.hpp"
#include "orm/instance/text_sink.hpp"
#include "orm/internal.hpp"

namespace junction {

using detail::kChanged;
using detail::kPresent;

Instance::Instance(const Model& model) : model_(&model), values_(model.attributes().size()) {
  flags_.assign(values_.size(), 0);
}

Instance::Instance(const Instance& o)
    : model_(o.model_),
      values_(o.values_),
      flags_(o.flags_),
      order_(o.order_),
      loaded_(o.loaded_),
      through_(o.through_),
      extra_(o.extra_ ? std::make_unique<Extra>(*o.extra_) : nullptr),
      throughRow_(o.throughRow_),
      isNew_(o.isNew_) {}

Instance& Instance::operator=(const Instance& o) {
  if (this != &o) *this = Instance(o);
  return *this;
}

Instance::~Instance() = default;

Instance::Extra& Instance::extra() {
  if (!extra_) extra_ = std::make_unique<Extra>();
  return *extra_;
}

const std::vector<Instance::Loaded>& Instance::loadedAssociations() const {
  materializeThrough();
  return loaded_;
}

namespace detail {

ThroughRows::ThroughRows(const Model& m, std::vector<std::size_t> attributes,
                         std::shared_ptr<const std::vector<std::size_t>> displayOrder)
    : model(&m),
      name(m.name()),
      attrs(std::move(attributes)),
      allInOrder(attrs.size() == m.attributes().size()),
      order(std::move(displayOrder)) {
  for (std::size_t k = 0; allInOrder && k < attrs.size(); ++k) allInOrder = attrs[k] == k;
  // The order Instance::toJSON() gives a row with these attributes present:
  // `order` first, then the rest in definition order.
  constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  std::vector<std::size_t> columnOf(m.attributes().size(), kAbsent);
  for (std::size_t k = 0; k < attrs.size(); ++k) columnOf[attrs[k]] = k;
  std::vector<bool> done(m.attributes().size(), false);
  auto add = [&](std::size_t i) {
    if (columnOf[i] == kAbsent || done[i]) return;
    done[i] = true;
    jsonColumns.push_back(columnOf[i]);
  };
  if (order)
    for (std::size_t i : *order) add(i);
  for (std::size_t i = 0; i < m.attributes().size(); ++i) add(i);
}

}  // namespace detail

void Instance::materializeThrough() const {
  if (!throughInBlock()) return;
  const detail::ThroughRows& rows = *through_;
  Instance th = detail::InstanceAccess::loaded(*rows.model);
  if (!rows.allInOrder) th.flags_.assign(th.values_.size(), 0);
  const Value* row = rows.row(throughRow_);
  for (std::size_t k = 0; k < rows.attrs.size(); ++k) {
    th.values_[rows.attrs[k]] = row[k];
    if (!rows.allInOrder) th.flags_[rows.attrs[k]] = kPresent;
  }
  th.order_ = rows.order;
  Loaded entry;
  entry.name = rows.name;
  entry.single = true;
  entry.items.push_back(std::move(th));
  loaded_.insert(loaded_.begin(), std::move(entry));
  throughRow_ = kMaterialized;
}

const Value& Instance::through(std::string_view attribute) const {
  if (!through_)
    throw UsageError(fmt::format(
        "this {} has no junction row: it was not read by a belongsToMany include with through "
        "attributes",
        model_->name()));
  const detail::ThroughRows& rows = *through_;
  std::size_t idx = rows.model->requireIndex(attribute);
  // Materialized: materializeThrough() put its Instance first in loaded_.
  if (!throughInBlock()) return loaded_.front().items.front().get(attribute);
  for (std::size_t k = 0; k < rows.attrs.size(); ++k)
    if (rows.attrs[k] == idx) return rows.row(throughRow_)[k];
  static const Value kNull;
  return kNull;  // an attribute the include did not select, as get() answers
}

Instance::Instance(const Model& model, LoadedTag)
    : model_(&model), values_(model.attributes().size()), isNew_(false) {}

std::size_t Instance::indexOf(std::string_view attribute) const {
  return model_->requireIndex(attribute);
}

bool Instance::has(std::string_view attribute) const noexcept {
  if (auto i = model_->attributeIndex(attribute)) return detail::InstanceAccess::present(*this, *i);
  if (extra_ && extra_->extraNames)
    for (const auto& n : *extra_->extraNames)
      if (n == attribute) return true;
  return false;
}

const Value& Instance::get(std::string_view attribute) const {
  auto i = model_->attributeIndex(attribute);
  if (i && detail::InstanceAccess::present(*this, *i)) return values_[*i];
  if (extra_ && extra_->extraNames) {
    const auto& names = *extra_->extraNames;
    for (std::size_t k = 0; k < names.size(); ++k)
      if (names[k] == attribute) return extra_->extraValues[k];
  }
  if (i) return values_[*i];  // an attribute this query did not select: null
  throw UsageError(fmt::format("model {} has no attribute \"{}\"", model_->name(), attribute));
}

const Value& Instance::at(std::size_t index) const {
  if (index >= values_.size())
    throw UsageError(fmt::format("model {} has {} attributes; there is no attribute {}",
                                 model_->name(), values_.size(), index));
  return values_[index];
}

Instance& Instance::set(std::string_view attribute, Value v) {
  std::size_t i = indexOf(attribute);
  v = detail::coerce(model_->attributes()[i].spec.type(), std::move(v));
  if (flags_.empty()) flags_.assign(values_.size(), kPresent);
  bool present = flags_[i] & kPresent;
  if (present && values_[i] == v && values_[i].type() == v.type()) return *this;
  if (!(flags_[i] & kChanged)) {
    auto& previous = extra().previous;
    if (previous.empty()) previous.resize(values_.size());
    previous[i] = values_[i];
  }
  values_[i] = std::move(v);
  flags_[i] |= kPresent | kChanged;
  return *this;
}

Instance& Instance::set(const Record& values) {
  for (const auto& [k, v] : values) set(k, v);
  return *this;
}

bool Instance::changed(std::string_view attribute) const {
  return detail::InstanceAccess::changedAt(*this, indexOf(attribute));
}

std::vector<std::string> Instance::changed() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < flags_.size(); ++i)
    if (flags_[i] & kChanged) out.push_back(model_->attributes()[i].name);
  return out;
}

const Value& Instance::previous(std::string_view attribute) const {
  std::size_t i = indexOf(attribute);
  if (detail::InstanceAccess::changedAt(*this, i)) return extra_->previous[i];
  return values_[i];
}

const Value& Instance::primaryKeyValue() const {
  return values_[model_->requireIndex(model_->primaryKey())];
}

void Instance::validate(bool onlyChanged) const {
  std::vector<ValidationErrorItem> items;
  const auto& attrs = model_->attributes();
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    const AttributeDef& a = attrs[i];
    if (onlyChanged && !detail::InstanceAccess::changedAt(*this, i)) continue;
    const Value& v = values_[i];
    bool present = detail::InstanceAccess::present(*this, i);
    if (v.isNull()) {
      // The database fills auto-increment keys and defaults; save() fills timestamps.
      if (!present && (a.spec.isAutoIncrement() || a.isTimestamp)) continue;
      if (present && v.isNull() && a.spec.isAutoIncrement() && isNew_) continue;
      if (!a.allowNull) {
        items.push_back({.message = fmt::format("{}.{} cannot be null", model_->name(), a.name),
                         .type = "notNull violation",
                         .path = a.name,
                         .value = "NULL",
                         .validatorKey = "is_null",
                         .model = model_->name()});
      }
      continue;
    }
    if (auto err = detail::typeError(a.spec.type(), v)) {
      items.push_back({.message = fmt::format("{} ({}.{})", *err, model_->name(), a.name),
                       .type = "Validation error",
                       .path = a.name,
                       .value = v.toString(),
                       .validatorKey = "type",
                       .model = model_->name()});
      continue;
    }
    for (const Validator& val : a.spec.validators()) {
      if (auto msg = val.run(v, a.name)) {
        items.push_back({.message = *msg,
                         .type = "Validation error",
                         .path = a.name,
                         .value = v.toString(),
                         .validatorKey = val.key(),
                         .model = model_->name()});
      }
    }
  }
  if (!items.empty()) throw ValidationError(model_->name(), std::move(items));
}

Json Instance::toJSON() const {
  Json out = Json::object();
  const auto& attrs = model_->attributes();
  if (order_) {
    for (std::size_t i : *order_)
      if (detail::InstanceAccess::present(*this, i)) out[attrs[i].name] = toJson(values_[i]);
  }
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (!detail::InstanceAccess::present(*this, i) || out.contains(attrs[i].name)) continue;
    out[attrs[i].name] = toJson(values_[i]);
  }
  if (extra_ && extra_->extraNames)
    for (std::size_t k = 0; k < extra_->extraNames->size(); ++k)
      out[(*extra_->extraNames)[k]] = toJson(extra_->extraValues[k]);
  if (throughInBlock()) {  // rendered from the block, as its Instance would render
    const detail::ThroughRows& rows = *through_;
    const auto& thAttrs = rows.model->attributes();
    const Value* row = rows.row(throughRow_);
    Json th = Json::object();
    for (std::size_t k : rows.jsonColumns) th[thAttrs[rows.attrs[k]].name] = toJson(row[k]);
    out[rows.name] = std::move(th);
  }
  for (const Loaded& l : loaded_) {
    if (l.single) {
      out[l.name] = l.items.empty() ? Json(nullptr) : l.items.front().toJSON();
    } else {
      Json arr = Json::array();
      for (const Instance& item : l.items) arr.push_back(item.toJSON());
      out[l.name] = std::move(arr);
    }
  }
  return out;
}

// A key written after the attributes (computed column, junction row,
// association) that repeats an earlier one: toJSON() overwrites the earlier
// value in its place, which a one-pass writer cannot do.
bool Instance::jsonKeysCollide() const {
  std::size_t nExtras = extra_ && extra_->extraNames ? extra_->extraNames->size() : 0;
  const bool inBlock = throughInBlock();
  std::size_t nKeys = nExtras + (inBlock ? 1 : 0) + loaded_.size();
  auto keyAt = [&](std::size_t k) -> std::string_view {
    if (k < nExtras) return (*extra_->extraNames)[k];
    k -= nExtras;
    if (inBlock) {
      if (k == 0) return through_->name;
      --k;
    }
    return loaded_[k].name;
  };
  // Called once per written instance: the attribute names are compared
  // here, length first, rather than through attributeIndex's out-of-line scan.
  const auto& attrs = model_->attributes();
  for (std::size_t k = 0; k < nKeys; ++k) {
    std::string_view key = keyAt(k);
    for (std::size_t i = 0; i < attrs.size(); ++i) {
      if (attrs[i].name.size() != key.size() || attrs[i].name != key) continue;
      if (detail::InstanceAccess::present(*this, i)) return true;
      break;
    }
    for (std::size_t j = 0; j < k; ++j)
      if (keyAt(j) == key) return true;
  }
  return false;
}

void Instance::writeJSON(std::string& out) const {
  detail::TextSink sink(out);
  detail::InstanceAccess::writeJSON(*this, sink);
}

namespace detail {

void InstanceAccess::writeJSON(const Instance& self, TextSink& out) {
  if (self.jsonKeysCollide()) {
    out.viaString([&self](std::string& text) { text += dumpJSON(self.toJSON()); });
    return;
  }
  const Model& model = *self.model_;
  bool first = true;
  // `,"name":` (the comma from the second key on) in one copy.
  auto key = [&](std::string_view jsonKey) {
    char* d = out.room(jsonKey.size() + 1);
    if (!first) *d++ = ',';
    first = false;
    TextSink::copy(d, jsonKey.data(), jsonKey.size());
    out.advance(d + jsonKey.size());
  };
  auto nameKey = [&](std::string_view name) {
    if (!first) out.put(',');
    first = false;
    writeJSONString(out, name);
    out.put(':');
  };
  out.put('{');
  // Attributes the query ordered come first, each once (as toJSON's
  // overwrites keep them), then the others in definition order; their keys
  // were escaped once, by the model.
  auto emit = [&](std::size_t i) {
    key(model.attributeJSONKey(i));
    detail::writeJSON(out, self.values_[i]);
  };
  const std::size_t n = self.values_.size();
  if (!self.order_ && self.flags_.empty()) {  // a full row as read: every attribute, in order
    for (std::size_t i = 0; i < n; ++i) emit(i);
  } else {
    auto isPresent = [&](std::size_t i) { return present(self, i); };
    if (self.order_) {
      const auto& ord = *self.order_;
      for (auto it = ord.begin(); it != ord.end(); ++it)
        if (isPresent(*it) && std::find(ord.begin(), it, *it) == it) emit(*it);
    }
    for (std::size_t i = 0; i < n; ++i)
      if (isPresent(i) &&
          !(self.order_ && std::ranges::find(*self.order_, i) != self.order_->end()))
        emit(i);
  }
  if (self.extra_ && self.extra_->extraNames) {
    for (std::size_t k = 0; k < self.extra_->extraNames->size(); ++k) {
      nameKey((*self.extra_->extraNames)[k]);
      detail::writeJSON(out, self.extra_->extraValues[k]);
    }
  }
  if (self.throughInBlock()) {
    const ThroughRows& rows = *self.through_;
    const Value* row = rows.row(self.throughRow_);
    nameKey(rows.name);
    out.put('{');
    bool firstColumn = true;
    for (std::size_t k : rows.jsonColumns) {
      if (!firstColumn) out.put(',');
      firstColumn = false;
      out.append(rows.model->attributeJSONKey(rows.attrs[k]));
      detail::writeJSON(out, row[k]);
    }
    out.put('}');
  }
  for (const Instance::Loaded& l : self.loaded_) {
    nameKey(l.name);
    if (l.single) {
      if (l.items.empty())
        out.append("null", 4);
      else
        writeJSON(l.items.front(), out);
    } else {
      detail::writeJSON(out, l.items);
    }
  }
  out.put('}');
}

}  // namespace detail

std::string Instance::toJSONString() const {
  std::string out;
  writeJSON(out);
  return out;
}

}  // namespace junction
