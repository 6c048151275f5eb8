// The SQL-file source: <name>.up.sql / <name>.down.sql pairs, read once when
// loaded so the checksum describes exactly the text that runs.
#include <fmt/format.h>
#include <sodium.h>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "junction/migrate/query_interface.hpp"
#include "junction/migrate/source.hpp"

namespace junction::migrate {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kUp = ".up.sql";
constexpr std::string_view kDown = ".down.sql";

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(fmt::format("cannot read migration file {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw UsageError(fmt::format("cannot read migration file {}", path.string()));
  return std::move(text).str();
}

MigrationFn runScript(std::string script) {
  return [script = std::move(script)](QueryInterface& qi) { qi.execute(script); };
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
  // sodium_init is idempotent and thread-safe; crypto_hash_sha256 does not
  // strictly need it, but the library documents calling it first.
  if (sodium_init() < 0) throw Error("libsodium could not be initialised");
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

std::vector<Migration> sqlDirectoryMigrations(const fs::path& dir) {
  std::vector<Migration> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  if (!fs::is_directory(dir, ec))
    throw UsageError(fmt::format("migrations directory {} is not a directory", dir.string()));

  std::map<std::string, fs::path> ups, downs;  // ordered by name, byte order
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::string file = entry.path().filename().string();
    if (endsWith(file, kDown))
      downs.emplace(file.substr(0, file.size() - kDown.size()), entry.path());
    else if (endsWith(file, kUp))
      ups.emplace(file.substr(0, file.size() - kUp.size()), entry.path());
  }
  for (const auto& [name, path] : downs)
    if (!ups.contains(name))
      throw UsageError(fmt::format("{} has no matching {}{} (an undo without a migration)",
                                   path.string(), name, kUp));

  for (const auto& [name, upPath] : ups) {
    std::string up = readFile(upPath);
    Migration m{.name = name, .checksum = sha256Hex(up), .origin = upPath.string()};
    m.up = runScript(std::move(up));
    if (auto down = downs.find(name); down != downs.end())
      m.down = runScript(readFile(down->second));
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace junction::migrate
