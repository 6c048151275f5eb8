// junction/migrate/cli.hpp — the `junction` command line as a library call.
//
// sequelize-cli's verbs over the Migrator:
//   db:migrate [--to NAME] [--step N]        db:migrate:undo [--name NAME | --step N]
//   db:migrate:undo:all [--to NAME]          db:migrate:status
//   migration:generate --name X [--sql]      model:generate --name User --attributes a:string,...
// with --url (or DATABASE_URL), --migrations-dir (default "migrations"),
// --table (default "migrations"), --dry-run, --force and --help on every verb.
//
// An application offers the same commands as its own subcommands by passing
// its compiled-in migrations:
//   int main(int argc, char** argv) {
//     if (argc > 1 && std::string_view(argv[1]).starts_with("db:"))
//       return junction::migrate::runCli(argc, argv,
//       &junction::migrate::MigrationRegistry::global());
//     ...
//   }
// Migrations come from `compiledIn` (when given) and the migrations
// directory's SQL files together; a name in both is an error.
//
// Thread-safety: runs on the calling thread; writes only to `out` and `err`.
#pragma once

#include <iosfwd>

namespace junction::migrate {

class MigrationRegistry;

// Runs the command argv[1..] and returns the process exit status: 0 on
// success; 1 when the command failed (one line on `err`:
// "junction: MigrationError: Migration ... failed (up): ..."); 2 for a
// command line that cannot be parsed. argv[0] names the program in --help.
int runCli(int argc, char** argv, const MigrationRegistry* compiledIn = nullptr);
int runCli(int argc, char** argv, const MigrationRegistry* compiledIn, std::ostream& out,
           std::ostream& err);

}  // namespace junction::migrate
