// The libpq side of the benchmarks: a plain connection to the bench URL,
// junction's `schema=` parameter honoured as the search path, in UTC (as
// junction's own connections are), so hand-written reads see what the ORM
// sees. Header-only: only the benchmarks that link libpq include it.
#pragma once

#include <libpq-fe.h>

#include <stdexcept>
#include <string>

#include "bench_util.hpp"

namespace junction::bench {

// Throws std::runtime_error with libpq's message when it cannot connect.
inline PGconn* connectRawPostgres(const std::string& url) {
  std::string schema;
  PGconn* conn = PQconnectdb(libpqUrl(url, schema).c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn);
    PQfinish(conn);
    throw std::runtime_error(message);
  }
  PQclear(PQexec(conn, "SET TIME ZONE 'UTC'"));
  if (!schema.empty()) {
    char* quoted = PQescapeIdentifier(conn, schema.c_str(), schema.size());
    PQclear(PQexec(conn, ("SET search_path TO " + std::string(quoted)).c_str()));
    PQfreemem(quoted);
  }
  return conn;
}

}  // namespace junction::bench
