// The text writers of junction/json.hpp on values alone (no database): every
// case compares with nlohmann's dump of the same value (replacing invalid
// UTF-8), the bytes Instance::writeJSON promises. The string writer tests
// eight bytes per step, so escapes, multi-byte sequences and invalid bytes
// are tried at every position of strings around that width.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "junction/errors.hpp"
#include "junction/json.hpp"

namespace junction {
namespace {

std::string dumped(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string written(std::string_view s) {
  std::string out;
  writeJSONString(out, s);
  return out;
}

// `piece` at every position of ASCII padding, for total lengths up to 40.
std::vector<std::string> everywhere(std::string_view piece) {
  std::vector<std::string> out;
  for (std::size_t len = 0; len <= 40; ++len)
    for (std::size_t pos = 0; pos <= len; ++pos)
      out.push_back(std::string(pos, 'a') + std::string(piece) + std::string(len - pos, 'z'));
  return out;
}

TEST(JsonText, EveryEscapeAtEveryPosition) {
  std::vector<std::string> pieces = {"\"", "\\", "\b",   "\t", "\n", "\f",
                                     "\r", "/",  "\x7f", " ",  "~"};
  for (int c = 0; c < 0x20; ++c) pieces.emplace_back(1, static_cast<char>(c));
  for (const auto& piece : pieces)
    for (const auto& s : everywhere(piece))
      ASSERT_EQ(written(s), dumped(Json(s))) << dumped(Json(s));
}

TEST(JsonText, MultiByteSequencesAtEveryPositionStayAsTheyAre) {
  // 2-, 3- and 4-byte sequences, U+2028 and U+2029 (JSON allows them raw,
  // and nlohmann writes them raw), and the edges of Unicode's table 3-7.
  for (const char* piece : {"é", "€", "🎉", "\xe2\x80\xa8", "\xe2\x80\xa9", "\xed\x9f\xbf",
                            "\xee\x80\x80", "\xf4\x8f\xbf\xbf", "\xc2\x80", "日本語"}) {
    for (const auto& s : everywhere(piece)) {
      ASSERT_EQ(written(s), '"' + s + '"') << s;
      ASSERT_EQ(written(s), dumped(Json(s))) << s;
    }
  }
}

TEST(JsonText, InvalidUtf8AtEveryPositionIsReplacedAsNlohmannDoes) {
  for (const char* piece : {"\xff", "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                            "\xe6\x97", "\xf0\x9f\x8e", "\xc3"}) {
    for (const auto& s : everywhere(piece)) {
      std::string out = "[1,";  // the replacement keeps what came before
      writeJSONString(out, s);
      ASSERT_EQ(out, "[1," + dumped(Json(s))) << dumped(Json(s));
      ASSERT_NE(out.find("\xef\xbf\xbd"), std::string::npos);
    }
  }
}

TEST(JsonText, EmptyAndLongStrings) {
  EXPECT_EQ(written(""), "\"\"");
  std::string plain(100000, 'x');
  EXPECT_EQ(written(plain), '"' + plain + '"');
  std::string quoteFirst = '"' + plain, quoteLast = plain + '"';
  EXPECT_EQ(written(quoteFirst), dumped(Json(quoteFirst)));
  EXPECT_EQ(written(quoteLast), dumped(Json(quoteLast)));
  // Every byte escaped: six times the input, grown while writing.
  std::string controls(10000, '\x01');
  EXPECT_EQ(written(controls).size(), 2 + 6 * controls.size());
  EXPECT_EQ(written(controls), dumped(Json(controls)));
  std::string mixed;
  for (int i = 0; i < 5000; ++i) mixed += i % 7 ? "ab\"c\\d\ne\xc3\xa9" : "\xe2\x80\xa8 plain text";
  EXPECT_EQ(written(mixed), dumped(Json(mixed)));
}

TEST(JsonText, AppendsAfterWhatTheStringHolds) {
  // Many pieces into one string, with and without room reserved: each
  // write continues where the last stopped, whatever the string's capacity.
  for (std::size_t reserve : {0, 16, 1 << 20}) {
    std::string out = "head", expected = "head";
    out.reserve(reserve);
    for (int i = 0; i < 2000; ++i) {
      std::string s = std::string(static_cast<std::size_t>(i % 37), 'q') + (i % 3 ? "\t" : "");
      writeJSONString(out, s);
      writeJSON(out, Value(i));
      expected += dumped(Json(s)) + std::to_string(i);
    }
    EXPECT_EQ(out, expected) << reserve;
  }
}

TEST(JsonText, ScalarsMatchTheTreeDump) {
  using namespace std::chrono;
  std::vector<Value> values = {Value(), Value(true), Value(false)};
  for (std::int64_t v :
       {std::numeric_limits<std::int64_t>::min(), std::int64_t{-1000000000000}, std::int64_t{-1},
        std::int64_t{0}, std::int64_t{9}, std::int64_t{10}, std::int64_t{99}, std::int64_t{100},
        std::int64_t{999999999999999999}, std::numeric_limits<std::int64_t>::max()})
    values.emplace_back(v);
  for (double v : {0.0, -0.0, 1e-7, 0.1, 1.5, -2.5e-300, 1e21, 1e300, 5e-324,
                   std::numeric_limits<double>::max(), std::nan(""), HUGE_VAL, -HUGE_VAL})
    values.emplace_back(v);
  for (const char* t :
       {"2021-12-09T08:07:06.543Z", "2021-12-09T08:07:06Z", "2021-12-09T08:07:06.5Z",
        "2021-12-09T08:07:06.123999Z", "1969-12-31T23:59:59.999999Z", "0000-01-01T00:00:00Z",
        "9999-12-31T23:59:59.999Z"})
    values.emplace_back(Timestamp::parse(t));
  // Years writeIso leaves to appendIso.
  values.emplace_back(Timestamp{Timestamp::parse("9999-12-31T23:00:00Z").time + hours(2)});
  values.emplace_back(Timestamp{Timestamp::parse("0000-01-01T00:00:00Z").time - hours(1)});
  values.emplace_back(Date::parse("2021-12-09"));
  values.emplace_back(Date::parse("0999-03-04"));
  values.emplace_back(Blob{0, 1, 255});
  values.emplace_back(JsonText{R"({"b": [1, 2.50, "x\u0041"], "a": null})"});
  values.emplace_back("tab\there");
  for (const Value& v : values) {
    std::string out = "<";
    writeJSON(out, v);
    EXPECT_EQ(out, "<" + dumped(toJson(v))) << v.toDebugString();
  }
}

TEST(JsonText, AWriterThatThrowsLeavesOnlyWhatCameBefore) {
  std::string out = "keep";
  EXPECT_THROW(writeJSON(out, Value(JsonText{"{not json"})), ConversionError);
  EXPECT_EQ(out, "keep");
  writeJSON(out, Value(1));
  EXPECT_EQ(out, "keep1");
}

}  // namespace
}  // namespace junction
