#include "config.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "auth/passwords.hpp"

namespace bloglist {

namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

std::int64_t envInteger(const char* name, std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
  auto v = env(name);
  if (!v) return fallback;
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc{} || end != v->data() + v->size() || n < lo || n > hi)
    throw std::invalid_argument(std::string(name) + " must be an integer from " +
                                std::to_string(lo) + " to " + std::to_string(hi) + ", got '" +
                                *v + "'");
  return n;
}

bool envSwitch(const char* name, bool fallback) {
  auto v = env(name);
  if (!v) return fallback;
  if (*v == "on" || *v == "true" || *v == "1") return true;
  if (*v == "off" || *v == "false" || *v == "0") return false;
  throw std::invalid_argument(std::string(name) + " must be on or off, got '" + *v + "'");
}

}  // namespace

std::string defaultDatabaseUrl(const std::string& dataDir) {
  return "sqlite://" + dataDir + "/bloglist.db";
}

Config loadConfig() {
  Config c;
  c.dataDir = env("DATA_DIR").value_or(c.dataDir);
  c.databaseUrl = env("DATABASE_URL").value_or(defaultDatabaseUrl(c.dataDir));
  c.host = env("HOST").value_or(c.host);
  c.port = static_cast<int>(envInteger("PORT", c.port, 0, 65535));
  c.secret = env("SECRET").value_or("");
  if (auto level = env("LOG_LEVEL")) c.logLevel = http::parseLogLevel(*level);
  c.migrate = envSwitch("MIGRATE", true);
  std::string mode = env("BLOGLIST_ENV").value_or(env("NODE_ENV").value_or("development"));
  if (mode != "development" && mode != "test" && mode != "production")
    throw std::invalid_argument("BLOGLIST_ENV must be development, test or production, got '" +
                                mode + "'");
  c.testMode = mode == "test";
  c.production = mode == "production";
  c.adminUsername = env("ADMIN_USERNAME");
  c.adminPassword = env("ADMIN_PASSWORD");
  if (c.adminUsername.has_value() != c.adminPassword.has_value())
    throw std::invalid_argument("ADMIN_USERNAME and ADMIN_PASSWORD must be set together");
  c.bodyLimit = static_cast<std::size_t>(envInteger("BODY_LIMIT", 1024 * 1024, 1024, 1LL << 30));
  c.dbPool = static_cast<std::size_t>(envInteger("DB_POOL", 16, 2, 1000));
  c.sessions.idle = std::chrono::seconds(
      envInteger("SESSION_IDLE_SECONDS", c.sessions.idle.count(), 1, 366LL * 24 * 3600));
  c.sessions.maxAge = std::chrono::seconds(
      envInteger("SESSION_MAX_AGE_SECONDS", c.sessions.maxAge.count(), 1, 366LL * 24 * 3600));
  c.threads = static_cast<std::size_t>(
      envInteger("THREADS", static_cast<std::int64_t>(defaultThreads(c.dbPool)), 1, 1024));
  return c;
}

std::size_t defaultThreads(std::size_t dbPool) {
  std::size_t perCores = 3 * std::max(1u, std::thread::hardware_concurrency());
  return std::max<std::size_t>(4, std::min(perCores, dbPool));
}

std::string loadSecret(const Config& c) {
  if (!c.secret.empty()) return c.secret;
  if (c.production) throw std::invalid_argument("SECRET must be set when BLOGLIST_ENV=production");
  std::filesystem::path file = std::filesystem::path(c.dataDir) / "secret";
  if (std::ifstream in{file}) {
    std::string s;
    std::getline(in, s);
    if (s.size() >= 32) return s;
    throw std::invalid_argument(file.string() + " holds no usable key; delete it or set SECRET");
  }
  std::filesystem::create_directories(c.dataDir);
  std::string s = randomHex(32);
  {
    // Created 0600 from the start: the key is never readable by others.
    mode_t old = umask(077);
    std::ofstream out{file};
    umask(old);
    out << s << '\n';
    if (!out) throw std::runtime_error("cannot write " + file.string());
  }
  http::log(http::LogLevel::Warn, "SECRET is not set: generated a signing key in " +
                                      file.string() + " (set SECRET in production)");
  return s;
}

}  // namespace bloglist
