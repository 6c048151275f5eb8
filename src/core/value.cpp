#include "junction/value.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#include "junction/errors.hpp"

namespace junction {

using namespace std::chrono;

std::string_view typeName(ValueType t) noexcept {
  switch (t) {
    case ValueType::Null: return "null";
    case ValueType::Bool: return "boolean";
    case ValueType::Int: return "integer";
    case ValueType::Double: return "double";
    case ValueType::Text: return "text";
    case ValueType::Blob: return "blob";
    case ValueType::Timestamp: return "timestamp";
    case ValueType::Date: return "date";
    case ValueType::Json: return "json";
  }
  return "unknown";
}

void throwIntegerOverflow(std::string_view what) { throw ConversionError(std::string(what)); }

// ---------------------------------------------------------------- Timestamp

namespace {

// Parses exactly n digits at s[pos], advancing pos.
bool digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + static_cast<std::size_t>(i)];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  out = v;
  return true;
}

std::optional<year_month_day> parseYmd(std::string_view s, std::size_t& pos) {
  int y, m, d;
  if (!digits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-' || !digits(s, pos, 2, m) ||
      pos >= s.size() || s[pos++] != '-' || !digits(s, pos, 2, d))
    return std::nullopt;
  year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

}  // namespace

Timestamp Timestamp::now() {
  return Timestamp{time_point_cast<microseconds>(time_point_cast<milliseconds>(system_clock::now()))};
}

Timestamp Timestamp::fromMillis(std::int64_t ms) {
  return Timestamp{sys_time<microseconds>(microseconds(ms * 1000))};
}

std::int64_t Timestamp::millis() const noexcept {
  return floor<milliseconds>(time.time_since_epoch()).count();
}

std::optional<Timestamp> Timestamp::tryParse(std::string_view s) noexcept {
  std::size_t pos = 0;
  auto ymd = parseYmd(s, pos);
  if (!ymd) return std::nullopt;
  sys_time<microseconds> t = sys_days(*ymd);
  if (pos == s.size()) return Timestamp{t};
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  ++pos;
  int hh, mm, ss = 0;
  if (!digits(s, pos, 2, hh) || pos >= s.size() || s[pos++] != ':' || !digits(s, pos, 2, mm))
    return std::nullopt;
  std::int64_t micros = 0;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!digits(s, pos, 2, ss)) return std::nullopt;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int n = 0;
      std::int64_t frac = 0;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        if (n < 6) {
          frac = frac * 10 + (s[pos] - '0');
          ++n;
        }
        ++pos;
      }
      if (n == 0) return std::nullopt;
      while (n++ < 6) frac *= 10;
      micros = frac;
    }
  }
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  t += hours(hh) + minutes(mm) + seconds(ss) + microseconds(micros);
  if (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos == s.size()) return Timestamp{t};  // no zone: UTC
  if (s[pos] == 'Z' || s[pos] == 'z') {
    return pos + 1 == s.size() ? std::optional<Timestamp>(Timestamp{t}) : std::nullopt;
  }
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  int sign = s[pos++] == '-' ? -1 : 1;
  int oh, om = 0;
  if (!digits(s, pos, 2, oh)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (pos < s.size() && !digits(s, pos, 2, om)) return std::nullopt;
  if (pos != s.size() || oh > 23 || om > 59) return std::nullopt;
  t -= sign * (hours(oh) + minutes(om));
  return Timestamp{t};
}

Timestamp Timestamp::parse(std::string_view text) {
  if (auto t = tryParse(text)) return *t;
  throw ConversionError(fmt::format("invalid timestamp \"{}\" (expected ISO 8601, e.g. "
                                    "2024-01-01T12:00:00.000Z)",
                                    text));
}

namespace {
void splitTime(sys_time<microseconds> t, year_month_day& ymd, hh_mm_ss<microseconds>& hms) {
  auto day = floor<days>(t);
  ymd = year_month_day(day);
  hms = hh_mm_ss<microseconds>(t - day);
}
}  // namespace

// Fixed-width digits for the common years 0000-9999, without fmt's
// per-call parsing or a temporary string: JSON responses render one
// timestamp per row and attribute.
namespace {
// "00" to "99" back to back: a two-digit field is one two-byte copy.
constexpr auto kDigitPairs = [] {
  std::array<char, 200> pairs{};
  for (int i = 0; i < 100; ++i) {
    pairs[2 * i] = static_cast<char>('0' + i / 10);
    pairs[2 * i + 1] = static_cast<char>('0' + i % 10);
  }
  return pairs;
}();
char* putPair(char* p, unsigned v) {
  std::memcpy(p, kDigitPairs.data() + 2 * v, 2);
  return p + 2;
}
bool fourDigitYear(const year_month_day& ymd) {
  int y = static_cast<int>(ymd.year());
  return y >= 0 && y <= 9999;
}
// "YYYY-MM-DD" at p (fourDigitYear(ymd) holds); returns the end.
char* putYmd(char* p, const year_month_day& ymd) {
  const auto y = static_cast<unsigned>(static_cast<int>(ymd.year()));
  p = putPair(p, y / 100);
  p = putPair(p, y % 100);
  *p++ = '-';
  p = putPair(p, static_cast<unsigned>(ymd.month()));
  *p++ = '-';
  return putPair(p, static_cast<unsigned>(ymd.day()));
}
}  // namespace

std::string Timestamp::toIso() const {
  std::string s;
  appendIso(s);
  return s;
}

namespace detail {

char* writeIso(const Timestamp& t, char* out) noexcept {
  const auto day = floor<days>(t.time);
  const year_month_day ymd{day};
  if (!fourDigitYear(ymd)) return nullptr;
  // The time of day as plain integers: hh_mm_ss's durations cost more.
  const auto us = static_cast<std::uint64_t>((t.time - day).count());
  const auto secs = static_cast<unsigned>(us / 1000000);
  const auto ms = static_cast<unsigned>(us / 1000 % 1000);
  char* p = putYmd(out, ymd);
  *p++ = 'T';
  p = putPair(p, secs / 3600);
  *p++ = ':';
  p = putPair(p, secs / 60 % 60);
  *p++ = ':';
  p = putPair(p, secs % 60);
  *p++ = '.';
  *p++ = static_cast<char>('0' + ms / 100);
  p = putPair(p, ms % 100);
  *p++ = 'Z';
  return p;
}

}  // namespace detail

void Timestamp::appendIso(std::string& out) const {
  char buf[detail::kIsoChars];
  if (const char* end = detail::writeIso(*this, buf)) {
    out.append(buf, static_cast<std::size_t>(end - buf));
    return;
  }
  year_month_day ymd;
  hh_mm_ss<microseconds> hms{microseconds(0)};
  splitTime(time, ymd, hms);
  out += fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     hms.subseconds().count() / 1000);
}

std::string Timestamp::toSql() const {
  year_month_day ymd;
  hh_mm_ss<microseconds> hms{microseconds(0)};
  splitTime(time, ymd, hms);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}+00:00",
                     static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), hms.hours().count(), hms.minutes().count(),
                     hms.seconds().count(), hms.subseconds().count());
}

// --------------------------------------------------------------------- Date

std::optional<Date> Date::tryParse(std::string_view s) noexcept {
  std::size_t pos = 0;
  auto ymd = parseYmd(s, pos);
  if (!ymd || pos != s.size()) return std::nullopt;
  return Date{*ymd};
}

Date Date::parse(std::string_view text) {
  if (auto d = tryParse(text)) return *d;
  throw ConversionError(fmt::format("invalid date \"{}\" (expected YYYY-MM-DD)", text));
}

std::string Date::toIso() const {
  std::string s;
  appendIso(s);
  return s;
}

void Date::appendIso(std::string& out) const {
  if (!fourDigitYear(ymd)) {
    out += fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return;
  }
  char buf[10];
  out.append(buf, static_cast<std::size_t>(putYmd(buf, ymd) - buf));
}

// -------------------------------------------------------------------- Value

bool operator==(const Value& a, const Value& b) {
  // Numbers compare by value across int/double, as SQL does.
  if (a.type() == ValueType::Int && b.type() == ValueType::Double)
    return static_cast<double>(std::get<std::int64_t>(a.v_)) == std::get<double>(b.v_);
  if (a.type() == ValueType::Double && b.type() == ValueType::Int) return b == a;
  return a.v_ == b.v_;
}

void Value::throwConversion(std::string_view target, std::string_view why) const {
  std::string msg = fmt::format("cannot convert {} value {} to {}", typeName(type()),
                                toDebugString(), target);
  if (!why.empty()) msg += fmt::format(" ({})", why);
  throw ConversionError(msg);
}

std::string Value::toString() const {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "NULL";
        else if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::int64_t>) return std::to_string(x);
        else if constexpr (std::is_same_v<T, double>) return fmt::format("{}", x);
        else if constexpr (std::is_same_v<T, std::string>) return x;
        else if constexpr (std::is_same_v<T, Blob>) return fmt::format("<blob {} bytes>", x.size());
        else if constexpr (std::is_same_v<T, Timestamp>) return x.toIso();
        else if constexpr (std::is_same_v<T, Date>) return x.toIso();
        else return x.text;
      },
      v_);
}

std::string Value::toDebugString() const {
  std::string s = toString();
  if (s.size() > 64) s = s.substr(0, 61) + "...";
  if (type() == ValueType::Text) return "\"" + s + "\"";
  return s;
}

namespace detail {

void throwIntRange(const Value& v, std::string_view target) {
  throw ConversionError(
      fmt::format("integer {} is out of range for {}", v.toString(), target));
}

std::int64_t valueToInt64(const Value& v) {
  if (auto p = v.getIf<std::int64_t>()) return *p;
  if (auto d = v.getIf<double>()) {
    // Only exactly-integral doubles inside int64's range convert.
    if (std::isfinite(*d) && std::trunc(*d) == *d && *d >= -9.2233720368547758e18 &&
        *d < 9.2233720368547758e18)
      return static_cast<std::int64_t>(*d);
  }
  if (auto b = v.getIf<bool>()) return *b ? 1 : 0;
  throw ConversionError(fmt::format("cannot convert {} value {} to integer",
                                    typeName(v.type()), v.toDebugString()));
}

bool valueToBool(const Value& v) {
  if (auto p = v.getIf<bool>()) return *p;
  if (auto i = v.getIf<std::int64_t>(); i && (*i == 0 || *i == 1)) return *i == 1;
  throw ConversionError(fmt::format("cannot convert {} value {} to boolean",
                                    typeName(v.type()), v.toDebugString()));
}

double valueToDouble(const Value& v) {
  if (auto p = v.getIf<double>()) return *p;
  if (auto i = v.getIf<std::int64_t>()) return static_cast<double>(*i);
  if (auto s = v.getIf<std::string>()) {
    // DECIMAL/NUMERIC columns arrive as exact text; allow reading them as double.
    double d = 0;
    auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), d);
    if (ec == std::errc() && end == s->data() + s->size() && !s->empty()) return d;
  }
  throw ConversionError(fmt::format("cannot convert {} value {} to double",
                                    typeName(v.type()), v.toDebugString()));
}

std::string valueToString(const Value& v) {
  if (auto p = v.getIf<std::string>()) return *p;
  if (auto j = v.getIf<JsonText>()) return j->text;
  throw ConversionError(fmt::format("cannot convert {} value {} to text", typeName(v.type()),
                                    v.toDebugString()));
}

std::string_view valueToStringView(const Value& v) {
  if (auto p = v.getIf<std::string>()) return *p;
  if (auto j = v.getIf<JsonText>()) return j->text;
  throw ConversionError(fmt::format("cannot convert {} value {} to text", typeName(v.type()),
                                    v.toDebugString()));
}

Timestamp valueToTimestamp(const Value& v) {
  if (auto p = v.getIf<Timestamp>()) return *p;
  if (auto s = v.getIf<std::string>()) {
    if (auto t = Timestamp::tryParse(*s)) return *t;
  }
  if (auto d = v.getIf<Date>()) return Timestamp{sys_days(d->ymd)};
  throw ConversionError(fmt::format("cannot convert {} value {} to timestamp",
                                    typeName(v.type()), v.toDebugString()));
}

Date valueToDate(const Value& v) {
  if (auto p = v.getIf<Date>()) return *p;
  if (auto s = v.getIf<std::string>()) {
    if (auto d = Date::tryParse(*s)) return *d;
  }
  throw ConversionError(fmt::format("cannot convert {} value {} to date", typeName(v.type()),
                                    v.toDebugString()));
}

JsonText valueToJson(const Value& v) {
  if (auto p = v.getIf<JsonText>()) return *p;
  if (auto s = v.getIf<std::string>()) return JsonText{*s};
  throw ConversionError(fmt::format("cannot convert {} value {} to json", typeName(v.type()),
                                    v.toDebugString()));
}

Blob valueToBlob(const Value& v) {
  if (auto p = v.getIf<Blob>()) return *p;
  throw ConversionError(fmt::format("cannot convert {} value {} to blob", typeName(v.type()),
                                    v.toDebugString()));
}

}  // namespace detail
}  // namespace junction
