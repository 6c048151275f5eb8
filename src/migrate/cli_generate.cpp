// Generators for `junction migration:generate` and `model:generate`. The
// written C++ must compile as is (the CLI tests compile it with -Werror), so
// every template here is checked by a test, not only by eye.
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <ctime>
#include <fstream>

#include "junction/errors.hpp"
#include "junction/migrate/generate.hpp"

namespace junction::migrate {

namespace fs = std::filesystem;

namespace {

struct TypeMapping {
  std::string_view cli;
  std::string_view dataType;
};

constexpr std::array<TypeMapping, 12> kTypes{{
    {"string", "STRING"},
    {"text", "TEXT"},
    {"integer", "INTEGER"},
    {"bigint", "BIGINT"},
    {"boolean", "BOOLEAN"},
    {"date", "DATE"},
    {"dateonly", "DATEONLY"},
    {"float", "FLOAT"},
    {"double", "DOUBLE"},
    {"decimal", "DECIMAL"},
    {"json", "JSON"},
    {"uuid", "UUID"},
}};

std::string_view dataTypeOf(std::string_view cliType, std::string_view attribute = {}) {
  for (const auto& t : kTypes)
    if (t.cli == cliType) return t.dataType;
  std::string known;
  for (const auto& t : kTypes) known += (known.empty() ? "" : ", ") + std::string(t.cli);
  throw UsageError(fmt::format("unknown attribute type \"{}\"{} (known types: {})", cliType,
                               attribute.empty() ? "" : fmt::format(" for attribute {}", attribute),
                               known));
}

bool isIdentifier(std::string_view s, bool allowDash) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && !(allowDash && c == '-'))
      return false;
  return true;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// "UserNote" → "user_note"; "userId" → "user_id".
std::string snakeCase(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '-') c = '_';
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (i > 0 && out.back() != '_') out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

// Sequelize's table name for a model: the last word pluralised. Covers the
// regular English rules; pass a tableName in the generated file otherwise.
std::string pluralize(const std::string& word) {
  auto ends = [&](std::string_view suffix) {
    return word.size() >= suffix.size() &&
           word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends("ss") || ends("sh") || ends("ch") || ends("x") || ends("z") || ends("us"))
    return word + "es";
  if (ends("s")) return word;
  if (word.size() > 1 && word.back() == 'y' &&
      std::string_view("aeiou").find(word[word.size() - 2]) == std::string_view::npos)
    return word.substr(0, word.size() - 1) + "ies";
  return word + "s";
}

void writeNew(const fs::path& path, std::string_view text) {
  std::error_code ec;
  if (fs::exists(path, ec))
    throw UsageError(fmt::format("{} already exists; not overwriting it", path.string()));
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw UsageError(fmt::format("cannot write {}", path.string()));
}

std::string cppMigration(std::string_view name, std::string_view upBody, std::string_view downBody,
                         std::string_view intro) {
  return fmt::format(
      R"(// Migration {name}{intro}.
// Compile this file into the program that runs the migrations: it registers
// itself with junction::migrate::MigrationRegistry::global().
#include <junction/data_types.hpp>
#include <junction/migrate/migration.hpp>
#include <junction/migrate/query_interface.hpp>

namespace {{

using namespace junction::DataTypes;
using junction::migrate::QueryInterface;

void up([[maybe_unused]] QueryInterface& queryInterface) {{
{up}}}

void down([[maybe_unused]] QueryInterface& queryInterface) {{
{down}}}

const junction::migrate::RegisterMigration kMigration{{"{name}", up, down}};

}}  // namespace
)",
      fmt::arg("name", name), fmt::arg("intro", intro), fmt::arg("up", upBody),
      fmt::arg("down", downBody));
}

}  // namespace

std::string migrationTimestamp(std::chrono::system_clock::time_point now) {
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &utc);
  return buf;
}

std::vector<fs::path> generateMigration(std::string_view name, const GenerateOptions& options) {
  if (!isIdentifier(name, true))
    throw UsageError(fmt::format(
        "migration name \"{}\" must be letters, digits, '_' and '-' (it becomes a file name)",
        name));
  const std::string full = migrationTimestamp(options.now) + "_" + std::string(name);
  if (options.sql) {
    fs::path up = options.migrationsDir / (full + ".up.sql");
    fs::path down = options.migrationsDir / (full + ".down.sql");
    writeNew(up, fmt::format("-- Migration {} (up): write the schema change here.\n", full));
    writeNew(down, fmt::format(
                       "-- Migration {} (down): write the statements that undo the up file here.\n",
                       full));
    return {up, down};
  }
  fs::path file = options.migrationsDir / (full + ".cpp");
  writeNew(file, cppMigration(full,
                              "  // write the schema change here, e.g.\n"
                              "  // queryInterface.addColumn(\"users\", \"admin\", "
                              "BOOLEAN.defaultValue(false));\n",
                              "  // write the change that undoes up() here, e.g.\n"
                              "  // queryInterface.removeColumn(\"users\", \"admin\");\n",
                              ""));
  return {file};
}

std::vector<AttributeSpec> parseAttributes(std::string_view list) {
  std::vector<AttributeSpec> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    std::string item = trim(list.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    start = comma == std::string_view::npos ? list.size() + 1 : comma + 1;
    if (item.empty()) continue;
    auto colon = item.find(':');
    if (colon == std::string::npos)
      throw UsageError(fmt::format("attribute \"{}\" must be written name:type", item));
    AttributeSpec a{trim(item.substr(0, colon)), trim(item.substr(colon + 1))};
    for (char& c : a.type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!isIdentifier(a.name, false))
      throw UsageError(
          fmt::format("attribute name \"{}\" must be letters, digits and '_'", a.name));
    (void)dataTypeOf(a.type, a.name);
    for (const auto& seen : out)
      if (seen.name == a.name)
        throw UsageError(fmt::format("attribute {} is listed twice", a.name));
    out.push_back(std::move(a));
  }
  if (out.empty())
    throw UsageError("a model needs at least one attribute (--attributes name:type,...)");
  return out;
}

std::vector<fs::path> generateModel(std::string_view modelName,
                                    const std::vector<AttributeSpec>& attributes,
                                    const GenerateOptions& options) {
  if (!isIdentifier(modelName, false) ||
      std::isdigit(static_cast<unsigned char>(modelName.front())))
    throw UsageError(fmt::format(
        "model name \"{}\" must start with a letter and be letters, digits and '_'", modelName));
  if (attributes.empty()) throw UsageError("a model needs at least one attribute");
  const std::string snake = snakeCase(modelName);
  const std::string table = pluralize(snake);
  std::string function = "define";
  function += static_cast<char>(std::toupper(static_cast<unsigned char>(modelName.front())));
  function += modelName.substr(1);

  std::string modelAttrs = "          {\"id\", INTEGER.primaryKey().autoIncrement()},\n";
  std::string columns = "      {\"id\", INTEGER.primaryKey().autoIncrement()},\n";
  for (const auto& a : attributes) {
    std::string_view type = dataTypeOf(a.type);
    modelAttrs += fmt::format("          {{\"{}\", {}}},\n", a.name, type);
    columns += fmt::format("      {{\"{}\", {}}},\n", snakeCase(a.name), type);
  }
  columns +=
      "      {\"created_at\", DATE.allowNull(false)},\n"
      "      {\"updated_at\", DATE.allowNull(false)},\n";

  const std::string migrationName = migrationTimestamp(options.now) + "_create_" + snake;
  fs::path modelFile = options.modelsDir / (snake + ".cpp");
  fs::path migrationFile = options.migrationsDir / (migrationName + ".cpp");
  std::error_code ec;
  if (fs::exists(modelFile, ec))
    throw UsageError(fmt::format("{} already exists; not overwriting it", modelFile.string()));

  writeNew(migrationFile,
           cppMigration(
               migrationName,
               fmt::format("  queryInterface.createTable(\"{}\", {{\n{}  }});\n", table, columns),
               fmt::format("  queryInterface.dropTable(\"{}\");\n", table),
               fmt::format(": the table of the {} model ({})", snake, modelFile.string())));
  writeNew(modelFile,
           fmt::format(R"(// The {snake} model; its table "{table}" is created by migration
// {migration}. Call {function}(db) once, before the first query.
#include <junction/junction.hpp>

junction::Model& {function}(junction::Database& db);

junction::Model& {function}(junction::Database& db) {{
  using namespace junction::DataTypes;
  return db.define("{snake}",
      {{
{attrs}      }},
      {{.underscored = true, .tableName = "{table}"}});
}}
)",
                       fmt::arg("snake", snake), fmt::arg("table", table),
                       fmt::arg("migration", migrationName), fmt::arg("function", function),
                       fmt::arg("attrs", modelAttrs)));
  return {modelFile, migrationFile};
}

}  // namespace junction::migrate
