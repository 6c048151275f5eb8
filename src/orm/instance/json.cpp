#include "junction/json.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "junction/errors.hpp"
#include "junction/instance.hpp"

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

void writeJSONString(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  const auto* run = p;  // bytes not yet copied
  out.push_back('"');
  while (p < end) {
    unsigned char c = *p;
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++p;
      continue;
    }
    if (c >= 0x80) {
      std::size_t n = utf8SequenceLength(p, end);
      if (n == 0) {  // invalid UTF-8: nlohmann's replacement rules, exactly
        out.resize(start);
        out += dumpJSON(Json(std::string(s)));
        return;
      }
      p += n;
      continue;
    }
    out.append(reinterpret_cast<const char*>(run), reinterpret_cast<const char*>(p));
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
    run = ++p;
  }
  out.append(reinterpret_cast<const char*>(run), reinterpret_cast<const char*>(p));
  out.push_back('"');
}

void writeJSON(std::string& out, const Value& v) {
  std::visit(
      [&out, &v](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "null";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          char buf[24];
          auto r = std::to_chars(buf, buf + sizeof buf, x);
          out.append(buf, r.ptr);
        } else if constexpr (std::is_same_v<T, std::string>) {
          writeJSONString(out, x);
        } else if constexpr (std::is_same_v<T, Timestamp> || std::is_same_v<T, Date>) {
          out.push_back('"');
          x.appendIso(out);
          out.push_back('"');
        } else {  // doubles (nlohmann's shortest round-trip form), blobs, JSON
          out += dumpJSON(toJson(v));
        }
      },
      v.storage());
}

void writeJSON(std::string& out, const std::vector<Instance>& instances) {
  out.push_back('[');
  for (std::size_t i = 0; i < instances.size(); ++i) {
    if (i) out.push_back(',');
    instances[i].writeJSON(out);
  }
  out.push_back(']');
}

std::string toJSONString(const std::vector<Instance>& instances) {
  std::string out;
  out.reserve(64 + instances.size() * 256);
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
