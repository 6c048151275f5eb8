#include "dialects/postgres/pg_codec.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <iterator>

namespace junction::postgres {

namespace {

bool isDigit(char c) noexcept {
  return c >= '0' && c <= '9';
}

// Characters that may continue an unquoted identifier (PostgreSQL allows `$`
// after the first character, and any non-ASCII byte).
bool isIdentChar(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '_' || c == '$' ||
         u >= 0x80;
}

bool isTagStart(char c) noexcept {
  auto u = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || u >= 0x80;
}

// Index just past the literal/comment starting at `i`, or `i` when none starts there.
std::size_t skipQuoted(std::string_view s, std::size_t i) noexcept {
  const std::size_t n = s.size();
  const char c = s[i];
  if (c == '\'') {
    // E'...' strings take backslash escapes; standard strings do not.
    bool escapes =
        i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e') && (i < 2 || !isIdentChar(s[i - 2]));
    for (std::size_t j = i + 1; j < n; ++j) {
      if (escapes && s[j] == '\\') {
        ++j;
      } else if (s[j] == '\'') {
        if (j + 1 < n && s[j + 1] == '\'') {
          ++j;
        } else {
          return j + 1;
        }
      }
    }
    return n;
  }
  if (c == '"') {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (s[j] == '"') {
        if (j + 1 < n && s[j + 1] == '"') {
          ++j;
        } else {
          return j + 1;
        }
      }
    }
    return n;
  }
  if (c == '-' && i + 1 < n && s[i + 1] == '-') {
    auto nl = s.find('\n', i + 2);
    return nl == std::string_view::npos ? n : nl + 1;
  }
  if (c == '/' && i + 1 < n && s[i + 1] == '*') {
    int depth = 1;  // PostgreSQL block comments nest
    std::size_t j = i + 2;
    while (j < n && depth > 0) {
      if (s[j] == '/' && j + 1 < n && s[j + 1] == '*') {
        ++depth;
        j += 2;
      } else if (s[j] == '*' && j + 1 < n && s[j + 1] == '/') {
        --depth;
        j += 2;
      } else {
        ++j;
      }
    }
    return j;
  }
  return i;
}

std::string unquoteIdentifier(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  out.reserve(s.size() - 2);
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    out.push_back(s[i]);
    if (s[i] == '"' && s[i + 1] == '"') ++i;
  }
  return out;
}

constexpr std::array<std::int8_t, 256> kHexValue = [] {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  for (int i = 0; i < 10; ++i) t[static_cast<std::size_t>('0' + i)] = static_cast<std::int8_t>(i);
  for (int i = 0; i < 6; ++i) {
    t[static_cast<std::size_t>('a' + i)] = static_cast<std::int8_t>(10 + i);
    t[static_cast<std::size_t>('A' + i)] = static_cast<std::int8_t>(10 + i);
  }
  return t;
}();

}  // namespace

std::size_t countPlaceholders(std::string_view s) noexcept {
  std::size_t highest = 0;
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    if (std::size_t past = skipQuoted(s, i); past != i) {
      i = past;
      continue;
    }
    if (s[i] != '$' || (i > 0 && isIdentChar(s[i - 1]))) {
      ++i;
      continue;
    }
    if (i + 1 < n && isDigit(s[i + 1])) {
      std::size_t j = i + 1, value = 0;
      while (j < n && isDigit(s[j])) {
        if (value < 1'000'000) value = value * 10 + static_cast<std::size_t>(s[j] - '0');
        ++j;
      }
      if (value > highest) highest = value;
      i = j;
      continue;
    }
    // A dollar quote: $$...$$ or $tag$...$tag$.
    std::size_t j = i + 1;
    if (j < n && isTagStart(s[j])) {
      while (j < n && isIdentChar(s[j]) && s[j] != '$') ++j;
    }
    if (j < n && s[j] == '$') {
      std::string_view tag = s.substr(i, j - i + 1);
      auto end = s.find(tag, j + 1);
      i = end == std::string_view::npos ? n : end + tag.size();
      continue;
    }
    ++i;
  }
  return highest;
}

std::vector<std::string> parseKeyFields(std::string_view detail) {
  std::vector<std::string> fields;
  auto open = detail.find('(');
  if (open == std::string_view::npos) return fields;
  int depth = 0;
  bool quoted = false;
  std::size_t start = open + 1;
  for (std::size_t i = open + 1; i < detail.size(); ++i) {
    char c = detail[i];
    if (quoted) {
      if (c == '"') quoted = false;  // a doubled "" re-enters on the next char
      continue;
    }
    if (c == '"') {
      quoted = true;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')' && depth > 0) {
      --depth;
    } else if (c == ',' && depth == 0) {
      fields.push_back(unquoteIdentifier(detail.substr(start, i - start)));
      start = i + 1;
    } else if (c == ')') {
      if (detail.substr(i, 3) != ")=(") return {};
      fields.push_back(unquoteIdentifier(detail.substr(start, i - start)));
      return fields;
    }
  }
  return {};
}

std::optional<Blob> decodeByteaHex(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0)
    return std::nullopt;
  Blob out((text.size() - 2) / 2);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + 2;
  for (std::size_t k = 0; k < out.size(); ++k) {
    int hi = kHexValue[p[2 * k]], lo = kHexValue[p[2 * k + 1]];
    if (hi < 0 || lo < 0) return std::nullopt;
    out[k] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

namespace {

// `n` digits at p as a number, or -1.
inline int fixedDigits(const char* p, int n) noexcept {
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned d = static_cast<unsigned char>(p[i]) - unsigned{'0'};
    if (d > 9) return -1;
    v = v * 10 + static_cast<int>(d);
  }
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil); -1 for a month or day that does not exist.
inline std::optional<std::int64_t> civilDays(int y, int m, int d) noexcept {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return std::int64_t{era} * 146097 + doe - 719468;
}

}  // namespace

// PostgreSQL's own output under TimeZone UTC, "YYYY-MM-DD HH:MM:SS[.ffffff]+00",
// read at fixed positions: every timestamp of every row comes through here.
// Anything else goes to the general parser.
std::optional<Timestamp> parseTimestamp(std::string_view s) noexcept {
  const char* p = s.data();
  if (s.size() >= 19 && p[4] == '-' && p[7] == '-' && p[10] == ' ' && p[13] == ':' &&
      p[16] == ':') {
    const int y = fixedDigits(p, 4), mo = fixedDigits(p + 5, 2), d = fixedDigits(p + 8, 2);
    const int h = fixedDigits(p + 11, 2), mi = fixedDigits(p + 14, 2), sec = fixedDigits(p + 17, 2);
    std::size_t pos = 19;
    std::int64_t micros = 0;
    if (pos < s.size() && p[pos] == '.') {
      int digits = 0;
      while (++pos < s.size() && digits < 6 && isDigit(p[pos])) {
        micros = micros * 10 + (p[pos] - '0');
        ++digits;
      }
      for (; digits < 6; ++digits) micros *= 10;
    }
    const bool utc = pos == s.size() || s.substr(pos) == "+00";
    if (utc && y >= 0 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60) {
      if (auto days = civilDays(y, mo, d))
        return Timestamp{std::chrono::sys_time<std::chrono::microseconds>(std::chrono::microseconds(
            ((*days * 24 + h) * 60 + mi) * 60'000'000LL + sec * 1'000'000LL + micros))};
    }
  }
  return Timestamp::tryParse(s);
}

void appendDouble(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "NaN";
  } else if (std::isinf(d)) {
    out += d > 0 ? "Infinity" : "-Infinity";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", d);
  }
}

}  // namespace junction::postgres
