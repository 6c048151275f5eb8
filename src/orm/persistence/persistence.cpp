// Writing rows: create, bulkCreate, upsert, save, update, destroy, restore,
// reload and increment — on instances and on models.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "orm/internal.hpp"
#include "orm/loading/hydrator.hpp"
#include "orm/query/binder.hpp"
#include "orm/query/finder.hpp"

namespace junction {

using detail::InstanceAccess;

namespace {

Expr colOf(const AttributeDef& a) {
  return sql::col("", a.column);
}

bool inFields(const std::vector<std::string>& fields, const std::string& name) {
  return fields.empty() || std::find(fields.begin(), fields.end(), name) != fields.end();
}

void checkFields(const Model& m, const std::vector<std::string>& fields) {
  for (const auto& f : fields) m.requireIndex(f);
}

// Sets createdAt/updatedAt on an instance about to be inserted.
void stampNew(const Model& m, Instance& inst, const Timestamp& now) {
  for (const std::string* name : {&m.createdAtAttribute(), &m.updatedAtAttribute()}) {
    if (name->empty()) continue;
    std::size_t i = m.requireIndex(*name);
    if (!InstanceAccess::present(inst, i) || InstanceAccess::values(inst)[i].isNull())
      inst.set(*name, now);
  }
}

// The INSERT for instances that all have the same present attributes.
sql::Insert insertFor(const Model& m, const std::vector<const Instance*>& rows,
                      const std::vector<std::size_t>& cols) {
  sql::Insert ins;
  ins.table = m.tableName();
  for (std::size_t c : cols) ins.columns.push_back(m.attributes()[c].column);
  for (const Instance* inst : rows) {
    std::vector<Expr> row;
    row.reserve(cols.size());
    for (std::size_t c : cols) row.emplace_back(InstanceAccess::values(*inst)[c]);
    ins.rows.push_back(std::move(row));
  }
  ins.returning = detail::allColumns(m);
  return ins;
}

// Attributes an insert of `inst` writes: present ones (an unset
// auto-increment key is left to the database), limited to `fields`.
std::vector<std::size_t> insertColumns(const Model& m, const Instance& inst,
                                       const std::vector<std::string>& fields) {
  std::vector<std::size_t> cols;
  const auto& attrs = m.attributes();
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (!InstanceAccess::present(inst, i)) continue;
    if (attrs[i].spec.isAutoIncrement() && InstanceAccess::values(inst)[i].isNull()) continue;
    if (!attrs[i].isTimestamp && !inFields(fields, attrs[i].name)) continue;
    cols.push_back(i);
  }
  return cols;
}

void insertOne(detail::ConnectionScope& scope, Instance& inst,
               const std::vector<std::string>& fields) {
  const Model& m = inst.model();
  auto cols = insertColumns(m, inst, fields);
  ResultSet rs = scope.run(insertFor(m, {&inst}, cols));
  if (rs.size() != 1)
    throw DatabaseError(
        fmt::format("INSERT into {} returned {} rows, expected 1", m.tableName(), rs.size()));
  InstanceAccess::assignRow(inst, detail::rowValues(m, rs, 0));
}

}  // namespace

static void runHooks(const std::vector<Hook>& hooks, Instance& inst) {
  for (const Hook& h : hooks) h(inst);
}

static bool hasAfterHooks(const Hooks& h, bool isNew) {
  return !h.afterSave.empty() || !(isNew ? h.afterCreate : h.afterUpdate).empty();
}

void Model::addHook(HookType type, Hook hook) {
  if (!hook) throw UsageError(fmt::format("{}.addHook: the hook is empty", name_));
  Hooks& h = options_.hooks;
  switch (type) {
    case HookType::BeforeValidate:
      h.beforeValidate.push_back(std::move(hook));
      break;
    case HookType::AfterValidate:
      h.afterValidate.push_back(std::move(hook));
      break;
    case HookType::BeforeCreate:
      h.beforeCreate.push_back(std::move(hook));
      break;
    case HookType::AfterCreate:
      h.afterCreate.push_back(std::move(hook));
      break;
    case HookType::BeforeUpdate:
      h.beforeUpdate.push_back(std::move(hook));
      break;
    case HookType::AfterUpdate:
      h.afterUpdate.push_back(std::move(hook));
      break;
    case HookType::BeforeSave:
      h.beforeSave.push_back(std::move(hook));
      break;
    case HookType::AfterSave:
      h.afterSave.push_back(std::move(hook));
      break;
    case HookType::BeforeDestroy:
      h.beforeDestroy.push_back(std::move(hook));
      break;
    case HookType::AfterDestroy:
      h.afterDestroy.push_back(std::move(hook));
      break;
  }
}

// ------------------------------------------------------------------ Model

Instance Model::build(const Record& values) const {
  Instance inst(*this);
  for (const auto& a : attributes_)
    if (auto d = detail::defaultFor(a)) inst.set(a.name, std::move(*d));
  inst.set(values);
  return inst;
}

Instance Model::create(const Record& values, CreateOptions options) const {
  if (!options.include.empty())
    throw UsageError(
        fmt::format("{}.create: include needs nested values; pass a junction::Json object", name_));
  checkFields(*this, options.fields);
  Instance inst = build(values);
  inst.save({.fields = options.fields,
             .validate = options.validate,
             .hooks = options.hooks,
             .transaction = options.transaction});
  return inst;
}

std::vector<Instance> Model::bulkCreate(const std::vector<Record>& rows,
                                        BulkCreateOptions options) const {
  checkFields(*this, options.fields);
  for (const auto& u : options.updateOnDuplicate) requireIndex(u);
  for (const auto& c : options.conflictAttributes) requireIndex(c);
  if (options.ignoreDuplicates && !options.updateOnDuplicate.empty())
    throw UsageError("bulkCreate: ignoreDuplicates and updateOnDuplicate exclude each other");
  std::vector<Instance> built;
  built.reserve(rows.size());
  Timestamp now = Timestamp::now();
  std::vector<BulkRecordError> failed;
  for (const auto& r : rows) {
    built.push_back(build(r));
    stampNew(*this, built.back(), now);
    if (!options.validate) continue;
    try {
      built.back().validate();
    } catch (const ValidationError& e) {
      failed.push_back({built.size() - 1, e});
    }
  }
  if (!failed.empty()) throw BulkValidationError(name_, std::move(failed));
  if (built.empty()) return built;

  // Rows with the same set of columns share one multi-row INSERT (missing
  // columns must take the database default, which a bound NULL would not).
  std::map<std::vector<std::size_t>, std::vector<std::size_t>> groups;
  std::vector<std::vector<std::size_t>> order;
  for (std::size_t i = 0; i < built.size(); ++i) {
    auto cols = insertColumns(*this, built[i], options.fields);
    auto [it, fresh] = groups.try_emplace(cols);
    if (fresh) order.push_back(cols);
    it->second.push_back(i);
  }

  std::vector<std::string> target;
  for (const auto& c :
       options.conflictAttributes.empty() ? primaryKeys_ : options.conflictAttributes)
    target.push_back(attribute(c).column);

  const std::size_t maxParams = db_->dialect().capabilities().maxParams;
  auto chunkOf = [&](const std::vector<std::size_t>& cols) {
    if (cols.empty()) return std::size_t{1};  // DEFAULT VALUES inserts one row
    return std::max<std::size_t>(1, maxParams / cols.size());
  };
  std::size_t statements = 0;
  for (const auto& cols : order)
    statements += (groups[cols].size() + chunkOf(cols) - 1) / chunkOf(cols);
  auto run = [&](Transaction* t) {
    detail::ConnectionScope scope(*db_, t);
    std::vector<Instance> out;
    for (const auto& cols : order) {
      const auto& members = groups[cols];
      std::size_t chunk = chunkOf(cols);
      for (std::size_t start = 0; start < members.size(); start += chunk) {
        std::vector<const Instance*> batch;
        for (std::size_t k = start; k < std::min(members.size(), start + chunk); ++k)
          batch.push_back(&built[members[k]]);
        sql::Insert ins = insertFor(*this, batch, cols);
        if (options.ignoreDuplicates) {
          ins.onConflict = sql::OnConflict{.target = {}, .updateColumns = {}, .doNothing = true};
        } else if (!options.updateOnDuplicate.empty()) {
          sql::OnConflict oc;
          oc.target = target;
          for (const auto& u : options.updateOnDuplicate)
            oc.updateColumns.push_back(attribute(u).column);
          ins.onConflict = std::move(oc);
        }
        ResultSet rs = scope.run(ins);
        for (std::size_t r = 0; r < rs.size(); ++r) {
          Instance inst = InstanceAccess::loaded(*this);
          InstanceAccess::assignRow(inst, detail::rowValues(*this, rs, r));
          out.push_back(std::move(inst));
        }
      }
    }
    return out;
  };
  // One statement is atomic by itself; several need a (sub)transaction.
  if (statements == 1) return run(options.transaction);
  return detail::atomically(*db_, options.transaction, [&](Transaction& t) { return run(&t); });
}

Instance Model::upsert(const Record& values, UpsertOptions options) const {
  checkFields(*this, options.fields);
  for (const auto& c : options.conflictAttributes) requireIndex(c);
  Instance inst = build(values);
  stampNew(*this, inst, Timestamp::now());
  if (options.validate) inst.validate();
  auto cols = insertColumns(*this, inst, {});
  sql::Insert ins = insertFor(*this, {&inst}, cols);
  sql::OnConflict oc;
  for (const auto& c :
       options.conflictAttributes.empty() ? primaryKeys_ : options.conflictAttributes)
    oc.target.push_back(attribute(c).column);
  for (std::size_t c : cols) {
    const AttributeDef& a = attributes_[c];
    if (a.name == createdAt_) continue;  // an update keeps the original creation time
    if (std::find(oc.target.begin(), oc.target.end(), a.column) != oc.target.end()) continue;
    if (!inFields(options.fields, a.name) && !a.isTimestamp) continue;
    oc.updateColumns.push_back(a.column);
  }
  if (oc.updateColumns.empty()) oc.doNothing = true;
  ins.onConflict = std::move(oc);
  detail::ConnectionScope scope(*db_, options.transaction);
  ResultSet rs = scope.run(ins);
  if (rs.size() == 1) InstanceAccess::assignRow(inst, detail::rowValues(*this, rs, 0));
  return inst;
}

std::int64_t detail::runUpdate(const Model& m, const Record& values, UpdateOptions options) {
  if (options.where.empty()) throw UsageError(fmt::format("{}.update needs a where", m.name()));
  checkFields(m, options.fields);
  // Validate the given values through a scratch instance (type + validators).
  Instance scratch(m);
  sql::Update up;
  up.table = m.tableName();
  for (const auto& [k, v] : values) {
    if (!inFields(options.fields, k)) continue;
    scratch.set(k, v);
    up.set.emplace_back(m.attribute(k).column, Expr(scratch.get(k)));
  }
  if (options.validate) scratch.validate(true);
  const std::string& updatedAt = m.updatedAtAttribute();
  if (!updatedAt.empty() && !options.silent) {
    bool given = false;
    for (const auto& [k, v] : values) given = given || k == updatedAt;
    if (!given) up.set.emplace_back(m.attribute(updatedAt).column, Expr(Timestamp::now()));
  }
  if (up.set.empty()) return 0;
  BindContext ctx{&m, "", {}, "where"};
  up.where = bindWhere(ctx, options.where, options.paranoid);
  if (options.limit)
    throw UsageError(
        "Model.update with limit is not supported: SQLite and PostgreSQL have no "
        "UPDATE ... LIMIT; narrow the where instead");
  ConnectionScope scope(m.database(), options.transaction);
  return scope.run(up).rowsAffected;
}

std::int64_t detail::runDestroy(const Model& m, DestroyOptions options) {
  if (options.where.empty() && !options.truncate)
    throw UsageError(
        fmt::format("{}.destroy needs a where, or .truncate = true to delete every row", m.name()));
  if (options.limit)
    throw UsageError("Model.destroy with limit is not supported: narrow the where instead");
  BindContext ctx{&m, "", {}, "where"};
  ConnectionScope scope(m.database(), options.transaction);
  if (m.isParanoid() && !options.force) {
    sql::Update up;
    up.table = m.tableName();
    up.set.emplace_back(m.attribute(m.deletedAtAttribute()).column, Expr(Timestamp::now()));
    up.where = bindWhere(ctx, options.where, true);
    return scope.run(up).rowsAffected;
  }
  sql::Delete del;
  del.table = m.tableName();
  del.where = bind(ctx, options.where.expr());
  return scope.run(del).rowsAffected;
}

std::int64_t Model::restore(RestoreOptions options) const {
  if (!isParanoid()) throw UsageError(fmt::format("{}.restore: the model is not paranoid", name_));
  detail::BindContext ctx{this, "", {}, "where"};
  sql::Update up;
  up.table = tableName_;
  up.set.emplace_back(attribute(deletedAt_).column, Expr(Value()));
  up.where = detail::bind(ctx, options.where.expr());
  detail::ConnectionScope scope(*db_, options.transaction);
  return scope.run(up).rowsAffected;
}

namespace {
sql::Update incrementStatement(const Model& m, const Record& amounts, const IncrementOptions& o,
                               bool negate) {
  if (amounts.empty()) throw UsageError(fmt::format("{}.increment: no attributes given", m.name()));
  sql::Update up;
  up.table = m.tableName();
  for (const auto& [k, v] : amounts) {
    const AttributeDef& a = m.attribute(k);
    auto kind = a.spec.type().kind;
    using K = sql::ColumnType::Kind;
    if (kind != K::Integer && kind != K::BigInt && kind != K::Float && kind != K::Double &&
        kind != K::Decimal)
      throw UsageError(fmt::format("{}.increment: attribute \"{}\" is not numeric", m.name(), k));
    Value by = detail::coerce(a.spec.type(), v);
    if (by.type() != ValueType::Int && by.type() != ValueType::Double)
      throw UsageError(fmt::format("{}.increment: amount for \"{}\" must be a number, got {}",
                                   m.name(), k, v.toDebugString()));
    Expr amount{by};
    up.set.emplace_back(a.column, negate ? colOf(a) - amount : colOf(a) + amount);
  }
  if (!m.updatedAtAttribute().empty() && !o.silent)
    up.set.emplace_back(m.attribute(m.updatedAtAttribute()).column, Expr(Timestamp::now()));
  return up;
}
}  // namespace

std::int64_t Model::increment(const Record& amounts, IncrementOptions options) const {
  if (options.where.empty()) throw UsageError(fmt::format("{}.increment needs a where", name_));
  sql::Update up = incrementStatement(*this, amounts, options, false);
  detail::BindContext ctx{this, "", {}, "where"};
  up.where = detail::bindWhere(ctx, options.where, true);
  detail::ConnectionScope scope(*db_, options.transaction);
  return scope.run(up).rowsAffected;
}

std::int64_t Model::decrement(const Record& amounts, IncrementOptions options) const {
  if (options.where.empty()) throw UsageError(fmt::format("{}.decrement needs a where", name_));
  sql::Update up = incrementStatement(*this, amounts, options, true);
  detail::BindContext ctx{this, "", {}, "where"};
  up.where = detail::bindWhere(ctx, options.where, true);
  detail::ConnectionScope scope(*db_, options.transaction);
  return scope.run(up).rowsAffected;
}

// --------------------------------------------------------------- Instance

Instance& Instance::save(SaveOptions options) {
  const Model& m = *model_;
  checkFields(m, options.fields);
  const Hooks& hooks = m.options().hooks;
  // An after-hook that throws must undo the write: run both in one transaction.
  if (options.hooks && hasAfterHooks(hooks, isNew_) && !options.transaction) {
    detail::atomically(m.database(), nullptr, [&](Transaction& t) {
      SaveOptions inner = options;
      inner.transaction = &t;
      save(std::move(inner));
    });
    return *this;
  }
  auto validated = [&](bool onlyChanged) {
    if (!options.validate) return;
    if (options.hooks) runHooks(hooks.beforeValidate, *this);
    validate(onlyChanged);
    if (options.hooks) runHooks(hooks.afterValidate, *this);
  };
  if (isNew_) {
    stampNew(m, *this, Timestamp::now());
    validated(false);
    if (options.hooks) {
      runHooks(hooks.beforeCreate, *this);
      runHooks(hooks.beforeSave, *this);
    }
    detail::ConnectionScope scope(m.database(), options.transaction);
    insertOne(scope, *this, options.fields);
    if (options.hooks) {
      runHooks(hooks.afterCreate, *this);
      runHooks(hooks.afterSave, *this);
    }
    return *this;
  }
  auto dirtyAttributes = [&] {
    std::vector<std::size_t> dirty;
    for (std::size_t i = 0; i < flags_.size(); ++i)
      if ((flags_[i] & detail::kChanged) && inFields(options.fields, m.attributes()[i].name))
        dirty.push_back(i);
    return dirty;
  };
  if (dirtyAttributes().empty()) return *this;  // nothing changed: no statement, no hooks
  validated(true);
  if (options.hooks) {
    runHooks(hooks.beforeUpdate, *this);
    runHooks(hooks.beforeSave, *this);
  }
  std::vector<std::size_t> dirty = dirtyAttributes();  // hooks may have changed more
  if (!m.updatedAtAttribute().empty() && !options.silent) {
    std::size_t u = m.requireIndex(m.updatedAtAttribute());
    if (std::find(dirty.begin(), dirty.end(), u) == dirty.end()) {
      set(m.updatedAtAttribute(), Timestamp::now());
      dirty.push_back(u);
    }
  }
  sql::Update up;
  up.table = m.tableName();
  for (std::size_t i : dirty) up.set.emplace_back(m.attributes()[i].column, Expr(values_[i]));
  up.where = detail::primaryKeyWhere(*this);
  detail::ConnectionScope scope(m.database(), options.transaction);
  scope.run(up);
  // Only the saved attributes become clean; others stay changed.
  for (std::size_t i : dirty) flags_[i] &= static_cast<std::uint8_t>(~detail::kChanged);
  bool anyChanged = false;
  for (auto f : flags_) anyChanged = anyChanged || (f & detail::kChanged);
  if (!anyChanged && extra_) extra_->previous.clear();
  if (options.hooks) {
    runHooks(hooks.afterUpdate, *this);
    runHooks(hooks.afterSave, *this);
  }
  return *this;
}

Instance& Instance::update(const Record& values, SaveOptions options) {
  set(values);
  if (options.fields.empty())
    for (const auto& [k, v] : values) options.fields.push_back(k);
  return save(std::move(options));
}

void Instance::destroy(DestroyOptions options) {
  const Model& m = *model_;
  const Hooks& hooks = m.options().hooks;
  if (options.hooks && !hooks.afterDestroy.empty() && !options.transaction) {
    detail::atomically(m.database(), nullptr, [&](Transaction& t) {
      DestroyOptions inner = options;
      inner.transaction = &t;
      destroy(std::move(inner));
    });
    return;
  }
  if (options.hooks) runHooks(hooks.beforeDestroy, *this);
  if (isNew_)
    throw UsageError(fmt::format("{}: cannot destroy an instance that was never saved", m.name()));
  if (!options.where.empty() || options.truncate)
    throw UsageError("instance.destroy takes no where or truncate; use Model.destroy");
  detail::ConnectionScope scope(m.database(), options.transaction);
  if (m.isParanoid() && !options.force) {
    Timestamp now = Timestamp::now();
    sql::Update up;
    up.table = m.tableName();
    up.set.emplace_back(m.attribute(m.deletedAtAttribute()).column, Expr(now));
    up.where = detail::primaryKeyWhere(*this);
    scope.run(up);
    set(m.deletedAtAttribute(), now);
    detail::InstanceAccess::markClean(*this);
  } else {
    sql::Delete del;
    del.table = m.tableName();
    del.where = detail::primaryKeyWhere(*this);
    scope.run(del);
  }
  if (options.hooks) runHooks(hooks.afterDestroy, *this);
}

void Instance::restore(RestoreOptions options) {
  const Model& m = *model_;
  if (!m.isParanoid())
    throw UsageError(fmt::format("{}.restore: the model is not paranoid", m.name()));
  detail::ConnectionScope scope(m.database(), options.transaction);
  sql::Update up;
  up.table = m.tableName();
  up.set.emplace_back(m.attribute(m.deletedAtAttribute()).column, Expr(Value()));
  up.where = detail::primaryKeyWhere(*this);
  scope.run(up);
  set(m.deletedAtAttribute(), Value());
  detail::InstanceAccess::markClean(*this);
}

Instance& Instance::reload(ReloadOptions options) {
  const Model& m = *model_;
  if (!options.include.empty()) {
    // With include, the instance becomes the freshly loaded row together
    // with the included associations (what Sequelize's reload({include}) gives).
    auto fresh = m.unscoped().findByPk(primaryKeyValue(), {.attributes = options.attributes,
                                                           .include = options.include,
                                                           .transaction = options.transaction});
    if (!fresh)
      throw EmptyResultError(fmt::format(
          "{} instance could not be reloaded because it does not exist anymore", m.name()));
    *this = std::move(*fresh);
    return *this;
  }
  sql::Select s;
  s.from = {m.tableName(), "", nullptr};
  s.columns = detail::allColumns(m);
  s.where = detail::primaryKeyWhere(*this);
  detail::ConnectionScope scope(m.database(), options.transaction);
  ResultSet rs = scope.run(s);
  if (rs.empty())
    throw EmptyResultError(fmt::format(
        "{} instance could not be reloaded because it does not exist anymore", m.name()));
  std::vector<Value> row = detail::rowValues(m, rs, 0);
  if (options.attributes.mode() == Attributes::Mode::All && options.attributes.excluded().empty()) {
    InstanceAccess::assignRow(*this, std::move(row));
  } else {
    // Refresh only the requested attributes; the rest keep their values.
    std::vector<std::string> names;
    if (options.attributes.mode() == Attributes::Mode::List) {
      for (const auto& item : options.attributes.items()) names.push_back(item.name);
    } else {
      for (const auto& a : m.attributes()) names.push_back(a.name);
      std::erase_if(names, [&](const std::string& n) {
        const auto& ex = options.attributes.excluded();
        return std::find(ex.begin(), ex.end(), n) != ex.end();
      });
    }
    if (flags_.empty()) flags_.assign(values_.size(), detail::kPresent);
    for (const auto& n : names) {
      std::size_t i = m.requireIndex(n);
      values_[i] = std::move(row[i]);
      flags_[i] = detail::kPresent;
    }
  }
  return *this;
}

namespace {
Instance& incrementInstance(Instance& inst, const Record& amounts, IncrementOptions o,
                            bool negate) {
  const Model& m = inst.model();
  if (inst.isNewRecord())
    throw UsageError(fmt::format("{}: cannot increment an unsaved instance", m.name()));
  if (!o.where.empty()) throw UsageError("instance.increment takes no where; use Model.increment");
  Record scaled;
  for (const auto& [k, v] : amounts) scaled.emplace_back(k, v);
  sql::Update up = incrementStatement(m, scaled, o, negate);
  up.where = detail::primaryKeyWhere(inst);
  up.returning = detail::allColumns(m);
  detail::ConnectionScope scope(m.database(), o.transaction);
  ResultSet rs = scope.run(up);
  if (rs.empty())
    throw EmptyResultError(
        fmt::format("{} instance no longer exists; nothing was incremented", m.name()));
  InstanceAccess::assignRow(inst, detail::rowValues(m, rs, 0));
  return inst;
}
}  // namespace

Instance& Instance::increment(std::string_view attribute, IncrementOptions options) {
  return incrementInstance(*this, {{std::string(attribute), Value(options.by)}}, options, false);
}
Instance& Instance::increment(const Record& amounts, IncrementOptions options) {
  return incrementInstance(*this, amounts, options, false);
}
Instance& Instance::decrement(std::string_view attribute, IncrementOptions options) {
  return incrementInstance(*this, {{std::string(attribute), Value(options.by)}}, options, true);
}
Instance& Instance::decrement(const Record& amounts, IncrementOptions options) {
  return incrementInstance(*this, amounts, options, true);
}

}  // namespace junction
