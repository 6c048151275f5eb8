// GET /api/blogs?search= is ILIKE '%term%' on title or author: a sequential
// scan of every blog. On PostgreSQL, trigram GIN indexes (pg_trgm, a trusted
// extension since PostgreSQL 13) answer it from the index. SQLite has no
// index for infix patterns, so there this migration changes nothing.
#include <string>

#include "junction/migrate/migration.hpp"
#include "junction/migrate/query_interface.hpp"
#include "junction/result.hpp"
#include "junction/sql/dialect.hpp"

namespace {

using junction::migrate::QueryInterface;

bool isPostgres(QueryInterface& qi) { return qi.dialect().name() == "postgres"; }

// The schema pg_trgm lives in, installing it into `public` when absent.
// Extensions are per database while search_path may name one schema of
// many, so the operator class is always schema-qualified. The transaction
// lock keeps concurrent migrators (one per schema) from racing to install it.
std::string trigramSchema(QueryInterface& qi) {
  qi.query("SELECT pg_advisory_xact_lock(hashtext('junction:pg_trgm'))");
  const char* find =
      "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
      "WHERE e.extname = 'pg_trgm'";
  auto found = qi.query(find);
  if (!found.empty()) return found.at(0, 0).as<std::string>();
  qi.execute("CREATE EXTENSION pg_trgm SCHEMA public");
  return "public";
}

const junction::migrate::RegisterMigration kMigration{
    "20211210_00_add_blog_search_indexes",
    [](QueryInterface& qi) {
      if (!isPostgres(qi)) return;
      std::string opclass;
      qi.dialect().quoteIdentifier(opclass, trigramSchema(qi));
      opclass += ".gin_trgm_ops";
      qi.execute("CREATE INDEX blogs_title_trgm ON blogs USING gin (title " + opclass + ");" +
                 "CREATE INDEX blogs_author_trgm ON blogs USING gin (author " + opclass + ");");
    },
    [](QueryInterface& qi) {
      if (!isPostgres(qi)) return;
      qi.execute("DROP INDEX blogs_title_trgm; DROP INDEX blogs_author_trgm;");
    }};

}  // namespace
