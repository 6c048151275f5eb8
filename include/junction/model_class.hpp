// junction/model_class.hpp — model classes: Sequelize's `class User extends Model`.
//
//   class User : public junction::ModelClass<User> {
//    public:
//     using ModelClass::ModelClass;
//     std::int64_t numberOfNotes() { return association("notes").count(); }  // instance method
//     static std::vector<User> withNotes(int limit) {                          // class method
//       return findAll({.attributes = include({{fn("COUNT", col("notes.id")), "note_count"}}),
//                       .include = {{.model = Note::model(), .attributes = none}},
//                       .group = {"user.id"},
//                       .having = fn("COUNT", col("notes.id")) > limit});
//     }
//   };
//   User::init(db, {{"id", INTEGER.primaryKey().autoIncrement()}, ...},
//              {.underscored = true, .timestamps = false, .modelName = "user"});
//   std::vector<User> users = User::findAll();
//   std::optional<User> u = User::findByPk(1);
//   User::model().hasMany(Note::model());       // the underlying Model&
//   users[0].numberOfNotes(); users[0].set("name", "x").save();  // Instance API
//   std::vector<User> admins = User::scope("admin").findAll();
//
// Contracts:
// - A model class IS an Instance (public base) and holds nothing else: every
//   row a typed static returns is an Instance moved into the class. Model
//   classes may add member functions and static functions, never data
//   members or virtual functions, because rows cross back and forth between
//   Instance and the class by move and slicing (checked at compile time, up
//   to a member of a few bytes that fits in Instance's tail padding).
// - A model class is bound to one Database at a time, the one given to
//   init(); init() on another Database rebinds it (the old binding is
//   forgotten, the old Model stays owned by its Database). Call init()
//   before sharing the Database between threads, like define(). Using the
//   class after its Database is destroyed, without a new init(), is undefined.
// - Instance APIs (related(), association(...).get(), ...) return plain
//   Instances; `Note::from(instance)` converts one, checking that it is a row
//   of Note's model (UsageError otherwise). Every conversion checks this.
// - The bulk writes Model::update(values, {.where}) and Model::destroy({.where})
//   are not typed statics here: in C++ a static `destroy` would hide (or
//   clash with) the instance's own `destroy()`/`update(values)`. They return
//   row counts, so nothing is lost by writing User::model().update(...) or
//   User::scope(...).destroy(...); user.update(...) and user.destroy() are
//   the instance operations, as in Sequelize.
// - On a model-class object, model() is the class's static model(): the
//   same Model as the instance's own (checked when it was converted).
//
// Thread-safety: as for Model and Instance; the binding is written only by init().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "junction/instance.hpp"
#include "junction/model.hpp"
#include "junction/query.hpp"

namespace junction {

class Database;

namespace detail {
// Defined in src/orm/model_class.cpp, so the header needs no Database or
// demangling machinery. `cls` names the model class in messages.
Model& defineModelClass(const std::type_info& cls, Database& db, AttributeList attributes,
                        ModelOptions options);
[[noreturn]] void throwModelClassNotInitialised(const std::type_info& cls);
[[noreturn]] void throwModelClassMismatch(const std::type_info& cls, const Model& bound,
                                          const Model& given);
// sizeof(LayoutProbe<T>) depends on where T's own data ends.
template <class T>
struct LayoutProbe : T {
  char probe;
};
}  // namespace detail

// findAndCountAll's result, typed.
template <class Derived>
struct CountedRowsOf {
  std::int64_t count = 0;
  std::vector<Derived> rows;
};

template <class Derived>
class ScopedModelClass;

template <class Derived>
class ModelClass : public Instance {
 public:
  using CountedRows = CountedRowsOf<Derived>;

  // A new record with the model's defaults (Sequelize's `User.build(values)`
  // / `new User(values)`); save() inserts it.
  ModelClass() : Instance(model().build()) {}
  explicit ModelClass(const Record& values) : Instance(model().build(values)) {}
  // Adopts a row of this class's model (UsageError for another model's).
  explicit ModelClass(Instance row) : Instance(checked(std::move(row))) {}

  // ---- definition ----
  // Defines the model on `db` (Database::define with options.modelName,
  // which must not be empty: UsageError) and binds the class to it.
  static Model& init(Database& db, AttributeList attributes, ModelOptions options) {
    requireWellFormed();
    boundModel_ =
        &detail::defineModelClass(typeid(Derived), db, std::move(attributes), std::move(options));
    return *boundModel_;
  }
  // The bound model; UsageError naming the class before init().
  static Model& model() {
    requireWellFormed();
    if (!boundModel_) detail::throwModelClassNotInitialised(typeid(Derived));
    return *boundModel_;
  }
  static bool isInitialised() noexcept { return boundModel_ != nullptr; }

  // A plain Instance (from related(), association(...).get(), a Model
  // finder) as this class; UsageError unless it is a row of model().
  static Derived from(Instance row) { return Derived(std::move(row)); }
  static std::vector<Derived> from(std::vector<Instance> rows) { return adoptAll(std::move(rows)); }

  // ---- building and creating ----
  static Derived build(const Record& values = {}) { return Derived(model().build(values)); }
  static Derived create(const Record& values, CreateOptions options = {}) {
    return Derived(model().create(values, std::move(options)));
  }
  static std::vector<Derived> bulkCreate(const std::vector<Record>& rows,
                                         BulkCreateOptions options = {}) {
    return adoptAll(model().bulkCreate(rows, std::move(options)));
  }
  static Derived upsert(const Record& values, UpsertOptions options = {}) {
    return Derived(model().upsert(values, std::move(options)));
  }

  // ---- finders ----
  static std::vector<Derived> findAll(FindOptions options = {}) {
    return adoptAll(model().findAll(std::move(options)));
  }
  static std::optional<Derived> findOne(FindOptions options = {}) {
    return adoptOne(model().findOne(std::move(options)));
  }
  static std::optional<Derived> findByPk(Value key, FindOptions options = {}) {
    return adoptOne(model().findByPk(std::move(key), std::move(options)));
  }
  static std::pair<Derived, bool> findOrCreate(FindOrCreateOptions options) {
    auto [row, created] = model().findOrCreate(std::move(options));
    return {Derived(std::move(row)), created};
  }
  static CountedRows findAndCountAll(FindOptions options = {}) {
    return adoptCounted(model().findAndCountAll(std::move(options)));
  }

  // ---- aggregates ----
  static std::int64_t count(CountOptions options = {}) { return model().count(std::move(options)); }
  static Value max(std::string_view attribute, AggregateOptions options = {}) {
    return model().max(attribute, std::move(options));
  }
  static Value min(std::string_view attribute, AggregateOptions options = {}) {
    return model().min(attribute, std::move(options));
  }
  static Value sum(std::string_view attribute, AggregateOptions options = {}) {
    return model().sum(attribute, std::move(options));
  }

  // ---- scopes (see Model::scope) ----
  static ScopedModelClass<Derived> scope(std::vector<ScopeRef> scopes) {
    return ScopedModelClass<Derived>(model().scope(std::move(scopes)));
  }
  template <class... S>
  static ScopedModelClass<Derived> scope(ScopeRef first, S&&... rest) {
    return scope(std::vector<ScopeRef>{std::move(first), ScopeRef(std::forward<S>(rest))...});
  }
  static ScopedModelClass<Derived> unscoped() {
    return ScopedModelClass<Derived>(model().unscoped());
  }

 private:
  friend class ScopedModelClass<Derived>;

  // Checked where Derived is complete (function bodies), not in the class body.
  static constexpr void requireWellFormed() noexcept {
    static_assert(std::is_base_of_v<ModelClass<Derived>, Derived>,
                  "ModelClass<Derived>: Derived must derive from ModelClass<Derived>");
    // A member placed in Instance's tail padding leaves sizeof unchanged but
    // moves where a further derived member goes, so the probe sees it too;
    // only members of at most a few bytes that fit that padding go unnoticed.
    static_assert(sizeof(Derived) == sizeof(Instance),
                  "a model class must not add data members or virtual functions: rows are "
                  "moved between Instance and the class (see junction/model_class.hpp)");
    if constexpr (!std::is_final_v<Derived>)
      static_assert(sizeof(detail::LayoutProbe<Derived>) == sizeof(detail::LayoutProbe<Instance>),
                    "a model class must not add data members: rows are moved between Instance "
                    "and the class (see junction/model_class.hpp)");
    static_assert(std::is_constructible_v<Derived, Instance&&>,
                  "a model class needs `using ModelClass::ModelClass;`");
  }
  static Instance&& checked(Instance&& row) {
    Model& bound = model();
    if (&row.model() != &bound)
      detail::throwModelClassMismatch(typeid(Derived), bound, row.model());
    return std::move(row);
  }
  static std::vector<Derived> adoptAll(std::vector<Instance> rows) {
    std::vector<Derived> out;
    out.reserve(rows.size());
    for (Instance& row : rows) out.push_back(Derived(std::move(row)));
    return out;
  }
  static std::optional<Derived> adoptOne(std::optional<Instance> row) {
    if (!row) return std::nullopt;
    return Derived(std::move(*row));
  }
  static CountedRows adoptCounted(Model::CountedRows counted) {
    return CountedRows{counted.count, adoptAll(std::move(counted.rows))};
  }

  inline static Model* boundModel_ = nullptr;
};

// User::scope(...) / User::unscoped(): ScopedModel's finders returning the
// model class. Cheap to copy; refers to the Model.
template <class Derived>
class ScopedModelClass {
 public:
  explicit ScopedModelClass(ScopedModel scoped) : scoped_(std::move(scoped)) {}

  std::vector<Derived> findAll(FindOptions options = {}) const {
    return ModelClass<Derived>::adoptAll(scoped_.findAll(std::move(options)));
  }
  std::optional<Derived> findOne(FindOptions options = {}) const {
    return ModelClass<Derived>::adoptOne(scoped_.findOne(std::move(options)));
  }
  std::optional<Derived> findByPk(Value key, FindOptions options = {}) const {
    return ModelClass<Derived>::adoptOne(scoped_.findByPk(std::move(key), std::move(options)));
  }
  CountedRowsOf<Derived> findAndCountAll(FindOptions options = {}) const {
    return ModelClass<Derived>::adoptCounted(scoped_.findAndCountAll(std::move(options)));
  }
  std::int64_t count(CountOptions options = {}) const { return scoped_.count(std::move(options)); }
  std::int64_t update(const Record& values, UpdateOptions options) const {
    return scoped_.update(values, std::move(options));
  }
  std::int64_t destroy(DestroyOptions options) const { return scoped_.destroy(std::move(options)); }

  // Adds scopes.
  ScopedModelClass scope(std::vector<ScopeRef> more) const {
    return ScopedModelClass(scoped_.scope(std::move(more)));
  }
  template <class... S>
  ScopedModelClass scope(ScopeRef first, S&&... rest) const {
    return scope(std::vector<ScopeRef>{std::move(first), ScopeRef(std::forward<S>(rest))...});
  }

  const Model& model() const noexcept { return scoped_.model(); }
  const ScopedModel& scoped() const noexcept { return scoped_; }

 private:
  ScopedModel scoped_;
};

}  // namespace junction
