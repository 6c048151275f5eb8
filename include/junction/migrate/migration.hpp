// junction/migrate/migration.hpp — one versioned schema change, and the
// registry of migrations compiled into a program.
//
// A Migration is a name plus `up` and `down`, each given the QueryInterface
// (Umzug's `{context: queryInterface}`). Migrations run in name order, byte by
// byte as written; generators use a fixed-width timestamp prefix
// ("20211209_00_initialize_notes_and_users") so that order is creation order.
//
//   junction::migrate::MigrationRegistry registry;
//   registry.add("20211209_00_initialize_notes_and_users",
//                [](QueryInterface& qi) { qi.createTable(...); },
//                [](QueryInterface& qi) { qi.dropTable("notes"); });
//
// A migration source file can also register itself in the process-wide
// registry with a namespace-scope `RegisterMigration` object (what
// `junction migration:generate` writes).
//
// Thread-safety: fill a registry before sharing it; const access is safe from
// any number of threads. MigrationRegistry::global() must be filled during
// static initialisation or by one thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "junction/errors.hpp"

namespace junction::migrate {

class QueryInterface;

using Direction = MigrationError::Direction;
// "up" or "down".
std::string_view directionName(Direction d) noexcept;

using MigrationFn = std::function<void(QueryInterface&)>;

struct Migration {
  std::string name;
  MigrationFn up;
  MigrationFn down;  // empty: irreversible (undo raises MigrationError)
  // SHA-256 hex of the up file for SQL-file migrations; none for C++ ones
  // (their code cannot be fingerprinted, so they are never "changed").
  std::optional<std::string> checksum;
  // Where the migration came from, for messages ("migrations/x.up.sql",
  // "compiled in").
  std::string origin = "compiled in";
};

class MigrationRegistry {
 public:
  // Adds a migration. Throws UsageError for an empty name, a duplicate name,
  // or an empty `up`. An empty `down` marks the migration irreversible.
  MigrationRegistry& add(std::string name, MigrationFn up, MigrationFn down = {});
  MigrationRegistry& add(Migration migration);

  // The migrations, ordered by name.
  const std::vector<Migration>& migrations() const noexcept { return migrations_; }
  bool contains(std::string_view name) const noexcept;
  std::size_t size() const noexcept { return migrations_.size(); }

  // The registry RegisterMigration objects fill.
  static MigrationRegistry& global();

 private:
  std::vector<Migration> migrations_;  // kept sorted by name
};

// Registers a migration in MigrationRegistry::global() when constructed; meant
// for namespace scope in a migration source file:
//   const junction::migrate::RegisterMigration kMigration{"2024..._x", up, down};
struct RegisterMigration {
  RegisterMigration(std::string name, MigrationFn up, MigrationFn down = {});
};

// Joins migration lists (a registry and a directory, say) into one list in
// name order. Throws UsageError naming a migration that appears twice.
std::vector<Migration> mergeMigrations(std::vector<std::vector<Migration>> sources);

}  // namespace junction::migrate
