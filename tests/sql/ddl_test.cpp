// Golden SQL for CREATE TABLE, DROP TABLE and CREATE INDEX on both dialects:
// the type map, every column option, table constraints and DEFAULT literals.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>

#include "golden.hpp"
#include "junction/errors.hpp"

namespace junction::sql {
namespace {

using testing::expectSameSql;
using testing::expectSql;
using testing::lite;
using testing::pg;
using Kind = ColumnType::Kind;

// CREATE TABLE "t" (<one column>) on each dialect, for column-level tests.
CreateTable oneColumn(ColumnDef c) {
  return CreateTable{.name = "t", .columns = {std::move(c)}};
}

void expectColumn(const ColumnDef& c, const std::string& sqlite, const std::string& postgres) {
  auto t = oneColumn(c);
  expectSql(t, R"(CREATE TABLE "t" ()" + sqlite + ")", R"(CREATE TABLE "t" ()" + postgres + ")");
}

TEST(DdlTypes, EveryTypeOnBothDialects) {
  struct Case {
    ColumnType type;
    std::string sqlite, postgres;
  };
  const Case cases[] = {
      {{Kind::Integer}, "INTEGER", "INTEGER"},
      {{Kind::BigInt}, "BIGINT", "BIGINT"},
      {{Kind::String}, "VARCHAR(255)", "VARCHAR(255)"},
      {{Kind::String, 40}, "VARCHAR(40)", "VARCHAR(40)"},
      {{Kind::Text}, "TEXT", "TEXT"},
      {{Kind::Boolean}, "BOOLEAN", "BOOLEAN"},
      {{Kind::Float}, "FLOAT", "DOUBLE PRECISION"},
      {{Kind::Double}, "DOUBLE PRECISION", "DOUBLE PRECISION"},
      {{Kind::Decimal, 0, 10, 2}, "DECIMAL(10,2)", "DECIMAL(10,2)"},
      {{Kind::Decimal, 0, 5, 0}, "DECIMAL(5,0)", "DECIMAL(5,0)"},
      {{Kind::Decimal}, "DECIMAL", "DECIMAL"},
      {{Kind::Date}, "DATETIME", "TIMESTAMP WITH TIME ZONE"},
      {{Kind::DateOnly}, "DATE", "DATE"},
      {{Kind::Json}, "JSON", "JSON"},
      {{Kind::Uuid}, "VARCHAR(36)", "UUID"},
      {{Kind::Enum, 0, 0, 0, {"a"}}, "VARCHAR(255)", "VARCHAR(255)"},
      {{Kind::Blob}, "BLOB", "BYTEA"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(sqliteDialect().columnType(c.type), c.sqlite);
    EXPECT_EQ(postgresDialect().columnType(c.type), c.postgres);
  }
}

TEST(DdlTypes, BadSizesAreUsageErrors) {
  for (const auto* d : {&sqliteDialect(), &postgresDialect()}) {
    EXPECT_THROW(d->columnType({Kind::String, -1}), UsageError);
    EXPECT_THROW(d->columnType({Kind::Decimal, 0, 5, 6}), UsageError);  // scale > precision
    EXPECT_THROW(d->columnType({Kind::Decimal, 0, -1, 0}), UsageError);
    EXPECT_THROW(d->columnType({Kind::Decimal, 0, 0, 2}), UsageError);  // scale alone
  }
}

TEST(DdlColumns, PlainColumnIsNullable) {
  expectColumn({.name = "title", .type = {Kind::String}}, R"("title" VARCHAR(255))",
               R"("title" VARCHAR(255))");
}

TEST(DdlColumns, OptionsInTheirFixedOrder) {
  ColumnDef c{
      .name = "userId",
      .type = {Kind::Integer},
      .allowNull = false,
      .unique = true,
      .defaultValue = Expr(0),
      .references = ForeignKeyRef{.table = "users", .onDelete = "cascade", .onUpdate = "Set Null"}};
  const char* expected = R"("userId" INTEGER NOT NULL UNIQUE DEFAULT 0 REFERENCES "users" ("id"))"
                         R"( ON DELETE CASCADE ON UPDATE SET NULL)";
  expectColumn(c, expected, expected);
}

TEST(DdlColumns, PrimaryKeyComesBeforeNotNull) {
  const char* expected = R"("code" VARCHAR(10) PRIMARY KEY NOT NULL)";
  expectColumn({.name = "code", .type = {Kind::String, 10}, .allowNull = false, .primaryKey = true},
               expected, expected);
}

TEST(DdlColumns, EveryReferentialAction) {
  for (std::string action : {"CASCADE", "set null", "Set Default", "restrict", "no action"}) {
    ColumnDef c{.name = "r",
                .type = {Kind::Integer},
                .references = ForeignKeyRef{.table = "p", .column = "pk", .onDelete = action}};
    std::string upper;
    for (char ch : action) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    std::string expected = R"("r" INTEGER REFERENCES "p" ("pk") ON DELETE )" + upper;
    expectColumn(c, expected, expected);
  }
}

TEST(DdlColumns, UnknownReferentialActionsAreUsageErrors) {
  for (std::string action : {"DROP", "CASCADE; DROP TABLE users", "SETNULL", " CASCADE"}) {
    ColumnDef c{.name = "r",
                .type = {Kind::Integer},
                .references = ForeignKeyRef{.table = "p", .onUpdate = action}};
    EXPECT_THROW(lite(oneColumn(c)), UsageError) << action;
    EXPECT_THROW(pg(oneColumn(c)), UsageError) << action;
  }
}

TEST(DdlColumns, EnumAddsACheckConstraint) {
  ColumnDef c{.name = "status",
              .type = {Kind::Enum, 0, 0, 0, {"draft", "it's"}},
              .allowNull = false,
              .defaultValue = Expr("draft")};
  const char* expected =
      R"("status" VARCHAR(255) NOT NULL DEFAULT 'draft' CHECK ("status" IN ('draft','it''s')))";
  expectColumn(c, expected, expected);
}

TEST(DdlColumns, EnumWithoutValuesIsUsageError) {
  EXPECT_THROW(lite(oneColumn({.name = "s", .type = {Kind::Enum}})), UsageError);
  EXPECT_THROW(pg(oneColumn({.name = "s", .type = {Kind::Enum}})), UsageError);
}

TEST(DdlColumns, NastyColumnNamesAreQuoted) {
  ColumnDef c{.name = R"(we"ird)",
              .type = {Kind::Enum, 0, 0, 0, {"x"}},
              .references = ForeignKeyRef{.table = R"(o"ther)", .column = R"(i"d)"}};
  const char* expected =
      R"("we""ird" VARCHAR(255) REFERENCES "o""ther" ("i""d") CHECK ("we""ird" IN ('x')))";
  expectColumn(c, expected, expected);
  EXPECT_THROW(lite(oneColumn({.name = ""})), UsageError);
  EXPECT_THROW(pg(oneColumn({.name = "r", .references = ForeignKeyRef{.table = ""}})), UsageError);
}

// ---- auto-increment ----

TEST(DdlAutoIncrement, IntegerPrimaryKey) {
  ColumnDef id{.name = "id",
               .type = {Kind::Integer},
               .allowNull = false,
               .primaryKey = true,
               .autoIncrement = true};
  expectColumn(id, R"("id" INTEGER PRIMARY KEY AUTOINCREMENT)", R"("id" SERIAL PRIMARY KEY)");
  id.type = {Kind::BigInt};
  expectColumn(id, R"("id" INTEGER PRIMARY KEY AUTOINCREMENT)", R"("id" BIGSERIAL PRIMARY KEY)");
}

TEST(DdlAutoIncrement, NotAPrimaryKey) {
  ColumnDef seq{.name = "seq", .type = {Kind::Integer}, .autoIncrement = true};
  EXPECT_THROW(lite(oneColumn(seq)), UsageError);  // SQLite: only the rowid alias
  EXPECT_EQ(pg(oneColumn(seq)).sql, R"(CREATE TABLE "t" ("seq" SERIAL))");
}

TEST(DdlAutoIncrement, InACompositeKey) {
  CreateTable t{.name = "t",
                .columns = {{.name = "a", .type = {Kind::Integer}, .autoIncrement = true},
                            {.name = "b", .type = {Kind::Integer}}},
                .primaryKey = {"a", "b"}};
  EXPECT_THROW(lite(t), UsageError);
  EXPECT_EQ(pg(t).sql, R"(CREATE TABLE "t" ("a" SERIAL, "b" INTEGER, PRIMARY KEY ("a", "b")))");
}

TEST(DdlAutoIncrement, WrongTypeOrDefaultIsUsageError) {
  ColumnDef text{.name = "id", .type = {Kind::Text}, .primaryKey = true, .autoIncrement = true};
  EXPECT_THROW(lite(oneColumn(text)), UsageError);
  EXPECT_THROW(pg(oneColumn(text)), UsageError);
  ColumnDef withDefault{.name = "id",
                        .type = {Kind::Integer},
                        .primaryKey = true,
                        .autoIncrement = true,
                        .defaultValue = Expr(1)};
  EXPECT_THROW(lite(oneColumn(withDefault)), UsageError);
  EXPECT_THROW(pg(oneColumn(withDefault)), UsageError);
}

// ---- DEFAULT literals ----

TEST(DdlDefaults, EveryValueType) {
  struct Case {
    Value value;
    std::string sqlite, postgres;
  };
  const Case cases[] = {
      {Value(), "NULL", "NULL"},
      {true, "TRUE", "TRUE"},
      {false, "FALSE", "FALSE"},
      {-42, "-42", "-42"},
      {std::int64_t{9007199254740993}, "9007199254740993", "9007199254740993"},
      {1.5, "1.5", "1.5"},
      {0.1, "0.1", "0.1"},
      {1e300, "1e+300", "1e+300"},
      {"it's", "'it''s'", "'it''s'"},
      {"back\\slash", "'back\\slash'", "'back\\slash'"},
      {"", "''", "''"},
      {Blob{0x00, 0xAB, 0x1f}, "X'00AB1F'", "'\\x00ab1f'"},
      {Timestamp::parse("2024-01-02T03:04:05.5Z"), "'2024-01-02 03:04:05.500000+00:00'",
       "'2024-01-02 03:04:05.500000+00:00'"},
      {Date::parse("2024-02-29"), "'2024-02-29'", "'2024-02-29'"},
      {JsonText{R"({"k":"v'"})"}, R"('{"k":"v''"}')", R"('{"k":"v''"}')"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(sqliteDialect().renderLiteral(c.value), c.sqlite) << c.value.toDebugString();
    EXPECT_EQ(postgresDialect().renderLiteral(c.value), c.postgres) << c.value.toDebugString();
  }
}

TEST(DdlDefaults, DoublesRoundTrip) {
  for (double d : {0.1 + 0.2, 1.0 / 3.0, -2.5e-310, 123456789.123456789}) {
    auto text = postgresDialect().renderLiteral(d);
    EXPECT_EQ(std::strtod(text.c_str(), nullptr), d) << text;
  }
}

TEST(DdlDefaults, UnrepresentableLiteralsAreUsageErrors) {
  for (const auto* d : {&sqliteDialect(), &postgresDialect()}) {
    EXPECT_THROW(d->renderLiteral(std::numeric_limits<double>::infinity()), UsageError);
    EXPECT_THROW(d->renderLiteral(-std::numeric_limits<double>::infinity()), UsageError);
    EXPECT_THROW(d->renderLiteral(std::nan("")), UsageError);
    EXPECT_THROW(d->renderLiteral(std::string("a\0b", 3)), UsageError);
    EXPECT_THROW(d->renderLiteral(JsonText{std::string("\"\0\"", 3)}), UsageError);
  }
}

TEST(DdlDefaults, InCreateTableWithoutParameters) {
  CreateTable t{
      .name = "posts",
      .columns = {{.name = "title", .type = {Kind::String}, .defaultValue = Expr("'; --")},
                  {.name = "draft", .type = {Kind::Boolean}, .defaultValue = Expr(true)},
                  {.name = "data", .type = {Kind::Blob}, .defaultValue = Expr(Blob{1})},
                  {.name = "createdAt",
                   .type = {Kind::Date},
                   .allowNull = false,
                   .defaultValue = literal("CURRENT_TIMESTAMP")}}};
  expectSql(t,
            R"(CREATE TABLE "posts" ("title" VARCHAR(255) DEFAULT '''; --',)"
            R"( "draft" BOOLEAN DEFAULT TRUE, "data" BLOB DEFAULT X'01',)"
            R"( "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP))",
            R"(CREATE TABLE "posts" ("title" VARCHAR(255) DEFAULT '''; --',)"
            R"( "draft" BOOLEAN DEFAULT TRUE, "data" BYTEA DEFAULT '\x01',)"
            R"( "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP))");
}

TEST(DdlDefaults, ExpressionDefaultsAreUsageErrors) {
  ColumnDef c{.name = "n", .type = {Kind::Integer}, .defaultValue = col("other") + 1};
  EXPECT_THROW(lite(oneColumn(c)), UsageError);
  EXPECT_THROW(pg(oneColumn(c)), UsageError);
  c.defaultValue = Expr(std::nan(""));
  EXPECT_THROW(pg(oneColumn(c)), UsageError);
}

// ---- tables ----

TEST(DdlCreateTable, TypicalModelTable) {
  CreateTable t{
      .name = "users",
      .ifNotExists = true,
      .columns = {
          {.name = "id",
           .type = {Kind::Integer},
           .allowNull = false,
           .primaryKey = true,
           .autoIncrement = true},
          {.name = "username", .type = {Kind::String}, .allowNull = false, .unique = true},
          {.name = "disabled", .type = {Kind::Boolean}, .defaultValue = Expr(false)},
          {.name = "teamId",
           .type = {Kind::Integer},
           .references = ForeignKeyRef{.table = "teams", .onDelete = "SET NULL"}},
          {.name = "createdAt", .type = {Kind::Date}, .allowNull = false},
      }};
  expectSql(t,
            R"(CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER PRIMARY KEY AUTOINCREMENT,)"
            R"( "username" VARCHAR(255) NOT NULL UNIQUE, "disabled" BOOLEAN DEFAULT FALSE,)"
            R"( "teamId" INTEGER REFERENCES "teams" ("id") ON DELETE SET NULL,)"
            R"( "createdAt" DATETIME NOT NULL))",
            R"(CREATE TABLE IF NOT EXISTS "users" ("id" SERIAL PRIMARY KEY,)"
            R"( "username" VARCHAR(255) NOT NULL UNIQUE, "disabled" BOOLEAN DEFAULT FALSE,)"
            R"( "teamId" INTEGER REFERENCES "teams" ("id") ON DELETE SET NULL,)"
            R"( "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL))");
  EXPECT_TRUE(lite(t).params.empty());
  EXPECT_TRUE(pg(t).params.empty());
}

TEST(DdlCreateTable, CompositePrimaryKeyFromTheList) {
  CreateTable t{.name = "memberships",
                .columns = {{.name = "userId", .type = {Kind::Integer}, .allowNull = false},
                            {.name = "teamId", .type = {Kind::Integer}, .allowNull = false}},
                .primaryKey = {"userId", "teamId"}};
  expectSameSql(t, R"(CREATE TABLE "memberships" ("userId" INTEGER NOT NULL,)"
                   R"( "teamId" INTEGER NOT NULL, PRIMARY KEY ("userId", "teamId")))");
}

TEST(DdlCreateTable, SeveralPrimaryKeyColumnsBecomeATableConstraint) {
  CreateTable t{.name = "m",
                .columns = {{.name = "a", .type = {Kind::Integer}, .primaryKey = true},
                            {.name = "b", .type = {Kind::Text}, .primaryKey = true}}};
  expectSameSql(t, R"(CREATE TABLE "m" ("a" INTEGER, "b" TEXT, PRIMARY KEY ("a", "b")))");
}

TEST(DdlCreateTable, PrimaryKeyErrors) {
  CreateTable both{.name = "m",
                   .columns = {{.name = "a", .primaryKey = true}, {.name = "b"}},
                   .primaryKey = {"a", "b"}};
  EXPECT_THROW(lite(both), UsageError);
  CreateTable unknown{.name = "m", .columns = {{.name = "a"}}, .primaryKey = {"a", "zz"}};
  EXPECT_THROW(pg(unknown), UsageError);
}

TEST(DdlCreateTable, UniqueConstraints) {
  CreateTable t{
      .name = "readings",
      .columns = {{.name = "userId"}, {.name = "blogId"}, {.name = "x"}},
      .uniques = {{.columns = {"userId", "blogId"}}, {.name = R"(my"uq)", .columns = {"x"}}}};
  expectSameSql(t, R"(CREATE TABLE "readings" ("userId" INTEGER, "blogId" INTEGER, "x" INTEGER,)"
                   R"( CONSTRAINT "readings_userId_blogId_key" UNIQUE ("userId", "blogId"),)"
                   R"( CONSTRAINT "my""uq" UNIQUE ("x")))");
}

TEST(DdlCreateTable, PrimaryKeyConstraintPrecedesUniques) {
  CreateTable t{.name = "t",
                .columns = {{.name = "a"}, {.name = "b"}},
                .primaryKey = {"a", "b"},
                .uniques = {{.columns = {"b"}}}};
  expectSameSql(t, R"(CREATE TABLE "t" ("a" INTEGER, "b" INTEGER, PRIMARY KEY ("a", "b"),)"
                   R"( CONSTRAINT "t_b_key" UNIQUE ("b")))");
}

TEST(DdlCreateTable, ShapeErrors) {
  EXPECT_THROW(lite(CreateTable{.name = "t"}), UsageError);  // no columns
  EXPECT_THROW(pg(CreateTable{.name = "", .columns = {{.name = "a"}}}), UsageError);
  EXPECT_THROW(lite(CreateTable{.name = "t", .columns = {{.name = "a"}, {.name = "a"}}}),
               UsageError);
  EXPECT_THROW(pg(CreateTable{.name = "t", .columns = {{.name = "a"}}, .uniques = {{}}}),
               UsageError);
  EXPECT_THROW(
      lite(CreateTable{.name = "t", .columns = {{.name = "a"}}, .uniques = {{.columns = {"b"}}}}),
      UsageError);
}

TEST(DdlDropTable, Forms) {
  expectSameSql(DropTable{.name = "users"}, R"(DROP TABLE "users")");
  expectSameSql(DropTable{.name = "users", .ifExists = true}, R"(DROP TABLE IF EXISTS "users")");
  expectSql(DropTable{.name = "users", .ifExists = true, .cascade = true},
            R"(DROP TABLE IF EXISTS "users")", R"(DROP TABLE IF EXISTS "users" CASCADE)");
  expectSql(DropTable{.name = R"(we"ird)", .cascade = true}, R"(DROP TABLE "we""ird")",
            R"(DROP TABLE "we""ird" CASCADE)");
  EXPECT_THROW(lite(DropTable{}), UsageError);
}

TEST(DdlCreateIndex, Forms) {
  expectSameSql(CreateIndex{.table = "users", .columns = {"email"}},
                R"(CREATE INDEX "users_email_idx" ON "users" ("email"))");
  expectSameSql(CreateIndex{.table = "posts",
                            .columns = {"userId", "createdAt"},
                            .unique = true,
                            .ifNotExists = true},
                R"(CREATE UNIQUE INDEX IF NOT EXISTS "posts_userId_createdAt_idx" ON "posts")"
                R"( ("userId", "createdAt"))");
  expectSameSql(CreateIndex{.name = R"(by"name)", .table = "t", .columns = {"a"}},
                R"(CREATE INDEX "by""name" ON "t" ("a"))");
}

TEST(DdlCreateIndex, Errors) {
  EXPECT_THROW(lite(CreateIndex{.table = "t"}), UsageError);
  EXPECT_THROW(pg(CreateIndex{.name = "i", .table = "", .columns = {"a"}}), UsageError);
  EXPECT_THROW(pg(CreateIndex{.table = "t", .columns = {""}}), UsageError);
}

}  // namespace
}  // namespace junction::sql
