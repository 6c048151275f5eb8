// The compiled-in source: a registry kept sorted by name.
#include <fmt/format.h>

#include <algorithm>

#include "junction/migrate/migration.hpp"

namespace junction::migrate {

std::string_view directionName(Direction d) noexcept {
  return d == Direction::Up ? "up" : "down";
}

MigrationRegistry& MigrationRegistry::add(std::string name, MigrationFn up, MigrationFn down) {
  return add(Migration{.name = std::move(name), .up = std::move(up), .down = std::move(down)});
}

MigrationRegistry& MigrationRegistry::add(Migration migration) {
  if (migration.name.empty()) throw UsageError("a migration needs a name");
  if (!migration.up)
    throw UsageError(fmt::format("migration {} has no up function", migration.name));
  auto pos =
      std::lower_bound(migrations_.begin(), migrations_.end(), migration.name,
                       [](const Migration& m, const std::string& name) { return m.name < name; });
  if (pos != migrations_.end() && pos->name == migration.name)
    throw UsageError(fmt::format("migration {} is registered twice", migration.name));
  migrations_.insert(pos, std::move(migration));
  return *this;
}

bool MigrationRegistry::contains(std::string_view name) const noexcept {
  auto pos = std::lower_bound(migrations_.begin(), migrations_.end(), name,
                              [](const Migration& m, std::string_view n) { return m.name < n; });
  return pos != migrations_.end() && pos->name == name;
}

MigrationRegistry& MigrationRegistry::global() {
  // Never destroyed: RegisterMigration objects of other translation units may
  // run before or after this one's static initialisers and destructors.
  static auto* registry = new MigrationRegistry();
  return *registry;
}

RegisterMigration::RegisterMigration(std::string name, MigrationFn up, MigrationFn down) {
  MigrationRegistry::global().add(std::move(name), std::move(up), std::move(down));
}

std::vector<Migration> mergeMigrations(std::vector<std::vector<Migration>> sources) {
  std::vector<Migration> all;
  for (auto& source : sources)
    for (auto& m : source) all.push_back(std::move(m));
  std::stable_sort(all.begin(), all.end(),
                   [](const Migration& a, const Migration& b) { return a.name < b.name; });
  for (std::size_t i = 1; i < all.size(); ++i)
    if (all[i].name == all[i - 1].name)
      throw UsageError(fmt::format("migration {} is defined twice ({} and {})", all[i].name,
                                   all[i - 1].origin, all[i].origin));
  return all;
}

}  // namespace junction::migrate
