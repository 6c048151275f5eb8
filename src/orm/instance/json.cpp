#include "junction/json.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>

#include "junction/errors.hpp"
#include "junction/instance.hpp"
#include "orm/instance/text_sink.hpp"
#include "orm/internal.hpp"

namespace junction {

Json toJson(const Value& v) {
  return std::visit(
      [](const auto& x) -> Json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return nullptr;
        else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::int64_t> ||
                           std::is_same_v<T, std::string>)
          return x;
        else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) return nullptr;  // as JSON.stringify does
          return x;
        } else if constexpr (std::is_same_v<T, Blob>)
          return Json{{"type", "Buffer"}, {"data", x}};
        else if constexpr (std::is_same_v<T, Timestamp> || std::is_same_v<T, Date>)
          return x.toIso();
        else {
          auto parsed = Json::parse(x.text, nullptr, false);
          if (parsed.is_discarded())
            throw ConversionError(
                fmt::format("stored JSON is not valid JSON: {}", Value(x).toDebugString()));
          return parsed;
        }
      },
      v.storage());
}

// ------------------------------------------------------------ text writers

namespace {

// The length of the well-formed UTF-8 sequence at p (Unicode's table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF), 0 if there is
// none. The same sequences nlohmann's serializer accepts.
std::size_t utf8SequenceLength(const unsigned char* p, const unsigned char* end) {
  auto cont = [&](std::size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return p + i < end && p[i] >= lo && p[i] <= hi;
  };
  unsigned char c = p[0];
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (c == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (c == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xF1 && c <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

}  // namespace

std::string dumpJSON(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

namespace {

// The bytes a JSON string holds as they are: printable ASCII but '"' and '\\'.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// Whether one of the 8 bytes at p is not plain (a control character, '"',
// '\\', or a byte of a multi-byte sequence), eight bytes per step in
// portable integer arithmetic. (x - n·ones) & ~x & highs is non-zero
// exactly when some byte of x is below n (n <= 0x80): a byte at or above n
// borrows nothing, and keeps its high bit only if ~x clears it.
bool anyNotPlain8(const unsigned char* p) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101, kHighs = 0x8080808080808080;
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  auto below = [](std::uint64_t x, std::uint64_t n) { return (x - n * kOnes) & ~x & kHighs; };
  return (below(w, 0x20) | below(w ^ ('"' * kOnes), 1) | below(w ^ ('\\' * kOnes), 1) |
          (w & kHighs)) != 0;
}

// The escape of a control character, '"' or '\\', as nlohmann writes it;
// returns the end.
char* putEscape(char* p, unsigned char c) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
    case '"':
      *p++ = '"';
      break;
    case '\\':
      *p++ = '\\';
      break;
    case '\b':
      *p++ = 'b';
      break;
    case '\t':
      *p++ = 't';
      break;
    case '\n':
      *p++ = 'n';
      break;
    case '\f':
      *p++ = 'f';
      break;
    case '\r':
      *p++ = 'r';
      break;
    default:
      p[0] = 'u', p[1] = '0', p[2] = '0', p[3] = kHex[c >> 4], p[4] = kHex[c & 0xF];
      p += 5;
  }
  return p;
}

}  // namespace

namespace detail {

void TextSink::grow(std::size_t n) {
  const std::size_t used = size();
  const std::size_t ahead = std::clamp<std::size_t>(used - start_, 64, 64 * 1024);
  reserveFor(used, n);
  out_.resize(std::min(out_.capacity(), used + std::max(n, ahead)));
  p_ = out_.data() + used;
  end_ = out_.data() + out_.size();
}

void writeJSONString(TextSink& out, std::string_view s) {
  const std::size_t start = out.size();
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = begin + s.size();
  const auto* p = begin;
  const auto* run = begin;  // bytes not yet copied
  out.put('"');
  for (;;) {
    while (end - p >= 8 && !anyNotPlain8(p)) p += 8;
    // Fewer than 8 left: the string's last 8 bytes, if it has them, cover
    // them in one more step.
    if (p < end && end - p < 8 && end - begin >= 8 && !anyNotPlain8(end - 8)) p = end;
    while (p < end && kPlain[*p]) ++p;
    if (p == end) break;
    if (*p >= 0x80) {
      std::size_t n = utf8SequenceLength(p, end);
      if (n == 0) {  // invalid UTF-8: nlohmann's replacement rules, exactly
        out.rewind(start);
        out.viaString([s](std::string& text) { text += dumpJSON(Json(std::string(s))); });
        return;
      }
      p += n;
      continue;
    }
    const auto clean = static_cast<std::size_t>(p - run);
    char* d = out.room(clean + 6);
    TextSink::copy(d, reinterpret_cast<const char*>(run), clean);
    out.advance(putEscape(d + clean, *p));
    run = ++p;
  }
  const auto clean = static_cast<std::size_t>(end - run);
  char* d = out.room(clean + 1);
  TextSink::copy(d, reinterpret_cast<const char*>(run), clean);
  d[clean] = '"';
  out.advance(d + clean + 1);
}

void writeJSON(TextSink& out, const Value& v) {
  const Value::Storage& x = v.storage();
  switch (v.type()) {
    case ValueType::Null:
      out.append("null", 4);
      return;
    case ValueType::Bool:
      if (*std::get_if<bool>(&x))
        out.append("true", 4);
      else
        out.append("false", 5);
      return;
    case ValueType::Int: {
      constexpr std::size_t kMaxDigits = 20;  // "-9223372036854775808"
      char* d = out.room(kMaxDigits);
      out.advance(std::to_chars(d, d + kMaxDigits, *std::get_if<std::int64_t>(&x)).ptr);
      return;
    }
    case ValueType::Text:
      writeJSONString(out, *std::get_if<std::string>(&x));
      return;
    case ValueType::Timestamp: {
      char* d = out.room(kIsoChars + 2);
      *d = '"';
      if (char* e = writeIso(*std::get_if<Timestamp>(&x), d + 1)) {
        *e = '"';
        out.advance(e + 1);
        return;
      }
      break;  // a year writeIso leaves to appendIso
    }
    default:
      break;
  }
  out.viaString([&v](std::string& text) {
    if (const auto* t = v.getIf<Timestamp>()) {
      text.push_back('"');
      t->appendIso(text);
      text.push_back('"');
    } else if (const auto* d = v.getIf<Date>()) {
      text.push_back('"');
      d->appendIso(text);
      text.push_back('"');
    } else {  // doubles (nlohmann's shortest round-trip form), blobs, JSON
      text += dumpJSON(toJson(v));
    }
  });
}

void writeJSON(TextSink& out, const std::vector<Instance>& instances) {
  // After a few rows, room for the rest at their average size (an eighth
  // more, and at most kMaxGuess a row): a 1.5 MB body then never moves
  // while written.
  constexpr std::size_t kSample = 8, kMaxGuess = 16 * 1024;
  const std::size_t start = out.size();
  out.put('[');
  for (std::size_t i = 0; i < instances.size(); ++i) {
    if (i) out.put(',');
    if (i == kSample) {
      const std::size_t perRow = std::min((out.size() - start) / kSample * 9 / 8, kMaxGuess);
      out.expect((instances.size() - kSample) * perRow);
    }
    InstanceAccess::writeJSON(instances[i], out);
  }
  out.put(']');
}

}  // namespace detail

void writeJSONString(std::string& out, std::string_view s) {
  detail::TextSink sink(out);
  detail::writeJSONString(sink, s);
}

void writeJSON(std::string& out, const Value& v) {
  detail::TextSink sink(out);
  detail::writeJSON(sink, v);
}

void writeJSON(std::string& out, const std::vector<Instance>& instances) {
  detail::TextSink sink(out);
  detail::writeJSON(sink, instances);
}

std::string toJSONString(const std::vector<Instance>& instances) {
  std::string out;
  out.reserve(64 + std::min(instances.size(), std::size_t{8}) * 256);  // writeJSON guesses the rest
  writeJSON(out, instances);
  return out;
}

namespace {
template <class J>
Value fromJsonImpl(const J& j) {
  switch (j.type()) {
    case nlohmann::json::value_t::null:
      return Value();
    case nlohmann::json::value_t::boolean:
      return Value(j.template get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Value(j.template get<std::int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      auto u = j.template get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX))
        throw ConversionError(fmt::format("JSON number {} does not fit in int64", u));
      return Value(static_cast<std::int64_t>(u));
    }
    case nlohmann::json::value_t::number_float:
      return Value(j.template get<double>());
    case nlohmann::json::value_t::string:
      return Value(j.template get<std::string>());
    default:
      return Value(JsonText{j.dump()});
  }
}

template <class J>
Record recordFromJsonImpl(const J& object) {
  if (!object.is_object())
    throw UsageError(fmt::format("expected a JSON object, got {}", object.type_name()));
  Record r;
  r.reserve(object.size());
  for (const auto& [k, v] : object.items()) r.emplace_back(k, fromJsonImpl(v));
  return r;
}
}  // namespace

Value fromJson(const nlohmann::json& j) {
  return fromJsonImpl(j);
}
Value fromJson(const Json& j) {
  return fromJsonImpl(j);
}
Record recordFromJson(const nlohmann::json& object) {
  return recordFromJsonImpl(object);
}
Record recordFromJson(const Json& object) {
  return recordFromJsonImpl(object);
}

}  // namespace junction
