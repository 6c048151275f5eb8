// Private to the HTTP layer: what its parts share. The transport
// (server.cpp) is the only file that knows Boost.Beast; the request, the
// router, the error mapping and the log see plain types.
#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/app.hpp"

namespace re2 {
class RE2;
}

namespace bloglist::http {

// One parsed request, as the router and the handlers' Request see it.
struct Request::Impl {
  std::string method;
  std::string path;  // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<std::string> captures;  // the route's groups ([0]: the whole path)
  std::string_view body;
  // A header field by name (case-insensitive), read from the transport's
  // message when a handler asks.
  const void* message = nullptr;
  std::string_view (*header)(const void* message, std::string_view name) = nullptr;
};

// The request target split at '?', path and query parameters
// percent-decoded ('+' is a space in the query); a malformed escape is kept
// as it is, as browsers do. (request.cpp)
void parseTarget(std::string_view target, Request::Impl& req);

// {"error": message} with `status`. (errors.cpp)
Response errorResponse(int status, const std::string& message);
// The answer for an exception thrown while handling `what` ("GET /path"):
// HttpError's status; 400 for validation, constraint and conversion
// errors; 404 for EmptyResultError; 503 when the database is unreachable;
// anything else is logged and answered 500. (errors.cpp)
Response mapException(const std::string& what, std::exception_ptr ep);

// The access log's line for one answered request. (log.cpp)
void logRequest(const std::string& method, const std::string& path, int status,
                std::chrono::steady_clock::time_point start);

// Routes: a method and a regular expression over the whole path, the
// middleware to run in order, the handler. (router.cpp)
class Router {
 public:
  // std::invalid_argument for a method other than GET, POST, PUT, DELETE.
  void add(const std::string& method, const std::string& pattern,
           std::vector<Middleware> middleware, Handler handler);
  // The first matching route's answer (HEAD is matched as GET), with a
  // thrown error mapped to its status; 404 when no route matches.
  Response dispatch(Request::Impl& req) const;

 private:
  struct Route {
    std::string method;
    // RE2: a path matches in linear time, whatever its length (std::regex
    // recursed per character).
    std::shared_ptr<const re2::RE2> pattern;
    std::vector<Middleware> middleware;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace bloglist::http
