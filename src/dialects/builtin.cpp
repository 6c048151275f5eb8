#include <mutex>

#include "dialects/postgres/pg_connection.hpp"
#include "dialects/sqlite/sqlite_connection.hpp"
#include "junction/dialects.hpp"

namespace junction {

void registerBuiltinDialects() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerEngine("sqlite", sqliteDialect(), [](const ConnectionUrl& u) { return sqlite::open(u); });
    registerEngine("postgres", postgresDialect(),
                   [](const ConnectionUrl& u) { return postgres::open(u); });
  });
}

std::unique_ptr<Connection> openConnection(std::string_view url) {
  registerBuiltinDialects();
  return connect(ConnectionUrl::parse(url));
}

}  // namespace junction
