// SQL injection as a property (#15 item 6): a corpus of hostile strings goes
// through every entry point that takes a value or a name. Values arrive as
// data and read back byte for byte; names are refused (a UsageError before
// any SQL) or quoted (the object gets exactly that name). On both engines.
#include <fmt/format.h>

#include <algorithm>

#include "fixture.hpp"
#include "junction/dialects.hpp"
#include "junction/migrate/migrator.hpp"
#include "junction/migrate/query_interface.hpp"

using namespace junction;
using namespace junction::DataTypes;
using junction::test::OrmTest;

namespace {

// Quotes of every kind, comment and statement breaks, escapes, placeholder
// look-alikes, dollar quoting, unicode quotes, control characters, and one
// very long string of quotes.
std::vector<std::string> hostileStrings() {
  std::vector<std::string> v = {
      "'",
      "''",
      "\"",
      "`",
      "\\",
      "\\'",
      "'\\",
      "--",
      "/*",
      "*/",
      ";",
      "'; DROP TABLE blogs; --",
      "\"; DROP TABLE users; --",
      "' OR '1'='1",
      "\" OR \"\"=\"",
      "') OR ('a'='a",
      "1; DELETE FROM blogs",
      "%",
      "_",
      "%' --",
      "?",
      "$1",
      ":title",
      "::text",
      "$$",
      "$tag$ x $tag$",
      "E'\\x41'",
      "\xe2\x80\x99 OR \xe2\x80\x99\xe2\x80\x99=\xe2\x80\x99",  // ’ right single quotation mark
      "\xef\xbc\x87",                                            // ＇ fullwidth apostrophe
      "\xca\xbc",                                                // ʼ modifier apostrophe
      "line\nbreak\r\ttab",
      "\x01\x1f\x7f",
      "x' UNION SELECT password_hash FROM users --",
  };
  v.push_back(std::string(100000, '\''));
  return v;
}

}  // namespace

TEST_F(OrmTest, HostileValuesArriveAsData) {
  auto owner = User->create({{"username", "a@example.com"}, {"name", "A"}});
  const auto corpus = hostileStrings();
  std::vector<Value> ids;
  for (const auto& s : corpus) {
    auto b = Blog->create({{"url", s}, {"title", s}, {"author", s}, {"userId", owner.get("id")}});
    ids.push_back(b.get("id"));
  }
  ASSERT_EQ(Blog->count(), static_cast<std::int64_t>(corpus.size()));
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    const auto& s = corpus[i];
    SCOPED_TRACE("value #" + std::to_string(i));
    auto back = Blog->findByPk(ids[i]);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->get<std::string>("title"), s);  // byte for byte
    // Equality, IN, <>: exactly that row.
    auto same = Blog->findAll({.where = {{"title", s}}});
    ASSERT_EQ(same.size(), 1u);
    EXPECT_EQ(same[0].get("id"), ids[i]);
    EXPECT_EQ(Blog->count({.where = {{"title", std::vector<Value>{Value(s)}}}}), 1);
    EXPECT_EQ(Blog->count({.where = {{"title", Op::ne(s)}}}),
              static_cast<std::int64_t>(corpus.size()) - 1);
    // Pattern operators: the text is data (substring escapes % and _). A
    // pattern no engine can run — ending in the escape character, or over
    // SQLite's 50,000 bytes — is a ValidationError on both, before any SQL.
    if (s.size() < 50000) {
      EXPECT_GE(Blog->count({.where = {{"author", Op::substring(s)}}}), 1);
    } else {
      EXPECT_THROW(Blog->count({.where = {{"author", Op::substring(s)}}}), ValidationError);
    }
    std::size_t slashes = 0;
    for (auto it = s.rbegin(); it != s.rend() && *it == '\\'; ++it) ++slashes;
    if (slashes % 2 == 0 && s.size() <= 50000) {
      EXPECT_NO_THROW(Blog->count({.where = {{"author", Op::like(s)}}}));
      EXPECT_NO_THROW(Blog->count({.where = {{"author", Op::iLike(s)}}}));
    } else {
      EXPECT_THROW(Blog->count({.where = {{"author", Op::like(s)}}}), ValidationError);
      EXPECT_THROW(Blog->count({.where = {{"author", Op::iLike(s)}}}), ValidationError);
    }
    EXPECT_NO_THROW(Blog->count({.where = {{"title", Op::gt(s)}}}));
    // Raw queries: ? and :name replacements are bound, and a ? or :name
    // inside a quoted literal stays text.
    auto r = db->query("SELECT ? AS v, '?' AS q, ':x' AS n", {.replacements = {Value(s)}});
    EXPECT_EQ(r.at(0, "v").as<std::string>(), s);
    EXPECT_EQ(r.at(0, "q").as<std::string>(), "?");
    EXPECT_EQ(r.at(0, "n").as<std::string>(), ":x");
    auto named = db->query("SELECT :v AS v", {.named = {{"v", Value(s)}}});
    EXPECT_EQ(named.at(0, "v").as<std::string>(), s);
  }
  // Writes with hostile values in where and values.
  for (std::size_t i = 0; i < corpus.size(); ++i)
    EXPECT_EQ(Blog->update({{"url", corpus[i] + corpus[i]}}, {.where = {{"title", corpus[i]}}}), 1);
  EXPECT_EQ(Blog->destroy({.where = {{"title", corpus.front()}}}), 1);
  EXPECT_EQ(Blog->count(), static_cast<std::int64_t>(corpus.size()) - 1);
  EXPECT_EQ(User->count(), 1);
}

TEST_F(OrmTest, HostileNamesAreRefusedBeforeAnySql) {
  Blog->create({{"url", "u"}, {"title", "t"}});
  for (const auto& s : hostileStrings()) {
    clearLog();
    EXPECT_THROW(Blog->findAll({.order = {{s, ASC}}}), UsageError);
    EXPECT_THROW(Blog->findAll({.attributes = {s}}), UsageError);
    EXPECT_THROW(Blog->findAll({.attributes = exclude({s})}), UsageError);
    EXPECT_THROW(Blog->findAll({.where = {{s, 1}}}), UsageError);
    EXPECT_THROW(Blog->findAll({.include = {{.as = s}}}), Error);
    EXPECT_THROW(Blog->findAll({.group = {s}}), UsageError);
    EXPECT_THROW(Blog->update({{s, 1}}, {.where = {{"id", 1}}}), Error);
    EXPECT_TRUE(log.empty()) << "a statement ran for name " << s.substr(0, 40) << ": "
                             << (log.empty() ? "" : log.front());
  }
  EXPECT_EQ(Blog->count(), 1);
}

// "*" names no attribute: it may be a function's argument (COUNT(*)), and
// ordering, grouping or comparing by it is refused before any SQL (the options fuzz target found
// ORDER BY "blog".* reaching the database as a syntax error).
TEST_F(OrmTest, StarOnlySelects) {
  Blog->create({{"url", "u"}, {"title", "t"}});
  for (std::string s : {"*", "blog.*"}) {
    clearLog();
    EXPECT_THROW(Blog->findAll({.order = {{s, ASC}}}), UsageError) << s;
    EXPECT_THROW(Blog->findAll({.group = {s}}), UsageError) << s;
    EXPECT_THROW(Blog->findAll({.where = {{s, 1}}}), UsageError) << s;
    EXPECT_TRUE(log.empty()) << s << ": " << (log.empty() ? "" : log.front());
  }
  // COUNT(*) counts rows (SQLite cannot parse COUNT("blog".*)).
  auto counted = Blog->findAll({.attributes = {"title"},
                                .group = {"title"},
                                .having = fn("COUNT", col("*")) >= 1});
  EXPECT_EQ(counted.size(), 1u);
}

// QueryInterface identifiers and migration names: quoted, so the table,
// column or migration gets exactly that name (or, for what an engine cannot
// hold, a UsageError before any SQL) — never a statement of their own.
TEST_F(OrmTest, HostileIdentifiersAreQuotedExactly) {
  auto conn = openConnection(test::databaseUrl());
  migrate::QueryInterface qi(*conn);
  const auto maxLength = conn->dialect().capabilities().maxIdentifierLength;
  int created = 0;
  for (const auto& s : hostileStrings()) {
    const std::string table = "t" + s;
    if (maxLength && table.size() + 4 > maxLength) {
      EXPECT_THROW(qi.createTable(table, {{"id", INTEGER.primaryKey()}}), UsageError);
      continue;
    }
    qi.createTable(table, {{"id", INTEGER.primaryKey()}, {"c" + s, TEXT}});
    auto tables = qi.showAllTables();
    EXPECT_NE(std::find(tables.begin(), tables.end(), table), tables.end()) << table;
    auto d = qi.describeTable(table);
    EXPECT_TRUE(d.hasColumn("c" + s)) << table;
    qi.bulkInsert(table, {{{"id", Value(1)}, {"c" + s, Value(s)}}});
    std::string sql = "SELECT ";
    conn->dialect().quoteIdentifier(sql, "c" + s);
    sql += " AS v FROM ";
    conn->dialect().quoteIdentifier(sql, table);
    EXPECT_EQ(conn->query(sql).at(0, "v").as<std::string>(), s);
    qi.dropTable(table);
    ++created;
  }
  EXPECT_GT(created, 20);
  // The fixture's tables are untouched.
  auto tables = qi.showAllTables();
  EXPECT_NE(std::find(tables.begin(), tables.end(), "blogs"), tables.end());
  EXPECT_NE(std::find(tables.begin(), tables.end(), "users"), tables.end());

  // Migration names are data in the storage table.
  migrate::MigrationRegistry registry;
  std::vector<std::string> names;
  int n = 0;
  for (const auto& s : hostileStrings()) {
    if (s.size() > 200) continue;  // the storage table's name is VARCHAR(255)
    names.push_back(fmt::format("{:03}_{}", n++, s));
    registry.add(names.back(), [](migrate::QueryInterface&) {});
  }
  migrate::Migrator migrator(db->pool(), registry.migrations(), {.table = "hostile_migrations"});
  EXPECT_EQ(migrator.up().size(), names.size());
  std::vector<std::string> applied;
  for (const auto& m : migrator.executed()) applied.push_back(m.name);
  EXPECT_EQ(applied, names);
  EXPECT_TRUE(migrator.pending().empty());
  qi.dropTable("hostile_migrations");
}
