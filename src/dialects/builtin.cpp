#include <mutex>

#include "dialects/postgres/pg_connection.hpp"
#include "dialects/postgres/schema_editor.hpp"
#include "dialects/sqlite/schema_editor.hpp"
#include "dialects/sqlite/sqlite_connection.hpp"
#include "junction/dialects.hpp"

namespace junction {

void registerBuiltinDialects() {
  static std::once_flag once;
  std::call_once(once, [] {
    // An engine is its folder under src/dialects plus these two lines.
    registerEngine("sqlite", sqliteDialect(),
                   [](const ConnectionUrl& u) { return sqlite::open(u); });
    schema::registerSchemaEditor(sqliteDialect(), sqlite::schemaEditor());
    registerEngine("postgres", postgresDialect(),
                   [](const ConnectionUrl& u) { return postgres::open(u); });
    schema::registerSchemaEditor(postgresDialect(), postgres::schemaEditor());
  });
}

std::unique_ptr<Connection> openConnection(std::string_view url) {
  registerBuiltinDialects();
  return connect(ConnectionUrl::parse(url));
}

}  // namespace junction
