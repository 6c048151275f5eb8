// Shared pieces of the migrate suites: the seed's four migrations (C++ and
// SQL files), a schema check per step, scratch directories and a process
// runner for the real CLI binary.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "junction/connection.hpp"
#include "junction/migrate/migration.hpp"

namespace junction::migrate::test {

extern const std::vector<std::string> kSeedNames;

// The seed's migrations written with the QueryInterface.
MigrationRegistry seedRegistry();
// This engine's directory of the seed's migrations as SQL files.
std::filesystem::path seedSqlDir();

// Checks tables, columns, types, nullability, defaults, unique keys and
// foreign keys after the first `applied` seed migrations (0..4), through
// describeTable/showAllTables. `storageTable` is expected among the tables.
void expectSeedSchema(Connection& conn, int applied,
                      const std::string& storageTable = "migrations");

std::unique_ptr<Connection> connectTest();  // to junction::test::databaseUrl()

// A fresh empty directory under the temp dir, removed at process exit.
std::filesystem::path scratchDir(const std::string& label);
void writeFile(const std::filesystem::path& path, const std::string& text);
std::string readFile(const std::filesystem::path& path);

struct ProcessResult {
  int exitCode = -1;
  std::string out;
  std::string err;
};
// Runs argv (argv[0] a path) in `cwd` with `env` added to the environment,
// waits and captures both streams.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {},
                         const std::filesystem::path& cwd = {});
// Starts without waiting; returns the pid. Streams go to files out/err.
int spawnProcess(const std::vector<std::string>& argv, const std::filesystem::path& out,
                 const std::filesystem::path& err);
int waitProcess(int pid);  // exit status, or 128 + signal

// Counts rows of `table` where name = `name`.
std::int64_t countWhereName(Connection& conn, const std::string& table, const std::string& name);

}  // namespace junction::migrate::test
