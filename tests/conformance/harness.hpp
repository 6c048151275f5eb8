// The junction side of a conformance program: the counterpart of
// harness.js. Each step prints one JSON line — {step, result} or
// {step, error: {class, fields}} — then waits for the runner to read the
// database (one line on stdin) before the next step runs.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "junction/json.hpp"
#include "junction/junction.hpp"

namespace conformance {

using junction::Json;

// What a step returns, as Sequelize's JSON.stringify would print it.
inline Json plain(const junction::Instance& i) { return i.toJSON(); }
inline Json plain(const std::optional<junction::Instance>& i) {
  return i ? i->toJSON() : Json(nullptr);
}
inline Json plain(const std::vector<junction::Instance>& rows) {
  Json a = Json::array();
  for (const auto& r : rows) a.push_back(r.toJSON());
  return a;
}
inline Json plain(Json j) { return j; }
inline Json plain(std::int64_t n) { return n; }
inline Json plain(bool b) { return b; }

// The error as harness.js describes Sequelize's: the class, and the
// attributes each validation item (or each failed row) names.
inline Json describe(const junction::Error& e) {
  Json out{{"class", e.name()}};
  auto paths = [](const junction::ValidationError& v) {
    Json f = Json::array();
    for (const auto& item : v.errors()) f.push_back(item.path);
    return f;
  };
  if (const auto* bulk = dynamic_cast<const junction::BulkValidationError*>(&e)) {
    Json rows = Json::array();
    for (const auto& r : bulk->rows()) rows.push_back(paths(r.error));
    out["rows"] = rows;
  } else if (const auto* v = dynamic_cast<const junction::ValidationError*>(&e)) {
    out["fields"] = paths(*v);
  } else if (const auto* u = dynamic_cast<const junction::UniqueConstraintError*>(&e)) {
    out["fields"] = Json(u->fields());
  }
  return out;
}

inline void waitForRunner() {
  std::string ignored;
  std::getline(std::cin, ignored);
}

// Runs fn as one step. fn may return nothing, an Instance, rows, a count, or
// Json.
template <class F>
void step(std::string_view name, F&& fn) {
  Json line{{"step", std::string(name)}};
  try {
    if constexpr (std::is_void_v<std::invoke_result_t<F>>) {
      fn();
      line["result"] = nullptr;
    } else {
      line["result"] = plain(fn());
    }
  } catch (const junction::Error& e) {
    line["error"] = describe(e);
    if (std::getenv("CONFORMANCE_VERBOSE")) std::cerr << name << ": " << e.what() << "\n";
  }
  std::cout << line.dump(-1, ' ', false, Json::error_handler_t::replace) << std::endl;
  waitForRunner();
}

// main's body: 0 when it returned, 2 when it threw outside a step.
template <class F>
int run(int argc, char** argv, F&& body) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " DATABASE_URL\n";
    return 2;
  }
  try {
    body(std::string(argv[1]));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
}

}  // namespace conformance
