// Helpers shared by the PostgreSQL-only tests.
#pragma once

#include <fmt/format.h>

#include <memory>
#include <string>

#include "junction/connection.hpp"
#include "junction/dialects.hpp"
#include "junction/url.hpp"
#include "support/engine.hpp"

namespace junction::test {

// A connection to this process's private schema.
inline std::unique_ptr<Connection> pgConnect() {
  return openConnection(databaseUrl());
}

// The schema databaseUrl() points at.
inline std::string pgSchema() {
  return ConnectionUrl::parse(databaseUrl()).params.at("schema");
}

// The test server's URL with another user, password, database and query.
inline std::string pgUrlWith(const std::string& user, const std::string& password,
                             const std::string& database, const std::string& query = "") {
  auto u = ConnectionUrl::parse(serverUrl());
  std::string auth = user.empty() ? "" : user + (password.empty() ? "" : ":" + password) + "@";
  std::string port = u.port ? fmt::format(":{}", u.port) : "";
  return fmt::format("postgres://{}{}{}/{}{}", auth, u.host, port, database,
                     query.empty() ? "" : "?" + query);
}

// The backend process id serving `c`.
inline std::int64_t backendPid(Connection& c) {
  return c.query("SELECT pg_backend_pid() AS pid").at(0, 0).as<std::int64_t>();
}

}  // namespace junction::test
