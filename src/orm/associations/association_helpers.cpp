// Instance helpers of associations (Sequelize's mixins): get, set, add,
// remove, create, has, count — and Instance::related for eager data.
#include <fmt/format.h>

#include <set>

#include "orm/internal.hpp"
#include "orm/loading/load.hpp"
#include "orm/query/binder.hpp"

namespace junction {

using detail::ConnectionScope;
using detail::InstanceAccess;

namespace {

// The attribute of the target a Targets key refers to.
const std::string& targetKeyOf(const Association& a) {
  switch (a.type) {
    case AssociationType::BelongsTo:
    case AssociationType::BelongsToMany:
      return a.targetKey;
    default:
      return a.target->primaryKey();
  }
}

// The owner's value the association hangs on (UsageError when unsaved).
Value ownerKey(const Instance& owner, const Association& a) {
  const std::string& attr = a.type == AssociationType::BelongsTo ? a.foreignKey : a.sourceKey;
  if (owner.isNewRecord())
    throw UsageError(
        fmt::format("{}.{}: save the {} first", owner.model().name(), a.as, owner.model().name()));
  return owner.get(attr);
}

// Target keys of `t`, converted to the key attribute's type; duplicates dropped.
std::vector<Value> keysOf(const Association& a, const Targets& t) {
  const std::string& key = targetKeyOf(a);
  const AttributeDef& def = a.target->attribute(key);
  std::vector<Value> out;
  std::set<std::string> seen;
  auto push = [&](Value v) {
    v = detail::coerce(def.spec.type(), std::move(v));
    if (v.isNull())
      throw UsageError(fmt::format("{}: a target has no value for \"{}\"", a.as, key));
    if (auto err = detail::typeError(def.spec.type(), v))
      throw UsageError(fmt::format("{}: {} is not a key of {}: {}", a.as, v.toDebugString(),
                                   a.target->name(), *err));
    if (seen.insert(v.toString()).second) out.push_back(std::move(v));
  };
  for (const Instance* i : t.instances()) {
    if (&i->model() != a.target)
      throw UsageError(fmt::format("{}: expected {} instances, got a {}", a.as, a.target->name(),
                                   i->model().name()));
    push(i->get(key));
  }
  for (const Value& k : t.keys()) push(k);
  return out;
}

Expr c(const Model& m, const std::string& attr) {
  return col("", m.attribute(attr).column);
}

// Through values for the i-th target.
Record throughFor(const ThroughValues& tv, std::size_t i, std::size_t n) {
  if (!tv.perItem()) return tv.all();
  if (tv.each().size() != n)
    throw UsageError(
        fmt::format("through: {} records for {} targets; give one per target or one for all",
                    tv.each().size(), n));
  return tv.each()[i];
}

}  // namespace

// --------------------------------------------------------------- Instance

AssociationHandle Instance::association(std::string_view name) {
  return AssociationHandle(*this, model_->association(name));
}

bool Instance::isLoaded(std::string_view name) const noexcept {
  for (const auto& l : loadedAssociations())
    if (l.name == name) return true;
  return false;
}

const std::vector<Instance>& Instance::related(std::string_view name) {
  const Association& a = model_->association(name);
  for (const auto& l : loadedAssociations())
    if (l.name == name) return l.items;
  if (model_->database().options().strictLoading)
    throw AssociationError(
        fmt::format("{}.{} was not loaded (strict loading): include it in the query, or call "
                    "association(\"{}\").get()",
                    model_->name(), name, name));
  auto items = AssociationHandle(*this, a).get();
  auto& loaded = loaded_;
  loaded.push_back({a.as, std::move(items), a.single()});
  return loaded.back().items;
}

const Instance* Instance::relatedOne(std::string_view name) {
  const auto& items = related(name);
  if (!model_->association(name).single())
    throw UsageError(
        fmt::format("{}.{} is a to-many association; use related()", model_->name(), name));
  return items.empty() ? nullptr : &items.front();
}

// ------------------------------------------------------ AssociationHandle

std::vector<Instance> AssociationHandle::get(AssociationGetOptions options) const {
  if (a_->type != AssociationType::BelongsToMany &&
      (options.joinTableAttributes.mode() != Attributes::Mode::All ||
       !options.throughWhere.empty()))
    throw UsageError(
        fmt::format("{}: joinTableAttributes and throughWhere need a belongsToMany", a_->as));
  ConnectionScope scope(owner_->model().database(), options.transaction);
  return detail::loadAssociation(scope.conn(), *owner_, *a_, options);
}

std::optional<Instance> AssociationHandle::getOne(AssociationGetOptions options) const {
  options.limit = 1;
  auto rows = get(std::move(options));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t AssociationHandle::count(AssociationCountOptions options) const {
  Value key = ownerKey(*owner_, *a_);
  if (key.isNull()) return 0;
  ConnectionScope scope(owner_->model().database(), options.transaction);
  return detail::countAssociation(scope.conn(), *a_, key, options);
}

bool AssociationHandle::has(const Targets& targets, Transaction* transaction) const {
  const Association& a = *a_;
  std::vector<Value> keys = keysOf(a, targets);
  if (keys.empty()) return true;
  Value key = ownerKey(*owner_, a);
  if (key.isNull()) return false;
  if (a.type == AssociationType::BelongsTo) return keys.size() == 1 && keys.front() == key;
  sql::Select s;
  Expr match;
  if (a.type == AssociationType::BelongsToMany) {
    const Model& th = *a.through;
    s.from = {th.tableName(), "", nullptr};
    s.columns.push_back({sql::countDistinct(c(th, a.otherKey)), "n"});
    s.where = sql::and_({c(th, a.foreignKey) == Expr(key), c(th, a.otherKey).in(keys)});
  } else {
    const Model& t = *a.target;
    s.from = {t.tableName(), "", nullptr};
    s.columns.push_back({sql::countDistinct(c(t, t.primaryKey())), "n"});
    s.where = sql::and_({c(t, a.foreignKey) == Expr(key), c(t, t.primaryKey()).in(keys)});
  }
  ConnectionScope scope(owner_->model().database(), transaction);
  return scope.run(s).at(0, 0).as<std::int64_t>() == static_cast<std::int64_t>(keys.size());
}

namespace {

// belongsToMany: insert missing pairs (one bulk insert), update existing
// pairs that were given through values; with `replace`, delete the pairs
// not in `keys` first (one delete). One read of the junction rows. Returns
// what changed.
AssociationSetResult writePairs(const Association& a, const Value& owner,
                                const std::vector<Value>& keys, const ThroughValues& tv,
                                bool replace, Transaction& t) {
  AssociationSetResult result;
  const Model& th = *a.through;
  Database& db = th.database();
  std::vector<Record> values;
  for (std::size_t i = 0; i < keys.size(); ++i) values.push_back(throughFor(tv, i, keys.size()));
  ConnectionScope scope(db, &t);
  sql::Select read;
  read.from = {th.tableName(), "", nullptr};
  read.columns.push_back({c(th, a.otherKey), ""});
  read.where = c(th, a.foreignKey) == Expr(owner);
  if (!replace) read.where = sql::and_({read.where, c(th, a.otherKey).in(keys)});
  ResultSet existing = scope.run(read);
  std::set<std::string> have;
  std::vector<Value> stale;
  std::set<std::string> wanted;
  for (const Value& k : keys) wanted.insert(k.toString());
  for (std::size_t r = 0; r < existing.size(); ++r) {
    Value v = existing.at(r, 0);
    detail::hydrate(th.attribute(a.otherKey).spec.type(), v);
    if (wanted.count(v.toString()))
      have.insert(v.toString());
    else
      stale.push_back(v);
  }
  if (replace && !stale.empty()) {
    sql::Delete del;
    del.table = th.tableName();
    del.where = sql::and_({c(th, a.foreignKey) == Expr(owner), c(th, a.otherKey).in(stale)});
    result.removed = scope.run(del).rowsAffected;
  }
  std::vector<Record> inserts;
  std::vector<std::size_t> insertTarget;  // inserts[k] pairs the owner with keys[insertTarget[k]]
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (have.count(keys[i].toString())) {
      // An existing pair: Sequelize updates its through values rather than failing.
      if (!values[i].empty())
        result.updated += th.unscoped().update(
            values[i], {.where = Where(sql::and_(
                            {col(a.foreignKey) == Expr(owner), col(a.otherKey) == Expr(keys[i])})),
                        .transaction = &t});
      continue;
    }
    Record row = values[i];
    row.emplace_back(a.foreignKey, owner);
    row.emplace_back(a.otherKey, keys[i]);
    inserts.push_back(std::move(row));
    insertTarget.push_back(i);
  }
  if (inserts.empty()) return result;
  try {
    result.created = th.bulkCreate(inserts, {.transaction = &t});
  } catch (const BulkValidationError& e) {
    // Name the caller's targets, not the rows left to insert.
    std::vector<BulkRecordError> rows = e.rows();
    for (auto& r : rows) r.index = insertTarget.at(r.index);
    throw BulkValidationError(e.model(), std::move(rows));
  }
  return result;
}

}  // namespace

std::vector<Instance> AssociationHandle::add(const Targets& targets,
                                             AssociationWriteOptions options) const {
  const Association& a = *a_;
  if (a.single())
    throw UsageError(
        fmt::format("{}.{} is a to-one association; use set()", owner_->model().name(), a.as));
  std::vector<Value> keys = keysOf(a, targets);
  if (keys.empty()) return {};
  Value key = ownerKey(*owner_, a);
  Database& db = owner_->model().database();
  if (a.type == AssociationType::BelongsToMany) {
    return detail::atomically(db, options.transaction, [&](Transaction& t) {
      return writePairs(a, key, keys, options.through, false, t).created;
    });
  }
  if (!options.through.empty())
    throw UsageError(fmt::format("{}: through values need a belongsToMany", a.as));
  const Model& t = *a.target;
  t.unscoped().update({{a.foreignKey, key}}, {.where = Where(col(t.primaryKey()).in(keys)),
                                              .transaction = options.transaction});
  return {};
}

std::int64_t AssociationHandle::remove(const Targets& targets, Transaction* transaction) const {
  const Association& a = *a_;
  std::vector<Value> keys = keysOf(a, targets);
  if (keys.empty()) return 0;
  Value key = ownerKey(*owner_, a);
  Database& db = owner_->model().database();
  if (a.type == AssociationType::BelongsToMany) {
    const Model& th = *a.through;
    sql::Delete del;
    del.table = th.tableName();
    del.where = sql::and_({c(th, a.foreignKey) == Expr(key), c(th, a.otherKey).in(keys)});
    ConnectionScope scope(db, transaction);
    return scope.run(del).rowsAffected;
  }
  if (a.type == AssociationType::BelongsTo) {
    if (keys.size() != 1 || keys.front() != key) return 0;
    set(Targets(), {.transaction = transaction});
    return 1;
  }
  const Model& t = *a.target;
  return t.unscoped().update(
      {{a.foreignKey, Value()}},
      {.where = Where(sql::and_({col(a.foreignKey) == Expr(key), col(t.primaryKey()).in(keys)})),
       .transaction = transaction});
}

AssociationSetResult AssociationHandle::set(const Targets& targets,
                                            AssociationWriteOptions options) const {
  const Association& a = *a_;
  std::vector<Value> keys = keysOf(a, targets);
  Database& db = owner_->model().database();
  if (a.type == AssociationType::BelongsTo) {
    if (keys.size() > 1) throw UsageError(fmt::format("{}: a belongsTo takes one target", a.as));
    owner_->set(a.foreignKey, keys.empty() ? Value() : keys.front());
    owner_->save({.fields = {a.foreignKey}, .transaction = options.transaction});
    return {.updated = 1};
  }
  Value key = ownerKey(*owner_, a);
  if (a.single() && keys.size() > 1)
    throw UsageError(fmt::format("{}: a hasOne takes one target", a.as));
  return detail::atomically(db, options.transaction, [&](Transaction& t) {
    if (a.type == AssociationType::BelongsToMany)
      return writePairs(a, key, keys, options.through, true, t);
    AssociationSetResult result;
    const Model& tm = *a.target;
    Expr others = col(a.foreignKey) == Expr(key);
    if (!keys.empty()) others = sql::and_({others, col(tm.primaryKey()).notIn(keys)});
    result.removed = tm.unscoped().update({{a.foreignKey, Value()}},
                                          {.where = Where(others), .transaction = &t});
    if (!keys.empty())
      result.updated = tm.unscoped().update(
          {{a.foreignKey, key}}, {.where = Where(col(tm.primaryKey()).in(keys)), .transaction = &t});
    return result;
  });
}

Instance AssociationHandle::create(const Record& values, AssociationWriteOptions options) const {
  const Association& a = *a_;
  Database& db = owner_->model().database();
  return detail::atomically(db, options.transaction, [&](Transaction& t) {
    if (a.type == AssociationType::HasMany || a.type == AssociationType::HasOne) {
      Record withKey = values;
      withKey.emplace_back(a.foreignKey, ownerKey(*owner_, a));
      if (a.type == AssociationType::HasOne) set(Targets(), {.transaction = &t});
      return a.target->create(withKey, {.transaction = &t});
    }
    Instance created = a.target->create(values, {.transaction = &t});
    if (a.type == AssociationType::BelongsTo)
      set(Targets(created), {.transaction = &t});
    else
      add(Targets(created), {.through = options.through, .transaction = &t});
    return created;
  });
}

}  // namespace junction
