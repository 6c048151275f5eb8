#include <gtest/gtest.h>

#include "junction/errors.hpp"
#include "junction/value.hpp"

using namespace junction;

TEST(Value, HoldsEachType) {
  EXPECT_TRUE(Value().isNull());
  EXPECT_TRUE(Value(nullptr).isNull());
  EXPECT_EQ(Value(true).type(), ValueType::Bool);
  EXPECT_EQ(Value(42).type(), ValueType::Int);
  EXPECT_EQ(Value(std::int64_t{1} << 40).as<std::int64_t>(), std::int64_t{1} << 40);
  EXPECT_EQ(Value(1.5).type(), ValueType::Double);
  EXPECT_EQ(Value("abc").type(), ValueType::Text);  // not bool!
  EXPECT_EQ(Value(std::string("abc")).as<std::string>(), "abc");
  EXPECT_EQ(Value(Blob{1, 2}).type(), ValueType::Blob);
  EXPECT_EQ(Value(JsonText{"{}"}).type(), ValueType::Json);
  EXPECT_EQ(Value(std::optional<int>()).type(), ValueType::Null);
  EXPECT_EQ(Value(std::optional<int>(3)).as<int>(), 3);
}

TEST(Value, CheckedIntegerConversions) {
  EXPECT_EQ(Value(300).as<int>(), 300);
  EXPECT_THROW(Value(300).as<std::int8_t>(), ConversionError);
  EXPECT_THROW(Value(-1).as<unsigned>(), ConversionError);
  EXPECT_EQ(Value(2.0).as<int>(), 2);
  EXPECT_THROW(Value(2.5).as<int>(), ConversionError);
  EXPECT_THROW(Value("12").as<int>(), ConversionError);
  EXPECT_THROW(Value().as<int>(), ConversionError);
  EXPECT_EQ(Value().asOptional<int>(), std::nullopt);
  EXPECT_THROW(Value(~std::uint64_t{0}), ConversionError);
}

TEST(Value, BoolConversions) {
  EXPECT_TRUE(Value(1).as<bool>());
  EXPECT_FALSE(Value(0).as<bool>());
  EXPECT_THROW(Value(2).as<bool>(), ConversionError);
  EXPECT_THROW(Value("true").as<bool>(), ConversionError);
}

TEST(Value, ConversionErrorNamesBothTypes) {
  try {
    Value("many").as<int>();
    FAIL() << "expected ConversionError";
  } catch (const ConversionError& e) {
    EXPECT_NE(std::string(e.what()).find("text"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("\"many\""), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("integer"), std::string::npos);
  }
}

TEST(Value, Equality) {
  EXPECT_EQ(Value(1), Value(1.0));
  EXPECT_NE(Value(1), Value("1"));
  EXPECT_EQ(Value(), Value(nullptr));
}

TEST(Timestamp, ParsesIsoAndSqlForms) {
  auto a = Timestamp::parse("2024-01-01T12:00:00.000Z");
  EXPECT_EQ(a.toIso(), "2024-01-01T12:00:00.000Z");
  EXPECT_EQ(Timestamp::parse("2024-01-01 12:00:00.000 +00:00"), a);
  EXPECT_EQ(Timestamp::parse("2024-01-01 14:00:00+02"), a);
  EXPECT_EQ(Timestamp::parse("2024-01-01 07:30:00-04:30"), a);
  EXPECT_EQ(Timestamp::parse("2024-01-01 12:00"), a);
  EXPECT_EQ(Timestamp::parse(a.toSql()), a);
  auto micro = Timestamp::parse("2024-01-01 12:00:00.123456+00");
  EXPECT_EQ(Timestamp::parse(micro.toSql()), micro);
  EXPECT_EQ(micro.toIso(), "2024-01-01T12:00:00.123Z");
  EXPECT_EQ(Timestamp::parse("2024-02-29").toIso(), "2024-02-29T00:00:00.000Z");
}

TEST(Timestamp, IsoFormattingCoversEdgesOfTheDigitFastPath) {
  EXPECT_EQ(Timestamp::parse("0001-01-01T00:00:00.000Z").toIso(), "0001-01-01T00:00:00.000Z");
  EXPECT_EQ(Timestamp::parse("9999-12-31T23:59:59.999Z").toIso(), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(Timestamp::parse("1969-12-31T23:59:59.001Z").toIso(), "1969-12-31T23:59:59.001Z");
  EXPECT_EQ(Timestamp::fromMillis(-1).toIso(), "1969-12-31T23:59:59.999Z");
  // Beyond four digits: the general formatter, same layout.
  Timestamp far{Timestamp::parse("9999-12-31T23:59:59.000Z").time + std::chrono::hours(24)};
  EXPECT_EQ(far.toIso(), "10000-01-01T23:59:59.000Z");
  std::string appended = "x";
  Timestamp::parse("2024-01-01T12:00:00.123Z").appendIso(appended);
  Date::parse("0999-03-04").appendIso(appended);
  EXPECT_EQ(appended, "x2024-01-01T12:00:00.123Z0999-03-04");
}

TEST(Timestamp, WriteIsoFillsExactlyTheIsoCharsOrLeavesTheYearToAppendIso) {
  // The JSON writer's form: toIso()'s bytes at a caller's buffer, nothing
  // past kIsoChars, truncating (not rounding) microseconds to milliseconds.
  for (const char* text :
       {"2021-12-09T08:07:06.543Z", "2021-12-09T08:07:06Z", "2024-02-29T23:59:59.999999Z",
        "1970-01-01T00:00:00.000001Z", "1969-12-31T23:59:59.999999Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z"}) {
    Timestamp t = Timestamp::parse(text);
    char buf[detail::kIsoChars + 1];
    buf[detail::kIsoChars] = '#';
    char* end = detail::writeIso(t, buf);
    ASSERT_EQ(end, buf + detail::kIsoChars) << text;
    EXPECT_EQ(std::string(buf, end), t.toIso()) << text;
    EXPECT_EQ(buf[detail::kIsoChars], '#') << text;
  }
  EXPECT_EQ(Timestamp::parse("2021-12-09T08:07:06Z").toIso(), "2021-12-09T08:07:06.000Z");
  EXPECT_EQ(Timestamp::parse("2024-02-29T23:59:59.999999Z").toIso(), "2024-02-29T23:59:59.999Z");
  EXPECT_EQ(Timestamp::parse("1969-12-31T23:59:59.999999Z").toIso(), "1969-12-31T23:59:59.999Z");
  const Timestamp outside[] = {
      Timestamp{Timestamp::parse("9999-12-31T23:59:59.000Z").time + std::chrono::hours(24)},
      Timestamp{Timestamp::parse("0000-01-01T00:00:00.000Z").time - std::chrono::hours(1)}};
  for (const Timestamp& t : outside) {
    char buf[detail::kIsoChars] = {'#'};
    EXPECT_EQ(detail::writeIso(t, buf), nullptr) << t.toIso();
    EXPECT_EQ(buf[0], '#') << t.toIso();
  }
  EXPECT_EQ(outside[1].toIso(), "-001-12-31T23:00:00.000Z");
}

TEST(Timestamp, RejectsGarbage) {
  for (const char* bad : {"", "2024", "2024-13-01", "2023-02-29", "2024-01-01T25:00", "yesterday",
                          "2024-01-01T12:00:00Zjunk"}) {
    EXPECT_THROW(Timestamp::parse(bad), ConversionError) << bad;
  }
}

TEST(Timestamp, NowHasMillisecondPrecision) {
  auto t = Timestamp::now();
  EXPECT_EQ(t.time.time_since_epoch().count() % 1000, 0);
  EXPECT_EQ(Timestamp::fromMillis(t.millis()), t);
}

TEST(Date, RoundTrips) {
  EXPECT_EQ(Date::parse("2021-12-09").toIso(), "2021-12-09");
  EXPECT_THROW(Date::parse("2021-12-09T00:00"), ConversionError);
  EXPECT_EQ(Value("2021-12-09").as<Date>(), Date::parse("2021-12-09"));
}
