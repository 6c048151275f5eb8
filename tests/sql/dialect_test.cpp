// The dialects' identity, capability flags and low-level hooks.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "junction/errors.hpp"

namespace junction::sql {
namespace {

TEST(DialectTest, NamesAndSingletons) {
  EXPECT_EQ(sqliteDialect().name(), "sqlite");
  EXPECT_EQ(postgresDialect().name(), "postgres");
  EXPECT_EQ(&sqliteDialect(), &sqliteDialect());
  EXPECT_EQ(&postgresDialect(), &postgresDialect());
}

TEST(DialectTest, SqliteCapabilities) {
  const auto& c = sqliteDialect().capabilities();
  EXPECT_TRUE(c.returning);
  EXPECT_TRUE(c.upsert);
  EXPECT_TRUE(c.transactionalDdl);
  EXPECT_TRUE(c.dropColumn);
  EXPECT_FALSE(c.nativeILike);
  EXPECT_FALSE(c.lockClauses);
  EXPECT_FALSE(c.alterColumn);
  EXPECT_FALSE(c.schemas);
  EXPECT_EQ(c.maxParams, 32766u);
}

TEST(DialectTest, PostgresCapabilities) {
  const auto& c = postgresDialect().capabilities();
  EXPECT_TRUE(c.returning);
  EXPECT_TRUE(c.upsert);
  EXPECT_TRUE(c.transactionalDdl);
  EXPECT_TRUE(c.dropColumn);
  EXPECT_TRUE(c.nativeILike);
  EXPECT_TRUE(c.lockClauses);
  EXPECT_TRUE(c.alterColumn);
  EXPECT_TRUE(c.schemas);
  EXPECT_EQ(c.maxParams, 65535u);
}

TEST(DialectTest, Placeholders) {
  std::string a, b;
  for (std::size_t i : {1u, 2u, 10u, 65535u}) {
    sqliteDialect().placeholder(a, i);
    postgresDialect().placeholder(b, i);
    a += ' ';
    b += ' ';
  }
  EXPECT_EQ(a, "? ? ? ? ");
  EXPECT_EQ(b, "$1 $2 $10 $65535 ");
}

TEST(DialectTest, QuoteIdentifier) {
  for (const auto* d : {&sqliteDialect(), &postgresDialect()}) {
    std::string out = "x=";
    d->quoteIdentifier(out, "plain");
    EXPECT_EQ(out, R"(x="plain")");
    out.clear();
    d->quoteIdentifier(out, R"("")");
    EXPECT_EQ(out, R"("""""")");
    out.clear();
    d->quoteIdentifier(out, "Mixed Case.dot");
    EXPECT_EQ(out, R"("Mixed Case.dot")");
    EXPECT_THROW(d->quoteIdentifier(out, ""), UsageError);
    EXPECT_THROW(d->quoteIdentifier(out, std::string_view("\0", 1)), UsageError);
  }
}

}  // namespace
}  // namespace junction::sql
