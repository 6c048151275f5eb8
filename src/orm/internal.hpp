// Internal to the orm layer: instance construction, type coercion, and the
// connection scope of one operation. The binder is query/binder.hpp, the
// load pipeline loading/load.hpp, the finder surface query/finder.hpp.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "junction/associations.hpp"
#include "junction/database.hpp"
#include "junction/errors.hpp"
#include "junction/instance.hpp"
#include "junction/model.hpp"
#include "junction/sql/compiler.hpp"

namespace junction {

namespace detail {

inline constexpr std::uint8_t kPresent = 1;
inline constexpr std::uint8_t kChanged = 2;

// The junction rows one belongsToMany include node read, in one block shared
// by the target instances (each refers to its row by index), so that a
// junction row costs no heap block of its own. Filled while the query
// streams, immutable once the instances are returned. An instance turns its
// row into a full Instance only when asked (Instance::loadedAssociations).
struct ThroughRows {
  // `attrs`: block column k → attribute index of the junction model, every
  // one selected by the user; `order`: their toJSON order when not the
  // definition's (as Layout/BoundSelect keep it).
  ThroughRows(const Model& m, std::vector<std::size_t> attrs,
              std::shared_ptr<const std::vector<std::size_t>> order);

  const Model* model;
  std::string name;                // the Loaded entry's name and JSON key
  std::vector<std::size_t> attrs;  // block column k → attribute index
  bool allInOrder;                 // every attribute, in definition order
  std::shared_ptr<const std::vector<std::size_t>> order;
  std::vector<std::size_t> jsonColumns;  // block columns in toJSON order
  std::vector<Value> values;             // row r, column k at r * attrs.size() + k

  std::size_t rows() const noexcept { return attrs.empty() ? 0 : values.size() / attrs.size(); }
  const Value* row(std::size_t r) const noexcept { return values.data() + r * attrs.size(); }
};

class TextSink;

// The one place allowed to reach into Instance internals.
struct InstanceAccess {
  // A row read from the database: not new, flags empty (all present).
  static Instance loaded(const Model& m) { return Instance(m, Instance::LoadedTag{}); }
  // The same with its values given: one per attribute, in definition order.
  static Instance loaded(const Model& m, std::vector<Value> values) {
    return Instance(m, std::move(values), Instance::LoadedTag{});
  }
  static std::vector<Value>& values(Instance& i) { return i.values_; }
  static const std::vector<Value>& values(const Instance& i) { return i.values_; }
  static AttributeFlags& flags(Instance& i) { return i.flags_; }
  static bool present(const Instance& i, std::size_t idx) {
    return i.flags_.empty() || (i.flags_[idx] & kPresent);
  }
  static bool changedAt(const Instance& i, std::size_t idx) {
    return !i.flags_.empty() && (i.flags_[idx] & kChanged);
  }
  static void setNew(Instance& i, bool n) { i.isNew_ = n; }
  static void setExtras(Instance& i, std::shared_ptr<const std::vector<std::string>> names,
                        std::vector<Value> values) {
    auto& e = i.extra();
    e.extraNames = std::move(names);
    e.extraValues = std::move(values);
  }
  // The loaded associations without the junction row (see setThrough).
  static std::vector<Instance::Loaded>& loaded(Instance& i) { return i.loaded_; }
  static void setOrder(Instance& i, std::shared_ptr<const std::vector<std::size_t>> order) {
    i.order_ = std::move(order);
  }
  // The instance's junction row: row `r` of `rows` (kept out of loaded()
  // until materialized, where it goes first).
  static void setThrough(Instance& i, std::shared_ptr<const ThroughRows> rows, std::size_t r) {
    i.through_ = std::move(rows);
    i.throughRow_ = static_cast<std::uint32_t>(r);
  }
  // Instance::writeJSON's text, written to a sink (instance.cpp).
  static void writeJSON(const Instance& i, TextSink& out);
  // After a successful save/reload: nothing changed, previous values dropped.
  static void markClean(Instance& i) {
    for (auto& f : i.flags_) f &= static_cast<std::uint8_t>(~kChanged);
    if (i.extra_) i.extra_->previous.clear();
  }
  // Replaces values with a full row read back from the database.
  static void assignRow(Instance& i, std::vector<Value> row) {
    i.values_ = std::move(row);
    i.flags_.clear();
    if (i.extra_) i.extra_->previous.clear();
    i.isNew_ = false;
  }
};

// Whether the association's name was given (`as`) rather than defaulted.
bool aliasWasGiven(const Model& m, const Association& a);

// ---- types ----

// Converts `v` losslessly to the attribute type's canonical Value type, or
// returns it unchanged when it cannot (typeError() then reports it).
Value coerce(const sql::ColumnType& t, Value v);
// nullopt when `v` (non-null) is acceptable for `t`, else Sequelize-like text.
std::optional<std::string> typeError(const sql::ColumnType& t, const Value& v);
// nullopt when text may go to any engine: valid UTF-8, no NUL.
std::optional<std::string> textError(const std::string& s);
// Normalises a value read from the database to the attribute's type
// (SQLite integers → bool, text → timestamp/date; PostgreSQL numeric text
// for integer aggregates). Cheap when already right.
void hydrate(const sql::ColumnType& t, Value& v);
// The Value type hydrate() leaves untouched for `t` (as null is), so a
// reader that checks it can skip the call per field; Null when hydrate
// must always look.
inline ValueType settledType(const sql::ColumnType& t) noexcept {
  using Kind = sql::ColumnType::Kind;
  switch (t.kind) {
    case Kind::Integer:
    case Kind::BigInt:
      return ValueType::Int;
    case Kind::Boolean:
      return ValueType::Bool;
    case Kind::Date:
      return ValueType::Timestamp;
    case Kind::String:
    case Kind::Text:
    case Kind::Uuid:
    case Kind::Enum:
      return ValueType::Text;
    default:
      return ValueType::Null;
  }
}

// The default of an attribute at build time (NOW, UUIDV4, or a value).
std::optional<Value> defaultFor(const AttributeDef& a);

// ---- one operation's connection ----

// Picks the connection for one model operation: the explicit transaction's,
// else the calling thread's current managed transaction of this Database,
// else a connection leased for the scope's lifetime.
class ConnectionScope {
 public:
  ConnectionScope(Database& db, Transaction* explicitTransaction);
  Connection& conn() const noexcept { return *conn_; }
  ResultSet run(const sql::Compiled& c) { return conn_->query(c); }
  template <class Stmt>
  ResultSet run(const Stmt& s) {
    return conn_->query(sql::compile(conn_->dialect(), s));
  }

 private:
  Pool::Lease lease_;
  Connection* conn_ = nullptr;
};

// Runs `fn` atomically: inside a savepoint of `explicitTransaction` when
// given, else via Database::transaction (which nests under the thread's
// current transaction). `fn` receives the transaction to pass on.
template <class F>
auto atomically(Database& db, Transaction* explicitTransaction, F&& fn) {
  if (explicitTransaction) {
    if (explicitTransaction->finished())
      throw UsageError("the transaction passed in options has already finished");
    Transaction sp = explicitTransaction->nested();
    if constexpr (std::is_void_v<std::invoke_result_t<F, Transaction&>>) {
      fn(sp);
      sp.commit();
    } else {
      auto r = fn(sp);
      sp.commit();
      return r;
    }
  } else {
    return db.transaction(std::forward<F>(fn));
  }
}

// ---- scopes (scopes.cpp) ----
// What the scope an include's model brings applies to the include
// (Sequelize's _injectScope on an include): its where, AND-combined, and
// the attributes to read — the include's own, else the scope's.
struct IncludeScope {
  Where where;
  const Attributes* attributes;  // the include's, or its scope's (both outlive the bind)
};
IncludeScope includeScope(const Include& inc, const Model& target);

}  // namespace detail
}  // namespace junction
