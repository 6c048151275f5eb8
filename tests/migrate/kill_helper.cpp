// migrate_kill_helper URL cpp|sql K: runs the seed's migrations (the
// QueryInterface ones or the SQL files) against URL and, when K > 0, kills
// itself with SIGKILL right after the K-th statement the database ran —
// a crash at the worst moment, for MigratorFaults. With K = 0 it runs to the
// end and prints how many statements that took.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "junction/junction.hpp"
#include "junction/migrate/migrator.hpp"
#include "junction/migrate/source.hpp"
#include "support.hpp"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: migrate_kill_helper URL cpp|sql K\n";
    return 2;
  }
  const std::string url = argv[1], kind = argv[2];
  const long killAt = std::strtol(argv[3], nullptr, 10);
  long statements = 0;
  try {
    junction::Database db(url, {.logging = [&](const junction::QueryEvent&) {
                                  if (++statements == killAt) std::raise(SIGKILL);
                                }});
    namespace m = junction::migrate;
    auto migrations = kind == "sql" ? m::sqlDirectoryMigrations(m::test::seedSqlDir())
                                    : m::test::seedRegistry().migrations();
    m::Migrator migrator(db.pool(), std::move(migrations));
    migrator.up();
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  std::cout << statements << "\n";
  return 0;
}
