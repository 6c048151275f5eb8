// Golden SQL for every expression node and operator, on both dialects.
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

Expr node(Node n) {
  return Expr(std::make_shared<const Node>(std::move(n)));
}

// ---- columns and identifiers ----

TEST(ExprColumns, PlainAndQualifiedNamesAreQuoted) {
  expectSameSql(col("name"), R"("name")");
  expectSameSql(col("user.id"), R"("user"."id")");
  expectSameSql(col("users", "id"), R"("users"."id")");
}

TEST(ExprColumns, TheLastDotSeparatesTheQualifier) {
  expectSameSql(col("a.b.c"), R"("a.b"."c")");
}

TEST(ExprColumns, StarIsNotQuoted) {
  expectSameSql(col("*"), "*");
  expectSameSql(col("users.*"), R"("users".*)");
  expectSameSql(col("users", "*"), R"("users".*)");
}

// `*` means every column only as a selected item or a function's argument;
// anywhere else the SQL would not parse, so it stops here (found by the
// options fuzz target: ORDER BY "blog".* reached the database).
TEST(ExprColumns, StarOnlyWhereItMeansEveryColumn) {
  using namespace junction::sql;
  EXPECT_NO_THROW(lite(Select{.columns = {{col("*")}}, .from = {.name = "t"}}));
  EXPECT_NO_THROW(lite(Select{.columns = {{fn("COUNT", col("t.*"))}}, .from = {.name = "t"}}));
  EXPECT_THROW(lite(Select{.from = {.name = "t"}, .orderBy = {{col("t.*")}}}), UsageError);
  EXPECT_THROW(lite(Select{.from = {.name = "t"}, .groupBy = {col("*")}}), UsageError);
  EXPECT_THROW(lite(Select{.from = {.name = "t"}, .where = col("*") == 1}), UsageError);
  EXPECT_THROW(lite(Select{.columns = {{col("*") + 1}}, .from = {.name = "t"}}), UsageError);
}

TEST(ExprColumns, EmbeddedQuotesAreDoubled) {
  expectSameSql(col(R"(we"ird)"), R"("we""ird")");
  expectSameSql(col(R"(t"x)", R"(c"")"), R"("t""x"."c""""")");
  // Spaces, semicolons and comment markers stay inside the quotes.
  expectSameSql(col("a b; --"), R"("a b; --")");
}

TEST(ExprColumns, EmptyNamesAreUsageErrors) {
  EXPECT_THROW(col(""), UsageError);
  EXPECT_THROW(col("users."), UsageError);
  EXPECT_THROW(col(".id"), UsageError);
  EXPECT_THROW(col("users", ""), UsageError);
}

TEST(ExprColumns, NulByteInIdentifierIsUsageError) {
  auto e = col(std::string("a\0b", 3));
  EXPECT_THROW(lite(e), UsageError);
  EXPECT_THROW(pg(e), UsageError);
}

// ---- parameters and literals ----

TEST(ExprParams, EveryValueTypeIsBoundUnchanged) {
  Blob blob{0x00, 0xff};
  auto ts = Timestamp::parse("2024-01-02T03:04:05.678Z");
  auto day = Date::parse("2024-02-29");
  Expr e = fn("f", Value(), true, 42, 1.5, "text", blob, ts, day, JsonText{R"({"a":1})"});
  expectSql(e, "f(?, ?, ?, ?, ?, ?, ?, ?, ?)", "f($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {Value(), true, 42, 1.5, "text", blob, ts, day, JsonText{R"({"a":1})"}});
}

TEST(ExprParams, StringValuesNeverReachTheSqlText) {
  const std::string evil = "'; DROP TABLE users; --";
  auto e = col("name") == evil;
  expectSql(e, R"("name" = ?)", R"("name" = $1)", {evil});
  EXPECT_EQ(lite(e).sql.find("DROP"), std::string::npos);
  EXPECT_EQ(pg(col("name").in({Value(evil), Value("x")})).sql, R"("name" IN ($1, $2))");
}

TEST(ExprParams, PostgresPlaceholdersCountPastNine) {
  std::vector<Value> values;
  for (int i = 0; i < 11; ++i) values.emplace_back(i);
  auto c = pg(col("id").in(values));
  EXPECT_EQ(c.sql, R"("id" IN ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11))");
  EXPECT_EQ(c.params, values);
}

TEST(ExprParams, ValBuildsAParam) {
  expectSql(val(7), "?", "$1", {7});
}

TEST(ExprLiteral, IsEmittedVerbatim) {
  expectSql(col("createdAt") < literal("CURRENT_TIMESTAMP"), R"("createdAt" < CURRENT_TIMESTAMP)",
            R"("createdAt" < CURRENT_TIMESTAMP)");
  expectSameSql(literal("1 + 1"), "1 + 1");
}

// ---- comparisons ----

TEST(ExprCompare, AllSixOperators) {
  expectSql(col("a") == 1, R"("a" = ?)", R"("a" = $1)", {1});
  expectSql(col("a") != 1, R"("a" <> ?)", R"("a" <> $1)", {1});
  expectSql(col("a") < 1, R"("a" < ?)", R"("a" < $1)", {1});
  expectSql(col("a") <= 1, R"("a" <= ?)", R"("a" <= $1)", {1});
  expectSql(col("a") > 1, R"("a" > ?)", R"("a" > $1)", {1});
  expectSql(col("a") >= 1, R"("a" >= ?)", R"("a" >= $1)", {1});
}

TEST(ExprCompare, ColumnToColumn) {
  expectSameSql(col("posts.userId") == col("users.id"), R"("posts"."userId" = "users"."id")");
}

TEST(ExprCompare, EqualsNullBecomesIsNull) {
  expectSameSql(col("a") == Expr(Value()), R"("a" IS NULL)");
  expectSameSql(col("a") == Expr(Value(nullptr)), R"("a" IS NULL)");
  expectSameSql(col("a") != Expr(Value()), R"("a" IS NOT NULL)");
  // Null on the left works the same way.
  expectSameSql(val(Value()) == col("a"), R"("a" IS NULL)");
  // nullptr is a null parameter, as Sequelize's `{ deletedAt: null }`.
  expectSameSql(col("deletedAt") == nullptr, R"("deletedAt" IS NULL)");
  expectSameSql(col("deletedAt") != nullptr, R"("deletedAt" IS NOT NULL)");
  // An optional without a value is null too.
  expectSameSql(col("a") == Expr(Value(std::optional<int>{})), R"("a" IS NULL)");
}

TEST(ExprCompare, OtherOperatorsWithNullStayParams) {
  expectSql(col("a") < Expr(Value()), R"("a" < ?)", R"("a" < $1)", {Value()});
}

TEST(ExprCompare, IsNullAndIsNotNull) {
  expectSameSql(col("a").isNull(), R"("a" IS NULL)");
  expectSameSql(col("a").isNotNull(), R"("a" IS NOT NULL)");
  expectSql((col("a") + 1).isNull(), R"(("a" + ?) IS NULL)", R"(("a" + $1) IS NULL)", {1});
}

TEST(ExprCompare, IsTrueFalseNullAreKeywordsNotParams) {
  expectSameSql(col("a").is(true), R"("a" IS TRUE)");
  expectSameSql(col("a").is(false), R"("a" IS FALSE)");
  expectSameSql(col("a").is(nullptr), R"("a" IS NULL)");
  expectSameSql(col("a").isNot(true), R"("a" IS NOT TRUE)");
  expectSameSql(col("a").isNot(Value()), R"("a" IS NOT NULL)");
}

TEST(ExprCompare, IsRejectsOtherValues) {
  EXPECT_THROW(col("a").is(5), UsageError);
  EXPECT_THROW(col("a").isNot("TRUE"), UsageError);
  // Built by hand, the compiler checks the same rule.
  auto bad = node(Node{Binary{BinaryOp::Is, col("a"), Expr(Value(5))}});
  EXPECT_THROW(lite(bad), UsageError);
  auto raw = node(Node{Binary{BinaryOp::Is, col("a"), literal("1 OR 1")}});
  EXPECT_THROW(pg(raw), UsageError);
  auto ok = node(Node{Binary{BinaryOp::IsNot, col("a"), literal("false")}});
  expectSameSql(ok, R"("a" IS NOT FALSE)");
}

TEST(ExprCompare, BetweenAndNotBetween) {
  expectSql(col("a").between(1, 5), R"("a" BETWEEN ? AND ?)", R"("a" BETWEEN $1 AND $2)", {1, 5});
  expectSql(col("a").notBetween(1, 5), R"("a" NOT BETWEEN ? AND ?)", R"("a" NOT BETWEEN $1 AND $2)",
            {1, 5});
  expectSql(col("a").between(col("b") + 1, col("c")), R"("a" BETWEEN ("b" + ?) AND "c")",
            R"("a" BETWEEN ("b" + $1) AND "c")", {1});
}

// ---- IN ----

TEST(ExprIn, ValueListsAndExprLists) {
  expectSql(col("id").in(std::vector<Value>{1, 2, 3}), R"("id" IN (?, ?, ?))",
            R"("id" IN ($1, $2, $3))", {1, 2, 3});
  expectSql(col("id").notIn({Expr(1), col("other")}), R"("id" NOT IN (?, "other"))",
            R"("id" NOT IN ($1, "other"))", {1});
  expectSql(col("id").notIn(std::vector<Value>{"x"}), R"("id" NOT IN (?))", R"("id" NOT IN ($1))",
            {"x"});
}

TEST(ExprIn, EmptyListsAreConstantTruthValues) {
  expectSameSql(col("id").in(std::vector<Value>{}), "1 = 0");
  expectSameSql(col("id").notIn(std::vector<Value>{}), "1 = 1");
  expectSameSql(col("id").in(std::vector<Expr>{}), "1 = 0");
  // Inside AND it stays a readable term.
  expectSql(col("a") == 1 && col("id").in(std::vector<Value>{}), R"("a" = ? AND 1 = 0)",
            R"("a" = $1 AND 1 = 0)", {1});
}

TEST(ExprIn, CompoundLeftSideIsParenthesised) {
  expectSql((col("a") + 1).in({Expr(2)}), R"(("a" + ?) IN (?))", R"(("a" + $1) IN ($2))", {1, 2});
}

TEST(ExprIn, Subquery) {
  Select sub{.columns = {{col("userId")}}, .from = {.name = "posts"}, .where = col("likes") > 10};
  expectSql(col("id").in(selectPtr(sub)),
            R"("id" IN (SELECT "userId" FROM "posts" WHERE "likes" > ?))",
            R"("id" IN (SELECT "userId" FROM "posts" WHERE "likes" > $1))", {10});
  auto negated = node(Node{InSubquery{col("id"), selectPtr(sub), true}});
  expectSql(negated, R"("id" NOT IN (SELECT "userId" FROM "posts" WHERE "likes" > ?))",
            R"("id" NOT IN (SELECT "userId" FROM "posts" WHERE "likes" > $1))", {10});
  EXPECT_THROW(col("id").in(std::shared_ptr<const Select>()), UsageError);
}

// ---- LIKE family ----

TEST(ExprLike, LikeAndNotLikeAreTheSameOnBothEngines) {
  expectSql(col("t").like("%a%"), R"("t" LIKE ?)", R"("t" LIKE $1)", {"%a%"});
  expectSql(col("t").notLike("%a%"), R"("t" NOT LIKE ?)", R"("t" NOT LIKE $1)", {"%a%"});
}

TEST(ExprLike, ILikeIsNativeOnPostgresAndLoweredOnSqlite) {
  expectSql(col("t").iLike("%React%"), R"(LOWER("t") LIKE LOWER(?))", R"("t" ILIKE $1)",
            {"%React%"});
  expectSql(col("t").notILike("%React%"), R"(LOWER("t") NOT LIKE LOWER(?))", R"("t" NOT ILIKE $1)",
            {"%React%"});
}

TEST(ExprLike, StartsEndsSubstringEscapeWildcards) {
  expectSql(col("t").startsWith("50%_off\\"), R"("t" LIKE ? ESCAPE '\')",
            R"("t" LIKE $1 ESCAPE '\')", {R"(50\%\_off\\%)"});
  expectSql(col("t").endsWith("_x"), R"("t" LIKE ? ESCAPE '\')", R"("t" LIKE $1 ESCAPE '\')",
            {R"(%\_x)"});
  expectSql(col("t").substring("a%b"), R"("t" LIKE ? ESCAPE '\')", R"("t" LIKE $1 ESCAPE '\')",
            {R"(%a\%b%)"});
  expectSql(col("t").iSubstring("a_B"), R"(LOWER("t") LIKE LOWER(?) ESCAPE '\')",
            R"("t" ILIKE $1 ESCAPE '\')", {R"(%a\_B%)"});
  // The text is a parameter, never part of the SQL.
  auto c = lite(col("t").startsWith("'; DROP TABLE t; --"));
  EXPECT_EQ(c.sql.find("DROP"), std::string::npos);
}

TEST(ExprLike, EscapeOnILikeIsRenderedByBothHooks) {
  auto e = node(Node{Binary{BinaryOp::ILike, col("t"), Expr("a!%%"), "!"}});
  expectSql(e, R"(LOWER("t") LIKE LOWER(?) ESCAPE '!')", R"("t" ILIKE $1 ESCAPE '!')", {"a!%%"});
  auto quote = node(Node{Binary{BinaryOp::Like, col("t"), Expr("x"), "'"}});
  expectSql(quote, R"("t" LIKE ? ESCAPE '''')", R"("t" LIKE $1 ESCAPE '''')", {"x"});
}

TEST(ExprLike, BadEscapesAreUsageErrors) {
  auto twoChars = node(Node{Binary{BinaryOp::Like, col("t"), Expr("x"), "ab"}});
  EXPECT_THROW(lite(twoChars), UsageError);
  auto onEquals = node(Node{Binary{BinaryOp::Eq, col("t"), Expr("x"), "\\"}});
  EXPECT_THROW(pg(onEquals), UsageError);
}

// ---- arithmetic ----

TEST(ExprArithmetic, AllOperators) {
  expectSql(col("a") + 1, R"("a" + ?)", R"("a" + $1)", {1});
  expectSql(col("a") - 1, R"("a" - ?)", R"("a" - $1)", {1});
  expectSql(col("a") * 2, R"("a" * ?)", R"("a" * $1)", {2});
  expectSql(col("a") / 2, R"("a" / ?)", R"("a" / $1)", {2});
  expectSql(node(Node{Binary{BinaryOp::Mod, col("a"), Expr(3)}}), R"("a" % ?)", R"("a" % $1)", {3});
  expectSameSql(node(Node{Binary{BinaryOp::Concat, col("a"), col("b")}}), R"("a" || "b")");
}

TEST(ExprArithmetic, NestedOperandsAreParenthesised) {
  expectSql((col("a") + 1) * 2, R"(("a" + ?) * ?)", R"(("a" + $1) * $2)", {1, 2});
  expectSql(col("a") - (col("b") - 1), R"("a" - ("b" - ?))", R"("a" - ("b" - $1))", {1});
  expectSql(col("a") + 1 > col("b") * 2, R"(("a" + ?) > ("b" * ?))", R"(("a" + $1) > ("b" * $2))",
            {1, 2});
}

TEST(ExprArithmetic, Negation) {
  expectSameSql(node(Node{Unary{UnaryOp::Neg, col("a")}}), R"(-"a")");
  expectSql(node(Node{Unary{UnaryOp::Neg, col("a") + 1}}), R"(-("a" + ?))", R"(-("a" + $1))", {1});
  // A literal starting with '-' must not turn "-" into a "--" comment.
  expectSameSql(node(Node{Unary{UnaryOp::Neg, literal("-1")}}), "-(-1)");
}

// ---- logical ----

TEST(ExprLogical, AndOrPrecedenceIsExplicit) {
  auto e = (col("a") == 1 || col("b") == 2) && col("c") > 3;
  expectSql(e, R"(("a" = ? OR "b" = ?) AND "c" > ?)", R"(("a" = $1 OR "b" = $2) AND "c" > $3)",
            {1, 2, 3});
  auto f = col("a") == 1 || (col("b") == 2 && col("c") == 3);
  expectSql(f, R"("a" = ? OR ("b" = ? AND "c" = ?))", R"("a" = $1 OR ("b" = $2 AND "c" = $3))",
            {1, 2, 3});
}

TEST(ExprLogical, NestedSameOperatorsFlatten) {
  auto e = (col("a") == 1 && col("b") == 2) && (col("c") == 3 && col("d") == 4);
  expectSql(e, R"("a" = ? AND "b" = ? AND "c" = ? AND "d" = ?)",
            R"("a" = $1 AND "b" = $2 AND "c" = $3 AND "d" = $4)", {1, 2, 3, 4});
  const auto& l = std::get<Logical>(e.node().v);
  EXPECT_EQ(l.terms.size(), 4u);
  auto o = or_({col("a") == 1, or_({col("b") == 2, col("c") == 3})});
  EXPECT_EQ(std::get<Logical>(o.node().v).terms.size(), 3u);
  expectSql(o, R"("a" = ? OR "b" = ? OR "c" = ?)", R"("a" = $1 OR "b" = $2 OR "c" = $3)",
            {1, 2, 3});
}

TEST(ExprLogical, EmptyAndIsTrueEmptyOrIsFalse) {
  expectSameSql(and_({}), "1 = 1");
  expectSameSql(or_({}), "1 = 0");
  expectSameSql(and_({Expr(), Expr()}), "1 = 1");
  // An always-true AND contributes nothing to an outer AND.
  expectSql(and_({}) && col("a") == 1, R"("a" = ?)", R"("a" = $1)", {1});
  // ... but an empty OR inside AND stays: it makes the whole condition false.
  expectSql(col("a") == 1 && or_({}), R"("a" = ? AND 1 = 0)", R"("a" = $1 AND 1 = 0)", {1});
}

TEST(ExprLogical, EmptyTermsAreSkipped) {
  Expr none;
  auto e = and_({none, col("a") == 1, none});
  EXPECT_TRUE(std::holds_alternative<Binary>(e.node().v));
  expectSql(e, R"("a" = ?)", R"("a" = $1)", {1});
  expectSql(none && col("a") == 1, R"("a" = ?)", R"("a" = $1)", {1});
  expectSql(col("a") == 1 || none, R"("a" = ?)", R"("a" = $1)", {1});
}

TEST(ExprLogical, SingleTermLogicalIsJustThatTerm) {
  auto single = node(Node{Logical{LogicalOp::Or, {col("a") == 1}}});
  expectSql(single && col("b") == 2, R"("a" = ? AND "b" = ?)", R"("a" = $1 AND "b" = $2)", {1, 2});
  expectSql(!single, R"(NOT ("a" = ?))", R"(NOT ("a" = $1))", {1});
  auto wrappedColumn = node(Node{Logical{LogicalOp::And, {Expr(), col("flag")}}});
  expectSameSql(!wrappedColumn, R"(NOT "flag")");
}

TEST(ExprLogical, HandBuiltNestedSameOperatorIsParenthesised) {
  auto inner = node(Node{Logical{LogicalOp::And, {col("a") == 1, col("b") == 2}}});
  auto outer = node(Node{Logical{LogicalOp::And, {inner, col("c") == 3}}});
  expectSql(outer, R"(("a" = ? AND "b" = ?) AND "c" = ?)",
            R"(("a" = $1 AND "b" = $2) AND "c" = $3)", {1, 2, 3});
}

TEST(ExprLogical, NotParenthesisesCompoundOperands) {
  expectSql(!(col("a") == 1), R"(NOT ("a" = ?))", R"(NOT ("a" = $1))", {1});
  expectSameSql(not_(col("flag")), R"(NOT "flag")");
  expectSql(!(col("a") == 1 || col("b") == 2) && col("c") == 3,
            R"(NOT ("a" = ? OR "b" = ?) AND "c" = ?)", R"(NOT ("a" = $1 OR "b" = $2) AND "c" = $3)",
            {1, 2, 3});
}

TEST(ExprLogical, OtherPredicatesAreNotParenthesisedInsideAndOr) {
  expectSql(col("a").between(1, 2) && col("b").isNull() && col("c").in({Expr(3)}),
            R"("a" BETWEEN ? AND ? AND "b" IS NULL AND "c" IN (?))",
            R"("a" BETWEEN $1 AND $2 AND "b" IS NULL AND "c" IN ($3))", {1, 2, 3});
}

TEST(ExprLogical, ComparingAPredicateParenthesisesIt) {
  expectSql((col("a") == 1) == true, R"(("a" = ?) = ?)", R"(("a" = $1) = $2)", {1, true});
}

// ---- functions and casts ----

TEST(ExprFunction, CallsAndArguments) {
  expectSameSql(fn("now"), "now()");
  expectSameSql(fn("COUNT", col("*")), "COUNT(*)");
  expectSql(fn("COALESCE", col("a"), 0), R"(COALESCE("a", ?))", R"(COALESCE("a", $1))", {0});
  expectSameSql(fn("lower", col("a")) == fn("lower", col("b")), R"(lower("a") = lower("b"))");
  expectSql(fn("sum", col("a") + 1), R"(sum("a" + ?))", R"(sum("a" + $1))", {1});
}

TEST(ExprFunction, CountDistinct) {
  expectSameSql(countDistinct(col("posts.id")), R"(COUNT(DISTINCT "posts"."id"))");
}

TEST(ExprFunction, InvalidNamesAreUsageErrors) {
  EXPECT_THROW(fn(""), UsageError);
  EXPECT_THROW(fn("1abc"), UsageError);
  EXPECT_THROW(fn("count(*); DROP TABLE x; --"), UsageError);
  EXPECT_THROW(fn("pg_catalog.now"), UsageError);
  EXPECT_THROW(fn("a b"), UsageError);
  EXPECT_NO_THROW(fn("_private_fn2"));
  auto handBuilt = node(Node{Function{"x y", {}}});
  EXPECT_THROW(lite(handBuilt), UsageError);
  auto distinctNoArgs = node(Node{Function{"COUNT", {}, true}});
  EXPECT_THROW(pg(distinctNoArgs), UsageError);
}

TEST(ExprCast, TypeNamesAreEmittedAfterValidation) {
  expectSameSql(cast(col("a"), "INTEGER"), R"(CAST("a" AS INTEGER))");
  expectSql(cast(val("1.5"), "DECIMAL(10, 2)"), "CAST(? AS DECIMAL(10, 2))",
            "CAST($1 AS DECIMAL(10, 2))", {"1.5"});
  expectSameSql(cast(col("a"), "DOUBLE PRECISION"), R"(CAST("a" AS DOUBLE PRECISION))");
}

TEST(ExprCast, InvalidTypeNamesAreUsageErrors) {
  EXPECT_THROW(cast(col("a"), ""), UsageError);
  EXPECT_THROW(cast(col("a"), "   "), UsageError);
  EXPECT_THROW(cast(col("a"), "INT); DROP TABLE t; --"), UsageError);
  EXPECT_THROW(cast(col("a"), "TEXT'"), UsageError);
  EXPECT_THROW(cast(col("a"), "text::int"), UsageError);
  auto handBuilt = node(Node{Cast{col("a"), "INT;"}});
  EXPECT_THROW(pg(handBuilt), UsageError);
}

// ---- subqueries ----

TEST(ExprSubquery, ExistsNotExistsAndScalarSubqueries) {
  Select sub{.columns = {{literal("1")}},
             .from = {.name = "posts"},
             .where = col("posts.userId") == col("users.id")};
  expectSameSql(exists(selectPtr(sub)),
                R"(EXISTS (SELECT 1 FROM "posts" WHERE "posts"."userId" = "users"."id"))");
  expectSameSql(notExists(selectPtr(sub)),
                R"(NOT EXISTS (SELECT 1 FROM "posts" WHERE "posts"."userId" = "users"."id"))");
  Select count{.columns = {{fn("COUNT", col("*"))}}, .from = {.name = "posts"}};
  expectSql(subquery(selectPtr(count)) > 5, R"((SELECT COUNT(*) FROM "posts") > ?)",
            R"((SELECT COUNT(*) FROM "posts") > $1)", {5});
  EXPECT_THROW(exists(nullptr), UsageError);
  EXPECT_THROW(notExists(nullptr), UsageError);
  EXPECT_THROW(subquery(nullptr), UsageError);
}

TEST(ExprSubquery, ParametersAreNumberedAcrossSubqueries) {
  Select sub{.columns = {{col("userId")}},
             .from = {.name = "posts"},
             .where = col("likes") > 10,
             .limit = 5};
  auto e =
      col("a") == "x" && exists(selectPtr(sub)) && col("id").in(selectPtr(sub)) && col("b") == "y";
  expectSql(e,
            R"("a" = ? AND EXISTS (SELECT "userId" FROM "posts" WHERE "likes" > ? LIMIT ?))"
            R"( AND "id" IN (SELECT "userId" FROM "posts" WHERE "likes" > ? LIMIT ?) AND "b" = ?)",
            R"("a" = $1 AND EXISTS (SELECT "userId" FROM "posts" WHERE "likes" > $2 LIMIT $3))"
            R"( AND "id" IN (SELECT "userId" FROM "posts" WHERE "likes" > $4 LIMIT $5))"
            R"( AND "b" = $6)",
            {"x", 10, 5, 10, 5, "y"});
}

// ---- empty expressions ----

TEST(ExprEmpty, OperatorsRejectEmptyOperands) {
  Expr none;
  EXPECT_THROW((void)(none == 1), UsageError);
  EXPECT_THROW((void)(col("a") < none), UsageError);
  EXPECT_THROW(none.like("x"), UsageError);
  EXPECT_THROW(none.isNull(), UsageError);
  EXPECT_THROW(col("a").in({none}), UsageError);
  EXPECT_THROW(col("a").between(none, 1), UsageError);
  EXPECT_THROW(!none, UsageError);
  EXPECT_THROW(fn("f", none), UsageError);
  EXPECT_THROW(cast(none, "INTEGER"), UsageError);
  EXPECT_THROW(countDistinct(none), UsageError);
}

TEST(ExprEmpty, CompilingAnEmptyExpressionIsUsageError) {
  EXPECT_THROW(lite(Expr()), UsageError);
  auto handBuilt = node(Node{Binary{BinaryOp::Eq, col("a"), Expr()}});
  EXPECT_THROW(pg(handBuilt), UsageError);
}

// ---- traversal ----

TEST(ExprTransform, RewritesEveryColumnOutsideSubqueries) {
  Select sub{.columns = {{col("x")}}, .from = {.name = "t"}};
  auto e = and_({col("name") == "a", fn("lower", col("email")).like("%b"),
                 col("n").between(col("lo"), 3), col("id").in({col("other")}),
                 col("k").in(selectPtr(sub)), !col("flag"), cast(col("c"), "TEXT") == "1"});
  auto out = transformColumns(e, [](const ColumnRef& c) { return col("users", c.name + "_c"); });
  expectSql(
      out,
      R"("users"."name_c" = ? AND lower("users"."email_c") LIKE ?)"
      R"( AND "users"."n_c" BETWEEN "users"."lo_c" AND ? AND "users"."id_c" IN ("users"."other_c"))"
      R"( AND "users"."k_c" IN (SELECT "x" FROM "t") AND NOT "users"."flag_c")"
      R"( AND CAST("users"."c_c" AS TEXT) = ?)",
      R"("users"."name_c" = $1 AND lower("users"."email_c") LIKE $2)"
      R"( AND "users"."n_c" BETWEEN "users"."lo_c" AND $3 AND "users"."id_c" IN ("users"."other_c"))"
      R"( AND "users"."k_c" IN (SELECT "x" FROM "t") AND NOT "users"."flag_c")"
      R"( AND CAST("users"."c_c" AS TEXT) = $4)",
      {"a", "%b", 3, "1"});
  // The original tree is untouched.
  expectSql(col("name") == "a", R"("name" = ?)", R"("name" = $1)", {"a"});
  EXPECT_EQ(lite(e).sql.find("users"), std::string::npos);
}

TEST(ExprTransform, UnchangedTreesKeepTheirNodes) {
  auto e = col("a") == 1 && col("b").isNull();
  auto same = transformColumns(e, [](const ColumnRef& c) { return col(c.table, c.name); });
  EXPECT_NE(same.ptr(), e.ptr());  // columns were replaced by new nodes
  auto params = val(1) == val(2);
  auto untouched = transformColumns(params, [](const ColumnRef&) -> Expr {
    ADD_FAILURE() << "no column to visit";
    return {};
  });
  EXPECT_EQ(untouched.ptr(), params.ptr());
  EXPECT_TRUE(transformColumns(Expr(), [](const ColumnRef&) { return col("x"); }).empty());
}

TEST(ExprTransform, CanReplaceAColumnWithAnyExpression) {
  auto e = col("fullName") == "Ada";
  auto out = transformColumns(e, [](const ColumnRef&) {
    return node(Node{Binary{BinaryOp::Concat, col("first"), col("last")}});
  });
  expectSql(out, R"(("first" || "last") = ?)", R"(("first" || "last") = $1)", {"Ada"});
}

TEST(ExprVisit, VisitsColumnsInOrderButNotInsideSubqueries) {
  Select sub{.columns = {{col("hidden")}}, .from = {.name = "t"}, .where = col("hidden2") == 1};
  auto e = (col("a") + col("t.b")) > 1 && col("c").in(selectPtr(sub)) && exists(selectPtr(sub)) &&
           fn("f", col("d"), col("e").between(col("f"), col("g")));
  std::vector<std::string> seen;
  visitColumns(e, [&](const ColumnRef& c) {
    seen.push_back(c.table.empty() ? c.name : c.table + "." + c.name);
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "t.b", "c", "d", "e", "f", "g"}));
  visitColumns(Expr(), [](const ColumnRef&) { ADD_FAILURE() << "empty has no columns"; });
}

}  // namespace
}  // namespace junction::sql
