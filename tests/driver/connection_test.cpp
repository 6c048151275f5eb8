// Connection behaviour common to engines: the observer, the statement cache.
#include <gtest/gtest.h>

#include "driver_test_util.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "support/engine.hpp"

namespace junction::test {
namespace {

struct Seen {
  std::string sql;
  std::vector<Value> params;
  std::chrono::nanoseconds duration;
  std::string dialect;
  bool failed;
};

TEST(driverConnection, ObserverSeesSqlParamsAndDuration) {
  auto conn = openConnection(databaseUrl());
  std::vector<Seen> seen;
  QueryObserver observer = [&](const QueryEvent& e) {
    seen.push_back({std::string(e.sql),
                    {e.params.begin(), e.params.end()},
                    e.duration,
                    std::string(e.dialect),
                    e.failed});
  };
  conn->setObserver(&observer);
  const std::string sql = "SELECT " + ph(*conn, 1) + " AS x";
  std::vector<Value> params{Value("hello")};
  conn->query(sql, params);
  EXPECT_THROW(conn->query("SELEC 1"), DatabaseError);
  conn->begin();
  conn->rollback();

  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].sql, sql);
  EXPECT_EQ(seen[0].params, params);
  EXPECT_GT(seen[0].duration.count(), 0);
  EXPECT_EQ(seen[0].dialect, engine());
  EXPECT_FALSE(seen[0].failed);
  EXPECT_EQ(seen[1].sql, "SELEC 1");
  EXPECT_TRUE(seen[1].failed);
  EXPECT_NE(seen[2].sql.find("BEGIN"), std::string::npos);
  EXPECT_EQ(seen[3].sql, "ROLLBACK");

  conn->setObserver(nullptr);
  conn->query(sql, params);
  EXPECT_EQ(seen.size(), 4u) << "a removed observer is not called";
}

TEST(driverConnection, StatementCacheIsReusedAndBounded) {
  auto conn = openConnection(databaseUrl());
  conn->execute("CREATE TABLE t (x INTEGER)");
  const std::string sql = "SELECT x FROM t WHERE x = " + ph(*conn, 1);
  std::vector<Value> p{Value(1)};
  conn->query(sql, p);
  const std::size_t afterFirst = conn->cachedStatements();
  EXPECT_GE(afterFirst, 1u);
  for (int i = 0; i < 20; ++i) conn->query(sql, p);
  EXPECT_EQ(conn->cachedStatements(), afterFirst) << "the same SQL reuses its statement";

  for (int i = 0; i < 400; ++i) conn->query("SELECT x FROM t WHERE x = " + std::to_string(i));
  EXPECT_LE(conn->cachedStatements(), 256u);
  EXPECT_GT(conn->cachedStatements(), 0u);
  // Evicted statements are re-prepared transparently.
  EXPECT_TRUE(conn->query(sql, p).empty());
}

TEST(driverConnection, CachedStatementSurvivesSchemaChange) {
  auto conn = openConnection(databaseUrl());
  conn->execute("CREATE TABLE t (a INTEGER); INSERT INTO t (a) VALUES (1)");
  EXPECT_EQ(conn->query("SELECT * FROM t").columns, std::vector<std::string>{"a"});
  conn->execute("ALTER TABLE t ADD COLUMN b INTEGER");
  auto rs = conn->query("SELECT * FROM t");
  EXPECT_EQ(rs.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(rs.at(0, "b").isNull());
}

TEST(driverConnection, ScriptsRunEveryStatement) {
  auto conn = openConnection(databaseUrl());
  conn->execute(
      "-- a migration file\n"
      "CREATE TABLE a (x INTEGER);\n"
      "INSERT INTO a (x) VALUES (1);\n"
      "INSERT INTO a (x) VALUES (2);  -- trailing comment\n");
  EXPECT_EQ(conn->query("SELECT SUM(x) FROM a").at(0, 0).as<int>(), 3);
}

TEST(driverConnection, ObserverSeesEachStatementOfAScript) {
  auto conn = openConnection(databaseUrl());
  std::vector<std::string> seen;
  QueryObserver observer = [&](const QueryEvent& e) { seen.emplace_back(e.sql); };
  conn->setObserver(&observer);
  conn->execute("CREATE TABLE s (x INTEGER);\n  INSERT INTO s (x) VALUES (1);\n");
  ASSERT_FALSE(seen.empty());
  std::string all;
  for (const auto& s : seen) all += s + "|";
  EXPECT_NE(all.find("CREATE TABLE s"), std::string::npos) << all;
  EXPECT_NE(all.find("INSERT INTO s"), std::string::npos) << all;
}

struct CollectingSink : RowSink {
  std::vector<std::string> names;
  std::vector<std::vector<Value>> rows;
  void columns(std::span<const std::string> n) override { names.assign(n.begin(), n.end()); }
  void row(std::span<Value> values) override {
    // Values may be moved from: the connection reuses its buffer.
    std::vector<Value> r;
    for (auto& v : values) r.push_back(std::move(v));
    rows.push_back(std::move(r));
  }
};

TEST(driverConnection, StreamDeliversTheSameRowsAsQuery) {
  auto conn = openConnection(databaseUrl());
  conn->execute(
      "CREATE TABLE s (id INTEGER, name VARCHAR(20), ok BOOLEAN);"
      "INSERT INTO s VALUES (1, 'a', TRUE), (2, NULL, FALSE), (3, 'c', NULL)");
  CollectingSink sink;
  std::vector<Value> p{Value(2)};
  conn->stream("SELECT id, name, ok FROM s WHERE id >= " + ph(*conn, 1) + " ORDER BY id", p, sink);
  EXPECT_EQ(sink.names, (std::vector<std::string>{"id", "name", "ok"}));
  ASSERT_EQ(sink.rows.size(), 2u);
  EXPECT_EQ(sink.rows[0], (std::vector<Value>{Value(2), Value(), Value(false)}));
  EXPECT_EQ(sink.rows[1], (std::vector<Value>{Value(3), Value("c"), Value()}));

  CollectingSink updated;
  EXPECT_EQ(conn->stream("UPDATE s SET name = 'z' WHERE id < 3", {}, updated), 2);
  EXPECT_TRUE(updated.rows.empty());
  EXPECT_THROW(conn->stream("SELEC", {}, updated), DatabaseError);
}

}  // namespace
}  // namespace junction::test
