// The connection's text helpers, without a server.
#include "dialects/postgres/pg_codec.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <limits>

namespace junction::postgres {
namespace {

TEST(PgCodec, CountsTheHighestPlaceholder) {
  EXPECT_EQ(countPlaceholders("SELECT 1"), 0u);
  EXPECT_EQ(countPlaceholders("SELECT $1"), 1u);
  EXPECT_EQ(countPlaceholders("SELECT $2, $1, $10"), 10u);
  EXPECT_EQ(countPlaceholders("SELECT $1+$2"), 2u);
  EXPECT_EQ(countPlaceholders("UPDATE t SET a = $1 WHERE b IN ($2,$3)"), 3u);
}

TEST(PgCodec, IgnoresDollarsOutsidePlaceholders) {
  EXPECT_EQ(countPlaceholders("SELECT '$1', $1"), 1u);
  EXPECT_EQ(countPlaceholders("SELECT 'it''s $3', $1"), 1u);
  EXPECT_EQ(countPlaceholders(R"(SELECT E'\'$4', $1)"), 1u);
  EXPECT_EQ(countPlaceholders(R"(SELECT '\', $1)"), 1u);  // standard strings: no escapes
  EXPECT_EQ(countPlaceholders(R"(SELECT "a$2""$3", $1)"), 1u);
  EXPECT_EQ(countPlaceholders("SELECT a$2 FROM t WHERE x = $1"), 1u);
  EXPECT_EQ(countPlaceholders("SELECT $$ $5 $$, $1"), 1u);
  EXPECT_EQ(countPlaceholders("SELECT $body$ $5 $$ $6 $body$, $2"), 2u);
  EXPECT_EQ(countPlaceholders("SELECT $1 -- $7\n, $2"), 2u);
  EXPECT_EQ(countPlaceholders("SELECT /* $3 /* nested $4 */ $5 */ $1"), 1u);
  EXPECT_EQ(countPlaceholders("SELECT 'unterminated $2"), 0u);
  EXPECT_EQ(countPlaceholders("SELECT $"), 0u);
}

TEST(PgCodec, ParsesUniqueViolationKeyColumns) {
  EXPECT_EQ(parseKeyFields("Key (username)=(ada) already exists."),
            std::vector<std::string>{"username"});
  EXPECT_EQ(parseKeyFields("Key (a, b)=(1, 2) already exists."),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parseKeyFields(R"(Key ("userId", "teamId")=(1, 10) already exists.)"),
            (std::vector<std::string>{"userId", "teamId"}));
  EXPECT_EQ(parseKeyFields(R"x(Key ("we""ird, (x)", b)=(1, 2) already exists.)x"),
            (std::vector<std::string>{"we\"ird, (x)", "b"}));
  EXPECT_EQ(parseKeyFields("Key (lower(email))=(a@b.c) already exists."),
            std::vector<std::string>{"lower(email)"});
  EXPECT_TRUE(parseKeyFields("").empty());
  EXPECT_TRUE(parseKeyFields("Schlüssel existiert bereits").empty());
}

TEST(PgCodec, DecodesHexBytea) {
  EXPECT_EQ(decodeByteaHex("\\x"), Blob{});
  EXPECT_EQ(decodeByteaHex("\\x00ff7Fa0"), (Blob{0x00, 0xff, 0x7f, 0xa0}));
  EXPECT_EQ(decodeByteaHex("\\x0"), std::nullopt);
  EXPECT_EQ(decodeByteaHex("\\xzz"), std::nullopt);
  EXPECT_EQ(decodeByteaHex("\\000"), std::nullopt);
  EXPECT_EQ(decodeByteaHex(""), std::nullopt);
}

TEST(PgCodec, ParsesTimestampOutputLikeTheGeneralParser) {
  for (const char* text :
       {"2024-02-29 23:59:58.123456+00", "2024-02-29 23:59:58+00", "2024-02-29 23:59:58.1",
        "1970-01-01 00:00:00", "0001-01-01 00:00:00.000001+00", "9999-12-31 23:59:59.999999+00",
        "2024-01-02 03:04:05.5+05:30", "2016-12-31 23:59:60+00"}) {
    auto expected = Timestamp::tryParse(text);
    ASSERT_TRUE(expected.has_value()) << text;
    EXPECT_EQ(parseTimestamp(text), expected) << text;
  }
  EXPECT_EQ(parseTimestamp("2024-02-29 23:59:58.123456+00")->toIso(), "2024-02-29T23:59:58.123Z");
  EXPECT_EQ(
      parseTimestamp("2024-02-29 23:59:58.000007+00")->time.time_since_epoch().count() % 1'000'000,
      7);
  for (const char* text : {"infinity", "-infinity", "2023-02-29 00:00:00+00",
                           "0044-03-15 12:00:00+00 BC", "2024-01-01 24:00:00", ""}) {
    EXPECT_EQ(parseTimestamp(text), std::nullopt) << text;
  }
}

// The fixed-position fast path agrees with the general parser on every kind
// of calendar day (leap rules of 4, 100 and 400; month ends; BC excluded).
TEST(PgCodec, FastTimestampPathAgreesWithTheGeneralParserAcrossTheCalendar) {
  int compared = 0;
  for (int y : {1, 4, 100, 400, 1582, 1899, 1900, 1969, 1970, 1999, 2000, 2024, 2100, 9999})
    for (int m = 1; m <= 12; ++m)
      for (int d : {1, 15, 28, 29, 30, 31})
        for (const char* time : {"00:00:00+00", "23:59:59.999999+00", "12:34:56.7+00"}) {
          char text[48];
          std::snprintf(text, sizeof text, "%04d-%02d-%02d %s", y, m, d, time);
          EXPECT_EQ(parseTimestamp(text), Timestamp::tryParse(text)) << text;
          ++compared;
        }
  EXPECT_EQ(compared, 14 * 12 * 6 * 3);
  EXPECT_EQ(parseTimestamp("1900-02-29 00:00:00+00"), std::nullopt);
  EXPECT_EQ(parseTimestamp("2000-02-29 00:00:00+00")->toIso(), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(parseTimestamp("1969-12-31 23:59:59.999999+00")->time.time_since_epoch().count(), -1);
  for (const char* bad :
       {"2024-13-01 00:00:00+00", "2024-00-10 00:00:00+00", "2024-04-31 00:00:00+00",
        "2024-01-01 00:60:00+00", "2024-01-01 0a:00:00+00", "2024-01-01 00:00:00+01x"})
    EXPECT_EQ(parseTimestamp(bad), Timestamp::tryParse(bad)) << bad;
}

TEST(PgCodec, FormatsDoublesForExactRoundTrip) {
  auto fmt = [](double d) {
    std::string s;
    appendDouble(s, d);
    return s;
  };
  EXPECT_EQ(fmt(0.1), "0.1");
  EXPECT_EQ(fmt(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(fmt(-2.0), "-2");
  EXPECT_EQ(fmt(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(fmt(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(fmt(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

}  // namespace
}  // namespace junction::postgres
