// The binder: the only place that resolves names (DESIGN.md, after DuckDB).
// What the user wrote — attribute names, include specs, where/order/group/
// having expressions with `col("notes.id")` references — becomes quoted,
// table-qualified columns of the SQL tree, resolved associations and
// attribute indexes. Unknown names are UsageError (AssociationError for
// associations) naming the clause they came from.
//
// Thread-safety: pure functions over immutable models.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "junction/associations.hpp"
#include "junction/model.hpp"
#include "junction/query.hpp"
#include "junction/sql/statement.hpp"

namespace junction::detail {

// What names an expression may use: one model under its alias, the models
// joined into the same statement under theirs, and computed column aliases
// (usable unqualified in group/having/order).
struct BindContext {
  const Model* model = nullptr;
  std::string alias;  // table alias; "" for UPDATE/DELETE (unqualified columns)
  std::vector<std::string> computed;
  std::string clause;  // "where", "order", ... for messages
  // Joined includes, by alias ("notes", "user->team"): `col("notes.id")`.
  std::vector<std::pair<std::string, const Model*>> joined;
};

// Resolves every column reference in `e` to a quoted, qualified column.
// UsageError for unknown attributes or qualifiers, naming the clause.
Expr bind(const BindContext& ctx, const Expr& e);

// One ORDER BY item: the target bound, the direction mapped.
sql::OrderItem bindOrder(const BindContext& ctx, const OrderItem& item);

// The where of a query plus the paranoid filter.
Expr bindWhere(const BindContext& ctx, const Where& where, bool paranoid);

// The paranoid filter alone (`alias.deletedAt IS NULL`), empty for other models.
Expr paranoidFilter(const Model& m, const std::string& alias);

// Whether every column `e` names belongs to the root model of `ctx` (none
// of its joined includes). Expressions without columns count as the root's.
bool namesOnlyRoot(const BindContext& ctx, const Expr& e);

// limit/offset: UsageError when negative. The one check every finder and
// getter goes through.
void checkLimits(std::optional<std::int64_t> limit, std::optional<std::int64_t> offset = {});

// ---- attributes ----

// Which attributes of a model a query reads: the attribute-mode switch
// (all / exclude / list / include / none), once for every statement.
struct Selection {
  std::vector<std::size_t> attrs;          // attribute indexes, in the order to read them
  std::vector<AttributeItem> computed;     // aliased expressions, bound with the statement
  std::vector<std::string> computedNames;  // their aliases
};
// UsageError for an unknown attribute, a computed item without an alias or
// expression, an alias that collides with a selected attribute, and any
// computed item when !allowComputed (`what` names the attribute list).
Selection bindAttributes(const Model& m, const Attributes& at, bool allowComputed);

// The SELECT-list items for reading back a whole row (RETURNING / reload).
std::vector<sql::SelectItem> allColumns(const Model& m, const std::string& alias = "");

// ---- includes ----

// The association an include means ({.model} or {.as}); AssociationError otherwise.
const Association& resolveInclude(const Model& parent, const Include& inc);

// One include spec with its names resolved: the association, the target's
// selection, whether it filters its parents. Its expressions (where, order,
// through.where) are bound by bindIncludeClauses once the loading plan has
// given the node its alias.
struct BoundInclude {
  const Association* association = nullptr;
  const Include* spec = nullptr;
  Selection selection;
  std::optional<Selection> through;  // junction attributes read (belongsToMany, not none)
  bool required = false;
  Where scopeWhere;  // from the scope the include's model brings
  std::vector<BoundInclude> children;
};
// Resolves a tree of include specs (UsageError for an association included
// twice at one level, or through options on an association without a junction).
std::vector<BoundInclude> bindIncludes(const Model& parent, const std::vector<Include>& specs);

// An include's own clauses bound under `alias` (and its junction under
// `throughAlias`): its where with the paranoid filter and its model's
// scope, the junction's where, and its order (which may name the
// includes joined below it, listed in `joined`).
struct IncludeClauses {
  Expr filter;
  Expr throughFilter;
  std::vector<sql::OrderItem> order;
};
IncludeClauses bindIncludeClauses(const BoundInclude& inc, const std::string& alias,
                                  const std::string& throughAlias,
                                  std::vector<std::pair<std::string, const Model*>> joined);

// The qualifiers (`notes` in `col("notes.id")`) a query's own clauses use
// other than the root model's: the includes that must be joined.
std::vector<std::string> referencedIncludes(const Model& m, const FindOptions& o);

// ---- the root statement's clauses ----

struct RootClauses {
  Expr where;  // with the paranoid filter
  std::vector<Expr> group;
  Expr having;
  std::vector<sql::OrderItem> order;
  std::vector<bool> orderNamesOnlyRoot;   // per order item: no included column
  std::vector<sql::SelectItem> computed;  // the selection's computed items, bound
};
// Binds the where, attributes' expressions, group, having and order of `o`
// on `m` read as `alias`, with `joined` includes visible.
RootClauses bindRootClauses(const Model& m, const FindOptions& o, const std::string& alias,
                            const Selection& selection,
                            std::vector<std::pair<std::string, const Model*>> joined);

// WHERE pk = ? for an instance (UsageError without a primary key value).
Expr primaryKeyWhere(const Instance& i);

}  // namespace junction::detail
