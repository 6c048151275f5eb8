#include "http/app.hpp"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <thread>

#include "junction/errors.hpp"

namespace bloglist::http {

// ------------------------------------------------------------------ logging

namespace {
std::atomic<LogLevel> gLevel{LogLevel::Info};
std::mutex gLogMutex;

const char* levelName(LogLevel l) {
  switch (l) {
    case LogLevel::Debug: return "debug";
    case LogLevel::Info: return "info";
    case LogLevel::Warn: return "warn";
    case LogLevel::Error: return "error";
  }
  return "?";
}
}  // namespace

LogLevel parseLogLevel(std::string_view s) {
  if (s == "debug") return LogLevel::Debug;
  if (s == "info") return LogLevel::Info;
  if (s == "warn") return LogLevel::Warn;
  if (s == "error") return LogLevel::Error;
  throw std::invalid_argument("LOG_LEVEL must be debug, info, warn or error, not '" +
                              std::string(s) + "'");
}
void setLogLevel(LogLevel level) { gLevel.store(level); }
bool logEnabled(LogLevel level) { return level >= gLevel.load(std::memory_order_relaxed); }

void log(LogLevel level, std::string_view message) {
  if (!logEnabled(level)) return;
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard lock(gLogMutex);
  std::fprintf(stderr, "%s %s %.*s\n", stamp, levelName(level), static_cast<int>(message.size()),
               message.data());
}

// ------------------------------------------------------------------ request

struct Request::Impl {
  const httplib::Request& req;
};

const std::string& Request::method() const { return impl_.req.method; }
const std::string& Request::path() const { return impl_.req.path; }

std::string Request::capture(std::size_t n) const {
  if (n >= impl_.req.matches.size()) return {};
  return impl_.req.matches[n].str();
}

std::int64_t Request::idCapture(std::size_t n) const {
  std::string s = capture(n);
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || id <= 0)
    throw HttpError(400, "id must be a positive integer, got '" + s + "'");
  return id;
}

std::optional<std::string> Request::query(const std::string& name) const {
  if (!impl_.req.has_param(name)) return std::nullopt;
  return impl_.req.get_param_value(name);
}

std::string Request::header(const std::string& name) const {
  return impl_.req.get_header_value(name);
}

const nlohmann::json& Request::body() {
  if (!body_) {
    const std::string& text = impl_.req.body;
    if (text.empty()) throw HttpError(400, "request body must be a JSON object");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
      throw HttpError(400, std::string("malformed JSON: ") + e.what());
    }
    if (!j.is_object()) throw HttpError(400, "request body must be a JSON object");
    body_ = std::move(j);
  }
  return *body_;
}

// ------------------------------------------------------------ body fields

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

// -------------------------------------------------------- error mapping

namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

void writeJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(junction::dumpJSON(body), kJson);
}

void writeError(httplib::Response& res, int status, const std::string& message) {
  writeJson(res, status, Json{{"error", message}});
}

std::string joinFields(const std::vector<std::string>& fields) {
  std::string s;
  for (const auto& f : fields) s += (s.empty() ? "" : ", ") + f;
  return s;
}

// The course's errorHandler middleware, for junction's typed errors.
void mapException(const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const HttpError& e) {
    writeError(res, e.status(), e.what());
  } catch (const junction::ValidationError& e) {
    std::string msg;
    for (const auto& item : e.errors()) msg += (msg.empty() ? "" : "; ") + item.message;
    writeError(res, 400, msg.empty() ? std::string(e.what()) : msg);
  } catch (const junction::UniqueConstraintError& e) {
    writeError(res, 400, e.fields().empty() ? std::string(e.what())
                                            : joinFields(e.fields()) + " must be unique");
  } catch (const junction::ForeignKeyConstraintError& e) {
    writeError(res, 400, std::string("a referenced record does not exist: ") + e.what());
  } catch (const junction::NotNullConstraintError& e) {
    writeError(res, 400, e.what());
  } catch (const junction::EmptyResultError& e) {
    writeError(res, 404, e.what());
  } catch (const junction::ConversionError& e) {
    writeError(res, 400, e.what());
  } catch (const junction::ConnectionError& e) {
    log(LogLevel::Error, std::string("database unavailable: ") + e.what());
    writeError(res, 503, "database unavailable");
  } catch (const junction::Error& e) {
    log(LogLevel::Error,
        req.method + " " + req.path + ": " + e.name() + ": " + e.what());
    writeError(res, 500, "internal server error");
  } catch (const std::exception& e) {
    log(LogLevel::Error, req.method + " " + req.path + ": " + e.what());
    writeError(res, 500, "internal server error");
  } catch (...) {
    log(LogLevel::Error, req.method + " " + req.path + ": unknown exception");
    writeError(res, 500, "internal server error");
  }
}

thread_local std::chrono::steady_clock::time_point tRequestStart;

}  // namespace

Response Response::json(const Json& j, int status) { return {status, junction::dumpJSON(j)}; }
Response Response::json(const junction::Instance& instance, int status) {
  return {status, instance.toJSONString()};
}
Response Response::json(const std::vector<junction::Instance>& instances, int status) {
  return {status, junction::toJSONString(instances)};
}

// ------------------------------------------------------------------ app

struct App::Impl {
  httplib::Server server;
  std::size_t bodyLimit = 1024 * 1024;
  std::atomic<bool> stopRequested{false};
  std::atomic<bool> finished{false};
};

namespace {

// cpp-httplib 0.11.4 listens with a backlog of 5, so a burst of new
// connections overflows the accept queue and clients see resets. Re-calling
// listen() on the bound socket raises the backlog (Linux keeps the socket
// and its port). The library does not expose the descriptor: find the
// listening socket bound to our port among this process's descriptors.
void raiseBacklog(int port) {
  long maxFd = sysconf(_SC_OPEN_MAX);
  for (int fd = 0; fd < maxFd && fd < 65536; ++fd) {
    int accepting = 0;
    socklen_t len = sizeof accepting;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &len) != 0 || !accepting) continue;
    sockaddr_storage addr{};
    socklen_t alen = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &alen) != 0) continue;
    int boundPort = addr.ss_family == AF_INET
                        ? ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port)
                        : addr.ss_family == AF_INET6
                              ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                              : -1;
    if (boundPort == port && ::listen(fd, SOMAXCONN) == 0) return;
  }
  log(LogLevel::Warn, "could not raise the listen backlog; bursts of connections may be refused");
}

}  // namespace

App::App() : impl_(std::make_unique<Impl>()) {
  auto& svr = impl_->server;
  svr.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    tRequestStart = std::chrono::steady_clock::now();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Requests that reach no handler (unknown route, oversized body, bad
  // request line) still answer JSON.
  svr.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    switch (res.status) {
      case 404: writeError(res, 404, "unknown endpoint"); break;
      case 413: writeError(res, 413, "request body too large"); break;
      case 414: writeError(res, 414, "request URI too long"); break;
      case 400: writeError(res, 400, "bad request"); break;
      default: writeError(res, res.status, "request failed (HTTP " + std::to_string(res.status) + ")"); break;
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  svr.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        mapException(req, res, ep);
      });
  svr.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    if (!logEnabled(LogLevel::Info)) return;
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                          tRequestStart)
                    .count();
    char line[64];
    std::snprintf(line, sizeof line, " %d %.2f ms", res.status, ms);
    log(LogLevel::Info, req.method + " " + req.path + line);
  });
}

App::~App() = default;

void App::route(const std::string& method, const std::string& pattern,
                std::vector<Middleware> middleware, Handler handler) {
  auto run = [app = impl_.get(), middleware = std::move(middleware),
              handler = std::move(handler)](const httplib::Request& req,
                                            httplib::Response& res) {
    try {
      // cpp-httplib checks its payload limit against Content-Length only;
      // a chunked body arrives here whole.
      if (req.body.size() > app->bodyLimit) throw HttpError(413, "request body too large");
      Request::Impl impl{req};
      Request r(impl);
      for (const auto& m : middleware) m(r);
      Response out = handler(r);
      res.status = out.status;
      if (!out.body.empty()) {
        res.body = std::move(out.body);
        res.set_header("Content-Type", kJson);
      }
    } catch (...) {
      mapException(req, res, std::current_exception());
    }
  };
  auto& svr = impl_->server;
  if (method == "GET")
    svr.Get(pattern, run);
  else if (method == "POST")
    svr.Post(pattern, run);
  else if (method == "PUT")
    svr.Put(pattern, run);
  else if (method == "DELETE")
    svr.Delete(pattern, run);
  else
    throw std::invalid_argument("unsupported method " + method);
}

void App::listen(const ServerOptions& options, const std::function<void(int port)>& ready) {
  // stop() waits for the server to run or for this to have returned.
  struct Finished {
    std::atomic<bool>& flag;
    ~Finished() { flag = true; }
  } finished{impl_->finished};
  auto& svr = impl_->server;
  impl_->bodyLimit = options.bodyLimit;
  std::size_t threads = options.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_payload_max_length(options.bodyLimit);
  svr.set_keep_alive_timeout(5);
  // cpp-httplib closes a keep-alive connection after 5 requests by default,
  // so a busy client reconnects every fifth request (accept, a pool hand-off
  // and a TCP handshake each time). Node's server has no such cap; the idle
  // timeout above is what ends a connection.
  svr.set_keep_alive_max_count(1'000'000);
  // cpp-httplib writes the status line and headers, then the body, in two
  // send()s. With Nagle's algorithm on (its default) the body waits for the
  // client's delayed ACK of the headers: about 40 ms per keep-alive
  // response on Linux, which capped throughput at connections / 40 ms.
  svr.set_tcp_nodelay(true);
  int port = options.port;
  if (port == 0) {
    port = svr.bind_to_any_port(options.host);
    if (port < 0) throw std::runtime_error("cannot bind " + options.host + " to a free port");
  } else if (!svr.bind_to_port(options.host, port)) {
    throw std::runtime_error("cannot bind " + options.host + ":" + std::to_string(port) +
                             " (in use, or not allowed)");
  }
  raiseBacklog(port);
  ready(port);
  if (impl_->stopRequested) return;
  svr.listen_after_bind();
}

void App::stop() {
  impl_->stopRequested = true;
  // cpp-httplib ignores stop() until its accept loop is running: wait for
  // it (or for listen() to have returned without serving).
  while (!impl_->server.is_running() && !impl_->finished)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->server.stop();
}

}  // namespace bloglist::http
