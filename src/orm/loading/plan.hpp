// The load plan: for each include node of a bound query, the strategy that
// reads it and the alias it is read under (plan.cpp is where the strategy
// is chosen), with the node's clauses bound under that alias. A query
// without includes is a plan without nodes.
//
// Thread-safety: a plan belongs to one query on one thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "orm/loading/strategy.hpp"

namespace junction::detail {

struct LoadPlan {
  std::vector<BoundInclude> bound;  // what the nodes point into
  std::vector<LoadNode> nodes;
  std::string rootAlias;
  // The includes joined into the root statement, by alias: names its own
  // clauses may use (`col("notes.id")`).
  std::vector<std::pair<std::string, const Model*>> joined;

  LoadPlan() = default;
  LoadPlan(const LoadPlan&) = delete;  // nodes point into `bound`
  LoadPlan& operator=(const LoadPlan&) = delete;
  LoadPlan(LoadPlan&&) = default;  // a vector's move keeps its elements in place
};

// The plan of a find: `includes` bound on `m`, a strategy per node (what
// the include asks for; else joined for to-one includes and for those the
// query's own clauses name in `referenced`, select-in for the others).
LoadPlan planLoad(const Model& m, const std::vector<Include>& includes,
                  const std::vector<std::string>& referenced);

// The plan of a lazy getter: one select-in node for `include` (one spec,
// built from the getter's options, which must outlive the plan) on the
// owner's model, reading at most `limit` rows.
LoadPlan planGetter(const Model& owner, const std::vector<Include>& include,
                    std::optional<std::int64_t> limit);

}  // namespace junction::detail
