// The router (internal.hpp): routes in the order they were added.
#include <re2/re2.h>

#include <stdexcept>
#include <string>

#include "http/internal.hpp"

namespace bloglist::http {

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
  routes_.push_back({method, std::move(re), std::move(middleware), std::move(handler)});
}

namespace {
// The whole path must match; captures[0] is the path, then each group.
bool fullMatch(const re2::RE2& re, const std::string& path, std::vector<std::string>& captures) {
  const int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> pieces(static_cast<std::size_t>(groups) + 1);
  if (!re.Match(path, 0, path.size(), re2::RE2::ANCHOR_BOTH, pieces.data(),
                static_cast<int>(pieces.size())))
    return false;
  captures.clear();
  for (const auto& p : pieces) captures.emplace_back(p.data() ? std::string(p) : std::string());
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
