// Raw-query replacements: placeholders rewritten to each placeholder style,
// every lexical context that must be skipped, every error, and injection
// attempts that must stay in the parameters.
#include "junction/sql/replacements.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "junction/errors.hpp"

using namespace junction;
using namespace junction::sql;

namespace {

// A test-only dialect: only the placeholder style and the parameter limit
// matter to replacements; every other hook is unreachable from them.
class FakeDialect final : public Dialect {
 public:
  FakeDialect(bool numbered, std::size_t maxParams) : numbered_(numbered) {
    caps_.maxParams = maxParams;
  }
  std::string_view name() const noexcept override { return numbered_ ? "numbered" : "question"; }
  const Capabilities& capabilities() const noexcept override { return caps_; }
  void placeholder(std::string& out, std::size_t index) const override {
    if (numbered_) {
      out += '$';
      out += std::to_string(index);
    } else {
      out += '?';
    }
  }
  void quoteIdentifier(std::string&, std::string_view) const override { unreachable(); }
  void renderILike(Compiler&, const Binary&, bool) const override { unreachable(); }
  void renderLimitOffset(Compiler&, std::optional<std::int64_t>,
                         std::optional<std::int64_t>) const override {
    unreachable();
  }
  void renderLock(Compiler&, LockMode) const override { unreachable(); }
  std::string columnType(const ColumnType&) const override { unreachable(); }
  void renderColumnDef(Compiler&, const ColumnDef&, bool) const override { unreachable(); }
  std::string renderLiteral(const Value&) const override { unreachable(); }

 private:
  [[noreturn]] static void unreachable() {
    throw std::logic_error("replacements must not use this dialect hook");
  }
  bool numbered_;
  Capabilities caps_;
};

const FakeDialect kQuestion{false, 32766};
const FakeDialect kNumbered{true, 65535};

using Named = std::map<std::string, Value, std::less<>>;

// The UsageError message thrown by `f`, or a failure.
template <class F>
std::string usageError(F f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected UsageError";
  return {};
}

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

}  // namespace

// ---- rewriting ----

TEST(Replacements, PositionalToEachStyle) {
  std::string sql = "SELECT * FROM blogs WHERE author = ? AND likes > ?";
  auto q = bindReplacements(kQuestion, sql, std::vector<Value>{"Dan", 10});
  EXPECT_EQ(q.sql, sql);
  ASSERT_EQ(q.params.size(), 2u);
  EXPECT_EQ(q.params[0], Value("Dan"));
  EXPECT_EQ(q.params[1], Value(10));
  auto n = bindReplacements(kNumbered, sql, std::vector<Value>{"Dan", 10});
  EXPECT_EQ(n.sql, "SELECT * FROM blogs WHERE author = $1 AND likes > $2");
  EXPECT_EQ(n.params, q.params);
}

TEST(Replacements, NamedToEachStyle) {
  std::string sql = "SELECT * FROM blogs WHERE author = :author AND likes > :min_likes2";
  Named values{{"author", "Dan"}, {"min_likes2", 10}};
  auto n = bindReplacements(kNumbered, sql, values);
  EXPECT_EQ(n.sql, "SELECT * FROM blogs WHERE author = $1 AND likes > $2");
  EXPECT_EQ(n.params, (std::vector<Value>{"Dan", 10}));
  auto q = bindReplacements(kQuestion, sql, values);
  EXPECT_EQ(q.sql, "SELECT * FROM blogs WHERE author = ? AND likes > ?");
}

TEST(Replacements, NamedParamsFollowTheOrderOfAppearance) {
  auto c = bindReplacements(kNumbered, "SELECT :b, :a, :_c", Named{{"a", 1}, {"b", 2}, {"_c", 3}});
  EXPECT_EQ(c.sql, "SELECT $1, $2, $3");
  EXPECT_EQ(c.params, (std::vector<Value>{2, 1, 3}));
}

TEST(Replacements, SameNameTwiceBindsTwice) {
  auto c =
      bindReplacements(kNumbered, "SELECT * FROM t WHERE a = :x OR b = :x", Named{{"x", Value()}});
  EXPECT_EQ(c.sql, "SELECT * FROM t WHERE a = $1 OR b = $2");
  ASSERT_EQ(c.params.size(), 2u);
  EXPECT_TRUE(c.params[0].isNull());
  EXPECT_TRUE(c.params[1].isNull());
}

TEST(Replacements, NameEndsAtTheFirstNonNameCharacter) {
  auto c = bindReplacements(kNumbered, "SELECT :a+:b,(:c)", Named{{"a", 1}, {"b", 2}, {"c", 3}});
  EXPECT_EQ(c.sql, "SELECT $1+$2,($3)");
}

TEST(Replacements, NoPlaceholdersNoValues) {
  auto c = bindReplacements(kNumbered, "SELECT 1", std::vector<Value>{});
  EXPECT_EQ(c.sql, "SELECT 1");
  EXPECT_TRUE(c.params.empty());
  EXPECT_EQ(bindReplacements(kNumbered, "SELECT 1", Named{}).sql, "SELECT 1");
  EXPECT_EQ(bindReplacements(kNumbered, "", Named{}).sql, "");
}

// ---- what is skipped ----

TEST(ReplacementsSkip, SingleQuotedStrings) {
  auto c = bindReplacements(kNumbered, "SELECT '?', 'it''s :x ?', ? FROM t", std::vector<Value>{1});
  EXPECT_EQ(c.sql, "SELECT '?', 'it''s :x ?', $1 FROM t");
  auto n = bindReplacements(kNumbered, "SELECT ':name', :name", Named{{"name", 1}});
  EXPECT_EQ(n.sql, "SELECT ':name', $1");
}

TEST(ReplacementsSkip, AdjacentDoubledQuotesAtTheEnd) {
  auto c = bindReplacements(kNumbered, "SELECT '''', '''?''', ?", std::vector<Value>{1});
  EXPECT_EQ(c.sql, "SELECT '''', '''?''', $1");
}

TEST(ReplacementsSkip, DoubleQuotedIdentifiers) {
  auto c = bindReplacements(kNumbered, R"(SELECT "what?", "a "" :b ?" FROM t WHERE x = ?)",
                            std::vector<Value>{1});
  EXPECT_EQ(c.sql, R"(SELECT "what?", "a "" :b ?" FROM t WHERE x = $1)");
}

TEST(ReplacementsSkip, BacktickIdentifiers) {
  auto c = bindReplacements(kQuestion, "SELECT `a?b` FROM t WHERE x = :x", Named{{"x", 1}});
  EXPECT_EQ(c.sql, "SELECT `a?b` FROM t WHERE x = ?");
}

TEST(ReplacementsSkip, EscapeStringsWithBackslashes) {
  // In E'…' a backslash escapes the quote, so the string runs on past \'.
  auto c = bindReplacements(kNumbered, R"(SELECT E'it\'s ?', e'\\', ?)", std::vector<Value>{1});
  EXPECT_EQ(c.sql, R"(SELECT E'it\'s ?', e'\\', $1)");
  // In a standard string a backslash is an ordinary character.
  auto s = bindReplacements(kNumbered, R"(SELECT 'C:\', ?)", std::vector<Value>{1});
  EXPECT_EQ(s.sql, R"(SELECT 'C:\', $1)");
  // "tablE'…'" is not an escape string: the E belongs to an identifier.
  auto t = bindReplacements(kNumbered, R"(SELECT typE'a\', ?)", std::vector<Value>{1});
  EXPECT_EQ(t.sql, R"(SELECT typE'a\', $1)");
}

TEST(ReplacementsSkip, DollarQuotedStrings) {
  auto c =
      bindReplacements(kNumbered, "SELECT $$ ? :x ' $$, $fn$ a ? $$ b $fn$, :y", Named{{"y", 1}});
  EXPECT_EQ(c.sql, "SELECT $$ ? :x ' $$, $fn$ a ? $$ b $fn$, $1");
  auto body = bindReplacements(
      kNumbered,
      "CREATE FUNCTION f() RETURNS int AS $body$ SELECT ?; $body$ LANGUAGE sql; SELECT ?",
      std::vector<Value>{1});
  EXPECT_EQ(body.sql,
            "CREATE FUNCTION f() RETURNS int AS $body$ SELECT ?; $body$ LANGUAGE sql; SELECT $1");
}

TEST(ReplacementsSkip, DollarInsideIdentifierIsNotAQuote) {
  auto c = bindReplacements(kNumbered, "SELECT a$b, x$1 FROM t WHERE y = ?", std::vector<Value>{1});
  EXPECT_EQ(c.sql, "SELECT a$b, x$1 FROM t WHERE y = $1");
}

TEST(ReplacementsSkip, LineComments) {
  auto c = bindReplacements(kNumbered, "SELECT ? -- what? :x\n, ? --?", std::vector<Value>{1, 2});
  EXPECT_EQ(c.sql, "SELECT $1 -- what? :x\n, $2 --?");
}

TEST(ReplacementsSkip, BlockComments) {
  auto c =
      bindReplacements(kNumbered, "SELECT /* ? :x\n ' */ ?, a/b, ?/**/", std::vector<Value>{1, 2});
  EXPECT_EQ(c.sql, "SELECT /* ? :x\n ' */ $1, a/b, $2/**/");
}

TEST(ReplacementsSkip, CastsAndAssignments) {
  auto c = bindReplacements(kNumbered, "SELECT :d::date, '1'::int, x := :v, a::text",
                            Named{{"d", "2024-01-01"}, {"v", 1}});
  EXPECT_EQ(c.sql, "SELECT $1::date, '1'::int, x := $2, a::text");
  auto p = bindReplacements(kNumbered, "SELECT ?::jsonb", std::vector<Value>{"{}"});
  EXPECT_EQ(p.sql, "SELECT $1::jsonb");
}

TEST(ReplacementsSkip, ColonWithoutNameIsText) {
  auto c = bindReplacements(kNumbered, "SELECT arr[1:2], : , ?", std::vector<Value>{1});
  EXPECT_EQ(c.sql, "SELECT arr[1:2], : , $1");
}

// ---- native parameters ----

TEST(ReplacementsNative, PassThroughWithoutReplacements) {
  auto c = bindReplacements(kNumbered, "SELECT $1, $2 FROM t WHERE a = ?1", std::vector<Value>{});
  EXPECT_EQ(c.sql, "SELECT $1, $2 FROM t WHERE a = ?1");
  EXPECT_TRUE(c.params.empty());
  EXPECT_EQ(bindReplacements(kNumbered, "SELECT $1", Named{}).sql, "SELECT $1");
}

TEST(ReplacementsNative, MixedWithReplacementsIsAnError) {
  EXPECT_CONTAINS(
      usageError([] { bindReplacements(kNumbered, "SELECT $1, ?", std::vector<Value>{1}); }),
      "mixes $n and replacements");
  EXPECT_CONTAINS(
      usageError([] { bindReplacements(kNumbered, "SELECT $1", std::vector<Value>{1}); }),
      "mixes $n and replacements");
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT $1, :a", Named{{"a", 1}});
                  }),
                  "mixes $n and replacements");
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT ?2", Named{{"a", 1}});
                  }),
                  "mixes $n and replacements");
}

TEST(ReplacementsNative, InsideStringsTheyAreText) {
  auto c = bindReplacements(kNumbered, "SELECT '$1', ?", std::vector<Value>{"x"});
  EXPECT_EQ(c.sql, "SELECT '$1', $1");
}

// ---- errors ----

TEST(ReplacementsErrors, MoreQuestionMarksThanValues) {
  auto msg =
      usageError([] { bindReplacements(kNumbered, "SELECT ?, ?, ?", std::vector<Value>{1}); });
  EXPECT_CONTAINS(msg, "3 ? placeholders");
  EXPECT_CONTAINS(msg, "only 1 replacement");
  EXPECT_CONTAINS(usageError([] { bindReplacements(kNumbered, "SELECT ?", std::vector<Value>{}); }),
                  "1 ? placeholders");
}

TEST(ReplacementsErrors, UnusedPositionalValues) {
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT ?", std::vector<Value>{1, 2});
                  }),
                  "unused");
  // A `?` hidden in a string does not count.
  EXPECT_CONTAINS(
      usageError([] { bindReplacements(kNumbered, "SELECT '?'", std::vector<Value>{1}); }),
      "unused");
}

TEST(ReplacementsErrors, UnusedNamedValue) {
  auto msg = usageError([] {
    bindReplacements(kNumbered, "SELECT :a", Named{{"a", 1}, {"bee", 2}});
  });
  EXPECT_CONTAINS(msg, "\"bee\" is not used");
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT ':bee'", Named{{"bee", 2}});
                  }),
                  "\"bee\" is not used");
}

TEST(ReplacementsErrors, NamedPlaceholderWithoutValueIsNamed) {
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT :a, :missing", Named{{"a", 1}});
                  }),
                  ":missing has no value");
  EXPECT_CONTAINS(usageError([] { bindReplacements(kNumbered, "SELECT :who", Named{}); }),
                  ":who has no value");
  EXPECT_CONTAINS(
      usageError([] { bindReplacements(kNumbered, "SELECT :who", std::vector<Value>{}); }),
      ":who has no value");
}

TEST(ReplacementsErrors, NamesAreCaseSensitive) {
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT :Name", Named{{"name", 1}});
                  }),
                  ":Name has no value");
}

TEST(ReplacementsErrors, MixingStyles) {
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT ?, :a", std::vector<Value>{1, 2});
                  }),
                  "mixes ? and :name");
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT :a, ?", Named{{"a", 1}});
                  }),
                  "mixes ? and :name");
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT ?", Named{{"a", 1}});
                  }),
                  "given by name");
}

TEST(ReplacementsErrors, Unterminated) {
  auto pos = std::vector<Value>{};
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, "SELECT 'abc", pos); }),
                  "unterminated string literal starting at offset 7");
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, "SELECT 'it''", pos); }),
                  "unterminated string literal");
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, R"(SELECT E'a\')", pos); }),
                  "unterminated string literal starting at offset 7");
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, "SELECT \"abc", pos); }),
                  "unterminated quoted identifier");
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, "SELECT `abc", pos); }),
                  "unterminated quoted identifier");
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, "SELECT /* abc", pos); }),
                  "unterminated block comment");
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, "SELECT $$ abc", pos); }),
                  "unterminated dollar-quoted string $$");
  EXPECT_CONTAINS(usageError([&] { bindReplacements(kNumbered, "SELECT $t$ abc $u$", pos); }),
                  "unterminated dollar-quoted string $t$");
  // A line comment may end the input; that is not an error.
  EXPECT_EQ(bindReplacements(kNumbered, "SELECT 1 -- done", pos).sql, "SELECT 1 -- done");
}

TEST(ReplacementsErrors, TooManyParametersForTheDialect) {
  FakeDialect tiny{true, 2};
  EXPECT_EQ(bindReplacements(tiny, "SELECT ?, ?", std::vector<Value>{1, 2}).params.size(), 2u);
  EXPECT_CONTAINS(usageError([&] {
                    bindReplacements(tiny, "SELECT ?, ?, ?", std::vector<Value>{1, 2, 3});
                  }),
                  "at most 2");
}

// ---- injection ----

TEST(ReplacementsInjection, ValuesNeverReachTheSql) {
  const std::string evil = "'; DROP TABLE x; --";
  for (const FakeDialect* d : {&kQuestion, &kNumbered}) {
    auto p = bindReplacements(*d, "SELECT * FROM users WHERE name = ?", std::vector<Value>{evil});
    EXPECT_EQ(p.sql.find("DROP"), std::string::npos) << p.sql;
    EXPECT_EQ(p.params, std::vector<Value>{evil});
    auto n = bindReplacements(*d, "SELECT * FROM users WHERE name = :name AND alias = :name",
                              Named{{"name", evil}});
    EXPECT_EQ(n.sql.find("DROP"), std::string::npos) << n.sql;
    EXPECT_EQ(n.params, (std::vector<Value>{evil, evil}));
  }
}

TEST(ReplacementsInjection, PlaceholderLookingValuesAreNotRescanned) {
  auto c = bindReplacements(kNumbered, "SELECT ?, ?", std::vector<Value>{":a ? $1 '", "?"});
  EXPECT_EQ(c.sql, "SELECT $1, $2");
  EXPECT_EQ(c.params, (std::vector<Value>{":a ? $1 '", "?"}));
}

TEST(ReplacementsInjection, QuotedPlaceholderIsNotBound) {
  // Sequelize users sometimes write '?' expecting quoting; it stays text and
  // the value is reported as unused instead of being spliced.
  EXPECT_CONTAINS(usageError([] {
                    bindReplacements(kNumbered, "SELECT * FROM t WHERE name = '?'",
                                     std::vector<Value>{"x' OR '1'='1"});
                  }),
                  "unused");
}
