// junction/migrate/generate.hpp — the files `junction migration:generate`
// and `junction model:generate` write.
//
// Names get a UTC timestamp prefix, YYYYMMDDHHMMSS_, so they sort in creation
// order. A C++ migration registers itself with MigrationRegistry::global()
// and compiles as written (its bodies are empty until filled in); SQL
// migrations are a `.up.sql` / `.down.sql` pair.
//
// Thread-safety: free functions over the file system.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace junction::migrate {

struct GenerateOptions {
  std::filesystem::path migrationsDir = "migrations";
  std::filesystem::path modelsDir = "models";
  bool sql = false;  // migration:generate: SQL files instead of C++
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// One model attribute from "name:type".
struct AttributeSpec {
  std::string name;
  std::string type;  // the lower-case CLI type ("string")
};

// "20240131235959" for `now`, in UTC.
std::string migrationTimestamp(std::chrono::system_clock::time_point now);

// Writes the migration file(s) for `name` and returns their paths. Throws
// UsageError for a name that is empty or has characters other than letters,
// digits, '_' and '-', or when a file already exists (never overwrites).
std::vector<std::filesystem::path> generateMigration(std::string_view name,
                                                     const GenerateOptions& options = {});

// Parses "name:string,username:string,admin:boolean". Types: string, text,
// integer, bigint, boolean, date, dateonly, float, double, decimal, json,
// uuid. Throws UsageError naming an unknown type or a malformed item.
std::vector<AttributeSpec> parseAttributes(std::string_view list);

// Writes `<modelsDir>/<snake_name>.cpp` (a function defining the model) and
// the C++ migration creating its table (`<ts>_create_<snake_name>.cpp`), and
// returns both paths (model first). Throws as generateMigration.
std::vector<std::filesystem::path> generateModel(std::string_view modelName,
                                                 const std::vector<AttributeSpec>& attributes,
                                                 const GenerateOptions& options = {});

}  // namespace junction::migrate
