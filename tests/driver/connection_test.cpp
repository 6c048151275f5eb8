// Connection behaviour common to engines: the observer, the statement cache.
#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>

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

// A sink with a hook per row (after the row was collected).
struct HookedSink : CollectingSink {
  std::function<void(std::size_t)> onRow;
  void row(std::span<Value> values) override {
    CollectingSink::row(values);
    if (onRow) onRow(rows.size());
  }
};

constexpr int kManyRows = 3000;

// kManyRows rows: typed columns (coerced by declared type on SQLite), NULLs
// in every nullable column on some rows.
void createManyRows(Connection& conn) {
  const bool pg = conn.dialect().name() == "postgres";
  conn.execute(std::string("CREATE TABLE many (id INTEGER PRIMARY KEY, name VARCHAR(40), ok "
                           "BOOLEAN, at ") +
               (pg ? "TIMESTAMP WITH TIME ZONE" : "DATETIME") + ", day DATE, j JSON)");
  conn.query(
      "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < " +
      std::to_string(kManyRows) +
      ") INSERT INTO many (id, name, ok) SELECT n, CASE WHEN n % 7 = 0 THEN NULL ELSE 'name ' "
      "|| n END, n % 2 = 0 FROM g");
  std::vector<Value> at{Value(Timestamp::parse("2024-02-29 13:14:15.250Z"))};
  conn.query("UPDATE many SET at = " + ph(conn, 1) + " WHERE id % 3 <> 0", at);
  std::vector<Value> day{Value(Date::parse("2023-12-31"))};
  conn.query("UPDATE many SET day = " + ph(conn, 1) + " WHERE id % 4 <> 0", day);
  conn.query("UPDATE many SET j = '{\"a\": 1}' WHERE id % 5 = 0");
}

const char* kManySql = "SELECT id, name, ok, at, day, j FROM many ORDER BY id";

TEST(driverConnection, StreamDecodesManyRowsWithDeclaredTypesLikeQuery) {
  auto conn = openConnection(databaseUrl());
  createManyRows(*conn);
  CollectingSink sink;
  EXPECT_EQ(conn->stream(kManySql, {}, sink), 0);
  const ResultSet expected = conn->query(kManySql);
  EXPECT_EQ(sink.names, expected.columns);
  ASSERT_EQ(sink.rows.size(), static_cast<std::size_t>(kManyRows));
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(kManyRows));
  for (std::size_t r = 0; r < expected.size(); ++r) {
    ASSERT_EQ(sink.rows[r].size(), expected.columns.size());
    for (std::size_t c = 0; c < expected.columns.size(); ++c) {
      ASSERT_EQ(sink.rows[r][c], expected.at(r, c)) << "row " << r << " column " << c;
      ASSERT_EQ(sink.rows[r][c].type(), expected.at(r, c).type()) << "row " << r << " col " << c;
    }
  }
  // id 2: every typed column but j holds a value; id 420: name, at and day
  // are NULL, j holds JSON.
  const auto& full = sink.rows[1];
  EXPECT_EQ(full[0], Value(2));
  EXPECT_EQ(full[1], Value("name 2"));
  EXPECT_EQ(full[2].type(), ValueType::Bool);
  EXPECT_EQ(full[2], Value(true));
  EXPECT_EQ(full[3].type(), ValueType::Timestamp);
  EXPECT_EQ(full[3], Value(Timestamp::parse("2024-02-29 13:14:15.250Z")));
  EXPECT_EQ(full[4].type(), ValueType::Date);
  EXPECT_EQ(full[4], Value(Date::parse("2023-12-31")));
  EXPECT_TRUE(full[5].isNull());
  const auto& sparse = sink.rows[419];
  EXPECT_EQ(sparse[0], Value(420));
  EXPECT_TRUE(sparse[1].isNull());
  EXPECT_EQ(sparse[2], Value(true));
  EXPECT_TRUE(sparse[3].isNull());
  EXPECT_TRUE(sparse[4].isNull());
  EXPECT_EQ(sparse[5].type(), ValueType::Json);
}

TEST(driverConnection, SinkThatThrowsMidwayLeavesConnectionAndStatementUsable) {
  auto conn = openConnection(databaseUrl());
  createManyRows(*conn);
  std::vector<bool> failed;
  QueryObserver observer = [&](const QueryEvent& e) { failed.push_back(e.failed); };
  conn->setObserver(&observer);
  auto quitter = [] {
    HookedSink sink;
    sink.onRow = [](std::size_t n) {
      if (n == 100) throw std::runtime_error("sink gave up");
    };
    return sink;
  };
  HookedSink first = quitter();
  expectThrow<std::runtime_error>([&] { conn->stream(kManySql, {}, first); }, {"sink gave up"});
  EXPECT_EQ(first.rows.size(), 100u);
  EXPECT_EQ(failed, std::vector<bool>{false})
      << "one event per stream; a sink's exception is not a failed statement";
  conn->setObserver(nullptr);
  EXPECT_TRUE(conn->isUsable());
  EXPECT_EQ(conn->transactionDepth(), 0);

  // The same statement runs again from the first row, to the end.
  const std::size_t cached = conn->cachedStatements();
  CollectingSink all;
  conn->stream(kManySql, {}, all);
  ASSERT_EQ(all.rows.size(), static_cast<std::size_t>(kManyRows));
  EXPECT_EQ(all.rows.front()[0], Value(1));
  EXPECT_EQ(all.rows.back()[0], Value(kManyRows));
  EXPECT_EQ(conn->cachedStatements(), cached) << "the statement went back to the cache";

  // Inside a transaction the abandoned read neither ends nor poisons it, and
  // (SQLite) holds no lock: the table can be written and dropped after it.
  conn->begin();
  HookedSink inTransaction = quitter();
  EXPECT_THROW(conn->stream(kManySql, {}, inTransaction), std::runtime_error);
  EXPECT_EQ(conn->transactionDepth(), 1);
  EXPECT_EQ(conn->query("UPDATE many SET name = 'x' WHERE id = 1").rowsAffected, 1);
  conn->commit();
  HookedSink last = quitter();
  EXPECT_THROW(conn->stream(kManySql, {}, last), std::runtime_error);
  EXPECT_EQ(last.rows.size(), 100u);
  conn->execute("DROP TABLE many");
  EXPECT_TRUE(conn->isUsable());
}

TEST(driverConnection, SinkMayRunStatementsOnTheStreamingConnection) {
  auto conn = openConnection(databaseUrl());
  conn->execute(
      "CREATE TABLE s (id INTEGER);"
      "INSERT INTO s VALUES (1), (2), (3), (4), (5)");
  const std::string sql = "SELECT id FROM s WHERE id <= " + ph(*conn, 1) + " ORDER BY id";
  std::vector<Value> five{Value(5)};
  HookedSink outer;
  std::vector<std::size_t> innerCounts;
  outer.onRow = [&](std::size_t n) {
    // The same SQL, as a query and as a nested stream, while the outer
    // stream is between rows.
    innerCounts.push_back(conn->query(sql, five).size());
    CollectingSink inner;
    conn->stream(sql, five, inner);
    innerCounts.push_back(inner.rows.size());
    // Enough distinct statements to cycle the whole statement cache.
    if (n == 2)
      for (int i = 0; i < 300; ++i) conn->query("SELECT " + std::to_string(i) + " AS k");
  };
  conn->stream(sql, five, outer);
  ASSERT_EQ(outer.rows.size(), 5u);
  for (std::size_t r = 0; r < 5; ++r)
    EXPECT_EQ(outer.rows[r][0], Value(static_cast<std::int64_t>(r + 1)));
  EXPECT_EQ(innerCounts, std::vector<std::size_t>(10, 5u));
  EXPECT_EQ(conn->query(sql, five).size(), 5u);
}

}  // namespace
}  // namespace junction::test
