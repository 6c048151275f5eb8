// The finder surface, once. Every finder and bulk write of Model and of
// ScopedModel — and through them of model classes — is a Finder call with
// the scopes that apply: the model's default scope, or those scope()
// chose (none for unscoped()). Scopes merge under the call's options, their
// wheres combined with AND (scopes.cpp).
//
// Thread-safety: a Finder refers to an immutable model and scopes; cheap
// to make per call.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "junction/model.hpp"

namespace junction::detail {

class Finder {
 public:
  Finder(const Model& m, std::span<const Scope> scopes) noexcept : m_(m), scopes_(scopes) {}

  std::vector<Instance> findAll(FindOptions o) const;
  std::optional<Instance> findOne(FindOptions o) const;
  std::optional<Instance> findByPk(Value key, FindOptions o) const;
  Model::CountedRows findAndCountAll(FindOptions o) const;
  std::int64_t count(CountOptions o) const;
  // Bulk writes need a where of their own (UsageError otherwise): a scope's
  // where never turns them into writes of every row.
  std::int64_t update(const Record& values, UpdateOptions o) const;
  std::int64_t destroy(DestroyOptions o) const;
  // The call's where with the scopes' (for aggregates).
  Where scopedWhere(const Where& w) const;
  // The call's options with the scopes merged under them.
  FindOptions scoped(FindOptions o) const;

 private:
  const Model& m_;
  std::span<const Scope> scopes_;
};

// The default scope of `m` (none when it is empty), as Finder takes it.
std::span<const Scope> defaultScopes(const Model& m) noexcept;
inline Finder defaultFinder(const Model& m) noexcept {
  return Finder(m, defaultScopes(m));
}

// The finders' runners, without scopes.
std::int64_t runUpdate(const Model& m, const Record& values, UpdateOptions o);
std::int64_t runDestroy(const Model& m, DestroyOptions o);
// pk = key as a where; nullopt when no row can have the key (null, or not a
// value of the key's type). UsageError for a model without a single-column
// primary key.
std::optional<Where> primaryKeyMatch(const Model& m, Value key);

}  // namespace junction::detail
