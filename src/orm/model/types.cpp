// Attribute types at the ORM boundary: lossless coercion of what users set,
// type validation with Sequelize-like messages, normalisation of what the
// database returns, and build-time defaults.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <random>

#include "orm/internal.hpp"

namespace junction::detail {

using Kind = sql::ColumnType::Kind;

namespace {

std::optional<std::int64_t> parseInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::size_t start = s[0] == '+' ? 1 : 0;
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data() + start, s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parseDouble(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing
// above U+10FFFF — what PostgreSQL accepts as text. A few lines by hand: none
// of the project's libraries exposes a validator.
bool isUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    unsigned lo = 0x80, hi = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (end - p <= n) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int i = 2; i <= n; ++i)
      if ((p[i] & 0xC0) != 0x80) return false;
    p += n + 1;
  }
  return true;
}

bool isUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

std::string uuidV4() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff,
                     hi & 0xffff, lo >> 48, lo & 0xffffffffffffULL);
}

}  // namespace

Value coerce(const sql::ColumnType& t, Value v) {
  if (v.isNull()) return v;
  switch (t.kind) {
    case Kind::Integer:
    case Kind::BigInt:
      if (auto d = v.getIf<double>(); d && std::trunc(*d) == *d && std::abs(*d) < 9.2e18)
        return Value(static_cast<std::int64_t>(*d));
      if (auto s = v.getIf<std::string>())
        if (auto i = parseInt(*s)) return Value(*i);
      return v;
    case Kind::Float:
    case Kind::Double:
      if (auto i = v.getIf<std::int64_t>()) return Value(static_cast<double>(*i));
      if (auto s = v.getIf<std::string>())
        if (auto d = parseDouble(*s)) return Value(*d);
      return v;
    case Kind::Decimal:
      // Exact text is the canonical form (as Sequelize returns DECIMAL).
      if (auto i = v.getIf<std::int64_t>()) return Value(std::to_string(*i));
      if (auto d = v.getIf<double>()) return Value(fmt::format("{}", *d));
      return v;
    case Kind::Boolean:
      if (auto i = v.getIf<std::int64_t>(); i && (*i == 0 || *i == 1)) return Value(*i == 1);
      if (auto s = v.getIf<std::string>()) {
        if (*s == "true" || *s == "1") return Value(true);
        if (*s == "false" || *s == "0") return Value(false);
      }
      return v;
    case Kind::Date:
      if (auto s = v.getIf<std::string>())
        if (auto ts = Timestamp::tryParse(*s)) return Value(*ts);
      if (auto d = v.getIf<Date>()) return Value(Timestamp{std::chrono::sys_days(d->ymd)});
      return v;
    case Kind::DateOnly:
      if (auto s = v.getIf<std::string>()) {
        if (auto d = Date::tryParse(*s)) return Value(*d);
        if (auto ts = Timestamp::tryParse(*s))
          return Value(
              Date{std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(ts->time))});
      }
      if (auto ts = v.getIf<Timestamp>())
        return Value(
            Date{std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(ts->time))});
      return v;
    case Kind::Json:
      if (v.getIf<JsonText>()) return v;
      // A plain value stored in a JSON attribute is that JSON scalar.
      if (auto s = v.getIf<std::string>()) {
        std::string out = "\"";
        for (unsigned char c : *s) {
          switch (c) {
            case '"':
              out += "\\\"";
              break;
            case '\\':
              out += "\\\\";
              break;
            case '\n':
              out += "\\n";
              break;
            case '\r':
              out += "\\r";
              break;
            case '\t':
              out += "\\t";
              break;
            default:
              if (c < 0x20)
                out += fmt::format("\\u{:04x}", c);
              else
                out += static_cast<char>(c);
          }
        }
        return Value(JsonText{out + "\""});
      }
      if (auto b = v.getIf<bool>()) return Value(JsonText{*b ? "true" : "false"});
      if (auto i = v.getIf<std::int64_t>()) return Value(JsonText{std::to_string(*i)});
      if (auto d = v.getIf<double>(); d && std::isfinite(*d))
        return Value(JsonText{fmt::format("{}", *d)});
      return v;
    case Kind::String:
    case Kind::Text:
    case Kind::Uuid:
    case Kind::Enum:
    case Kind::Blob:
      return v;
  }
  return v;
}

std::optional<std::string> textError(const std::string& s) {
  if (s.find('\0') != std::string::npos) return "text must not contain the NUL character (\\u0000)";
  if (!isUtf8(s)) return "text is not valid UTF-8";
  return std::nullopt;
}

std::optional<std::string> typeError(const sql::ColumnType& t, const Value& v) {
  auto bad = [&](std::string_view what) {
    return std::optional<std::string>(fmt::format("{} is not a valid {}", v.toDebugString(), what));
  };
  // Text goes to the database as UTF-8 without NUL on every engine:
  // PostgreSQL refuses anything else, and SQLite would store what the other
  // engine refuses.
  if (t.kind != Kind::Blob)
    if (auto s = v.getIf<std::string>())
      if (auto err = textError(*s)) return err;
  switch (t.kind) {
    case Kind::Integer:
      if (auto i = v.getIf<std::int64_t>()) {
        if (*i < std::numeric_limits<std::int32_t>::min() ||
            *i > std::numeric_limits<std::int32_t>::max())
          return fmt::format("{} is out of range for INTEGER", *i);
        return std::nullopt;
      }
      return bad("integer");
    case Kind::BigInt:
      return v.getIf<std::int64_t>() ? std::nullopt : bad("integer");
    case Kind::Float:
    case Kind::Double:
      if (auto d = v.getIf<double>()) return std::isfinite(*d) ? std::nullopt : bad("number");
      return bad("number");
    case Kind::Decimal:
      if (auto s = v.getIf<std::string>()) return parseDouble(*s) ? std::nullopt : bad("decimal");
      return bad("decimal");
    case Kind::Boolean:
      return v.getIf<bool>() ? std::nullopt : bad("boolean");
    case Kind::String:
      if (auto s = v.getIf<std::string>()) {
        int len = t.length ? t.length : 255;
        // VARCHAR(n) counts characters: count UTF-8 code points.
        std::size_t n = 0;
        for (unsigned char c : *s) n += (c & 0xC0) != 0x80;
        if (n > static_cast<std::size_t>(len))
          return fmt::format("{} is longer than {} characters", v.toDebugString(), len);
        return std::nullopt;
      }
      return bad("string");
    case Kind::Text:
      return v.getIf<std::string>() ? std::nullopt : bad("string");
    case Kind::Uuid:
      if (auto s = v.getIf<std::string>(); s && isUuid(*s)) return std::nullopt;
      return bad("uuid");
    case Kind::Enum:
      if (auto s = v.getIf<std::string>()) {
        for (const auto& allowed : t.values)
          if (*s == allowed) return std::nullopt;
        return fmt::format("{} is not a valid choice in [{}]", v.toDebugString(),
                           fmt::join(t.values, ", "));
      }
      return bad("string");
    case Kind::Date:
      return v.getIf<Timestamp>() ? std::nullopt : bad("date");
    case Kind::DateOnly:
      return v.getIf<Date>() ? std::nullopt : bad("date");
    case Kind::Json:
      return v.getIf<JsonText>() ? std::nullopt : bad("JSON value");
    case Kind::Blob:
      return v.getIf<Blob>() ? std::nullopt : bad("blob");
  }
  return std::nullopt;
}

void hydrate(const sql::ColumnType& t, Value& v) {
  if (v.isNull()) return;
  switch (t.kind) {
    case Kind::Integer:
    case Kind::BigInt:
      if (v.getIf<std::int64_t>()) return;
      break;
    case Kind::Boolean:
      if (v.getIf<bool>()) return;
      break;
    case Kind::Date:
      if (v.getIf<Timestamp>()) return;
      break;
    case Kind::String:
    case Kind::Text:
    case Kind::Uuid:
    case Kind::Enum:
      if (v.getIf<std::string>()) return;
      // A number stored in a text column (SQLite's dynamic typing) reads as text.
      if (auto i = v.getIf<std::int64_t>()) {
        v = Value(std::to_string(*i));
        return;
      }
      if (auto d = v.getIf<double>()) {
        v = Value(fmt::format("{}", *d));
        return;
      }
      return;
    default:
      break;
  }
  v = coerce(t, std::move(v));
}

std::optional<Value> defaultFor(const AttributeDef& a) {
  if (const auto& f = a.spec.defaultFn()) {
    switch (*f) {
      case DefaultFn::Now:
        if (a.spec.type().kind == Kind::DateOnly) {
          auto now = Timestamp::now();
          return Value(
              Date{std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now.time))});
        }
        return Value(Timestamp::now());
      case DefaultFn::UuidV4:
        return Value(uuidV4());
    }
  }
  if (const auto& d = a.spec.defaultValueOption()) return coerce(a.spec.type(), *d);
  return std::nullopt;
}

}  // namespace junction::detail
