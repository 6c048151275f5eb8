#include "junction/json.hpp"

#include <fmt/format.h>

#include <cmath>

#include "junction/errors.hpp"

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
