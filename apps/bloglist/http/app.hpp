// The HTTP layer: routes, a middleware chain per route, JSON bodies, error
// mapping from junction's typed errors to status codes, one log line per
// request. Boost.Beast stays inside server.cpp (docs/bloglist.md, "HTTP", says
// how it is used and why).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "junction/instance.hpp"
#include "junction/json.hpp"

namespace bloglist::http {

using junction::Json;

// Thrown by middleware and controllers: answered as {"error": message}.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string message)
      : std::runtime_error(std::move(message)), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

class Request {
 public:
  struct Impl;
  explicit Request(const Impl& impl) : impl_(impl) {}

  const std::string& method() const;
  const std::string& path() const;
  // The n-th capture of the route's pattern (1-based).
  std::string capture(std::size_t n) const;
  // A capture that must be a positive integer id (400 otherwise).
  std::int64_t idCapture(std::size_t n) const;
  std::optional<std::string> query(const std::string& name) const;
  std::string header(const std::string& name) const;
  // The body as a JSON object; 400 when it is malformed or not an object.
  const nlohmann::json& body();

  // Set by the login middleware (middleware/auth.hpp): the token's claims,
  // then the logged-in user once the session check passed.
  std::int64_t tokenUserId = 0;
  std::string sid;
  std::optional<junction::Instance> user;

 private:
  const Impl& impl_;
  std::optional<nlohmann::json> body_;
};

// A JSON body, already serialized; empty for 204. Instances are written
// with junction's text writer (Instance::writeJSON), not through a tree.
struct Response {
  int status = 200;
  std::string body;
  static Response json(const Json& j, int status = 200);
  static Response json(const junction::Instance& instance, int status = 200);
  static Response json(const std::vector<junction::Instance>& instances, int status = 200);
  static Response noContent() { return {204, {}}; }
};

using Handler = std::function<Response(Request&)>;
using Middleware = std::function<void(Request&)>;

enum class LogLevel { Debug, Info, Warn, Error };
LogLevel parseLogLevel(std::string_view s);  // std::invalid_argument naming the value
void setLogLevel(LogLevel level);
bool logEnabled(LogLevel level);
void log(LogLevel level, std::string_view message);

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 3001;          // 0: any free port
  std::size_t threads = 4;  // event loops, each running one request at a time
  std::size_t bodyLimit = 1024 * 1024;
};

class App {
 public:
  App();
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // `pattern` is a regular expression over the whole path; the middleware
  // run in order before the handler, and any of them may throw HttpError.
  void route(const std::string& method, const std::string& pattern,
             std::vector<Middleware> middleware, Handler handler);

  // Binds, calls `ready(port)`, then serves until stop(); in-flight requests
  // finish before this returns. Throws std::runtime_error when it cannot bind.
  void listen(const ServerOptions& options, const std::function<void(int port)>& ready);
  // Safe from any thread (the signal thread).
  void stop();

  // Answers the requests in `bytes` as one connection of listen() would —
  // the same parser and limits (ServerOptions' defaults), router and error
  // answers — and returns what it would send back, without a socket. A
  // request cut short gets no answer; one the parser refuses, or one that
  // does not keep the connection alive, is the last. For the fuzz target.
  struct Answer {
    bool head = false;  // to a HEAD request: the header announces a body it leaves out
    std::string bytes;  // status line, header fields and body as sent
  };
  std::vector<Answer> exchange(std::string_view bytes);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Field readers for request bodies: each throws HttpError 400 naming the
// field and the expected type. Optional ones return nullopt for absent or null.
std::string requireString(const nlohmann::json& body, const char* field);
std::optional<std::string> optionalString(const nlohmann::json& body, const char* field);
std::int64_t requireInteger(const nlohmann::json& body, const char* field);
std::optional<std::int64_t> optionalInteger(const nlohmann::json& body, const char* field);
// The id of a row of bloglist's tables (INTEGER keys): 1 to 2147483647.
std::int64_t requireId(const nlohmann::json& body, const char* field);
bool requireBool(const nlohmann::json& body, const char* field);
std::optional<bool> optionalBool(const nlohmann::json& body, const char* field);

}  // namespace bloglist::http
