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

// A dialect that overrides only what it must, so the tests below pin the
// defaults every engine inherits and the capability checks the Compiler
// makes (both built-in engines support RETURNING and ON CONFLICT).
class MinimalDialect final : public Dialect {
 public:
  std::string_view name() const noexcept override { return "minimal"; }
  const Capabilities& capabilities() const noexcept override { return caps_; }
  void placeholder(std::string& out, std::size_t index) const override {
    out += ':';
    out += std::to_string(index);
  }
  std::string columnType(const ColumnType&) const override { return "ANY"; }

  Capabilities caps_{.returning = false, .upsert = false, .maxParams = 3};
};

TEST(DialectDefaults, StandardHooks) {
  MinimalDialect d;
  auto c = compile(d, Select{.from = {.name = "t"},
                             .where = col("a").iLike("x") && col("b").notILike("y"),
                             .limit = 1,
                             .lock = LockMode::Share});
  EXPECT_EQ(c.sql, R"(SELECT * FROM "t" WHERE "a" ILIKE :1 AND "b" NOT ILIKE :2 LIMIT :3)"
                   R"( FOR SHARE)");
  EXPECT_EQ(compile(d, Select{.from = {.name = "t"}, .offset = 2}).sql,
            R"(SELECT * FROM "t" OFFSET :1)");
  EXPECT_EQ(compile(d, DropTable{.name = "t", .cascade = true}).sql, R"(DROP TABLE "t" CASCADE)");
  EXPECT_EQ(d.renderLiteral(Blob{0xde, 0xad}), "X'DEAD'");
}

TEST(DialectDefaults, NoAutoIncrementByDefault) {
  MinimalDialect d;
  CreateTable t{.name = "t",
                .columns = {{.name = "id", .primaryKey = true, .autoIncrement = true}}};
  EXPECT_THROW(compile(d, t), UsageError);
  t.columns[0].autoIncrement = false;
  EXPECT_EQ(compile(d, t).sql, R"(CREATE TABLE "t" ("id" ANY PRIMARY KEY))");
}

TEST(DialectDefaults, UnsupportedFeaturesAreUsageErrors) {
  MinimalDialect d;
  EXPECT_THROW(compile(d, Delete{.table = "t", .returning = {{col("id")}}}), UsageError);
  EXPECT_THROW(compile(d, Update{.table = "t", .set = {{"a", 1}}, .returning = {{col("a")}}}),
               UsageError);
  EXPECT_THROW(compile(d, Insert{.table = "t",
                                 .columns = {"a"},
                                 .rows = {{1}},
                                 .onConflict = OnConflict{.doNothing = true}}),
               UsageError);
  EXPECT_EQ(compile(d, Insert{.table = "t", .columns = {"a"}, .rows = {{1}}}).sql,
            R"(INSERT INTO "t" ("a") VALUES (:1))");
}

TEST(DialectDefaults, ParameterLimitIsExact) {
  MinimalDialect d;
  EXPECT_EQ(compile(d, col("a").in(std::vector<Value>{1, 2, 3})).params.size(), 3u);
  EXPECT_THROW(compile(d, col("a").in(std::vector<Value>{1, 2, 3, 4})), UsageError);
}

}  // namespace
}  // namespace junction::sql
