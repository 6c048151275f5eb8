// Every Value type survives a write and a read through a typed column.
#include <gtest/gtest.h>

#include <chrono>
#include <limits>

#include "driver_test_util.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "support/engine.hpp"

namespace junction::test {
namespace {

using namespace std::chrono;

std::string timestampType() {
  return isPostgres() ? "TIMESTAMP WITH TIME ZONE" : "DATETIME";
}
std::string blobType() {
  return isPostgres() ? "BYTEA" : "BLOB";
}

class ValuesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = openConnection(databaseUrl());
    conn_->execute(
        "CREATE TABLE typed (id INTEGER PRIMARY KEY, i INTEGER, big BIGINT, d DOUBLE PRECISION, "
        "v VARCHAR(255), t TEXT, b BOOLEAN, ts " +
        timestampType() + ", day DATE, j JSON, bin " + blobType() + ")");
  }

  // Writes `v` into `column` of a fresh row and reads it back.
  Value roundTrip(const std::string& column, const Value& v) {
    const std::int64_t id = ++nextId_;
    std::vector<Value> params{Value(id), v};
    conn_->query("INSERT INTO typed (id, " + column + ") VALUES (" + ph(*conn_, 1) + ", " +
                     ph(*conn_, 2) + ")",
                 params);
    std::vector<Value> key{Value(id)};
    auto rs = conn_->query("SELECT " + column + " FROM typed WHERE id = " + ph(*conn_, 1), key);
    EXPECT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs.columns, std::vector<std::string>{column});
    return rs.empty() ? Value() : rs.at(0, 0);
  }

  std::unique_ptr<Connection> conn_;
  std::int64_t nextId_ = 0;
};

// Suite names start with "driver" so `ctest -R driver` selects this suite.
using driverValues = ValuesTest;

TEST_F(driverValues, IntegersRoundTrip) {
  EXPECT_EQ(roundTrip("i", Value(42)), Value(42));
  EXPECT_EQ(roundTrip("i", Value(-2147483647 - 1)), Value(-2147483647 - 1));
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(roundTrip("big", Value(big)), Value(big));
  EXPECT_EQ(roundTrip("big", Value(std::numeric_limits<std::int64_t>::min())),
            Value(std::numeric_limits<std::int64_t>::min()));
}

TEST_F(driverValues, DoublesRoundTripExactly) {
  EXPECT_EQ(roundTrip("d", Value(0.1)), Value(0.1));
  EXPECT_EQ(roundTrip("d", Value(-1.5e300)), Value(-1.5e300));
  EXPECT_EQ(roundTrip("d", Value(3.0)).as<double>(), 3.0);
}

TEST_F(driverValues, TextRoundTrips) {
  EXPECT_EQ(roundTrip("v", Value("héllo 'quoted' \"x\"")), Value("héllo 'quoted' \"x\""));
  EXPECT_EQ(roundTrip("v", Value("")), Value(""));
  std::string longText(100000, 'x');
  EXPECT_EQ(roundTrip("t", Value(longText)), Value(longText));
  // Text that merely looks like a date stays text in a text column.
  EXPECT_EQ(roundTrip("t", Value("2024-01-01")), Value("2024-01-01"));
}

TEST_F(driverValues, BooleansRoundTripAsBooleans) {
  Value t = roundTrip("b", Value(true));
  Value f = roundTrip("b", Value(false));
  EXPECT_EQ(t.type(), ValueType::Bool);
  EXPECT_EQ(t, Value(true));
  EXPECT_EQ(f, Value(false));
}

TEST_F(driverValues, TimestampsRoundTripWithMicroseconds) {
  Timestamp ts = Timestamp::parse("2024-02-29T23:59:58.123456Z");
  Value back = roundTrip("ts", Value(ts));
  ASSERT_EQ(back.type(), ValueType::Timestamp) << back.toDebugString();
  EXPECT_EQ(back, Value(ts));
  Timestamp old = Timestamp::parse("1969-07-20 20:17:40+00:00");
  EXPECT_EQ(roundTrip("ts", Value(old)), Value(old));
}

TEST_F(driverValues, DatesRoundTrip) {
  Date d = Date::parse("2024-12-31");
  Value back = roundTrip("day", Value(d));
  ASSERT_EQ(back.type(), ValueType::Date) << back.toDebugString();
  EXPECT_EQ(back, Value(d));
}

TEST_F(driverValues, JsonRoundTripsAsJson) {
  JsonText j{R"({"a":[1,2,{"b":null}],"c":"\u00e9"})"};
  Value back = roundTrip("j", Value(j));
  ASSERT_EQ(back.type(), ValueType::Json) << back.toDebugString();
  EXPECT_EQ(back, Value(j));
}

TEST_F(driverValues, BlobsRoundTripIncludingZeroBytesAndEmpty) {
  Blob bytes{0x00, 0xff, 0x10, 0x00, 0x7f};
  EXPECT_EQ(roundTrip("bin", Value(bytes)), Value(bytes));
  Value empty = roundTrip("bin", Value(Blob{}));
  EXPECT_EQ(empty.type(), ValueType::Blob);
  EXPECT_EQ(empty, Value(Blob{}));
}

TEST_F(driverValues, NullRoundTripsInEveryColumn) {
  for (const char* column : {"i", "big", "d", "v", "t", "b", "ts", "day", "j", "bin"})
    EXPECT_TRUE(roundTrip(column, Value()).isNull()) << column;
}

TEST_F(driverValues, RowsAreRowMajorWithColumnNames) {
  conn_->execute("INSERT INTO typed (id, i, v) VALUES (1, 10, 'a'), (2, 20, 'b')");
  auto rs = conn_->query("SELECT id, i, v FROM typed ORDER BY id");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs.columns, (std::vector<std::string>{"id", "i", "v"}));
  EXPECT_EQ(rs.at(1, "v"), Value("b"));
  EXPECT_EQ(rs.row(0)[1], Value(10));
  EXPECT_THROW(rs.at(0, "nope"), UsageError);
  EXPECT_THROW(rs.at(2, 0), UsageError);
}

TEST_F(driverValues, EmptyResultStillHasColumns) {
  auto rs = conn_->query("SELECT id, v FROM typed");
  EXPECT_TRUE(rs.empty());
  EXPECT_EQ(rs.columns, (std::vector<std::string>{"id", "v"}));
}

TEST_F(driverValues, RowsAffectedCountsChangedRowsOnly) {
  conn_->execute("INSERT INTO typed (id, i) VALUES (1, 1), (2, 1), (3, 2)");
  std::vector<Value> p{Value(1)};
  EXPECT_EQ(conn_->query("UPDATE typed SET v = 'x' WHERE i = " + ph(*conn_, 1), p).rowsAffected, 2);
  EXPECT_EQ(conn_->query("DELETE FROM typed WHERE id = 99").rowsAffected, 0);
  // DDL after DML must not report the earlier statement's count.
  EXPECT_EQ(conn_->query("CREATE TABLE other (x INTEGER)").rowsAffected, 0);
  EXPECT_EQ(conn_->query("SELECT * FROM typed").rowsAffected, 0);
}

TEST_F(driverValues, LikeIsCaseSensitiveOnBothEngines) {
  auto rs = conn_->query("SELECT 'abc' LIKE 'ABC' AS ci, 'abc' LIKE 'a%' AS cs");
  EXPECT_FALSE(rs.at(0, "ci").as<bool>());
  EXPECT_TRUE(rs.at(0, "cs").as<bool>());
}

}  // namespace
}  // namespace junction::test
