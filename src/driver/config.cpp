#include "junction/config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "junction/errors.hpp"

namespace junction {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json readJson(const fs::path& file, const char* what) {
  std::ifstream in(file);
  if (!in) throw UsageError(fmt::format("cannot read {} {}", what, file.string()));
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw UsageError(fmt::format("{} {} is not valid JSON: {}", what, file.string(), e.what()));
  }
}

// Percent-encodes what a URL's user, password or database cannot hold as is.
std::string encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

class Env {
 public:
  Env(const fs::path& file, std::string name, const json& j)
      : file_(file), name_(std::move(name)), j_(j) {}

  [[noreturn]] void fail(std::string_view key, std::string_view what) const {
    throw UsageError(fmt::format("{}: {}.{}: {}", file_.string(), name_, key, what));
  }

  // A string key; null and absent are nullopt.
  std::optional<std::string> text(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) fail(key, fmt::format("must be a string, not {}", it->dump()));
    return it->get<std::string>();
  }

  std::optional<int> port() const {
    auto it = j_.find("port");
    if (it == j_.end() || it->is_null()) return std::nullopt;
    long long p = 0;
    if (it->is_number_integer()) {
      p = it->get<long long>();
    } else if (it->is_string()) {
      const auto& s = it->get_ref<const std::string&>();
      char* end = nullptr;
      p = s.empty() ? 0 : std::strtoll(s.c_str(), &end, 10);
      if (s.empty() || *end != '\0') p = 0;
    }
    if (p < 1 || p > 65535) fail("port", fmt::format("{} is not a TCP port", it->dump()));
    return static_cast<int>(p);
  }

  void checkKeys() const {
    static constexpr std::string_view read[] = {
        "dialect", "storage",  "host", "port",
        "database", "username", "password", "url",
        "use_env_variable", "migrationStorageTableName", "seederStorageTableName"};
    static constexpr std::string_view unused[] = {"logging", "benchmark"};
    auto known = [](std::string_view key) {
      return std::find(std::begin(read), std::end(read), key) != std::end(read) ||
             std::find(std::begin(unused), std::end(unused), key) != std::end(unused);
    };
    for (const auto& [key, value] : j_.items())
      if (!known(key))
        fail(key, fmt::format("is not a setting junction reads ({}; {} are accepted and not "
                              "used): put driver options in the URL (url or use_env_variable)",
                              fmt::join(read, ", "), fmt::join(unused, " and ")));
  }


  std::string url() const {
    if (auto var = text("use_env_variable")) {
      const char* v = std::getenv(var->c_str());
      if (!v || !*v) fail("use_env_variable", fmt::format("${} is not set", *var));
      return v;
    }
    if (auto u = text("url")) return *u;
    auto dialect = text("dialect");
    if (!dialect) fail("dialect", "is missing (sqlite or postgres), and there is no url");
    if (*dialect == "sqlite") {
      auto storage = text("storage");
      if (!storage || storage->empty())
        fail("storage", "is missing: SQLite needs a file path, or \":memory:\"");
      if (*storage == ":memory:") return "sqlite::memory:";
      if (storage->find_first_of("?#") != std::string::npos)
        fail("storage", fmt::format("\"{}\": a path with '?' or '#' cannot be a URL's path",
                                    *storage));
      return "sqlite://" + *storage;
    }
    if (*dialect == "postgres") {
      auto database = text("database");
      if (!database || database->empty()) fail("database", "is missing");
      std::string out = "postgres://";
      if (auto user = text("username"); user && !user->empty()) {
        out += encode(*user);
        if (auto password = text("password"); password && !password->empty())
          out += ":" + encode(*password);
        out += "@";
      }
      const std::string host = text("host").value_or("localhost");
      if (host.find_first_of("/@?#") != std::string::npos)
        fail("host", fmt::format("\"{}\" is not a host name (a Unix socket directory goes in a "
                                 "url: postgres:///db?host=/run/postgresql)",
                                 host));
      out += host;
      if (auto p = port()) out += ":" + std::to_string(*p);
      return out + "/" + encode(*database);
    }
    fail("dialect", fmt::format("\"{}\" is not supported: sqlite or postgres", *dialect));
  }

 private:
  const fs::path& file_;
  std::string name_;
  const json& j_;
};

}  // namespace

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::move(fallback);
}

ProjectPaths loadProjectPaths(const fs::path& dir) {
  ProjectPaths p;
  const std::pair<const char*, fs::path*> keys[] = {{"config", &p.config},
                                                    {"migrations-path", &p.migrations},
                                                    {"seeders-path", &p.seeders},
                                                    {"models-path", &p.models}};
  auto underDir = [&] {
    if (dir.empty() || dir == ".") return;
    for (const auto& [name, path] : keys) *path = dir / *path;
  };
  const fs::path rc = dir / ".junctionrc";
  std::error_code ec;
  if (!fs::exists(rc, ec)) {
    underDir();
    return p;
  }
  const json j = readJson(rc, "project file");
  if (!j.is_object()) throw UsageError(fmt::format("{}: must be a JSON object", rc.string()));
  for (const auto& [key, value] : j.items()) {
    fs::path* target = nullptr;
    for (const auto& [name, path] : keys)
      if (key == name) target = path;
    if (!target)
      throw UsageError(fmt::format("{}: \"{}\" is not a key junction reads (config, "
                                   "migrations-path, seeders-path, models-path)",
                                   rc.string(), key));
    if (!value.is_string() || value.get_ref<const std::string&>().empty())
      throw UsageError(fmt::format("{}: \"{}\" must be a path", rc.string(), key));
    *target = value.get<std::string>();
  }
  underDir();
  return p;
}

DatabaseConfig loadDatabaseConfig(const ConfigSelection& selection) {
  DatabaseConfig out;
  out.file = selection.file.empty() ? loadProjectPaths().config : selection.file;
  out.env = !selection.env.empty() ? selection.env
                                   : env_or("JUNCTION_ENV", env_or("NODE_ENV", "development"));
  const json j = readJson(out.file, "configuration file");
  if (!j.is_object())
    throw UsageError(fmt::format("{}: must be a JSON object of environments", out.file.string()));
  auto it = j.find(out.env);
  if (it == j.end()) {
    std::string names;
    for (const auto& [name, value] : j.items()) names += (names.empty() ? "" : ", ") + name;
    throw UsageError(fmt::format("{}: no environment \"{}\" (it has: {})", out.file.string(),
                                 out.env, names.empty() ? "none" : names));
  }
  if (!it->is_object())
    throw UsageError(fmt::format("{}: {}: must be an object of settings", out.file.string(),
                                 out.env));
  Env env(out.file, out.env, *it);
  env.checkKeys();
  out.url = env.url();
  out.migrationStorageTableName = env.text("migrationStorageTableName").value_or("");
  out.seederStorageTableName = env.text("seederStorageTableName").value_or("");
  return out;
}

}  // namespace junction
