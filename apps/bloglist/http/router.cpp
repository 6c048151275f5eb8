// The router (internal.hpp): routes in the order they were added.
#include <re2/re2.h>

#include <array>
#include <stdexcept>
#include <string>

#include "http/internal.hpp"

namespace bloglist::http {

namespace {
constexpr int kMaxGroups = 8;
}  // namespace

void Router::add(const std::string& method, const std::string& pattern,
                 std::vector<Middleware> middleware, Handler handler) {
  if (method != "GET" && method != "POST" && method != "PUT" && method != "DELETE")
    throw std::invalid_argument("unsupported method " + method);
  re2::RE2::Options options;
  options.set_log_errors(false);
  // A decoded path is bytes, not necessarily UTF-8 (%ff): match bytes, as
  // std::regex did, so [^/]+ takes any of them and the handler decides.
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  auto re = std::make_shared<const re2::RE2>(pattern, options);
  if (!re->ok()) throw std::invalid_argument("route " + pattern + ": " + re->error());
  if (re->NumberOfCapturingGroups() > kMaxGroups)
    throw std::invalid_argument("route " + pattern + ": more than 8 capturing groups");
  routes_.push_back({method, std::move(re), std::move(middleware), std::move(handler)});
}

namespace {
// The whole path must match; captures[0] is the path, then each group.
bool fullMatch(const re2::RE2& re, const std::string& path, std::vector<std::string>& captures) {
  // Every request tries routes in turn: the pieces live on the stack (add()
  // refuses a route with more groups than fit).
  std::array<re2::StringPiece, kMaxGroups + 1> pieces;
  const int n = re.NumberOfCapturingGroups() + 1;
  if (!re.Match(path, 0, path.size(), re2::RE2::ANCHOR_BOTH, pieces.data(), n)) return false;
  captures.clear();
  for (int i = 0; i < n; ++i)
    captures.emplace_back(pieces[i].data() ? std::string(pieces[i]) : std::string());
  return true;
}
}  // namespace

Response Router::dispatch(Request::Impl& req) const {
  // HEAD is answered as GET, without the body.
  std::string_view method = req.method == "HEAD" ? std::string_view("GET") : req.method;
  for (const auto& route : routes_) {
    if (route.method != method || !fullMatch(*route.pattern, req.path, req.captures)) continue;
    try {
      Request r(req);
      for (const auto& m : route.middleware) m(r);
      return route.handler(r);
    } catch (...) {
      return mapException(req.method + " " + req.path, std::current_exception());
    }
  }
  return errorResponse(404, "unknown endpoint");
}

}  // namespace bloglist::http
