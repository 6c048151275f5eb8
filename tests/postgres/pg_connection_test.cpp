// The libpq connection: session setup, type decoding, parameter binding, the
// prepared-statement cache, transactions' isolation levels.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "junction/errors.hpp"
#include "junction/pool.hpp"
#include "pg_test_util.hpp"

namespace junction {
namespace {

using test::pgConnect;

std::vector<Value> params(std::initializer_list<Value> v) {
  return std::vector<Value>(v);
}

TEST(PgConnection, SessionUsesTheUrlSchemaUtcAndJunctionApplicationName) {
  auto c = pgConnect();
  EXPECT_EQ(c->dialect().name(), "postgres");
  EXPECT_TRUE(c->isUsable());
  c->execute("CREATE TABLE placed (id int)");
  auto rs =
      c->query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'placed'");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs.at(0, 0).as<std::string>(), test::pgSchema());
  EXPECT_EQ(c->query("SELECT current_schema()").at(0, 0).as<std::string>(), test::pgSchema());
  EXPECT_EQ(c->query("SHOW TimeZone").at(0, 0).as<std::string>(), "UTC");
  EXPECT_EQ(c->query("SHOW client_encoding").at(0, 0).as<std::string>(), "UTF8");
  EXPECT_EQ(c->query("SHOW application_name").at(0, 0).as<std::string>(), "junction");
}

TEST(PgConnection, UrlParamsPassThroughAsLibpqKeywords) {
  auto u = ConnectionUrl::parse(test::serverUrl());
  auto c = openConnection(test::pgUrlWith(u.user, u.password, u.database,
                                          "application_name=bloglist&sslmode=disable&"
                                          "connect_timeout=3&schema=" +
                                              test::pgSchema()));
  EXPECT_EQ(c->query("SHOW application_name").at(0, 0).as<std::string>(), "bloglist");
  EXPECT_EQ(c->query("SELECT current_schema()").at(0, 0).as<std::string>(), test::pgSchema());
}

TEST(PgConnection, SchemaNameIsQuotedAsAnIdentifier) {
  const std::string schema = "we\"ird sch;ema";
  auto admin = openConnection(test::serverUrl());
  admin->execute("CREATE SCHEMA IF NOT EXISTS \"we\"\"ird sch;ema\"");
  auto u = ConnectionUrl::parse(test::serverUrl());
  auto c = openConnection(
      test::pgUrlWith(u.user, u.password, u.database, "schema=we%22ird%20sch%3Bema"));
  EXPECT_EQ(c->query("SELECT current_schema()").at(0, 0).as<std::string>(), schema);
  admin->execute("DROP SCHEMA \"we\"\"ird sch;ema\" CASCADE");
}

TEST(PgConnection, DecodesEveryColumnTypeByOid) {
  auto c = pgConnect();
  c->execute(R"(CREATE TABLE every (
      b boolean, i2 smallint, i4 integer, i8 bigint, f4 real, f8 double precision,
      num numeric(30, 9), t text, vc varchar(20), ch char(4), u uuid,
      ts timestamptz, tsn timestamp, d date, j json, jb jsonb, by bytea))");
  const Timestamp ts{std::chrono::sys_days(std::chrono::year{2024} / 2 / 29) +
                     std::chrono::hours(23) + std::chrono::minutes(59) + std::chrono::seconds(58) +
                     std::chrono::microseconds(123456)};
  const Date d{std::chrono::year{1999} / 12 / 31};
  c->query(
      "INSERT INTO every VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
      "$15, $16, $17)",
      params({true, -32768, 2147483647, std::numeric_limits<std::int64_t>::min(), 1.5, 0.1 + 0.2,
              "123456789012345678901.123456789", "héllo ☃", "varchar", "ab",
              "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ts, "2001-02-03 04:05:06.789", d,
              JsonText{R"({"b": [1, 2],  "a": null})"}, JsonText{R"({"b": 1,  "a": "x"})"},
              Blob{0x00, 0xff, 0x5c}}));
  auto rs = c->query("SELECT * FROM every");
  ASSERT_EQ(rs.size(), 1u);
  ASSERT_NE(rs.at(0, "b").getIf<bool>(), nullptr);
  EXPECT_TRUE(*rs.at(0, "b").getIf<bool>());
  ASSERT_NE(rs.at(0, "i2").getIf<std::int64_t>(), nullptr);
  EXPECT_EQ(*rs.at(0, "i2").getIf<std::int64_t>(), -32768);
  ASSERT_NE(rs.at(0, "i4").getIf<std::int64_t>(), nullptr);
  EXPECT_EQ(*rs.at(0, "i4").getIf<std::int64_t>(), 2147483647);
  ASSERT_NE(rs.at(0, "i8").getIf<std::int64_t>(), nullptr);
  EXPECT_EQ(*rs.at(0, "i8").getIf<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
  ASSERT_NE(rs.at(0, "f4").getIf<double>(), nullptr);
  EXPECT_EQ(*rs.at(0, "f4").getIf<double>(), 1.5);
  ASSERT_NE(rs.at(0, "f8").getIf<double>(), nullptr);
  EXPECT_EQ(*rs.at(0, "f8").getIf<double>(), 0.1 + 0.2);  // exact round trip, not 0.3
  ASSERT_NE(rs.at(0, "num").getIf<std::string>(), nullptr);
  EXPECT_EQ(*rs.at(0, "num").getIf<std::string>(), "123456789012345678901.123456789");
  EXPECT_EQ(*rs.at(0, "t").getIf<std::string>(), "héllo ☃");
  EXPECT_EQ(*rs.at(0, "vc").getIf<std::string>(), "varchar");
  EXPECT_EQ(*rs.at(0, "ch").getIf<std::string>(), "ab  ");
  EXPECT_EQ(*rs.at(0, "u").getIf<std::string>(), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
  ASSERT_NE(rs.at(0, "ts").getIf<Timestamp>(), nullptr);
  EXPECT_EQ(*rs.at(0, "ts").getIf<Timestamp>(), ts);  // microseconds survive
  ASSERT_NE(rs.at(0, "tsn").getIf<Timestamp>(), nullptr);
  EXPECT_EQ(rs.at(0, "tsn").getIf<Timestamp>()->toIso(), "2001-02-03T04:05:06.789Z");
  ASSERT_NE(rs.at(0, "d").getIf<Date>(), nullptr);
  EXPECT_EQ(*rs.at(0, "d").getIf<Date>(), d);
  ASSERT_NE(rs.at(0, "j").getIf<JsonText>(), nullptr);
  EXPECT_EQ(rs.at(0, "j").getIf<JsonText>()->text, R"({"b": [1, 2],  "a": null})");
  ASSERT_NE(rs.at(0, "jb").getIf<JsonText>(), nullptr);
  EXPECT_EQ(rs.at(0, "jb").getIf<JsonText>()->text, R"({"a": "x", "b": 1})");
  ASSERT_NE(rs.at(0, "by").getIf<Blob>(), nullptr);
  EXPECT_EQ(*rs.at(0, "by").getIf<Blob>(), (Blob{0x00, 0xff, 0x5c}));
}

TEST(PgConnection, ComputedColumnsDecodeByTheirResultType) {
  auto c = pgConnect();
  auto rs = c->query(
      "SELECT 1 = 1 AS yes, count(*) AS n, 'pg_class'::regclass::oid AS o, 2.50::numeric AS "
      "exact, now() AS at, current_date AS today, '{}'::jsonb AS doc, "
      "'1 day'::interval AS other, NULL::int AS nothing");
  EXPECT_EQ(rs.at(0, "yes").type(), ValueType::Bool);
  EXPECT_EQ(rs.at(0, "n").type(), ValueType::Int);
  EXPECT_EQ(rs.at(0, "o").type(), ValueType::Int);
  EXPECT_EQ(rs.at(0, "exact").as<std::string>(), "2.50");
  EXPECT_EQ(rs.at(0, "at").type(), ValueType::Timestamp);
  EXPECT_EQ(rs.at(0, "today").type(), ValueType::Date);
  EXPECT_EQ(rs.at(0, "doc").type(), ValueType::Json);
  EXPECT_EQ(rs.at(0, "other").as<std::string>(), "1 day");
  EXPECT_TRUE(rs.at(0, "nothing").isNull());
  EXPECT_EQ(rs.columns, (std::vector<std::string>{"yes", "n", "o", "exact", "at", "today", "doc",
                                                  "other", "nothing"}));
}

TEST(PgConnection, ByteaRoundTripsAllByteValues) {
  auto c = pgConnect();
  c->execute("CREATE TABLE blobs (id int, data bytea)");
  Blob all(256);
  for (int i = 0; i < 256; ++i) all[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i);
  c->query("INSERT INTO blobs VALUES (1, $1), (2, $2)", params({all, Blob{}}));
  auto rs = c->query("SELECT data, octet_length(data) AS len FROM blobs ORDER BY id");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs.at(0, "data").as<Blob>(), all);
  EXPECT_EQ(rs.at(0, "len").as<int>(), 256);
  // An empty blob is a value, not NULL.
  ASSERT_FALSE(rs.at(1, "data").isNull());
  EXPECT_TRUE(rs.at(1, "data").as<Blob>().empty());
  // The escape output format (a user's SET) still decodes.
  c->execute("SET bytea_output TO escape");
  EXPECT_EQ(c->query("SELECT data FROM blobs WHERE id = 1").at(0, 0).as<Blob>(), all);
}

TEST(PgConnection, DoublesKeepFullPrecisionAndSpecialValues) {
  auto c = pgConnect();
  for (double d : {0.1, 1e308, 5e-324, -2.5, std::numeric_limits<double>::infinity(),
                   -std::numeric_limits<double>::infinity()}) {
    auto v = c->query("SELECT $1::float8 AS v", params({d})).at(0, 0);
    ASSERT_EQ(v.type(), ValueType::Double) << d;
    EXPECT_EQ(*v.getIf<double>(), d);
  }
  auto nan = c->query("SELECT $1::float8 AS v", params({std::nan("")})).at(0, 0);
  ASSERT_EQ(nan.type(), ValueType::Double);
  EXPECT_TRUE(std::isnan(*nan.getIf<double>()));
}

TEST(PgConnection, NullParamsInEveryPosition) {
  auto c = pgConnect();
  c->execute("CREATE TABLE holes (n serial, a int, b text, c timestamptz, d boolean)");
  const std::string insert = "INSERT INTO holes (a, b, c, d) VALUES ($1, $2, $3, $4)";
  const std::vector<Value> full = {7, "x", Timestamp::fromMillis(1'000), true};
  for (std::size_t hole = 0; hole < full.size(); ++hole) {
    auto row = full;
    row[hole] = Value();
    c->query(insert, row);
  }
  c->query(insert, std::vector<Value>(4));
  auto rs = c->query("SELECT a, b, c, d FROM holes ORDER BY n");
  ASSERT_EQ(rs.size(), 5u);
  for (std::size_t r = 0; r < 4; ++r) {
    for (std::size_t col = 0; col < 4; ++col) {
      EXPECT_EQ(rs.at(r, col).isNull(), col == r) << "row " << r << " col " << col;
      if (col != r) {
        EXPECT_EQ(rs.at(r, col), full[col]);
      }
    }
  }
  for (std::size_t col = 0; col < 4; ++col) EXPECT_TRUE(rs.at(4, col).isNull());
}

TEST(PgConnection, ParameterTypesFollowTheValueKind) {
  auto c = pgConnect();
  auto typeOf = [&](Value v) {
    return c->query("SELECT pg_typeof(v)::text AS t FROM (SELECT $1 AS v) s", params({v}))
        .at(0, 0)
        .as<std::string>();
  };
  EXPECT_EQ(typeOf(std::int64_t{1}), "bigint");
  EXPECT_EQ(typeOf(1.5), "double precision");
  EXPECT_EQ(typeOf(true), "boolean");
  EXPECT_EQ(typeOf(Blob{1}), "bytea");
  EXPECT_EQ(typeOf("text"), "text");   // unknown: the server resolves it
  EXPECT_EQ(typeOf(Value()), "text");  // a NULL is unknown too
  // Unknown-typed text binds into typed columns by context.
  c->execute("CREATE TABLE typed (u uuid, j jsonb, at timestamptz, d date)");
  c->query("INSERT INTO typed VALUES ($1, $2, $3, $4)",
           params({"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", JsonText{"[1]"},
                   Timestamp::fromMillis(86'400'000), Date{std::chrono::year{2020} / 1 / 2}}));
  auto rs =
      c->query("SELECT * FROM typed WHERE at = $1", params({Timestamp::fromMillis(86'400'000)}));
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs.at(0, "j").as<JsonText>().text, "[1]");
  EXPECT_EQ(rs.at(0, "d").as<Date>().toIso(), "2020-01-02");
}

TEST(PgConnection, SameSqlWithDifferentParamKindsGetsOnePlanPerSignature) {
  auto c = pgConnect();
  const std::string sql = "SELECT pg_typeof(v)::text AS t, v IS NULL AS n FROM (SELECT $1 AS v) s";
  const std::size_t before = c->cachedStatements();
  auto run = [&](Value v) { return c->query(sql, params({v})); };
  EXPECT_EQ(run(42).at(0, "t").as<std::string>(), "bigint");
  EXPECT_EQ(run(4.25).at(0, "t").as<std::string>(), "double precision");
  auto nul = run(Value());
  EXPECT_EQ(nul.at(0, "t").as<std::string>(), "text");
  EXPECT_TRUE(nul.at(0, "n").as<bool>());
  EXPECT_EQ(c->cachedStatements(), before + 3);
  // A null shares the text ("unknown") plan rather than making its own.
  EXPECT_EQ(run("abc").at(0, "t").as<std::string>(), "text");
  EXPECT_EQ(c->cachedStatements(), before + 3);
  // Re-running with an int reuses the first plan.
  EXPECT_EQ(run(7).at(0, "t").as<std::string>(), "bigint");
  EXPECT_EQ(c->cachedStatements(), before + 3);
}

TEST(PgConnection, StatementCacheIsBoundedAndEvictionsDeallocate) {
  auto c = pgConnect();
  for (int i = 0; i < 300; ++i) {
    auto rs = c->query(fmt::format("SELECT {} AS n, $1::int AS m", i), params({i}));
    ASSERT_EQ(rs.at(0, "n").as<int>(), i);
  }
  EXPECT_EQ(c->cachedStatements(), 256u);
  auto server = c->query("SELECT count(*) FROM pg_prepared_statements").at(0, 0).as<std::int64_t>();
  EXPECT_LE(server, 256);
  // An evicted statement is prepared again on demand.
  EXPECT_EQ(c->query("SELECT 0 AS n, $1::int AS m", params({5})).at(0, "m").as<int>(), 5);
  EXPECT_LE(c->cachedStatements(), 256u);
}

TEST(PgConnection, EvictionInsideATransactionNeverAbortsIt) {
  auto c = pgConnect();
  c->execute("CREATE TABLE evict_tx (n int)");
  c->begin();
  c->query("INSERT INTO evict_tx VALUES ($1)", params({-1}));
  // The server forgets every statement; evicting the cached one must not
  // send a DEALLOCATE that fails and aborts the caller's transaction.
  c->execute("DEALLOCATE ALL");
  for (int i = 0; i < 300; ++i) c->query(fmt::format("SELECT {} AS n", i));
  c->query("INSERT INTO evict_tx VALUES ($1)", params({1}));
  c->commit();
  EXPECT_EQ(c->query("SELECT count(*) FROM evict_tx").at(0, 0).as<int>(), 2);
  // Deferred deallocations happen once outside the transaction.
  c->query("SELECT 'fresh' AS n");
  EXPECT_LE(c->query("SELECT count(*) FROM pg_prepared_statements").at(0, 0).as<int>(), 256);
}

TEST(PgConnection, RowsAffectedCountsChangedRows) {
  auto c = pgConnect();
  c->execute("CREATE TABLE counted (id int)");
  EXPECT_EQ(c->query("INSERT INTO counted SELECT generate_series(1, 5)").rowsAffected, 5);
  EXPECT_EQ(c->query("UPDATE counted SET id = id + 1 WHERE id > $1", params({2})).rowsAffected, 3);
  auto returning = c->query("DELETE FROM counted WHERE id < 4 RETURNING id");
  EXPECT_EQ(returning.rowsAffected, 2);
  EXPECT_EQ(returning.size(), 2u);
  EXPECT_EQ(c->query("SELECT * FROM counted").rowsAffected, 0);
}

TEST(PgConnection, ExecuteRunsMultiStatementScripts) {
  auto c = pgConnect();
  c->execute(
      "CREATE TABLE script (v text); INSERT INTO script VALUES ('a;b'), ($$c$$);"
      "DROP TABLE IF EXISTS not_there");
  EXPECT_EQ(c->query("SELECT count(*) FROM script").at(0, 0).as<int>(), 2);
  // COPY through the protocol would wedge the connection: refused, and it stays usable.
  EXPECT_THROW(c->execute("COPY script FROM STDIN"), UsageError);
  EXPECT_THROW(c->execute("COPY script TO STDOUT"), UsageError);
  EXPECT_THROW(c->query("COPY script FROM STDIN"), UsageError);
  EXPECT_THROW(c->query("COPY script TO STDOUT"), UsageError);
  EXPECT_TRUE(c->isUsable());
  EXPECT_EQ(c->query("SELECT count(*) FROM script").at(0, 0).as<int>(), 2);
}

TEST(PgConnection, NoticesAreNotPrintedToStderr) {
  auto c = pgConnect();
  std::fflush(stderr);
  std::FILE* capture = std::tmpfile();  // anonymous: removed when closed
  ASSERT_NE(capture, nullptr);
  int fd = ::fileno(capture);
  int saved = ::dup(2);
  ::dup2(fd, 2);
  c->execute("DROP TABLE IF EXISTS no_such_table_here");
  c->query("DROP TABLE IF EXISTS no_such_table_either");
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::rewind(capture);
  std::string text;
  for (int ch; (ch = std::fgetc(capture)) != EOF;) text += static_cast<char>(ch);
  std::fclose(capture);
  EXPECT_EQ(text, "");
}

TEST(PgConnection, IsolationLevelsMapToBeginIsolationLevel) {
  auto c = pgConnect();
  const std::pair<IsolationLevel, const char*> levels[] = {
      {IsolationLevel::ReadUncommitted, "read uncommitted"},
      {IsolationLevel::ReadCommitted, "read committed"},
      {IsolationLevel::RepeatableRead, "repeatable read"},
      {IsolationLevel::Serializable, "serializable"},
  };
  std::vector<std::string> seen;
  QueryObserver observer = [&](const QueryEvent& e) { seen.emplace_back(e.sql); };
  c->setObserver(&observer);
  for (auto [level, name] : levels) {
    c->begin(level);
    EXPECT_EQ(c->query("SHOW transaction_isolation").at(0, 0).as<std::string>(), name);
    c->rollback();
  }
  c->begin();
  EXPECT_EQ(c->query("SHOW transaction_isolation").at(0, 0).as<std::string>(), "read committed");
  c->commit();
  c->setObserver(nullptr);
  EXPECT_EQ(seen.front(), "BEGIN ISOLATION LEVEL READ UNCOMMITTED");
  EXPECT_NE(std::find(seen.begin(), seen.end(), "BEGIN ISOLATION LEVEL SERIALIZABLE"), seen.end());
  EXPECT_NE(std::find(seen.begin(), seen.end(), "BEGIN"), seen.end());
}

TEST(PgConnection, ObserverSeesEveryStatementWithParamsAndOutcome) {
  auto c = pgConnect();
  std::vector<std::pair<std::string, bool>> events;
  std::size_t lastParams = 0;
  QueryObserver observer = [&](const QueryEvent& e) {
    events.emplace_back(std::string(e.sql), e.failed);
    lastParams = e.params.size();
    EXPECT_EQ(e.dialect, "postgres");
    EXPECT_GE(e.duration.count(), 0);
  };
  c->setObserver(&observer);
  c->query("SELECT $1::int + $2::int", params({1, 2}));
  EXPECT_EQ(lastParams, 2u);
  EXPECT_THROW(c->query("SELECT * FROM no_such_table"), DatabaseError);
  c->execute("SELECT 1; SELECT 2");
  c->setObserver(nullptr);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0], std::make_pair(std::string("SELECT $1::int + $2::int"), false));
  EXPECT_EQ(events[1], std::make_pair(std::string("SELECT * FROM no_such_table"), true));
  EXPECT_EQ(events[2], std::make_pair(std::string("SELECT 1; SELECT 2"), false));
}

TEST(PgConnection, StalePlanAfterAlterTableIsRetriedTransparently) {
  auto c = pgConnect();
  c->execute("CREATE TABLE shifting (a int); INSERT INTO shifting VALUES (1)");
  auto before = c->query("SELECT * FROM shifting WHERE a = $1", params({1}));
  EXPECT_EQ(before.columns, (std::vector<std::string>{"a"}));
  c->execute("ALTER TABLE shifting ADD COLUMN b int DEFAULT 7");
  auto after = c->query("SELECT * FROM shifting WHERE a = $1", params({1}));
  EXPECT_EQ(after.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(after.at(0, "b").as<int>(), 7);
}

TEST(PgConnection, StalePlanInsideATransactionIsNotRetried) {
  auto c = pgConnect();
  c->execute("CREATE TABLE shifting_tx (a int); INSERT INTO shifting_tx VALUES (1)");
  c->query("SELECT * FROM shifting_tx");
  c->begin();
  c->query("ALTER TABLE shifting_tx ADD COLUMN b int DEFAULT 7");
  try {
    c->query("SELECT * FROM shifting_tx");
    ADD_FAILURE() << "expected the stale plan to fail inside the transaction";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.sqlState(), "0A000");
  }
  c->rollback();
  EXPECT_TRUE(c->isUsable());
  EXPECT_EQ(c->query("SELECT * FROM shifting_tx").columns, (std::vector<std::string>{"a"}));
}

TEST(PgConnection, StatementsDroppedByTheServerArePreparedAgain) {
  auto c = pgConnect();
  EXPECT_EQ(c->query("SELECT $1::int AS v", params({1})).at(0, 0).as<int>(), 1);
  c->execute("DEALLOCATE ALL");
  EXPECT_EQ(c->query("SELECT $1::int AS v", params({2})).at(0, 0).as<int>(), 2);
}

TEST(PgConnection, ParameterCountMismatchIsAUsageError) {
  auto c = pgConnect();
  try {
    c->query("SELECT $1::int + $2::int", params({1}));
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("expects 2 parameters, 1 given"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(c->query("SELECT $1::int", params({1, 2})), UsageError);
  EXPECT_THROW(c->query("SELECT $1::int"), UsageError);
  EXPECT_THROW(c->query("SELECT 1", params({1})), UsageError);
  // Dollar signs in literals, identifiers and comments are not placeholders.
  auto rs = c->query("SELECT '$2' AS a, $q$ $3 $q$ AS b, $1::int AS \"$4\" -- $5", params({9}));
  EXPECT_EQ(rs.at(0, "a").as<std::string>(), "$2");
  EXPECT_EQ(rs.at(0, "$4").as<int>(), 9);
  EXPECT_TRUE(c->isUsable());
}

struct CollectingSink : RowSink {
  std::vector<std::string> names;
  std::vector<std::vector<Value>> rows;
  std::function<void(std::span<Value>)> onRow;
  std::optional<std::size_t> expected;  // expectRows' count, told before the first row
  void columns(std::span<const std::string> n) override { names.assign(n.begin(), n.end()); }
  void expectRows(std::size_t count) override {
    EXPECT_TRUE(rows.empty());
    expected = count;
  }
  void row(std::span<Value> values) override {
    if (onRow) onRow(values);
    // Moving out is allowed: the buffer is refilled for the next row.
    std::vector<Value> copy;
    for (auto& v : values) copy.push_back(std::move(v));
    rows.push_back(std::move(copy));
  }
};

TEST(PgConnection, StreamDecodesRowsLikeQuery) {
  auto c = pgConnect();
  c->execute(
      "CREATE TABLE streamed (id int, name text, at timestamptz, note text);"
      "INSERT INTO streamed SELECT g, 'name ' || g, '2024-01-01'::timestamptz + g * interval "
      "'1 second', CASE WHEN g % 2 = 0 THEN NULL ELSE 'odd' END FROM generate_series(1, 50) g");
  const std::string sql = "SELECT id, name, at, note FROM streamed WHERE id > $1 ORDER BY id";
  CollectingSink sink;
  EXPECT_EQ(c->stream(sql, params({10}), sink), 0);
  auto expected = c->query(sql, params({10}));
  EXPECT_EQ(sink.names, expected.columns);
  ASSERT_EQ(sink.rows.size(), expected.size());
  EXPECT_EQ(sink.expected, expected.size()) << "the row count is told before the rows";
  for (std::size_t r = 0; r < expected.size(); ++r) {
    for (std::size_t col = 0; col < expected.columns.size(); ++col) {
      EXPECT_EQ(sink.rows[r][col], expected.at(r, col)) << r << "," << col;
      EXPECT_EQ(sink.rows[r][col].type(), expected.at(r, col).type()) << r << "," << col;
    }
  }
  CollectingSink changed;
  EXPECT_EQ(
      c->stream("UPDATE streamed SET note = 'x' WHERE id <= $1 RETURNING id", params({3}), changed),
      3);
  EXPECT_EQ(changed.rows.size(), 3u);
}

TEST(PgConnection, StreamSinkMayQueryTheSameConnection) {
  auto c = pgConnect();
  CollectingSink sink;
  std::vector<std::int64_t> nested;
  sink.onRow = [&](std::span<Value> row) {
    nested.push_back(c->query("SELECT $1::int * 10 AS v, 'other' AS w", params({row[0]}))
                         .at(0, 0)
                         .as<std::int64_t>());
  };
  c->stream("SELECT g AS n, g::text AS s FROM generate_series(1, 3) g", {}, sink);
  EXPECT_EQ(nested, (std::vector<std::int64_t>{10, 20, 30}));
  ASSERT_EQ(sink.rows.size(), 3u);
  EXPECT_EQ(sink.rows[2][1].as<std::string>(), "3");
}

TEST(PgConnection, StreamErrorsAreTypedAndSinkErrorsAreNotStatementFailures) {
  auto c = pgConnect();
  c->execute("CREATE TABLE uniq (v int UNIQUE); INSERT INTO uniq VALUES (1)");
  std::vector<bool> failed;
  QueryObserver observer = [&](const QueryEvent& e) { failed.push_back(e.failed); };
  c->setObserver(&observer);
  CollectingSink sink;
  EXPECT_THROW(c->stream("INSERT INTO uniq VALUES ($1) RETURNING v", params({1}), sink),
               UniqueConstraintError);
  sink.onRow = [](std::span<Value>) { throw std::runtime_error("sink gave up"); };
  EXPECT_THROW(c->stream("SELECT v FROM uniq", {}, sink), std::runtime_error);
  c->setObserver(nullptr);
  EXPECT_EQ(failed, (std::vector<bool>{true, false}));
  EXPECT_TRUE(c->isUsable());
  EXPECT_EQ(c->query("SELECT count(*) FROM uniq").at(0, 0).as<int>(), 1);
}

TEST(PgConnection, TransactionStateOutOfStepWithTheDepthMakesTheConnectionUnusable) {
  auto c = pgConnect();
  EXPECT_TRUE(c->isUsable());
  c->execute("BEGIN");  // behind the depth counter's back
  EXPECT_FALSE(c->isUsable()) << "in a transaction at depth 0";
  EXPECT_THROW(c->query("SELEC"), DatabaseError);
  EXPECT_FALSE(c->isUsable()) << "in an aborted transaction at depth 0";
  c->execute("ROLLBACK");
  EXPECT_TRUE(c->isUsable());

  c->begin();
  EXPECT_TRUE(c->isUsable());
  EXPECT_THROW(c->query("SELEC"), DatabaseError);
  EXPECT_TRUE(c->isUsable()) << "an aborted transaction its owner can still roll back";
  c->rollback();
  c->begin();
  c->execute("COMMIT");  // ends the transaction the depth counter still counts
  EXPECT_EQ(c->transactionDepth(), 1);
  EXPECT_FALSE(c->isUsable()) << "outside any transaction at depth 1";
}

TEST(PgConnection, PoolDiscardsAConnectionLeftInAnUntrackedTransaction) {
  Pool pool([] { return pgConnect(); }, {.max = 1});
  std::int64_t firstPid = 0;
  {
    auto lease = pool.acquire();
    firstPid = test::backendPid(*lease);
    lease->execute("BEGIN");
  }
  EXPECT_EQ(pool.size(), 0u) << "discarded on return, not rolled back and reused";
  auto lease = pool.acquire();
  EXPECT_NE(test::backendPid(*lease), firstPid);
  EXPECT_TRUE(lease->isUsable()) << "the new connection is outside any transaction";
}

TEST(PgConnection, TextWithNulIsRejectedBeforeSending) {
  auto c = pgConnect();
  EXPECT_THROW(c->query("SELECT $1::text", params({std::string("a\0b", 3)})), UsageError);
  EXPECT_EQ(c->query("SELECT $1::text AS v", params({"ok"})).at(0, 0).as<std::string>(), "ok");
}

}  // namespace
}  // namespace junction
