// junction/json.hpp — nlohmann::json at the edges (DESIGN.md decision 8).
//
// Kept out of the widely included headers: include this where you turn
// request bodies into Records or Values into responses.
//
//   auto user = User.create(recordFromJson(body));   // {"name": "x", ...}
//   res.body = user.toJSON().dump();
#pragma once

#include <nlohmann/json.hpp>

#include "junction/query.hpp"
#include "junction/value.hpp"

namespace junction {

class Instance;

// Objects keep their keys in insertion order, as JavaScript objects do, so
// toJSON() prints attributes in definition order.
using Json = nlohmann::ordered_json;

// Sequelize's rendering: timestamps as ISO strings with milliseconds,
// DATEONLY as "YYYY-MM-DD", JSON values parsed, blobs as Node's Buffer JSON.
Json toJson(const Value& v);

// Text writers: the bytes of toJson(...).dump(), appended to `out` without
// an intermediate tree (invalid UTF-8 becomes U+FFFD rather than throwing,
// as with dump's error_handler_t::replace). Instance::writeJSON writes one
// instance; these write a Value, a string, or an array of instances.
// A tree as the writers write it: compact, invalid UTF-8 as U+FFFD.
std::string dumpJSON(const Json& j);
void writeJSON(std::string& out, const Value& v);
void writeJSONString(std::string& out, std::string_view s);
void writeJSON(std::string& out, const std::vector<Instance>& instances);
std::string toJSONString(const std::vector<Instance>& instances);

// JSON scalars become the matching Value (integers stay integers); objects
// and arrays become JsonText (their serialized form).
Value fromJson(const nlohmann::json& j);
Value fromJson(const Json& j);

// A JSON object as a Record (UsageError naming the JSON type otherwise).
Record recordFromJson(const nlohmann::json& object);
Record recordFromJson(const Json& object);

// Wraps a JSON document for a JSON attribute.
inline Value jsonValue(const nlohmann::json& j) {
  return Value(JsonText{j.dump()});
}
inline Value jsonValue(const Json& j) {
  return Value(JsonText{j.dump()});
}

}  // namespace junction
