// Settings from the environment (docs/bloglist.md lists them). Anything
// malformed is an error naming the variable, never a silent default.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "auth/tokens.hpp"
#include "http/app.hpp"

namespace bloglist {

// THREADS when it is not set: HTTP event loops, each running one request at
// a time to its answer. Three per core (at least 4), so the cores stay busy
// while some loops wait for the database, but no more than `dbPool` above
// that, since more loops than sessions would only queue for the pool. On
// the 2-core bench machine 6 loops served 20% more than one thread per
// connection, and more loops than that did worse.
std::size_t defaultThreads(std::size_t dbPool);

struct Config {
  std::string dataDir = "data";
  std::string databaseUrl;  // default: sqlite://<dataDir>/bloglist.db
  std::string host = "127.0.0.1";
  int port = 3001;
  std::string secret;  // empty: loadSecret() generates or reads one
  http::LogLevel logLevel = http::LogLevel::Info;
  bool migrate = true;
  bool testMode = false;
  bool production = false;
  std::optional<std::string> adminUsername, adminPassword;
  std::size_t bodyLimit = 1024 * 1024;
  std::size_t threads = 4;  // loadConfig: defaultThreads(dbPool) unless THREADS is set
  std::size_t dbPool = 16;
  // SESSION_IDLE_SECONDS, SESSION_MAX_AGE_SECONDS (docs/bloglist.md).
  SessionPolicy sessions;
};

// Throws std::invalid_argument naming the variable and the bad value.
Config loadConfig();

// The default database URL for a data directory.
std::string defaultDatabaseUrl(const std::string& dataDir);

// SECRET, or in development a key kept in <dataDir>/secret (created with
// mode 0600 on first start, with a warning). Production without SECRET is an
// error.
std::string loadSecret(const Config& c);

}  // namespace bloglist
