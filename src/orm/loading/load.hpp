// The one path from a find's options to instances (DESIGN.md decision 4):
//
//   FindOptions ──binder──▶ bound includes ──planner──▶ LoadPlan
//     ──strategies' shapeQuery──▶ sql::Select ──driver──▶ rows
//     ──hydrator (strategies' consumeRow)──▶ instances
//     ──strategies' finishParents──▶ complete instances
//
// Finders, counts and lazy getters all run through it; a query without
// includes is a plan without nodes.
//
// Thread-safety: each call reads immutable models and uses one connection.
#pragma once

#include <cstdint>
#include <vector>

#include "junction/associations.hpp"
#include "junction/connection.hpp"
#include "junction/instance.hpp"
#include "junction/query.hpp"

namespace junction::detail {

// findAll's rows (scopes already merged into `o`).
std::vector<Instance> findInstances(Connection& conn, const Model& m, const FindOptions& o);
// count's number: of rows, or of distinct parents when there are includes.
std::int64_t countInstances(Connection& conn, const Model& m, const CountOptions& o);
// A lazy getter's rows (association(...).get()): `owner` is left untouched.
std::vector<Instance> loadAssociation(Connection& conn, const Instance& owner, const Association& a,
                                      const AssociationGetOptions& o);
// How many rows that getter would read for the owner whose key is `key`
// (association(...).count()), bound as the getter binds its options.
std::int64_t countAssociation(Connection& conn, const Association& a, const Value& key,
                              const AssociationCountOptions& o);

}  // namespace junction::detail
