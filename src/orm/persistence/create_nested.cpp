// Sequelize's create with include: a record and its associated records,
// created together in one transaction.
#include <fmt/format.h>

#include "junction/json.hpp"
#include "orm/internal.hpp"
#include "orm/query/binder.hpp"

namespace junction {

namespace {

const Include* includeFor(const Model& m, const CreateOptions& o, const std::string& key,
                          const Association*& assoc) {
  for (const Include& inc : o.include) {
    const Association& a = detail::resolveInclude(m, inc);
    if (a.as == key) {
      assoc = &a;
      return &inc;
    }
  }
  return nullptr;
}

Instance createTree(const Model& m, const Json& values, const std::vector<Include>& include,
                    Transaction& t, const Record& extra);

std::vector<Json> itemsOf(const Json& v, const Association& a) {
  if (a.single()) {
    if (!v.is_object())
      throw UsageError(
          fmt::format("create: \"{}\" is a to-one association and needs an object", a.as));
    return {v};
  }
  if (!v.is_array())
    throw UsageError(
        fmt::format("create: \"{}\" is a to-many association and needs an array", a.as));
  std::vector<Json> out;
  for (const auto& item : v) {
    if (!item.is_object())
      throw UsageError(fmt::format("create: each item of \"{}\" must be an object", a.as));
    out.push_back(item);
  }
  return out;
}

Instance createTree(const Model& m, const Json& values, const std::vector<Include>& include,
                    Transaction& t, const Record& extra) {
  if (!values.is_object())
    throw UsageError(
        fmt::format("{}.create: expected a JSON object, got {}", m.name(), values.type_name()));
  CreateOptions o;
  o.include = include;
  Record record = extra;
  std::vector<std::pair<const Association*, const Include*>> nested;
  std::vector<const Json*> nestedValues;
  for (const auto& [key, v] : values.items()) {
    const Association* a = nullptr;
    if (const Include* inc = includeFor(m, o, key, a)) {
      nested.emplace_back(a, inc);
      nestedValues.push_back(&v);
      continue;
    }
    if (m.findAssociation(key))
      throw UsageError(fmt::format(
          "{}.create: \"{}\" is an association; list it in include to create it", m.name(), key));
    record.emplace_back(key, fromJson(v));
  }
  // belongsTo targets first: the parent needs their keys.
  std::vector<Instance::Loaded> loaded;
  for (std::size_t i = 0; i < nested.size(); ++i) {
    const Association& a = *nested[i].first;
    if (a.type != AssociationType::BelongsTo) continue;
    Instance target = createTree(*a.target, *nestedValues[i], nested[i].second->include, t, {});
    record.emplace_back(a.foreignKey, target.get(a.targetKey));
    loaded.push_back({a.as, {std::move(target)}, true});
  }
  Instance parent = m.create(record, {.transaction = &t});
  for (std::size_t i = 0; i < nested.size(); ++i) {
    const Association& a = *nested[i].first;
    if (a.type == AssociationType::BelongsTo) continue;
    Instance::Loaded entry{a.as, {}, a.single()};
    for (const Json& item : itemsOf(*nestedValues[i], a)) {
      if (a.type == AssociationType::BelongsToMany) {
        Json childValues = item;
        Record through;
        if (childValues.contains(a.through->name())) {
          through = recordFromJson(childValues[a.through->name()]);
          childValues.erase(a.through->name());
        }
        Instance child = createTree(*a.target, childValues, nested[i].second->include, t, {});
        parent.association(a.as).add(child, {.through = through, .transaction = &t});
        entry.items.push_back(std::move(child));
      } else {
        entry.items.push_back(createTree(*a.target, item, nested[i].second->include, t,
                                         {{a.foreignKey, parent.get(a.sourceKey)}}));
      }
    }
    loaded.push_back(std::move(entry));
  }
  for (auto& l : loaded) detail::InstanceAccess::loaded(parent).push_back(std::move(l));
  return parent;
}

}  // namespace

Instance Model::createNested(const Json& values, CreateOptions options) const {
  if (!options.fields.empty())
    throw UsageError(fmt::format("{}.create with include does not take fields", name_));
  return detail::atomically(*db_, options.transaction, [&](Transaction& t) {
    return createTree(*this, values, options.include, t, {});
  });
}

}  // namespace junction
