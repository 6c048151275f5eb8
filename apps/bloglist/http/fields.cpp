// Field readers for request bodies: one HttpError 400 naming the field and
// the type it must have.
#include <cstdint>
#include <optional>
#include <string>

#include "http/app.hpp"

namespace bloglist::http {

namespace {
[[noreturn]] void badField(const char* field, const char* expected) {
  throw HttpError(400, std::string(field) + " must be " + expected);
}
const nlohmann::json* present(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return nullptr;
  return &*it;
}
}  // namespace

std::optional<std::string> optionalString(const nlohmann::json& body, const char* field) {
  const auto* v = present(body, field);
  if (!v) return std::nullopt;
  if (!v->is_string()) badField(field, "a string");
  return v->get<std::string>();
}
std::string requireString(const nlohmann::json& body, const char* field) {
  auto s = optionalString(body, field);
  if (!s) throw HttpError(400, std::string(field) + " is required");
  return *s;
}
std::optional<std::int64_t> optionalInteger(const nlohmann::json& body, const char* field) {
  const auto* v = present(body, field);
  if (!v) return std::nullopt;
  if (v->is_number_unsigned()) {
    if (v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      badField(field, "an integer in range");
    return static_cast<std::int64_t>(v->get<std::uint64_t>());
  }
  if (!v->is_number_integer()) badField(field, "an integer");
  return v->get<std::int64_t>();
}
std::int64_t requireInteger(const nlohmann::json& body, const char* field) {
  auto i = optionalInteger(body, field);
  if (!i) throw HttpError(400, std::string(field) + " is required");
  return *i;
}
std::int64_t requireId(const nlohmann::json& body, const char* field) {
  auto i = requireInteger(body, field);
  if (i < 1 || i > INT32_MAX) badField(field, "an id (an integer from 1 to 2147483647)");
  return i;
}
std::optional<bool> optionalBool(const nlohmann::json& body, const char* field) {
  const auto* v = present(body, field);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) badField(field, "true or false");
  return v->get<bool>();
}
bool requireBool(const nlohmann::json& body, const char* field) {
  auto b = optionalBool(body, field);
  if (!b) throw HttpError(400, std::string(field) + " is required");
  return *b;
}

}  // namespace bloglist::http
