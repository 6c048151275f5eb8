// The router (internal.hpp): routes in the order they were added.
#include <stdexcept>
#include <string>

#include "http/internal.hpp"

namespace bloglist::http {

void Router::add(const std::string& method, const std::string& pattern,
                 std::vector<Middleware> middleware, Handler handler) {
  if (method != "GET" && method != "POST" && method != "PUT" && method != "DELETE")
    throw std::invalid_argument("unsupported method " + method);
  routes_.push_back({method, std::regex(pattern), std::move(middleware), std::move(handler)});
}

Response Router::dispatch(Request::Impl& req) const {
  // HEAD is answered as GET, without the body.
  std::string_view method = req.method == "HEAD" ? std::string_view("GET") : req.method;
  for (const auto& route : routes_) {
    if (route.method != method || !std::regex_match(req.path, req.matches, route.pattern)) continue;
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
