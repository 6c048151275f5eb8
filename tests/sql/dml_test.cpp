// Golden SQL for INSERT (with upsert), UPDATE and DELETE, with RETURNING.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "junction/errors.hpp"

namespace junction::sql {
namespace {

using testing::expectSameSql;
using testing::expectSql;
using testing::lite;
using testing::pg;

TEST(InsertTest, OneRow) {
  Insert s{.table = "users", .columns = {"name", "age"}, .rows = {{"Ada", 36}}};
  expectSql(s, R"(INSERT INTO "users" ("name","age") VALUES (?,?))",
            R"(INSERT INTO "users" ("name","age") VALUES ($1,$2))", {"Ada", 36});
}

TEST(InsertTest, SeveralRowsNumberParametersRowByRow) {
  Insert s{.table = "users", .columns = {"a", "b"}, .rows = {{1, 2}, {3, 4}, {5, 6}}};
  expectSql(s, R"(INSERT INTO "users" ("a","b") VALUES (?,?),(?,?),(?,?))",
            R"(INSERT INTO "users" ("a","b") VALUES ($1,$2),($3,$4),($5,$6))", {1, 2, 3, 4, 5, 6});
}

TEST(InsertTest, NullsAndExpressionsInRows) {
  Insert s{.table = "t",
           .columns = {"a", "b", "c"},
           .rows = {{nullptr, literal("CURRENT_TIMESTAMP"), fn("lower", val("X"))}}};
  expectSql(s, R"(INSERT INTO "t" ("a","b","c") VALUES (?,CURRENT_TIMESTAMP,lower(?)))",
            R"(INSERT INTO "t" ("a","b","c") VALUES ($1,CURRENT_TIMESTAMP,lower($2)))",
            {Value(), "X"});
}

TEST(InsertTest, ValuesAreOnlyParameters) {
  const std::string evil = "'); DROP TABLE users; --";
  Insert s{.table = "users", .columns = {"name"}, .rows = {{evil}}};
  auto c = lite(s);
  EXPECT_EQ(c.sql, R"(INSERT INTO "users" ("name") VALUES (?))");
  EXPECT_EQ(c.params, std::vector<Value>{evil});
}

TEST(InsertTest, DefaultValues) {
  expectSameSql(Insert{.table = "t"}, R"(INSERT INTO "t" DEFAULT VALUES)");
  expectSameSql(Insert{.table = "t", .rows = {{}}}, R"(INSERT INTO "t" DEFAULT VALUES)");
  expectSameSql(Insert{.table = "t", .returning = {{col("id")}}},
                R"(INSERT INTO "t" DEFAULT VALUES RETURNING "id")");
}

TEST(InsertTest, ShapeErrors) {
  // Several rows need columns.
  EXPECT_THROW(lite(Insert{.table = "t", .rows = {{}, {}}}), UsageError);
  // A row with values but no columns.
  EXPECT_THROW(pg(Insert{.table = "t", .rows = {{1}}}), UsageError);
  // Row width differs from the column count.
  EXPECT_THROW(lite(Insert{.table = "t", .columns = {"a", "b"}, .rows = {{1, 2}, {3}}}),
               UsageError);
  EXPECT_THROW(pg(Insert{.table = "t", .columns = {"a"}, .rows = {{1, 2}}}), UsageError);
  // Columns but no rows.
  EXPECT_THROW(lite(Insert{.table = "t", .columns = {"a"}}), UsageError);
  // Empty table or column names.
  EXPECT_THROW(pg(Insert{.table = ""}), UsageError);
  EXPECT_THROW(lite(Insert{.table = "t", .columns = {""}, .rows = {{1}}}), UsageError);
  // An empty expression in a row.
  EXPECT_THROW(lite(Insert{.table = "t", .columns = {"a"}, .rows = {{Expr()}}}), UsageError);
}

TEST(InsertTest, OnConflictDoUpdate) {
  Insert s{.table = "readings",
           .columns = {"userId", "blogId", "read"},
           .rows = {{1, 2, false}},
           .onConflict = OnConflict{.target = {"userId", "blogId"}, .updateColumns = {"read"}}};
  expectSql(s,
            R"(INSERT INTO "readings" ("userId","blogId","read") VALUES (?,?,?))"
            R"( ON CONFLICT ("userId", "blogId") DO UPDATE SET "read" = excluded."read")",
            R"(INSERT INTO "readings" ("userId","blogId","read") VALUES ($1,$2,$3))"
            R"( ON CONFLICT ("userId", "blogId") DO UPDATE SET "read" = excluded."read")",
            {1, 2, false});
  s.onConflict->updateColumns = {"read", R"(we"ird)"};
  EXPECT_EQ(pg(s).sql,
            R"(INSERT INTO "readings" ("userId","blogId","read") VALUES ($1,$2,$3))"
            R"( ON CONFLICT ("userId", "blogId") DO UPDATE SET "read" = excluded."read",)"
            R"( "we""ird" = excluded."we""ird")");
}

TEST(InsertTest, OnConflictDoNothing) {
  Insert s{.table = "t",
           .columns = {"a"},
           .rows = {{1}},
           .onConflict = OnConflict{.target = {"a"}, .doNothing = true}};
  expectSql(s, R"(INSERT INTO "t" ("a") VALUES (?) ON CONFLICT ("a") DO NOTHING)",
            R"(INSERT INTO "t" ("a") VALUES ($1) ON CONFLICT ("a") DO NOTHING)", {1});
  s.onConflict->target.clear();
  expectSql(s, R"(INSERT INTO "t" ("a") VALUES (?) ON CONFLICT DO NOTHING)",
            R"(INSERT INTO "t" ("a") VALUES ($1) ON CONFLICT DO NOTHING)", {1});
}

TEST(InsertTest, OnConflictErrors) {
  Insert s{.table = "t", .columns = {"a"}, .rows = {{1}}};
  s.onConflict = OnConflict{.target = {"a"}};  // neither update nor nothing
  EXPECT_THROW(lite(s), UsageError);
  s.onConflict = OnConflict{.target = {"a"}, .updateColumns = {"a"}, .doNothing = true};
  EXPECT_THROW(pg(s), UsageError);
  s.onConflict = OnConflict{.updateColumns = {"a"}};  // DO UPDATE needs a target
  EXPECT_THROW(lite(s), UsageError);
  s.onConflict = OnConflict{.target = {""}, .doNothing = true};
  EXPECT_THROW(pg(s), UsageError);
}

TEST(InsertTest, Returning) {
  Insert s{.table = "users",
           .columns = {"name"},
           .rows = {{"a"}},
           .returning = {{col("id")}, {col("createdAt"), "created"}}};
  expectSql(s,
            R"(INSERT INTO "users" ("name") VALUES (?) RETURNING "id", "createdAt" AS "created")",
            R"(INSERT INTO "users" ("name") VALUES ($1) RETURNING "id", "createdAt" AS "created")",
            {"a"});
  s.returning = {{col("*")}};
  expectSql(s, R"(INSERT INTO "users" ("name") VALUES (?) RETURNING *)",
            R"(INSERT INTO "users" ("name") VALUES ($1) RETURNING *)", {"a"});
}

TEST(InsertTest, UpsertThenReturning) {
  Insert s{.table = "t",
           .columns = {"k", "v"},
           .rows = {{"key", 1}},
           .onConflict = OnConflict{.target = {"k"}, .updateColumns = {"v"}},
           .returning = {{col("id")}}};
  expectSql(s,
            R"(INSERT INTO "t" ("k","v") VALUES (?,?) ON CONFLICT ("k"))"
            R"( DO UPDATE SET "v" = excluded."v" RETURNING "id")",
            R"(INSERT INTO "t" ("k","v") VALUES ($1,$2) ON CONFLICT ("k"))"
            R"( DO UPDATE SET "v" = excluded."v" RETURNING "id")",
            {"key", 1});
}

TEST(UpdateTest, SetWhereReturning) {
  Update s{.table = "blogs",
           .set = {{"likes", col("likes") + 1}, {"title", "New"}},
           .where = col("id") == 7 && col("deletedAt").isNull(),
           .returning = {{col("likes")}}};
  expectSql(s,
            R"(UPDATE "blogs" SET "likes" = "likes" + ?, "title" = ?)"
            R"( WHERE "id" = ? AND "deletedAt" IS NULL RETURNING "likes")",
            R"(UPDATE "blogs" SET "likes" = "likes" + $1, "title" = $2)"
            R"( WHERE "id" = $3 AND "deletedAt" IS NULL RETURNING "likes")",
            {1, "New", 7});
}

TEST(UpdateTest, SettingNullBindsANullParameter) {
  Update s{.table = "t", .set = {{"a", Expr(Value())}}};
  expectSql(s, R"(UPDATE "t" SET "a" = ?)", R"(UPDATE "t" SET "a" = $1)", {Value()});
}

TEST(UpdateTest, WhereWithOrIsParenthesisedOnlyWhereNeeded) {
  Update s{
      .table = "t", .set = {{"a", 1}}, .where = (col("b") == 2 || col("c") == 3) && col("d") == 4};
  expectSql(s, R"(UPDATE "t" SET "a" = ? WHERE ("b" = ? OR "c" = ?) AND "d" = ?)",
            R"(UPDATE "t" SET "a" = $1 WHERE ("b" = $2 OR "c" = $3) AND "d" = $4)", {1, 2, 3, 4});
}

TEST(UpdateTest, ErrorsAreUsageErrors) {
  EXPECT_THROW(lite(Update{.table = "t"}), UsageError);  // nothing to set
  EXPECT_THROW(pg(Update{.table = "t", .set = {{"", 1}}}), UsageError);
  EXPECT_THROW(pg(Update{.table = "t", .set = {{"a", Expr()}}}), UsageError);
}

TEST(DeleteTest, WithAndWithoutWhere) {
  expectSameSql(Delete{.table = "sessions"}, R"(DELETE FROM "sessions")");
  Delete s{
      .table = "sessions", .where = col("expiresAt") < "2024-01-01", .returning = {{col("id")}}};
  expectSql(s, R"(DELETE FROM "sessions" WHERE "expiresAt" < ? RETURNING "id")",
            R"(DELETE FROM "sessions" WHERE "expiresAt" < $1 RETURNING "id")", {"2024-01-01"});
}

TEST(DeleteTest, SubqueryInWhere) {
  auto sub = std::make_shared<const Select>(Select{
      .columns = {{col("id")}}, .from = {.name = "users"}, .where = col("disabled") == true});
  Delete s{.table = "sessions", .where = col("userId").in(sub) || col("userId") == 0};
  expectSql(s,
            R"(DELETE FROM "sessions" WHERE "userId" IN (SELECT "id" FROM "users")"
            R"( WHERE "disabled" = ?) OR "userId" = ?)",
            R"(DELETE FROM "sessions" WHERE "userId" IN (SELECT "id" FROM "users")"
            R"( WHERE "disabled" = $1) OR "userId" = $2)",
            {true, 0});
}

TEST(DeleteTest, NastyTableName) {
  expectSameSql(Delete{.table = R"(we"ird)"}, R"(DELETE FROM "we""ird")");
  EXPECT_THROW(lite(Delete{.table = ""}), UsageError);
}

}  // namespace
}  // namespace junction::sql
