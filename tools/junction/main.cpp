// build/bin/junction — sequelize-cli's migration verbs for junction. All the
// work is in junction::migrate::runCli; an application that compiles C++
// migrations in offers the same verbs by calling it with its registry.
#include "junction/migrate/cli.hpp"
#include "junction/migrate/migration.hpp"

int main(int argc, char** argv) {
  return junction::migrate::runCli(argc, argv, &junction::migrate::MigrationRegistry::global());
}
