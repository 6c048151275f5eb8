// Golden SQL for SELECT: every clause, joins, subqueries, limit/offset and
// locking per dialect.
#include <gtest/gtest.h>

#include "golden.hpp"
#include "junction/errors.hpp"

namespace junction::sql {
namespace {

using testing::expectSameSql;
using testing::expectSql;
using testing::lite;
using testing::pg;
using testing::selectPtr;

TEST(SelectTest, EmptyColumnListSelectsStar) {
  expectSameSql(Select{.from = {.name = "users"}}, R"(SELECT * FROM "users")");
}

TEST(SelectTest, ColumnsAliasesAndDistinct) {
  Select s{.distinct = true,
           .columns = {{col("users.id")}, {col("name"), "userName"}, {fn("COUNT", col("*")), "n"}},
           .from = {.name = "users"}};
  expectSameSql(s, R"(SELECT DISTINCT "users"."id", "name" AS "userName", COUNT(*) AS "n")"
                   R"( FROM "users")");
}

TEST(SelectTest, TableAliasAndQualifiedStar) {
  Select s{.columns = {{col("u", "*")}}, .from = {.name = "users", .alias = "u"}};
  expectSameSql(s, R"(SELECT "u".* FROM "users" AS "u")");
}

TEST(SelectTest, ComputedItemsAreNotParenthesised) {
  Select s{.columns = {{col("likes") + 1, "next"}, {col("a") == 1, "isOne"}},
           .from = {.name = "t"}};
  expectSql(s, R"(SELECT "likes" + ? AS "next", "a" = ? AS "isOne" FROM "t")",
            R"(SELECT "likes" + $1 AS "next", "a" = $2 AS "isOne" FROM "t")", {1, 1});
}

TEST(SelectTest, WithoutFromTable) {
  Select s{.columns = {{val(1), "one"}}};
  expectSql(s, R"(SELECT ? AS "one")", R"(SELECT $1 AS "one")", {1});
}

TEST(SelectTest, EveryClauseInOrder) {
  Select s{.columns = {{col("author")}, {fn("SUM", col("likes")), "likes"}},
           .from = {.name = "blogs"},
           .where = col("year") >= 2020 && col("author") != Expr(Value()),
           .groupBy = {col("author"), col("year")},
           .having = fn("SUM", col("likes")) > 10,
           .orderBy = {{fn("SUM", col("likes")), true}, {col("author")}},
           .limit = 10,
           .offset = 20};
  expectSql(s,
            R"(SELECT "author", SUM("likes") AS "likes" FROM "blogs")"
            R"( WHERE "year" >= ? AND "author" IS NOT NULL GROUP BY "author", "year")"
            R"( HAVING SUM("likes") > ? ORDER BY SUM("likes") DESC, "author" ASC LIMIT ? OFFSET ?)",
            R"(SELECT "author", SUM("likes") AS "likes" FROM "blogs")"
            R"( WHERE "year" >= $1 AND "author" IS NOT NULL GROUP BY "author", "year")"
            R"( HAVING SUM("likes") > $2 ORDER BY SUM("likes") DESC, "author" ASC)"
            R"( LIMIT $3 OFFSET $4)",
            {2020, 10, Value(std::int64_t{10}), Value(std::int64_t{20})});
}

TEST(SelectTest, OrderByNullsFirstAndLast) {
  Select s{.from = {.name = "t"},
           .orderBy = {{col("a"), false, true}, {col("b"), true, false}, {col("c"), true}}};
  expectSameSql(s, R"(SELECT * FROM "t" ORDER BY "a" ASC NULLS FIRST, "b" DESC NULLS LAST,)"
                   R"( "c" DESC)");
}

TEST(SelectTest, LimitOnly) {
  expectSql(Select{.from = {.name = "t"}, .limit = 0}, R"(SELECT * FROM "t" LIMIT ?)",
            R"(SELECT * FROM "t" LIMIT $1)", {0});
}

TEST(SelectTest, OffsetWithoutLimit) {
  expectSql(Select{.from = {.name = "t"}, .offset = 5}, R"(SELECT * FROM "t" LIMIT -1 OFFSET ?)",
            R"(SELECT * FROM "t" OFFSET $1)", {5});
}

TEST(SelectTest, NegativeLimitOrOffsetIsUsageError) {
  EXPECT_THROW(lite(Select{.from = {.name = "t"}, .limit = -1}), UsageError);
  EXPECT_THROW(pg(Select{.from = {.name = "t"}, .limit = -1}), UsageError);
  EXPECT_THROW(lite(Select{.from = {.name = "t"}, .offset = -1}), UsageError);
  EXPECT_THROW(pg(Select{.from = {.name = "t"}, .limit = 1, .offset = -1}), UsageError);
}

TEST(SelectTest, LockClausesOnPostgresOnly) {
  Select s{.from = {.name = "t"}, .where = col("id") == 1, .limit = 1, .lock = LockMode::Update};
  expectSql(s, R"(SELECT * FROM "t" WHERE "id" = ? LIMIT ?)",
            R"(SELECT * FROM "t" WHERE "id" = $1 LIMIT $2 FOR UPDATE)", {1, 1});
  s.lock = LockMode::Share;
  expectSql(s, R"(SELECT * FROM "t" WHERE "id" = ? LIMIT ?)",
            R"(SELECT * FROM "t" WHERE "id" = $1 LIMIT $2 FOR SHARE)", {1, 1});
}

TEST(SelectTest, LeftAndInnerJoins) {
  Select s{.columns = {{col("users.name")}, {col("team.name"), "teamName"}},
           .from = {.name = "users"},
           .joins = {{JoinKind::Left,
                      {.name = "teams", .alias = "team"},
                      col("team.id") == col("users.teamId")},
                     {JoinKind::Inner,
                      {.name = "memberships"},
                      col("memberships.userId") == col("users.id") &&
                          col("memberships.active") == true}}};
  expectSql(s,
            R"(SELECT "users"."name", "team"."name" AS "teamName" FROM "users")"
            R"( LEFT OUTER JOIN "teams" AS "team" ON "team"."id" = "users"."teamId")"
            R"( INNER JOIN "memberships" ON "memberships"."userId" = "users"."id")"
            R"( AND "memberships"."active" = ?)",
            R"(SELECT "users"."name", "team"."name" AS "teamName" FROM "users")"
            R"( LEFT OUTER JOIN "teams" AS "team" ON "team"."id" = "users"."teamId")"
            R"( INNER JOIN "memberships" ON "memberships"."userId" = "users"."id")"
            R"( AND "memberships"."active" = $1)",
            {true});
}

TEST(SelectTest, DefaultJoinKindIsLeft) {
  Join j{.table = {.name = "b"}, .on = col("b.id") == col("a.bId")};
  expectSameSql(Select{.from = {.name = "a"}, .joins = {j}},
                R"(SELECT * FROM "a" LEFT OUTER JOIN "b" ON "b"."id" = "a"."bId")");
}

TEST(SelectTest, JoinWithoutConditionIsUsageError) {
  Select s{.from = {.name = "a"}, .joins = {{JoinKind::Inner, {.name = "b"}, Expr()}}};
  EXPECT_THROW(lite(s), UsageError);
}

TEST(SelectTest, JoinsWithoutFromIsUsageError) {
  Select s{.joins = {{JoinKind::Inner, {.name = "b"}, col("x") == 1}}};
  EXPECT_THROW(pg(s), UsageError);
}

TEST(SelectTest, FromSubqueryWithAlias) {
  Select inner{
      .columns = {{col("id")}}, .from = {.name = "users"}, .where = col("x") == 1, .limit = 10};
  Select outer{.columns = {{col("u.id")}},
               .from = {.alias = "u", .subquery = selectPtr(inner)},
               .where = col("u.id") > 5};
  expectSql(outer,
            R"(SELECT "u"."id" FROM (SELECT "id" FROM "users" WHERE "x" = ? LIMIT ?) AS "u")"
            R"( WHERE "u"."id" > ?)",
            R"(SELECT "u"."id" FROM (SELECT "id" FROM "users" WHERE "x" = $1 LIMIT $2) AS "u")"
            R"( WHERE "u"."id" > $3)",
            {1, 10, 5});
}

TEST(SelectTest, JoinSubquery) {
  Select counts{.columns = {{col("userId")}, {fn("COUNT", col("*")), "n"}},
                .from = {.name = "posts"},
                .groupBy = {col("userId")}};
  Select s{.from = {.name = "users"},
           .joins = {{JoinKind::Left,
                      {.alias = "c", .subquery = selectPtr(counts)},
                      col("c.userId") == col("users.id")}}};
  expectSameSql(s, R"(SELECT * FROM "users" LEFT OUTER JOIN (SELECT "userId", COUNT(*) AS "n")"
                   R"( FROM "posts" GROUP BY "userId") AS "c" ON "c"."userId" = "users"."id")");
}

TEST(SelectTest, SubqueryTableRefErrors) {
  auto sub = selectPtr(Select{.from = {.name = "t"}});
  EXPECT_THROW(lite(Select{.from = {.subquery = sub}}), UsageError);  // no alias
  EXPECT_THROW(pg(Select{.from = {.name = "t", .alias = "a", .subquery = sub}}), UsageError);
}

TEST(SelectTest, ParameterNumberingFollowsTextOrder) {
  Select inner{.columns = {{col("id")}}, .from = {.name = "a"}, .where = col("k") == "in1"};
  Select exist{.columns = {{literal("1")}}, .from = {.name = "c"}, .where = col("m") == "ex"};
  Select s{.columns = {{val("col1"), "v"}},
           .from = {.alias = "x", .subquery = selectPtr(inner)},
           .joins = {{JoinKind::Inner,
                      {.name = "b"},
                      col("b.id") == col("x.id") && col("b.kind") == "join"}},
           .where = exists(selectPtr(exist)) && col("x.n") == "where",
           .groupBy = {col("x.g")},
           .having = fn("COUNT", col("*")) > 2,
           .limit = 3,
           .offset = 4};
  auto c = pg(s);
  EXPECT_EQ(c.sql, R"(SELECT $1 AS "v" FROM (SELECT "id" FROM "a" WHERE "k" = $2) AS "x")"
                   R"( INNER JOIN "b" ON "b"."id" = "x"."id" AND "b"."kind" = $3)"
                   R"( WHERE EXISTS (SELECT 1 FROM "c" WHERE "m" = $4) AND "x"."n" = $5)"
                   R"( GROUP BY "x"."g" HAVING COUNT(*) > $6 LIMIT $7 OFFSET $8)");
  std::vector<Value> expected{"col1", "in1", "join", "ex", "where", 2, 3, 4};
  EXPECT_EQ(c.params, expected);
  EXPECT_EQ(lite(s).params, expected);
}

TEST(SelectTest, AlwaysTrueWhereIsKept) {
  expectSameSql(Select{.from = {.name = "t"}, .where = and_({})},
                R"(SELECT * FROM "t" WHERE 1 = 1)");
  expectSameSql(Select{.from = {.name = "t"}, .where = col("id").in(std::vector<Value>{})},
                R"(SELECT * FROM "t" WHERE 1 = 0)");
}

TEST(SelectTest, NastyTableAndAliasNamesAreQuoted) {
  Select s{.columns = {{col(R"(we"ird)", "c"), R"(a"s)"}},
           .from = {.name = "users; DROP TABLE x", .alias = R"(we"ird)"}};
  expectSameSql(s, R"(SELECT "we""ird"."c" AS "a""s" FROM "users; DROP TABLE x" AS "we""ird")");
}

TEST(SelectTest, EmptyIdentifiersAreUsageErrors) {
  // An empty alias means "no alias"; an alias without a table is an error.
  expectSameSql(Select{.columns = {{col("a"), ""}}, .from = {.name = "t"}},
                R"(SELECT "a" FROM "t")");
  EXPECT_THROW(lite(Select{.from = {.alias = "x"}}), UsageError);
  EXPECT_THROW(pg(Select{.from = {.name = "t", .alias = std::string("a\0", 2)}}), UsageError);
  EXPECT_THROW(pg(Select{.columns = {{Expr()}}, .from = {.name = "t"}}), UsageError);
}

TEST(SelectTest, TooManyParametersIsUsageError) {
  std::vector<Value> ids(32767, Value(1));
  Select s{.from = {.name = "t"}, .where = col("id").in(ids)};
  EXPECT_THROW(lite(s), UsageError);
  EXPECT_EQ(pg(s).params.size(), 32767u);
  ids.resize(32766);
  EXPECT_EQ(lite(Select{.from = {.name = "t"}, .where = col("id").in(ids)}).params.size(), 32766u);
  std::vector<Value> many(65536, Value(1));
  EXPECT_THROW(pg(Select{.from = {.name = "t"}, .where = col("id").in(many)}), UsageError);
}

TEST(CompilerBlocks, HooksSeeOperandsParenthesisedAndIdentifiersQuoted) {
  Compiler c(postgresDialect());
  c.expr(col("a") + 1);
  c.raw(" ~ ");
  c.expr(col("b"));
  c.raw(" ");
  c.qualified("t", "*");
  c.raw(" ");
  c.qualified("", R"(x"y)");
  c.raw(" ");
  c.identifier("z");
  c.raw(" ");
  c.param(Value("v"));
  auto out = c.compile(literal(""));
  EXPECT_EQ(out.sql, R"(("a" + $1) ~ "b" "t".* "x""y" "z" $2)");
  EXPECT_EQ(out.params, (std::vector<Value>{1, "v"}));
}

}  // namespace
}  // namespace junction::sql
