// junction/url.hpp — connection URLs.
//
//   sqlite::memory:                      a private in-memory database
//   sqlite://path/to.db                  a file, relative to the working directory
//   sqlite:///abs/path/to.db             an absolute path
//   postgres://user:pass@host:port/db?sslmode=disable&schema=app
//   postgresql://...                     the same
//
// Query parameters are kept for the driver (PostgreSQL passes libpq
// keywords through; `schema` sets the search_path of every connection).
// Percent-escapes in user, password and database are decoded.
//
// Thread-safety: a plain value type.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace junction {

struct ConnectionUrl {
  std::string scheme;    // "sqlite" or "postgres" ("postgresql" is normalised)
  std::string user;
  std::string password;
  std::string host;
  int port = 0;          // 0: the driver's default
  std::string database;  // PostgreSQL database name
  std::string path;      // SQLite file path, or ":memory:"
  std::map<std::string, std::string> params;

  // Throws InvalidUrlError naming the URL (password redacted) and what is wrong.
  static ConnectionUrl parse(std::string_view url);

  bool isMemory() const noexcept { return scheme == "sqlite" && path == ":memory:"; }
  // The URL with the password replaced by "***", for messages and logs.
  std::string redacted() const;
};

}  // namespace junction
