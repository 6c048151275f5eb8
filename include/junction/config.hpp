// junction/config.hpp — sequelize-cli's configuration file, read as it reads it.
//
//   config/config.json
//   {
//     "development": { "dialect": "sqlite", "storage": "data/dev.db" },
//     "test":        { "dialect": "postgres", "host": "127.0.0.1", "port": 5432,
//                      "database": "blog_test", "username": "blog", "password": null },
//     "production":  { "use_env_variable": "DATABASE_URL" }
//   }
//
//   auto cfg = junction::loadDatabaseConfig();      // the environment of
//   junction::Database db{cfg.url};                 // $JUNCTION_ENV / $NODE_ENV
//
// Per environment: `dialect` (sqlite or postgres), `storage` (SQLite's file,
// or ":memory:"), `host`, `port`, `database`, `username`, `password`, or the
// whole URL in `url` or in the variable `use_env_variable` names;
// `migrationStorageTableName` and `seederStorageTableName` name the storage
// tables; `logging` and `benchmark` are accepted and not used. Any other key
// is an error: a setting that would be ignored (an `ssl` option, a pool) must
// not look as if it applied.
//
// The environment: ConfigSelection::env, else $JUNCTION_ENV, else $NODE_ENV,
// else "development". The file: ConfigSelection::file, else the "config" of
// a `.junctionrc` in the working directory, else config/config.json.
//
// Thread-safety: plain functions over the file system and the environment.
#pragma once

#include <filesystem>
#include <string>

namespace junction {

struct ConfigSelection {
  std::filesystem::path file;  // empty: .junctionrc's "config", else config/config.json
  std::string env;             // empty: $JUNCTION_ENV, else $NODE_ENV, else "development"
};

// One environment of the file.
struct DatabaseConfig {
  std::filesystem::path file;  // where it was read
  std::string env;             // which environment
  std::string url;             // junction's connection URL for it (url.hpp)
  std::string migrationStorageTableName;  // empty: the file does not name one
  std::string seederStorageTableName;
};

// UsageError naming the file, the environment and the key for a missing
// file or environment, an unsupported dialect, a missing database or storage,
// an unset `use_env_variable`, or a key it does not know.
DatabaseConfig loadDatabaseConfig(const ConfigSelection& selection = {});

// Where a project keeps its files: sequelize-cli's `.sequelizerc` paths, read
// from a JSON `.junctionrc` in `dir` ("config", "migrations-path",
// "seeders-path", "models-path"; relative to `dir`), with sequelize-cli's
// defaults for what it does not name (or when there is no file).
struct ProjectPaths {
  std::filesystem::path config = "config/config.json";
  std::filesystem::path migrations = "migrations";
  std::filesystem::path seeders = "seeders";
  std::filesystem::path models = "models";
};
ProjectPaths loadProjectPaths(const std::filesystem::path& dir = ".");

// The value of environment variable `name`, or `fallback` when unset/empty.
std::string env_or(const char* name, std::string fallback);

}  // namespace junction
