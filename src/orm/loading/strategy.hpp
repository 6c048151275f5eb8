// Loading strategies (DESIGN.md decision 4, after SQLAlchemy's loader
// strategies): how one include node of a load plan is read. Every strategy
// answers the same three hooks:
//   shapeQuery    — what it adds to the statement that reads the node's
//                   parents (joins and columns; a filter on the parents);
//   consumeRow    — what it reads out of one row of that statement;
//   finishParents — what it does once the parents' statement is read (its
//                   own statements, then the nodes below it).
// joined.cpp and select_in.cpp are the two strategies; plan.cpp chooses one
// per node. A third (a lateral or subquery load) is one more file here and
// one more case in the planner's choice.
//
// Thread-safety: strategies are stateless singletons; a plan and the
// statements it shapes belong to one query on one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "junction/connection.hpp"
#include "orm/loading/hydrator.hpp"
#include "orm/query/binder.hpp"

namespace junction::detail {

// One include node of a load plan: what the binder resolved, the strategy
// the planner chose, the alias it is read under, and its clauses bound
// under that alias.
struct LoadNode {
  const BoundInclude* bound = nullptr;
  const Association* association = nullptr;
  const Model* target = nullptr;
  const LoaderStrategy* strategy = nullptr;
  std::string alias;         // the target's alias in the statement that reads it
  std::string throughAlias;  // its junction's (belongsToMany), else == alias
  IncludeClauses clauses;
  std::optional<std::int64_t> limit;  // lazy getters: rows read at most
  std::vector<LoadNode> children;

  bool required() const noexcept { return bound->required; }
};

// The statement that reads a node's parents, as a strategy may shape it.
struct ParentStatement {
  sql::Select& select;
  const Model& model;                  // the parent model
  const std::string& alias;            // the parent's alias in `select`
  Layout& layout;                      // how the parent is read from a row
  Expr& filter;                        // ANDed into the statement's WHERE
  std::vector<sql::OrderItem>& order;  // after the statement's own order
  bool& joinedToMany;                  // rows repeat their parent
};

// What finishing needs: the connection the whole query runs on.
struct LoadContext {
  Connection& conn;
};

class LoaderStrategy {
 public:
  virtual ~LoaderStrategy() = default;
  virtual std::string_view name() const noexcept = 0;
  // Whether the node is read by its parents' statement (its alias is then
  // its path from the statement's root, "user->team"), rather than by a
  // statement of its own (its alias is its association's name).
  virtual bool readsParentStatement() const noexcept = 0;

  // Hook 1: adds what reading `node` needs to its parents' statement.
  virtual void shapeQuery(const LoadNode& node, ParentStatement& parent) const = 0;

  // Hook 2: one row of the parents' statement, whose `parent` part is read.
  // `index` is null on the parent's first row, else it is a repeat (a
  // joined to-many parent) and `index` finds the children already read.
  // Strategies that read nothing from the parents' rows keep the default.
  virtual void consumeRow(const Layout::Child& child, Instance& parent, std::span<Value> row,
                          ChildIndex* index) const;

  // Hook 3: completes `parents` (all read) with the node's instances.
  virtual void finishParents(LoadContext& ctx, const LoadNode& node,
                             std::vector<Instance*>& parents) const = 0;
};

const LoaderStrategy& joinedStrategy() noexcept;
const LoaderStrategy& selectInStrategy() noexcept;

// Hook 1 / hook 3 for every node of a level, each through its own strategy.
void shapeNodes(const std::vector<LoadNode>& nodes, ParentStatement& parent);
void finishNodes(LoadContext& ctx, const std::vector<LoadNode>& nodes,
                 std::vector<Instance*>& parents);

// The attribute of the parent whose value a node's rows are matched on,
// and the keys a model's rows must carry for the nodes below them.
const std::string& parentKeyOf(const Association& a);
std::vector<std::string> neededKeys(const Model& m, const std::vector<LoadNode>& nodes);

// `alias`.`column of a`.
inline Expr columnOf(const std::string& alias, const AttributeDef& a) {
  return sql::col(alias, a.column);
}

// How an association's rows tie to their parent, with the target read as
// `alias` (its junction as `throughAlias`) and the parent as `parentAlias`:
// rows belong to a parent where childKey = parentKey; a belongsToMany's
// target joins its junction on junctionOn (empty for other associations).
struct AssociationKeys {
  Expr childKey;
  Expr parentKey;
  Expr junctionOn;
};
AssociationKeys keysOf(const Association& a, const std::string& parentAlias,
                       const std::string& alias, const std::string& throughAlias);

}  // namespace junction::detail
