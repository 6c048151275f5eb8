// The load plan (plan.hpp): where each include node's strategy is chosen.
#include "orm/loading/plan.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

namespace junction::detail {

namespace {

// SQLite compares even quoted identifiers case-insensitively.
bool aliasesCollide(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

// The strategy for one node: what the include asks for, else joined for a
// to-one association or one the query's own clauses name, else select-in.
const LoaderStrategy& chooseStrategy(const BoundInclude& b, bool referenced) {
  switch (b.spec->strategy) {
    case LoadStrategy::Join:
      return joinedStrategy();
    case LoadStrategy::Separate:
      if (referenced)
        throw UsageError(
            fmt::format("include \"{}\": the query refers to its columns, so it must be joined "
                        "(remove strategy = Separate)",
                        b.association->as));
      return selectInStrategy();
    case LoadStrategy::Auto:
      break;
  }
  return b.association->single() || referenced ? joinedStrategy() : selectInStrategy();
}

// The nodes read by the same statement as their parent, below `nodes`.
void collectJoined(const std::vector<LoadNode>& nodes,
                   std::vector<std::pair<std::string, const Model*>>& out) {
  for (const LoadNode& n : nodes) {
    if (!n.strategy->readsParentStatement()) continue;
    out.emplace_back(n.alias, n.target);
    collectJoined(n.children, out);
  }
}

LoadNode planNode(const BoundInclude& b, const LoaderStrategy& strategy, std::string alias) {
  LoadNode n;
  n.bound = &b;
  n.association = b.association;
  n.target = b.association->target;
  n.strategy = &strategy;
  n.alias = std::move(alias);
  const Association& a = *b.association;
  n.throughAlias = a.through ? n.alias + "->" + a.through->name() : n.alias;
  return n;
}

std::vector<LoadNode> planLevel(const std::vector<BoundInclude>& bound, const std::string& base,
                                bool baseIsRoot, const std::set<std::string>& referenced);

// The node's children, then its clauses, whose where and order may name
// the joined nodes below it and its junction by its alias.
void completeNode(LoadNode& n) {
  n.children = planLevel(n.bound->children, n.alias, false, {});
  std::vector<std::pair<std::string, const Model*>> below;
  if (const Model* through = n.association->through) below.emplace_back(n.throughAlias, through);
  collectJoined(n.children, below);
  n.clauses = bindIncludeClauses(*n.bound, n.alias, n.throughAlias, std::move(below));
}

std::vector<LoadNode> planLevel(const std::vector<BoundInclude>& bound, const std::string& base,
                                bool baseIsRoot, const std::set<std::string>& referenced) {
  std::vector<LoadNode> out;
  out.reserve(bound.size());
  for (const BoundInclude& b : bound) {
    const std::string& as = b.association->as;
    std::string path = baseIsRoot ? as : base + "->" + as;
    const LoaderStrategy& s = chooseStrategy(b, referenced.count(path) > 0);
    LoadNode n = planNode(b, s, s.readsParentStatement() ? std::move(path) : as);
    completeNode(n);
    out.push_back(std::move(n));
  }
  return out;
}

// A root alias "LikedToot" and an include alias "likedToot" would collide.
std::string rootAliasFor(const Model& m, const std::vector<LoadNode>& nodes) {
  for (const LoadNode& n : nodes)
    if (aliasesCollide(n.alias, m.name())) return m.name() + "_0";
  return m.name();
}

}  // namespace

LoadPlan planLoad(const Model& m, const std::vector<Include>& includes,
                  const std::vector<std::string>& referenced) {
  LoadPlan plan;
  plan.bound = bindIncludes(m, includes);
  plan.nodes = planLevel(plan.bound, m.name(), true, {referenced.begin(), referenced.end()});
  plan.rootAlias = rootAliasFor(m, plan.nodes);
  collectJoined(plan.nodes, plan.joined);
  return plan;
}

LoadPlan planGetter(const Model& owner, const std::vector<Include>& include,
                    std::optional<std::int64_t> limit) {
  checkLimits(limit);
  LoadPlan plan;
  plan.bound = bindIncludes(owner, include);
  LoadNode n = planNode(plan.bound.front(), selectInStrategy(), plan.bound.front().association->as);
  // The getter's junction is addressed by its model's name, as Sequelize's
  // getter includes it: getReposts({order: [[col("Repost.id"), "ASC"]]}).
  // On a clash with the target's alias the path alias stays.
  if (const Model* through = n.association->through)
    if (!aliasesCollide(through->name(), n.alias)) n.throughAlias = through->name();
  completeNode(n);
  n.limit = limit;
  plan.nodes.push_back(std::move(n));
  plan.rootAlias = owner.name();
  return plan;
}

}  // namespace junction::detail
