// junction/query.hpp — what a model query says, before it is bound to SQL.
//
// Options are aggregates for C++20 designated initializers (DESIGN.md
// decision 3), so Sequelize calls translate line for line:
//
//   User.findAll({.where = {{"disabled", false}}})
//   Blog.findAll({.attributes = exclude({"userId"}),
//                 .where = {{"title", Op::iLike("%react%")}},
//                 .order = {{"likes", DESC}},
//                 .limit = 10})
//   User.findAll({.attributes = include({{fn("COUNT", col("notes.id")), "note_count"}}),
//                 .group = {"user.id"},
//                 .having = literal("COUNT(notes.id) > 2")})
//
// Designated initializers must follow declaration order; each options struct
// below lists its fields in the order Sequelize code usually writes them.
// Attribute names (not column names) are used everywhere; the binder maps
// them to columns and rejects unknown names with UsageError.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "junction/sql/expr.hpp"
#include "junction/sql/statement.hpp"
#include "junction/value.hpp"

namespace junction {

class Transaction;
class Model;

using sql::and_;
using sql::col;
using sql::Expr;
using sql::fn;
using sql::literal;
using sql::not_;
using sql::or_;

// ------------------------------------------------------------------ where

// The right-hand side of an object-style where entry: a value (equality, or
// IS NULL for null), a list (IN), or an operator from Op::.
class Condition {
 public:
  using Apply = std::function<Expr(const Expr& column)>;

  template <class T>
  requires std::constructible_from<Value, T> Condition(T&& v)
      : Condition(Value(std::forward<T>(v)), 0) {}
  Condition(std::initializer_list<Value> list);  // IN (...)
  Condition(std::vector<Value> list);            // IN (...)
  explicit Condition(Apply apply) : apply_(std::move(apply)) {}

  Expr on(const Expr& column) const { return apply_(column); }
  // The value when this is a plain equality (findOrCreate uses it).
  const std::optional<Value>& equalsValue() const noexcept { return equals_; }

 private:
  Condition(Value v, int);
  Apply apply_;
  std::optional<Value> equals_;
};

// Sequelize's Op.* as functions producing Conditions.
namespace Op {
Condition eq(Value v);
Condition ne(Value v);
Condition gt(Value v);
Condition gte(Value v);
Condition lt(Value v);
Condition lte(Value v);
Condition between(Value lo, Value hi);
Condition notBetween(Value lo, Value hi);
Condition in(std::vector<Value> list);
Condition notIn(std::vector<Value> list);
Condition like(std::string pattern);
Condition notLike(std::string pattern);
Condition iLike(std::string pattern);
Condition notILike(std::string pattern);
Condition startsWith(std::string prefix);
Condition endsWith(std::string suffix);
Condition substring(std::string part);
// Case-insensitive substring with % and _ literal: what a search box wants
// (Sequelize users write iLike(`%${q}%`), where q's wildcards leak through).
Condition iSubstring(std::string part);
Condition is(Value v);    // IS NULL / IS TRUE / IS FALSE
Condition not_(Value v);  // IS NOT ... (Sequelize's Op.not)
Condition and_(std::vector<Condition> all);
Condition or_(std::vector<Condition> any);
}  // namespace Op

// A where clause: an expression (col("a") == 1 && ...) or Sequelize's object
// form {{"attr", value-or-condition}, ...} whose entries combine with AND.
class Where {
 public:
  Where() = default;
  Where(Expr e) : expr_(std::move(e)) {}
  Where(std::initializer_list<std::pair<std::string, Condition>> entries);
  Where(std::vector<std::pair<std::string, Condition>> entries);

  bool empty() const noexcept { return expr_.empty(); }
  const Expr& expr() const noexcept { return expr_; }
  // Attribute → value for the plain-equality entries of the object form.
  const std::vector<std::pair<std::string, Value>>& equalities() const noexcept {
    return equalities_;
  }

 private:
  Expr expr_;
  std::vector<std::pair<std::string, Value>> equalities_;
};

// ------------------------------------------------------------ attributes

// One selected item: an attribute name, or an expression with an alias
// ({fn("COUNT", col("id")), "n"}; Sequelize's [fn(...), 'n']).
struct AttributeItem {
  AttributeItem(const char* n) : name(n) {}
  AttributeItem(std::string n) : name(std::move(n)) {}
  AttributeItem(Expr e, std::string alias) : expr(std::move(e)), name(std::move(alias)) {}
  Expr expr;         // empty: `name` is an attribute
  std::string name;  // the attribute, or the alias of `expr`
};

// Which attributes a query reads. Default: all. A list: exactly those.
// exclude({...}): all but those. include({...}): all plus computed ones.
// none: no attribute at all (Sequelize's `attributes: []`; see DESIGN.md —
// `{}` cannot mean "none" in C++, so it has its own name).
class Attributes {
 public:
  enum class Mode { All, List, None };
  Attributes() = default;
  Attributes(std::initializer_list<AttributeItem> items) : mode_(Mode::List), items_(items) {}
  Attributes(std::vector<AttributeItem> items) : mode_(Mode::List), items_(std::move(items)) {}
  Attributes(std::vector<std::string> names);

  static Attributes none() {
    Attributes a;
    a.mode_ = Mode::None;
    return a;
  }
  // Combine: exclude({"a"}).include({{fn(...), "n"}}).
  Attributes exclude(std::vector<std::string> names) const;
  Attributes include(std::vector<AttributeItem> extra) const;

  Mode mode() const noexcept { return mode_; }
  const std::vector<AttributeItem>& items() const noexcept { return items_; }
  const std::vector<std::string>& excluded() const noexcept { return excluded_; }
  const std::vector<AttributeItem>& extra() const noexcept { return extra_; }

 private:
  Mode mode_ = Mode::All;
  std::vector<AttributeItem> items_;
  std::vector<std::string> excluded_;
  std::vector<AttributeItem> extra_;
};

Attributes exclude(std::vector<std::string> names);
Attributes include(std::vector<AttributeItem> extra);
inline const Attributes none = Attributes::none();

// ------------------------------------------------------------------ order

enum class Direction { Asc, Desc, AscNullsFirst, AscNullsLast, DescNullsFirst, DescNullsLast };
inline constexpr Direction ASC = Direction::Asc;
inline constexpr Direction DESC = Direction::Desc;

// {"likes", DESC}, {"title", "ASC"}, {fn("max", col("age")), DESC}, or just "title".
struct OrderItem {
  OrderItem(const char* attribute, Direction d = ASC) : target(col(attribute)), direction(d) {}
  OrderItem(std::string attribute, Direction d = ASC)
      : target(col(std::move(attribute))), direction(d) {}
  OrderItem(const char* attribute, std::string_view dir);
  OrderItem(Expr e, Direction d = ASC) : target(std::move(e)), direction(d) {}
  OrderItem(Expr e, std::string_view dir);
  Expr target;
  Direction direction = ASC;
};

// An item of GROUP BY: an attribute path ("user.id") or an expression.
struct GroupItem {
  GroupItem(const char* path) : expr(col(path)) {}
  GroupItem(std::string path) : expr(col(std::move(path))) {}
  GroupItem(Expr e) : expr(std::move(e)) {}
  Expr expr;
};

// ---------------------------------------------------------------- options

// A reference to a model for `.model = Note` in includes.
struct Scope;
class ScopedModel;

// The model an include names. A plain model brings its default scope to the
// include; a scoped one (`User.unscoped()`, `User.scope("admin")`) brings
// its scopes instead, as in Sequelize.
struct ModelRef {
  ModelRef() = default;
  ModelRef(const Model& m) : model(&m) {}
  ModelRef(const ScopedModel& m);
  const Model* model = nullptr;
  std::shared_ptr<const std::vector<Scope>> scopes;  // null: the model's default scope
};

// through: {attributes, where} on a belongsToMany include.
struct ThroughOptions {
  Attributes attributes;
  Where where;
};

enum class LoadStrategy { Auto, Join, Separate };

// One eager-loaded association: {.model = Note, .as = "marked_notes", ...}.
// Either `model` or `as` identifies the association (both: they must agree).
struct Include {
  ModelRef model;
  std::string as;
  Attributes attributes;
  ThroughOptions through;
  Where where;
  // Default: true when `where` is set, or the scope the model brings (its
  // default scope) has a where, as in Sequelize.
  std::optional<bool> required;
  std::vector<Include> include;  // nested
  std::vector<OrderItem> order;
  LoadStrategy strategy = LoadStrategy::Auto;  // Auto: to-one joined, to-many separate
  bool paranoid = true;
};

struct FindOptions {
  Attributes attributes;
  std::vector<Include> include;
  Where where;
  std::vector<GroupItem> group;
  Where having;
  std::vector<OrderItem> order;
  std::optional<std::int64_t> limit;
  std::optional<std::int64_t> offset;
  bool paranoid = true;  // false: include soft-deleted rows
  sql::LockMode lock = sql::LockMode::None;
  bool rejectOnEmpty = false;  // findOne/findByPk throw EmptyResultError
  Transaction* transaction = nullptr;
};

// Column → value pairs, in the order written: {{"name", "Jane"}, {"likes", 3}}.
using Record = std::vector<std::pair<std::string, Value>>;

struct CreateOptions {
  // create with include: the associations whose nested values (a JSON
  // array or object under the association's name) are created too.
  std::vector<Include> include;
  std::vector<std::string> fields;  // only these attributes are inserted (default: all set)
  bool validate = true;
  bool hooks = true;
  Transaction* transaction = nullptr;
};

struct BulkCreateOptions {
  std::vector<std::string> fields;
  bool validate = true;                         // junction validates by default
  bool ignoreDuplicates = false;                // ON CONFLICT DO NOTHING
  std::vector<std::string> updateOnDuplicate;   // ON CONFLICT (pk) DO UPDATE SET these
  std::vector<std::string> conflictAttributes;  // conflict target (default: primary key)
  bool hooks = true;
  Transaction* transaction = nullptr;
};

struct SaveOptions {
  std::vector<std::string> fields;  // only these changed attributes are saved
  bool validate = true;
  bool hooks = true;
  bool silent = false;  // do not touch updatedAt
  Transaction* transaction = nullptr;
};

// Static Model::update(values, {.where}).
struct UpdateOptions {
  Where where;
  std::vector<std::string> fields;
  bool validate = true;
  bool paranoid = true;
  bool silent = false;
  std::optional<std::int64_t> limit;
  Transaction* transaction = nullptr;
};

struct DestroyOptions {
  Where where;
  bool force = false;     // paranoid models: delete for real
  bool truncate = false;  // no where: delete every row (required to be explicit)
  std::optional<std::int64_t> limit;
  bool hooks = true;
  Transaction* transaction = nullptr;
};

struct RestoreOptions {
  Where where;
  Transaction* transaction = nullptr;
};

struct IncrementOptions {
  Where where;  // static form only
  std::int64_t by = 1;
  bool silent = false;
  Transaction* transaction = nullptr;
};

struct ReloadOptions {
  Attributes attributes;
  std::vector<Include> include;
  Transaction* transaction = nullptr;
};

struct CountOptions {
  std::vector<Include> include;
  Where where;
  bool distinct = false;
  std::string col;  // count this attribute instead of *
  bool paranoid = true;
  Transaction* transaction = nullptr;
};

struct AggregateOptions {
  Where where;
  bool paranoid = true;
  Transaction* transaction = nullptr;
};

struct FindOrCreateOptions {
  Where where;
  Record defaults;
  Transaction* transaction = nullptr;
};

struct UpsertOptions {
  std::vector<std::string> fields;  // attributes to update on conflict (default: all given)
  std::vector<std::string> conflictAttributes;  // default: primary key
  bool validate = true;
  Transaction* transaction = nullptr;
};

}  // namespace junction
