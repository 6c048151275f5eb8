// junction/instance.hpp — one row of a model: values, dirty tracking, persistence.
//
//   auto user = User.build({{"name", "Jane"}, {"username", "jane@example.com"}});
//   user.set("name", "Jane Doe");
//   user.save();                        // INSERT (new) or UPDATE of changed attributes
//   std::string n = user.get<std::string>("name");
//   junction::Json j = user.toJSON();   // include junction/json.hpp to use it
//
// Attribute access (get/set/operator[]) is by attribute name; association
// access has different names (see junction/associations.hpp), so an
// association called `teams` and an attribute called `teams` cannot be
// confused (DESIGN.md pitfalls).
//
// An Instance refers to its Model, which the Database owns: instances must
// not outlive their Database. Thread-safety: an Instance is a value; use one
// from one thread at a time (copies are independent).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "junction/query.hpp"
#include "junction/value.hpp"

namespace junction {

class Model;
class AssociationHandle;
namespace detail {
struct InstanceAccess;
struct ThroughRows;

// Per-attribute flag bytes (kChanged | kPresent, see orm/internal.hpp), held
// inline for models of up to kInline attributes so that an instance whose
// query selected only some attributes (a junction row's {"read", "id"})
// costs no heap block for them. Empty (size 0) means "all present, none
// changed": the state of a freshly loaded full row.
class AttributeFlags {
 public:
  static constexpr std::size_t kInline = 16;

  AttributeFlags() noexcept { small_[0] = 0; }
  AttributeFlags(const AttributeFlags& o) : AttributeFlags() { copyFrom(o); }
  AttributeFlags(AttributeFlags&& o) noexcept : AttributeFlags() { stealFrom(o); }
  AttributeFlags& operator=(const AttributeFlags& o) {
    if (this != &o) {
      release();
      copyFrom(o);
    }
    return *this;
  }
  AttributeFlags& operator=(AttributeFlags&& o) noexcept {
    if (this != &o) {
      release();
      stealFrom(o);
    }
    return *this;
  }
  ~AttributeFlags() { release(); }

  bool empty() const noexcept { return n_ == 0; }
  std::size_t size() const noexcept { return n_; }
  void clear() noexcept { release(); }
  void assign(std::size_t n, std::uint8_t v) {
    release();
    if (n > kInline) big_ = new std::uint8_t[n];
    n_ = static_cast<std::uint32_t>(n);
    std::uint8_t* d = data();
    for (std::size_t i = 0; i < n; ++i) d[i] = v;
  }
  std::uint8_t& operator[](std::size_t i) noexcept { return data()[i]; }
  std::uint8_t operator[](std::size_t i) const noexcept { return data()[i]; }
  std::uint8_t* begin() noexcept { return data(); }
  std::uint8_t* end() noexcept { return data() + n_; }
  const std::uint8_t* begin() const noexcept { return data(); }
  const std::uint8_t* end() const noexcept { return data() + n_; }

 private:
  bool isBig() const noexcept { return n_ > kInline; }
  std::uint8_t* data() noexcept { return isBig() ? big_ : small_; }
  const std::uint8_t* data() const noexcept { return isBig() ? big_ : small_; }
  void release() noexcept {
    if (isBig()) delete[] big_;
    n_ = 0;
  }
  void copyFrom(const AttributeFlags& o) {
    if (o.isBig()) big_ = new std::uint8_t[o.n_];
    n_ = o.n_;
    const std::uint8_t* s = o.data();
    std::uint8_t* d = data();
    for (std::size_t i = 0; i < n_; ++i) d[i] = s[i];
  }
  void stealFrom(AttributeFlags& o) noexcept {
    if (o.isBig()) {
      big_ = o.big_;
    } else {
      for (std::size_t i = 0; i < o.n_; ++i) small_[i] = o.small_[i];
    }
    n_ = o.n_;
    o.n_ = 0;
  }

  std::uint32_t n_ = 0;
  union {
    std::uint8_t small_[kInline];
    std::uint8_t* big_;
  };
};

}  // namespace detail

class Instance {
 public:
  Instance(const Model& model);  // a new, empty record (no defaults applied)
  Instance(const Instance& o);
  Instance& operator=(const Instance& o);
  Instance(Instance&&) noexcept = default;
  Instance& operator=(Instance&&) noexcept = default;
  ~Instance();

  const Model& model() const noexcept { return *model_; }

  // The value of an attribute, or of a computed column the query selected
  // (e.g. "note_count"). UsageError naming the model for unknown names.
  const Value& get(std::string_view attribute) const;
  template <class T>
  T get(std::string_view attribute) const {
    return get(attribute).as<T>();
  }
  const Value& operator[](std::string_view attribute) const { return get(attribute); }
  // The value of attribute `index` of model().attributes(), for loops that
  // resolve Model::attributeIndex once instead of per row. Null when the
  // query did not select it, as get() answers; UsageError past the end.
  const Value& at(std::size_t index) const;
  bool has(std::string_view attribute) const noexcept;  // attribute or computed column

  // Sets an attribute (UsageError if unknown), converting losslessly to the
  // attribute's type ("5" → 5 for INTEGER, ISO text → timestamp for DATE);
  // values that cannot convert are kept and rejected by validate().
  // Marks the attribute changed when the value differs.
  Instance& set(std::string_view attribute, Value v);
  Instance& set(const Record& values);

  bool isNewRecord() const noexcept { return isNew_; }
  bool changed(std::string_view attribute) const;
  std::vector<std::string> changed() const;                 // names of changed attributes
  const Value& previous(std::string_view attribute) const;  // value as last loaded/saved

  // Throws ValidationError listing every failed rule (type, notNull,
  // validators). `onlyChanged`: validate only changed attributes (updates).
  void validate(bool onlyChanged = false) const;

  // INSERT when new (all set attributes, defaults applied at build), UPDATE
  // of the changed attributes otherwise (nothing to do: no statement).
  Instance& save(SaveOptions options = {});
  Instance& update(const Record& values, SaveOptions options = {});
  // DELETE (or soft delete on paranoid models unless force).
  void destroy(DestroyOptions options = {});
  void restore(RestoreOptions options = {});  // paranoid models
  Instance& reload(ReloadOptions options = {});
  // attr = attr + by, in one statement, refreshing the instance's values.
  Instance& increment(std::string_view attribute, IncrementOptions options = {});
  Instance& increment(const Record& amounts, IncrementOptions options = {});
  Instance& decrement(std::string_view attribute, IncrementOptions options = {});
  Instance& decrement(const Record& amounts, IncrementOptions options = {});

  // Attributes (and computed columns and loaded associations) as JSON, with
  // Sequelize's value rendering: timestamps as ISO strings, DATEONLY as
  // "YYYY-MM-DD", JSON attributes as JSON, DECIMAL as strings.
  nlohmann::ordered_json toJSON() const;
  // The same JSON written straight to text, without building the tree:
  // the bytes of toJSON().dump(), except that invalid UTF-8 in a string
  // becomes U+FFFD instead of throwing (nlohmann's error_handler_t::replace).
  // What a response body wants: several times cheaper than toJSON().dump().
  void writeJSON(std::string& out) const;
  std::string toJSONString() const;

  // The primary-key value (UsageError for models without one).
  const Value& primaryKeyValue() const;

  // Helper methods of an association (get, set, add, remove, create, has,
  // count): user.association("teams").add(team). AssociationError if unknown.
  AssociationHandle association(std::string_view name);

  // The eagerly loaded instances of an association. Not loaded: in strict
  // mode (DatabaseOptions::strictLoading) an AssociationError, so N+1 loops
  // fail in tests; otherwise loaded now (one query) and kept.
  const std::vector<Instance>& related(std::string_view name);
  // belongsTo / hasOne: the loaded instance, or nullptr when there is none.
  const Instance* relatedOne(std::string_view name);
  bool isLoaded(std::string_view name) const noexcept;

  // Loaded associations (filled by include; see junction/associations.hpp).
  struct Loaded {
    std::string name;
    std::vector<Instance> items;
    bool single = false;  // belongsTo / hasOne: at most one item
  };
  // A belongsToMany target read through an include lists its junction row
  // first, under the junction model's name, as a single Loaded entry.
  const std::vector<Loaded>& loadedAssociations() const;
  // An attribute of that junction row: Sequelize's project.UserProject.role
  // is project.through("role"). Reads the row where the query left it,
  // without building its Instance. Null for an attribute of the junction
  // model the include did not select; UsageError for an unknown attribute
  // or an instance read without a junction row.
  const Value& through(std::string_view attribute) const;
  template <class T>
  T through(std::string_view attribute) const {
    return through(attribute).as<T>();
  }

 private:
  friend struct detail::InstanceAccess;
  struct LoadedTag {};
  Instance(const Model& model, LoadedTag);  // a row read back: flags stay empty
  Instance(const Model& model, std::vector<Value> values, LoadedTag) noexcept
      : model_(&model), values_(std::move(values)), isNew_(false) {}
  std::size_t indexOf(std::string_view attribute) const;

  const Model* model_;
  std::vector<Value> values_;  // one per model attribute
  // Per attribute: kChanged | kPresent. Empty means "all present, none
  // changed" — the state of a freshly loaded row, so hydration allocates
  // nothing here; a partial row's flags are held inline.
  detail::AttributeFlags flags_;
  // Attribute order of toJSON() when the query listed attributes in an
  // order other than the definition's: one vector shared by every row of
  // the query, so a row pays a reference count, not a heap block.
  std::shared_ptr<const std::vector<std::size_t>> order_;
  // Eagerly loaded associations: held directly, since an included row
  // nearly always has some. Mutable: the junction row below joins them on
  // first access.
  mutable std::vector<Loaded> loaded_;
  // The junction row of a belongsToMany target read by an include, while it
  // is still a row of the query's shared block (detail::ThroughRows): an
  // include reads one per target row, and keeping it there costs a
  // reference count instead of an instance with its own heap blocks.
  // loadedAssociations() turns it into an Instance at the front of
  // loaded_; toJSON() renders it straight from the block.
  // Kept once materialized (throughRow_ == kMaterialized): it still names
  // the junction model, for through().
  mutable std::shared_ptr<const detail::ThroughRows> through_;
  static constexpr std::uint32_t kMaterialized = UINT32_MAX;
  bool throughInBlock() const noexcept { return through_ && throughRow_ != kMaterialized; }
  void materializeThrough() const;
  bool jsonKeysCollide() const;
  // What most rows never need lives behind one pointer, so a loaded row is
  // small: values before their first change, computed columns.
  struct Extra {
    std::vector<Value> previous;  // sized lazily
    std::shared_ptr<const std::vector<std::string>> extraNames;
    std::vector<Value> extraValues;
  };
  Extra& extra();
  std::unique_ptr<Extra> extra_;
  mutable std::uint32_t throughRow_ = 0;  // through_'s row
  bool isNew_ = true;
};

}  // namespace junction
