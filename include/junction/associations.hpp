// junction/associations.hpp — belongsTo, hasOne, hasMany, belongsToMany.
//
//   Note.belongsTo(User);                                    // note.userId → users.id
//   User.hasMany(Note);                                      // "notes"
//   User.belongsToMany(Team, {.through = Membership});       // "teams", via memberships
//   User.belongsToMany(Note, {.through = UserNotes, .as = "marked_notes"});
//   User.belongsToMany(Project, {.through = "UserProject", .as = "projects"});  // junction model
//   created
//
// Names follow Sequelize v6: belongsTo/hasOne are named after the target
// model (singular), hasMany/belongsToMany after its plural; foreign keys are
// camelCase `<name><Key>` ("userId"), with snake_case columns when the model
// holding them is underscored. A belongsToMany through a model that already
// has attributes referencing the two tables uses those as its keys
// (memberships.userId / teamId); with `inverse = {.as = ...}` the keys are
// named after the two association names (likerId / likedTootId), as in
// Sequelize 7. A duplicate alias, or one that collides with an attribute, is
// an AssociationError at definition time.
//
// On instances, associations have their own names, distinct from attribute
// access (DESIGN.md pitfalls):
//   user.association("teams").get({.attributes = {"name"}, .joinTableAttributes = none});
//   user.association("projects").add(project, {.through = {{"role", "admin"}}});
//   user.related("notes");   // the eagerly loaded notes (strict mode: throws if not loaded)
//
// Thread-safety: define associations before sharing the Database; after
// that, associations are immutable.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "junction/instance.hpp"
#include "junction/query.hpp"

namespace junction {

class Model;

enum class AssociationType { BelongsTo, HasOne, HasMany, BelongsToMany };

// belongsTo / hasOne / hasMany options.
struct AssociationOptions {
  std::string as;
  std::string foreignKey;   // attribute holding the key (source for belongsTo, target otherwise)
  std::string sourceKey;    // hasOne/hasMany: the source attribute it references (default: PK)
  std::string targetKey;    // belongsTo: the target attribute it references (default: PK)
  // Actions of the key's reference. A key the association adds: SET NULL /
  // CASCADE. A key the model declares keeps what it says; where it says
  // nothing: this option, else ON UPDATE CASCADE and ON DELETE SET NULL when
  // declared allowNull(true), else NO ACTION (belongsTo) or CASCADE
  // (hasOne/hasMany), as Sequelize.
  std::string onDelete;
  std::string onUpdate;
  bool constraints = true;  // false: no REFERENCES clause in sync()
};

// The junction of a belongsToMany: a model, or a name (a model is created),
// with `unique` (default true: one row per pair).
class Through {
 public:
  Through() = default;  // none: belongsToMany then throws AssociationError
  Through(const Model& model) : model_(&model) {}
  Through(const char* name) : name_(name) {}
  Through(std::string name) : name_(std::move(name)) {}
  Through(const Model& model, bool unique) : model_(&model), unique_(unique) {}
  Through(std::string name, bool unique) : name_(std::move(name)), unique_(unique) {}

  const Model* model() const noexcept { return model_; }
  const std::string& name() const noexcept { return name_; }
  bool unique() const noexcept { return unique_; }

 private:
  const Model* model_ = nullptr;
  std::string name_;
  bool unique_ = true;
};

struct InverseOptions {
  std::string as;  // also define the inverse belongsToMany under this name
};

// Names of the four associations a belongsToMany implies (Sequelize 7).
struct ThroughAssociations {
  std::string fromSource;  // source hasMany through
  std::string toSource;    // through belongsTo source
  std::string fromTarget;  // target hasMany through
  std::string toTarget;    // through belongsTo target
};

struct BelongsToManyOptions {
  Through through;
  std::string as;
  std::string foreignKey;  // junction attribute pointing at the source
  std::string otherKey;    // junction attribute pointing at the target
  std::string sourceKey;   // source attribute referenced (default: PK)
  std::string targetKey;   // target attribute referenced (default: PK)
  InverseOptions inverse;
  ThroughAssociations throughAssociations;
  std::string onDelete = "CASCADE";
  std::string onUpdate = "CASCADE";
  bool constraints = true;
};

// A defined association (read-only description).
struct Association {
  AssociationType type;
  std::string as;
  const Model* source = nullptr;
  const Model* target = nullptr;
  std::string
      foreignKey;  // belongsTo: on source; hasOne/hasMany: on target; belongsToMany: on through
  std::string sourceKey;           // hasOne/hasMany/belongsToMany: on source
  std::string targetKey;           // belongsTo/belongsToMany: on target
  const Model* through = nullptr;  // belongsToMany
  std::string otherKey;            // belongsToMany: on through, → target
  bool throughUnique = true;

  bool single() const noexcept {
    return type == AssociationType::BelongsTo || type == AssociationType::HasOne;
  }
};

// ---- instance helpers ----

// Targets of add/remove/set/has: instances or primary keys, one or many.
class Targets {
 public:
  Targets() = default;
  Targets(const Instance& one) : instances_{&one} {}
  Targets(const std::vector<Instance>& many);
  template <class T>
  requires std::constructible_from<Value, T> &&
      (!std::same_as<std::decay_t<T>, Instance>)Targets(T&& key)
      : keys_{Value(std::forward<T>(key))} {}
  Targets(std::initializer_list<Value> keys) : keys_(keys) {}
  Targets(std::vector<Value> keys) : keys_(std::move(keys)) {}

  const std::vector<const Instance*>& instances() const noexcept { return instances_; }
  const std::vector<Value>& keys() const noexcept { return keys_; }
  bool empty() const noexcept { return instances_.empty() && keys_.empty(); }

 private:
  std::vector<const Instance*> instances_;
  std::vector<Value> keys_;
};

// Junction values for add/set: one record for every pair, or one per item.
class ThroughValues {
 public:
  ThroughValues() = default;
  ThroughValues(Record all) : all_(std::move(all)) {}
  ThroughValues(std::initializer_list<std::pair<std::string, Value>> all) : all_(all) {}
  ThroughValues(std::vector<Record> each) : each_(std::move(each)), perItem_(true) {}

  bool empty() const noexcept { return all_.empty() && each_.empty(); }
  bool perItem() const noexcept { return perItem_; }
  const Record& all() const noexcept { return all_; }
  const std::vector<Record>& each() const noexcept { return each_; }

 private:
  Record all_;
  std::vector<Record> each_;
  bool perItem_ = false;
};

struct AssociationGetOptions {
  Attributes attributes;
  std::vector<Include> include;
  Where where;
  std::vector<OrderItem> order;
  std::optional<std::int64_t> limit;
  Attributes joinTableAttributes;  // belongsToMany: the junction row's attributes (none: hide)
  Where throughWhere;              // belongsToMany: condition on the junction row
  Transaction* transaction = nullptr;
};

struct AssociationCountOptions {
  Where where;
  Where throughWhere;
  Transaction* transaction = nullptr;
};

struct AssociationWriteOptions {
  ThroughValues through;
  Transaction* transaction = nullptr;
};

// What set() changed. belongsToMany: junction rows deleted, created and
// updated (Sequelize's setX resolves to the same, as an array of the
// update counts, the delete count and the created rows). hasMany/hasOne:
// targets unlinked (`removed`) and linked (`updated`). belongsTo: the
// owner's key was saved (`updated` is 1).
struct AssociationSetResult {
  std::int64_t removed = 0;
  std::vector<Instance> created;
  std::int64_t updated = 0;
};

// Helper methods for one association of one instance (Sequelize's mixins:
// getX, setX, addX/addXs, removeX/removeXs, createX, hasX/hasXs, countX).
class AssociationHandle {
 public:
  AssociationHandle(Instance& owner, const Association& a) : owner_(&owner), a_(&a) {}

  std::vector<Instance> get(AssociationGetOptions options = {}) const;
  // belongsTo / hasOne: the one associated instance, if any.
  std::optional<Instance> getOne(AssociationGetOptions options = {}) const;
  std::int64_t count(AssociationCountOptions options = {}) const;
  // True when every target is associated.
  bool has(const Targets& targets, Transaction* transaction = nullptr) const;
  // hasMany/belongsToMany: associates targets (existing pairs get the new
  // through values). belongsTo/hasOne: use set.
  // belongsToMany: returns the junction rows it created, as Sequelize's
  // addX resolves to them (none when every pair existed). hasMany: none
  // (Sequelize resolves to the owner, which the caller holds).
  std::vector<Instance> add(const Targets& targets, AssociationWriteOptions options = {}) const;
  // Returns the number of links removed: belongsToMany junction rows
  // deleted (Sequelize's removeX resolves to it); hasMany/hasOne targets
  // whose key was cleared; belongsTo 1 or 0.
  std::int64_t remove(const Targets& targets, Transaction* transaction = nullptr) const;
  // Replaces the associated set: exactly `targets` afterwards (empty: none).
  // Costs one read of the current rows, one delete, one bulk insert, plus an
  // update per kept pair whose through values change.
  AssociationSetResult set(const Targets& targets, AssociationWriteOptions options = {}) const;
  // Creates a target and associates it.
  Instance create(const Record& values, AssociationWriteOptions options = {}) const;

  const Association& association() const noexcept { return *a_; }

 private:
  Instance* owner_;
  const Association* a_;
};

}  // namespace junction
