// junction/model.hpp — a model: attributes, table, and Sequelize's static API.
//
//   auto& Note = db.define("note", {
//       {"id", INTEGER.primaryKey().autoIncrement()},
//       {"content", TEXT.allowNull(false)},
//       {"important", BOOLEAN},
//     }, {.underscored = true, .timestamps = false});
//   auto notes = Note.findAll({.where = {{"important", true}}});
//   auto note  = Note.create({{"content", "HTML is easy"}, {"important", true}});
//
// Names follow Sequelize: modelName "user" gets table "users" (pluralised
// unless freezeTableName or tableName), attributes keep their names, and
// with `underscored` their columns become snake_case ("userId" → "user_id",
// "createdAt" → "created_at"). With `timestamps` (default on) the model has
// createdAt/updatedAt; with `paranoid`, deletedAt and soft deletes.
//
// A Model is owned by its Database and lives as long as it does.
// Thread-safety: a defined model is immutable apart from association
// definitions (define associations before sharing the Database between
// threads); all query methods are safe to call concurrently.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "junction/associations.hpp"
#include "junction/data_types.hpp"
#include "junction/instance.hpp"
#include "junction/query.hpp"

namespace junction {

class Database;
class Model;
class ScopedModel;
struct Association;
namespace detail {
bool aliasWasGiven(const Model& m, const Association& a);
}

// createdAt: false, or createdAt: "created" (Sequelize's timestamp renames).
struct TimestampName {
  TimestampName(bool on) : enabled(on) {}
  TimestampName(const char* n) : name(n) {}
  TimestampName(std::string n) : name(std::move(n)) {}
  bool enabled = true;
  std::string name;  // empty: the default name
};

struct SyncOptions {
  bool force = false;  // DROP TABLE IF EXISTS first
  Transaction* transaction = nullptr;
};

// A scope (Sequelize's defaultScope / scopes entries). `method` makes it
// parameterised: {.method = [](const std::vector<Value>& a) -> Scope {...}}.
struct Scope {
  Attributes attributes;
  std::vector<Include> include;
  Where where;
  std::vector<OrderItem> order;
  std::optional<std::int64_t> limit;
  std::function<Scope(const std::vector<Value>& args)> method;
};

// One scope of a scope(...) call: a name, or a parameterised scope with its
// arguments (Sequelize's { method: ['name', '%jami%'] }).
struct ScopeRef {
  ScopeRef(const char* n) : name(n) {}
  ScopeRef(std::string n) : name(std::move(n)) {}
  ScopeRef(std::string n, std::vector<Value> a) : name(std::move(n)), args(std::move(a)) {}
  std::string name;
  std::vector<Value> args;
};
template <class... A>
ScopeRef method(std::string name, A&&... args) {
  return ScopeRef(std::move(name), std::vector<Value>{Value(std::forward<A>(args))...});
}

// Lifecycle hooks (Sequelize's). A hook may change the instance; throwing
// aborts the operation (an after-hook's exception rolls the write back).
using Hook = std::function<void(Instance&)>;
struct Hooks {
  std::vector<Hook> beforeValidate, afterValidate;
  std::vector<Hook> beforeCreate, afterCreate;
  std::vector<Hook> beforeUpdate, afterUpdate;
  std::vector<Hook> beforeSave, afterSave;  // around both create and update
  std::vector<Hook> beforeDestroy, afterDestroy;
};
enum class HookType {
  BeforeValidate,
  AfterValidate,
  BeforeCreate,
  AfterCreate,
  BeforeUpdate,
  AfterUpdate,
  BeforeSave,
  AfterSave,
  BeforeDestroy,
  AfterDestroy,
};

struct ModelOptions {
  bool underscored = false;
  bool timestamps = true;
  TimestampName createdAt = true;
  TimestampName updatedAt = true;
  TimestampName deletedAt = true;
  bool paranoid = false;
  std::string modelName;  // Model classes: the name given to define()
  std::string tableName;  // default: the pluralised model name
  bool freezeTableName = false;
  Scope defaultScope;  // applied by every finder unless scope()/unscoped() says otherwise
  std::map<std::string, Scope, std::less<>> scopes;
  Hooks hooks;
};

// Everything known about one attribute once the model is defined.
struct AttributeDef {
  std::string name;    // attribute name ("userId")
  std::string column;  // column name ("user_id" when underscored)
  Attribute spec{sql::ColumnType{}};
  bool allowNull = true;
  bool isTimestamp = false;  // createdAt / updatedAt / deletedAt
};

class Model {
 public:
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  const std::string& name() const noexcept { return name_; }
  const std::string& tableName() const noexcept { return tableName_; }
  const ModelOptions& options() const noexcept { return options_; }
  Database& database() const noexcept { return *db_; }

  const std::vector<AttributeDef>& attributes() const noexcept { return attributes_; }
  std::optional<std::size_t> attributeIndex(std::string_view name) const noexcept;
  // Attribute i's JSON object key with its colon, escaped once: `"name":`.
  // What writers of JSON text append before the value.
  const std::string& attributeJSONKey(std::size_t i) const noexcept { return jsonKeys_[i]; }
  // UsageError naming the model and the unknown attribute.
  const AttributeDef& attribute(std::string_view name) const;
  std::size_t requireIndex(std::string_view name) const;
  // The (first) primary-key attribute. Models always have one: Sequelize's
  // `id INTEGER PRIMARY KEY AUTOINCREMENT` is added when none is defined.
  const std::string& primaryKey() const noexcept { return primaryKey_; }
  // All primary-key attributes (more than one: a composite key).
  const std::vector<std::string>& primaryKeys() const noexcept { return primaryKeys_; }
  // Names of the timestamp attributes ("" when disabled).
  const std::string& createdAtAttribute() const noexcept { return createdAt_; }
  const std::string& updatedAtAttribute() const noexcept { return updatedAt_; }
  const std::string& deletedAtAttribute() const noexcept { return deletedAt_; }
  bool isParanoid() const noexcept { return !deletedAt_.empty(); }

  // ---- building and creating ----
  // A new instance with defaults applied; values go through set().
  Instance build(const Record& values = {}) const;
  Instance create(const Record& values, CreateOptions options = {}) const;
  // Sequelize's create with include: a JSON object whose association keys
  // hold nested records, all created in one transaction —
  //   User.create(Json{{"name", "Jane"}, {"projects", Json::array({{{"title", "A"}}})}},
  //               {.include = {{.model = Project, .as = "projects"}}});
  // A belongsToMany child may carry its junction values under the junction
  // model's name ({"title": "A", "UserProject": {"role": "admin"}}).
  template <class J>
  requires std::same_as<std::remove_cvref_t<J>, nlohmann::ordered_json> Instance
  create(J&& values, CreateOptions options)
  const { return createNested(values, std::move(options)); }
  std::vector<Instance> bulkCreate(const std::vector<Record>& rows,
                                   BulkCreateOptions options = {}) const;
  // INSERT ... ON CONFLICT (primary key or conflictAttributes) DO UPDATE.
  Instance upsert(const Record& values, UpsertOptions options = {}) const;

  // ---- finders ----
  std::vector<Instance> findAll(FindOptions options = {}) const;
  std::optional<Instance> findOne(FindOptions options = {}) const;
  std::optional<Instance> findByPk(Value key, FindOptions options = {}) const;
  std::pair<Instance, bool> findOrCreate(FindOrCreateOptions options) const;
  struct CountedRows {
    std::int64_t count = 0;
    std::vector<Instance> rows;
  };
  CountedRows findAndCountAll(FindOptions options = {}) const;

  // ---- aggregates ----
  std::int64_t count(CountOptions options = {}) const;
  Value max(std::string_view attribute, AggregateOptions options = {}) const;
  Value min(std::string_view attribute, AggregateOptions options = {}) const;
  Value sum(std::string_view attribute, AggregateOptions options = {}) const;

  // ---- bulk writes (return the number of affected rows) ----
  std::int64_t update(const Record& values, UpdateOptions options) const;
  std::int64_t destroy(DestroyOptions options) const;
  std::int64_t restore(RestoreOptions options = {}) const;
  std::int64_t increment(const Record& amounts, IncrementOptions options) const;
  std::int64_t decrement(const Record& amounts, IncrementOptions options) const;

  // ---- hooks ----
  // Adds a hook (define-time, like associations).
  void addHook(HookType type, Hook hook);

  // ---- scopes ----
  // The model with these scopes instead of the default scope (name
  // "defaultScope" to keep it): User.scope("admin", method("name", "%jami%")).
  ScopedModel scope(std::vector<ScopeRef> scopes) const;
  template <class... S>
  ScopedModel scope(ScopeRef first, S&&... rest) const;
  ScopedModel unscoped() const;

  // ---- associations (junction/associations.hpp) ----
  const Association& belongsTo(const Model& target, AssociationOptions options = {});
  const Association& hasOne(const Model& target, AssociationOptions options = {});
  const Association& hasMany(const Model& target, AssociationOptions options = {});
  const Association& belongsToMany(const Model& target, BelongsToManyOptions options);
  // AssociationError naming the model and the alias when unknown.
  const Association& association(std::string_view as) const;
  const Association* findAssociation(std::string_view as) const noexcept;
  std::vector<const Association*> associations() const;

  // ---- schema (tests and prototypes; use migrations in production) ----
  void sync(SyncOptions options = {}) const;
  void drop(Transaction* transaction = nullptr) const;
  sql::CreateTable createTableStatement() const;

 private:
  friend class Database;
  friend struct detail::InstanceAccess;
  Model(Database& db, std::string name, AttributeList attributes, ModelOptions options);
  Instance createNested(const nlohmann::ordered_json& values, CreateOptions options) const;
  friend struct AssociationBuilder;
  friend bool detail::aliasWasGiven(const Model&, const Association&);
  // Adds an attribute after definition (association foreign keys).
  void addAttribute(std::string name, Attribute spec);
  Association& addAssociation(Association a, bool aliasGiven);

  Database* db_;
  std::string name_;
  std::string tableName_;
  ModelOptions options_;
  std::vector<AttributeDef> attributes_;
  // In step with attributes_ (attributesChanged()): the names side by side,
  // which attributeIndex() scans without touching the large definitions,
  // and the escaped JSON keys.
  std::vector<std::string> attributeNames_;
  std::vector<std::string> jsonKeys_;
  void attributesChanged();
  std::string primaryKey_;
  std::vector<std::string> primaryKeys_;
  std::string createdAt_, updatedAt_, deletedAt_;
  struct OwnedAssociation {
    std::unique_ptr<Association> a;
    bool aliasGiven;
  };
  std::vector<OwnedAssociation> associations_;
};

// A model seen through scopes: the finders and bulk writes of Model, with
// the scopes' where/attributes/include/order/limit merged under the call's
// options (wheres combine with AND). Cheap to copy; refers to the Model.
class ScopedModel {
 public:
  std::vector<Instance> findAll(FindOptions options = {}) const;
  std::optional<Instance> findOne(FindOptions options = {}) const;
  std::optional<Instance> findByPk(Value key, FindOptions options = {}) const;
  Model::CountedRows findAndCountAll(FindOptions options = {}) const;
  std::int64_t count(CountOptions options = {}) const;
  std::int64_t update(const Record& values, UpdateOptions options) const;
  std::int64_t destroy(DestroyOptions options) const;
  ScopedModel scope(std::vector<ScopeRef> more) const;  // adds scopes
  const Model& model() const noexcept { return *model_; }
  // The merged options (for tests and tools).
  FindOptions apply(FindOptions options) const;

 private:
  friend class Model;
  ScopedModel(const Model& m, std::vector<Scope> scopes) : model_(&m), scopes_(std::move(scopes)) {}
  const Model* model_;
  std::vector<Scope> scopes_;
};

template <class... S>
ScopedModel Model::scope(ScopeRef first, S&&... rest) const {
  return scope(std::vector<ScopeRef>{std::move(first), ScopeRef(std::forward<S>(rest))...});
}

// Sequelize's naming helpers (exposed for tests and tools).
std::string pluralize(std::string_view word);
std::string underscore(std::string_view camel);  // "userId" → "user_id"

}  // namespace junction
