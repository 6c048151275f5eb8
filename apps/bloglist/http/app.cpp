#include "http/app.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <deque>
#include <mutex>
#include <regex>
#include <thread>
#include <unordered_set>

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

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Message = bhttp::request<bhttp::string_body>;

struct Request::Impl {
  const Message& msg;
  std::string method;
  std::string path;  // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> params;
  std::smatch matches;  // the route's captures, over `path`
};

const std::string& Request::method() const { return impl_.method; }
const std::string& Request::path() const { return impl_.path; }

std::string Request::capture(std::size_t n) const {
  if (n >= impl_.matches.size()) return {};
  return impl_.matches[n].str();
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
  for (const auto& [k, v] : impl_.params)
    if (k == name) return v;
  return std::nullopt;
}

std::string Request::header(const std::string& name) const {
  return std::string(impl_.msg[name]);  // field names match case-insensitively
}

const nlohmann::json& Request::body() {
  if (!body_) {
    const std::string& text = impl_.msg.body();
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

Response errorResponse(int status, const std::string& message) {
  return Response::json(Json{{"error", message}}, status);
}

std::string joinFields(const std::vector<std::string>& fields) {
  std::string s;
  for (const auto& f : fields) s += (s.empty() ? "" : ", ") + f;
  return s;
}

// The course's errorHandler middleware, for junction's typed errors.
Response mapException(const std::string& what, std::exception_ptr ep) {
  try {
    std::rethrow_exception(ep);
  } catch (const HttpError& e) {
    return errorResponse(e.status(), e.what());
  } catch (const junction::ValidationError& e) {
    std::string msg;
    for (const auto& item : e.errors()) msg += (msg.empty() ? "" : "; ") + item.message;
    return errorResponse(400, msg.empty() ? std::string(e.what()) : msg);
  } catch (const junction::UniqueConstraintError& e) {
    return errorResponse(400, e.fields().empty() ? std::string(e.what())
                                                 : joinFields(e.fields()) + " must be unique");
  } catch (const junction::ForeignKeyConstraintError& e) {
    return errorResponse(400, std::string("a referenced record does not exist: ") + e.what());
  } catch (const junction::NotNullConstraintError& e) {
    return errorResponse(400, e.what());
  } catch (const junction::EmptyResultError& e) {
    return errorResponse(404, e.what());
  } catch (const junction::ConversionError& e) {
    return errorResponse(400, e.what());
  } catch (const junction::ConnectionError& e) {
    log(LogLevel::Error, std::string("database unavailable: ") + e.what());
    return errorResponse(503, "database unavailable");
  } catch (const junction::Error& e) {
    log(LogLevel::Error, what + ": " + e.name() + ": " + e.what());
  } catch (const std::exception& e) {
    log(LogLevel::Error, what + ": " + e.what());
  } catch (...) {
    log(LogLevel::Error, what + ": unknown exception");
  }
  return errorResponse(500, "internal server error");
}

// RFC 3986 percent-decoding; `plusIsSpace` for form-encoded query strings.
// A malformed escape is kept as it is, as browsers and cpp-httplib do.
std::string decodeUrl(std::string_view s, bool plusIsSpace) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plusIsSpace && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parseQuery(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view item = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (item.empty()) continue;
    auto eq = item.find('=');
    params.emplace_back(decodeUrl(item.substr(0, eq), true),
                        eq == std::string_view::npos ? std::string()
                                                     : decodeUrl(item.substr(eq + 1), true));
  }
  return params;
}

// Beast's synchronous stream concepts over a connected socket: one recv()
// per read and one sendmsg() per write (header and body together), with no
// poll() before either. SO_RCVTIMEO bounds a wait: it ends as a timeout.
class SocketStream {
 public:
  explicit SocketStream(int fd) : fd_(fd) {}

  template <class Buffers>
  std::size_t read_some(const Buffers& buffers, beast::error_code& ec) {
    return transfer(buffers, ec, true);
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers, beast::error_code& ec) {
    return transfer(buffers, ec, false);
  }
  template <class Buffers>
  std::size_t read_some(const Buffers& buffers) {
    return orThrow([&](beast::error_code& ec) { return transfer(buffers, ec, true); });
  }
  template <class Buffers>
  std::size_t write_some(const Buffers& buffers) {
    return orThrow([&](beast::error_code& ec) { return transfer(buffers, ec, false); });
  }

 private:
  // The first 16 buffers of the sequence (Beast's serializer uses fewer);
  // a partial read or write is what read_some/write_some may return.
  template <class Buffers>
  static int gather(const Buffers& buffers, iovec (&iov)[16]) {
    int n = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers) && n < 16; ++it) {
      auto b = boost::asio::buffer(*it);
      if (b.size() == 0) continue;
      iov[n].iov_base = const_cast<void*>(static_cast<const void*>(b.data()));
      iov[n].iov_len = b.size();
      ++n;
    }
    return n;
  }
  // One recvmsg() or sendmsg(); 0 bytes read is the end of the stream, and
  // a wait that SO_RCVTIMEO / SO_SNDTIMEO ended is a timeout.
  template <class Buffers>
  std::size_t transfer(const Buffers& buffers, beast::error_code& ec, bool reading) {
    iovec iov[16];
    msghdr m{};
    m.msg_iov = iov;
    m.msg_iovlen = static_cast<std::size_t>(gather(buffers, iov));
    for (;;) {
      ssize_t n = reading ? ::recvmsg(fd_, &m, 0) : ::sendmsg(fd_, &m, MSG_NOSIGNAL);
      if (n > 0 || (n == 0 && !reading)) {
        ec = {};
        return static_cast<std::size_t>(n);
      }
      if (n == 0) {
        ec = boost::asio::error::eof;
        return 0;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        ec = beast::error::timeout;
      else
        ec = beast::error_code(errno, boost::system::system_category());
      return 0;
    }
  }
  template <class F>
  static std::size_t orThrow(F op) {
    beast::error_code ec;
    std::size_t n = op(ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  int fd_;
};

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
  struct Route {
    std::string method;
    std::regex pattern;
    std::vector<Middleware> middleware;
    Handler handler;
  };
  std::vector<Route> routes;
  ServerOptions options;

  std::atomic<bool> stopRequested{false};
  std::atomic<int> listenFd{-1};

  // Accepted connections waiting for a worker, and those a worker is
  // serving. `idle` ones wait for the first byte of their next request:
  // stop() ends those waits (shutdown(SHUT_RD)); a request already begun
  // is read, answered with Connection: close, and ends its connection.
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<int> queue;
  bool closing = false;  // the accept loop has ended: workers drain and exit
  std::unordered_set<int> idle;

  Response dispatch(Request::Impl& req);
  void serve(int fd);
  void worker();
};

Response App::Impl::dispatch(Request::Impl& req) {
  // HEAD is answered as GET, without the body.
  std::string_view method = req.method == "HEAD" ? std::string_view("GET") : req.method;
  for (const auto& route : routes) {
    if (route.method != method || !std::regex_match(req.path, req.matches, route.pattern))
      continue;
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

namespace {

// Sends `res` (status, JSON body or none) in one sendmsg(); false if the
// client is gone.
bool writeResponse(SocketStream& stream, unsigned version, bool keepAlive, bool head,
                   Response res) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  if (!res.body.empty()) out.set(bhttp::field::content_type, kJson);
  out.keep_alive(keepAlive);
  std::size_t length = res.body.size();
  if (!head) out.body() = std::move(res.body);
  if (res.status != 204) out.content_length(length);
  beast::error_code ec;
  bhttp::write(stream, out, ec);
  return !ec;
}

// Ends a connection whose input was not all read: no more output, then
// discard what the client still sends (up to 1 s, 16 MiB), then close.
void lingeringClose(int fd) {
  ::shutdown(fd, SHUT_WR);
  timeval wait{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  char sink[16384];
  for (std::size_t total = 0; total < (16u << 20);) {
    ssize_t got = ::recv(fd, sink, sizeof sink, 0);
    if (got > 0) {
      total += static_cast<std::size_t>(got);
      continue;
    }
    if (got < 0 && errno == EINTR) continue;
    break;
  }
  ::close(fd);
}

void logRequest(const std::string& method, const std::string& path, int status,
                std::chrono::steady_clock::time_point start) {
  if (!logEnabled(LogLevel::Info)) return;
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  char line[64];
  std::snprintf(line, sizeof line, " %d %.2f ms", status, ms);
  log(LogLevel::Info, method + " " + path + line);
}

}  // namespace

void App::Impl::serve(int fd) {
  SocketStream stream(fd);
  beast::flat_buffer buffer;
  bool first = true;
  for (;;) {
    // Wait for the next request's first bytes, where stop() may end the wait.
    if (buffer.size() == 0) {
      {
        std::lock_guard lock(mutex);
        if (stopRequested && !first) break;
        idle.insert(fd);
      }
      // A connection still queued when stop() came gets its request only
      // if it has already sent it.
      int flags = stopRequested ? MSG_DONTWAIT : 0;
      auto space = buffer.prepare(4096);
      ssize_t got;
      do got = ::recv(fd, space.data(), space.size(), flags);
      while (got < 0 && errno == EINTR);
      {
        std::lock_guard lock(mutex);
        idle.erase(fd);
      }
      if (got <= 0) break;  // closed, idle timeout, or stopping
      buffer.commit(static_cast<std::size_t>(got));
    }
    first = false;

    bhttp::request_parser<bhttp::string_body> parser;
    parser.body_limit(options.bodyLimit);
    parser.header_limit(16 * 1024);
    beast::error_code ec;
    bhttp::read(stream, buffer, parser, ec);
    auto start = std::chrono::steady_clock::now();
    if (ec) {
      int status = ec == bhttp::error::body_limit     ? 413
                   : ec == bhttp::error::header_limit ? 431
                   : ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
                           ec == bhttp::error::partial_message || ec == boost::asio::error::eof
                       ? 0
                       : 400;
      if (status == 0) break;  // the client went away, or stalled past the timeout
      const char* message = status == 413   ? "request body too large"
                            : status == 431 ? "request header fields too large"
                                            : "bad request";
      writeResponse(stream, 11, false, false, errorResponse(status, message));
      if (parser.is_header_done())
        logRequest(std::string(parser.get().method_string()), std::string(parser.get().target()),
                   status, start);
      else
        logRequest("-", "(unparsed request)", status, start);
      // The rest of the request is unread: closing now would reset the
      // connection, and the client could lose the answer before reading it.
      lingeringClose(fd);
      return;
    }
    const Message& msg = parser.get();
    auto rawTarget = msg.target();
    std::string_view target(rawTarget.data(), rawTarget.size());
    auto qmark = target.find('?');
    Request::Impl req{msg, std::string(msg.method_string()),
                      decodeUrl(target.substr(0, qmark), false),
                      qmark == std::string_view::npos ? decltype(Request::Impl::params){}
                                                      : parseQuery(target.substr(qmark + 1)),
                      {}};
    Response res = dispatch(req);
    int status = res.status;
    bool keepAlive = msg.keep_alive() && !stopRequested;
    bool ok = writeResponse(stream, msg.version(), keepAlive, req.method == "HEAD", std::move(res));
    logRequest(req.method, req.path, status, start);
    if (!ok || !keepAlive) break;
  }
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
}

void App::Impl::worker() {
  for (;;) {
    int fd;
    {
      std::unique_lock lock(mutex);
      ready.wait(lock, [this] { return !queue.empty() || closing; });
      if (queue.empty()) return;
      fd = queue.front();
      queue.pop_front();
    }
    serve(fd);
  }
}

App::App() : impl_(std::make_unique<Impl>()) {}
App::~App() = default;

void App::route(const std::string& method, const std::string& pattern,
                std::vector<Middleware> middleware, Handler handler) {
  if (method != "GET" && method != "POST" && method != "PUT" && method != "DELETE")
    throw std::invalid_argument("unsupported method " + method);
  impl_->routes.push_back({method, std::regex(pattern), std::move(middleware), std::move(handler)});
}

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// A listening TCP socket on host:port (port 0: any free one); its port.
int openListener(const ServerOptions& options, Fd& out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(options.port);
  if (int rc = ::getaddrinfo(options.host.c_str(), service.c_str(), &hints, &found); rc != 0)
    throw std::runtime_error("cannot resolve " + options.host + ": " + gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);
  std::string why = "no address";
  for (addrinfo* ai = found; ai; ai = ai->ai_next) {
    Fd s{::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol)};
    if (s.fd < 0) continue;
    int one = 1;
    ::setsockopt(s.fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(s.fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(s.fd, SOMAXCONN) != 0) {
      why = std::strerror(errno);
      continue;
    }
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    ::getsockname(s.fd, reinterpret_cast<sockaddr*>(&addr), &len);
    int port = addr.ss_family == AF_INET6
                   ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
                   : ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    std::swap(out.fd, s.fd);
    return port;
  }
  throw std::runtime_error("cannot bind " + options.host + ":" +
                           (options.port ? std::to_string(options.port) : "a free port") + " (" +
                           why + ")");
}

}  // namespace

void App::listen(const ServerOptions& options, const std::function<void(int port)>& ready) {
  auto& im = *impl_;
  im.options = options;
  Fd listener;
  int port = openListener(options, listener);
  im.listenFd = listener.fd;
  ready(port);

  std::vector<std::thread> workers;
  workers.reserve(options.threads);
  for (std::size_t i = 0; i < options.threads; ++i) workers.emplace_back([&im] { im.worker(); });

  while (!im.stopRequested) {
    int fd = ::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      if (im.stopRequested) break;
      if (errno == EINTR || errno == ECONNABORTED) continue;
      log(LogLevel::Error, std::string("accept: ") + std::strerror(errno));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // EMFILE and the like
      continue;
    }
    int one = 1;
    // Headers and body go out in one sendmsg(), but a small response must
    // not wait for Nagle's algorithm either.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    // An idle keep-alive connection ends after 5 s; so does a stalled one.
    timeval idle{5, 0}, send{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send, sizeof send);
    {
      std::lock_guard lock(im.mutex);
      im.queue.push_back(fd);
    }
    im.ready.notify_one();
  }
  {
    std::lock_guard lock(im.mutex);
    im.closing = true;
  }
  im.ready.notify_all();
  for (auto& w : workers) w.join();
  im.listenFd = -1;
}

void App::stop() {
  auto& im = *impl_;
  {
    std::lock_guard lock(im.mutex);
    im.stopRequested = true;
    // Connections waiting for their next request end now.
    for (int fd : im.idle) ::shutdown(fd, SHUT_RD);
  }
  // Wakes the accept() of listen(), if it is there yet; if not, listen()
  // sees stopRequested before it accepts anything.
  int fd = im.listenFd.load();
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace bloglist::http
