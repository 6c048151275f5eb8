// The transport: an accept thread and a few epoll event loops that own
// their connections, Beast's parser fed incrementally, answers written
// with one sendmsg(). Everything a request means is in the router.
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "http/app.hpp"
#include "http/internal.hpp"

namespace bloglist::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Message = bhttp::request<bhttp::string_body>;

namespace {
constexpr const char* kJson = "application/json; charset=utf-8";
}  // namespace

// ------------------------------------------------------------------ app

// One event loop per worker thread (nginx's model): the accept thread hands
// each connection to a loop, which owns it from then on. A loop reads
// whatever its ready connections sent, runs each complete request to its
// answer (database work included), and parks a connection in epoll between
// requests. So at most `threads` requests run at once, however many clients
// are connected: on a small machine a handful of busy threads (and as many
// database sessions) do more work per CPU second than one thread per
// connection, which spent itself switching between them.
struct Conn {
  using Clock = std::chrono::steady_clock;
  int fd;
  beast::flat_buffer in;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser;
  std::string out;  // answer bytes the socket did not take yet
  bool closeAfterWrite = false;
  // An error was answered while input was left unread: discard what the
  // client still sends (up to 16 MiB, 1 s), then close, so that it reads
  // the answer rather than a reset.
  bool lingering = false;
  std::size_t discarded = 0;
  Clock::time_point deadline;  // idle, stalled, lingering or blocked output
  bool begun() const { return in.size() > 0 || (parser && parser->got_some()); }
};

struct Loop {
  int epfd = -1;
  int wake = -1;  // eventfd: new connections, or stop
  std::mutex mutex;
  std::vector<int> incoming;
  std::unordered_map<int, std::unique_ptr<Conn>> conns;
  ~Loop() {
    for (auto& [fd, c] : conns) ::close(fd);
    if (wake >= 0) ::close(wake);
    if (epfd >= 0) ::close(epfd);
  }
};

struct App::Impl {
  Router router;
  ServerOptions options;

  std::atomic<bool> stopRequested{false};
  std::atomic<bool> closing{false};  // the accept loop has ended
  std::atomic<int> listenFd{-1};
  std::mutex loopsMutex;  // stop() may come from another thread at any time
  std::vector<std::unique_ptr<Loop>> loops;

  // What a connection does with bytes, socket or not: the parser's limits,
  // the answer to a request the parser refused, a parsed request's answer.
  void configure(bhttp::request_parser<bhttp::string_body>& parser) const;
  Response handle(const Message& msg, std::chrono::steady_clock::time_point start) const;

  void run(Loop& loop);
  void adopt(Loop& loop);
  void onEvent(Loop& loop, Conn& c, std::uint32_t events);
  void process(Loop& loop, Conn& c);
  bool answer(Loop& loop, Conn& c, unsigned version, bool keepAlive, bool head, Response res);
  bool flush(Loop& loop, Conn& c);
  void close(Loop& loop, Conn& c);
  void wakeAll();
};

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(5);   // between requests, or stalled in one
constexpr auto kSendTimeout = std::chrono::seconds(30);  // a client not reading its answer
constexpr auto kLingerTimeout = std::chrono::seconds(1);
constexpr std::size_t kLingerLimit = 16u << 20;

void watch(Loop& loop, Conn& c, bool output) {
  epoll_event ev{};
  ev.events = output ? EPOLLOUT : EPOLLIN;
  ev.data.fd = c.fd;
  ::epoll_ctl(loop.epfd, EPOLL_CTL_MOD, c.fd, &ev);
}

// What the socket did not take goes out on EPOLLOUT, within kSendTimeout.
void awaitOutput(Loop& loop, Conn& c) {
  if (c.out.empty()) return;
  c.deadline = Conn::Clock::now() + kSendTimeout;
  watch(loop, c, true);
}

// The answer to a request the parser refused (413, 431 or 400), logged.
Response refusal(const bhttp::request_parser<bhttp::string_body>& parser, beast::error_code ec,
                 std::chrono::steady_clock::time_point start) {
  int status = ec == bhttp::error::body_limit     ? 413
               : ec == bhttp::error::header_limit ? 431
                                                  : 400;
  const char* message = status == 413   ? "request body too large"
                        : status == 431 ? "request header fields too large"
                                        : "bad request";
  if (parser.is_header_done())
    logRequest(std::string(parser.get().method_string()), std::string(parser.get().target()),
               status, start);
  else
    logRequest("-", "(unparsed request)", status, start);
  return errorResponse(status, message);
}

// `res` as an HTTP message: JSON body or none, Content-Length, keep-alive.
bhttp::response<bhttp::string_body> message(unsigned version, bool keepAlive, bool head,
                                            Response res) {
  bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), version};
  if (!res.body.empty()) out.set(bhttp::field::content_type, kJson);
  out.keep_alive(keepAlive);
  std::size_t length = res.body.size();
  if (!head) out.body() = std::move(res.body);
  if (res.status != 204) out.content_length(length);
  return out;
}

}  // namespace

void App::Impl::configure(bhttp::request_parser<bhttp::string_body>& parser) const {
  parser.eager(true);
  parser.body_limit(options.bodyLimit);
  parser.header_limit(16 * 1024);
}

Response App::Impl::handle(const Message& msg, std::chrono::steady_clock::time_point start) const {
  auto rawTarget = msg.target();
  Request::Impl req;
  req.method = std::string(msg.method_string());
  parseTarget(std::string_view(rawTarget.data(), rawTarget.size()), req);
  req.body = msg.body();
  req.message = &msg;
  req.header = [](const void* m, std::string_view name) -> std::string_view {
    auto v = (*static_cast<const Message*>(m))[beast::string_view(name.data(), name.size())];
    return {v.data(), v.size()};
  };
  Response res = router.dispatch(req);
  logRequest(req.method, req.path, res.status, start);
  return res;
}

void App::Impl::close(Loop& loop, Conn& c) {
  int fd = c.fd;
  ::epoll_ctl(loop.epfd, EPOLL_CTL_DEL, fd, nullptr);
  ::shutdown(fd, SHUT_WR);
  ::close(fd);
  loop.conns.erase(fd);  // destroys c
}

// Sends c.out; false when the client is gone. What the socket does not
// take waits for EPOLLOUT.
bool App::Impl::flush(Loop& loop, Conn& c) {
  std::size_t sent = 0;
  while (sent < c.out.size()) {
    ssize_t n = ::send(c.fd, c.out.data() + sent, c.out.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return false;
  }
  c.out.erase(0, sent);
  awaitOutput(loop, c);
  return true;
}

// Writes `res` (status, JSON body or none): header and body in one
// sendmsg() straight from the response, and only what the socket does not
// take is copied, to go out when it can. False when the client is gone.
bool App::Impl::answer(Loop& loop, Conn& c, unsigned version, bool keepAlive, bool head,
                       Response res) {
  auto out = message(version, keepAlive, head, std::move(res));
  c.closeAfterWrite = !keepAlive;
  bhttp::serializer<false, bhttp::string_body> sr{out};
  beast::error_code ec;
  bool blocked = false;
  while (!sr.is_done()) {
    iovec iov[16];
    int count = 0;
    std::size_t offered = 0;
    sr.next(ec, [&](beast::error_code&, const auto& buffers) {
      for (auto it = boost::asio::buffer_sequence_begin(buffers);
           it != boost::asio::buffer_sequence_end(buffers) && count < 16; ++it) {
        auto b = boost::asio::buffer(*it);
        if (b.size() == 0) continue;
        iov[count].iov_base = const_cast<void*>(b.data());
        iov[count].iov_len = b.size();
        offered += b.size();
        ++count;
      }
    });
    if (ec) return false;
    if (blocked) {  // the socket is full: keep the rest for later
      for (int i = 0; i < count; ++i)
        c.out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
      sr.consume(offered);
      continue;
    }
    msghdr m{};
    m.msg_iov = iov;
    m.msg_iovlen = static_cast<std::size_t>(count);
    ssize_t n = ::sendmsg(c.fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      blocked = true;
      continue;
    }
    if (n < 0) return false;
    sr.consume(static_cast<std::size_t>(n));
    if (static_cast<std::size_t>(n) < offered) blocked = true;
  }
  awaitOutput(loop, c);
  return true;
}

// Parses and answers the requests buffered on `c`, in order, until it needs
// more input or an answer is waiting to go out.
void App::Impl::process(Loop& loop, Conn& c) {
  while (c.in.size() > 0 && c.out.empty() && !c.lingering) {
    if (!c.parser) {
      c.parser.emplace();
      configure(*c.parser);
    }
    auto& parser = *c.parser;
    beast::error_code ec;
    std::size_t used = parser.put(c.in.data(), ec);
    c.in.consume(used);
    if (ec == bhttp::error::need_more) break;
    auto start = std::chrono::steady_clock::now();
    if (ec) {
      Response refused = refusal(parser, ec, start);
      c.parser.reset();
      // The rest of the request is unread: closing now would reset the
      // connection, and the client could lose the answer before reading it.
      if (!answer(loop, c, 11, false, false, std::move(refused))) return close(loop, c);
      c.in.clear();
      c.lingering = true;
      if (c.out.empty()) {  // else once it is out (onEvent)
        ::shutdown(c.fd, SHUT_WR);
        c.deadline = Conn::Clock::now() + kLingerTimeout;
      }
      return;
    }
    if (!parser.is_done()) break;
    const Message& msg = parser.get();
    bool keepAlive = msg.keep_alive() && !stopRequested;
    bool head = msg.method() == bhttp::verb::head;
    bool ok = answer(loop, c, msg.version(), keepAlive, head, handle(msg, start));
    c.parser.reset();
    if (!ok || (!keepAlive && c.out.empty())) return close(loop, c);
    if (!keepAlive) return;  // closes once the answer is out
  }
  if (c.out.empty() && !c.lingering) c.deadline = Conn::Clock::now() + kIdleTimeout;
}

void App::Impl::onEvent(Loop& loop, Conn& c, std::uint32_t events) {
  const int fd = c.fd;
  if (!c.out.empty()) {
    if (!flush(loop, c)) return close(loop, c);
    if (!c.out.empty()) return;
    watch(loop, c, false);
    if (c.lingering) {  // the error answer is out: now stop sending, and drain
      ::shutdown(fd, SHUT_WR);
      c.deadline = Conn::Clock::now() + kLingerTimeout;
      return;
    }
    if (c.closeAfterWrite) return close(loop, c);
    process(loop, c);  // pipelined requests already buffered
    if (!loop.conns.count(fd) || !c.out.empty()) return;
  }
  if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
  bool ended = false;  // the client sent all it will send
  for (;;) {
    auto space = c.in.prepare(16384);
    ssize_t got = ::recv(c.fd, space.data(), space.size(), MSG_DONTWAIT);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (got < 0) return close(loop, c);  // an error
    if (got == 0) {
      if (c.lingering) return close(loop, c);
      ended = true;
      break;
    }
    if (c.lingering) {
      c.discarded += static_cast<std::size_t>(got);
      if (c.discarded >= kLingerLimit) return close(loop, c);
      continue;
    }
    c.in.commit(static_cast<std::size_t>(got));
    if (static_cast<std::size_t>(got) < space.size()) break;  // drained
    if (c.in.size() > options.bodyLimit + 64 * 1024) break;   // let the parser judge
  }
  if (c.lingering) return;
  process(loop, c);
  // Requests that arrived before the end are answered; then the
  // connection closes (at once, or once the answer is out).
  if (ended && loop.conns.count(fd)) {
    if (c.out.empty()) return close(loop, c);
    c.closeAfterWrite = true;
  }
}

void App::Impl::adopt(Loop& loop) {
  std::uint64_t ignored;
  [[maybe_unused]] auto r = ::read(loop.wake, &ignored, sizeof ignored);
  std::vector<int> fds;
  {
    std::lock_guard lock(loop.mutex);
    fds.swap(loop.incoming);
  }
  for (int fd : fds) {
    auto c = std::make_unique<Conn>();
    c->fd = fd;
    c->deadline = Conn::Clock::now() + kIdleTimeout;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(loop.epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      log(LogLevel::Error, std::string("epoll_ctl: ") + std::strerror(errno));
      ::close(fd);
      continue;
    }
    loop.conns.emplace(fd, std::move(c));
  }
}

void App::Impl::run(Loop& loop) {
  epoll_event events[64];
  auto nextSweep = Conn::Clock::now();
  for (;;) {
    int n = ::epoll_wait(loop.epfd, events, 64, 250);
    if (n < 0 && errno != EINTR) {
      log(LogLevel::Error, std::string("epoll_wait: ") + std::strerror(errno));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == loop.wake) {
        adopt(loop);
        continue;
      }
      auto it = loop.conns.find(fd);
      if (it != loop.conns.end()) onEvent(loop, *it->second, events[i].events);
    }
    auto now = Conn::Clock::now();
    bool stopping = stopRequested.load();
    if (now >= nextSweep || stopping) {
      nextSweep = now + std::chrono::milliseconds(250);
      std::vector<int> doomed;
      for (auto& [fd, c] : loop.conns) {
        // Stopping: a connection waiting for its next request ends now;
        // one in the middle of a request is answered (Connection: close).
        bool idle = !c->begun() && c->out.empty() && !c->lingering;
        if (stopping && idle) {  // unless its request has just arrived
          char byte;
          if (::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) > 0) idle = false;
        }
        if (now >= c->deadline || (stopping && idle)) doomed.push_back(fd);
      }
      for (int fd : doomed) close(loop, *loop.conns.at(fd));
    }
    if (closing && loop.conns.empty()) {
      std::lock_guard lock(loop.mutex);
      if (loop.incoming.empty()) return;
    }
  }
}

void App::Impl::wakeAll() {
  std::lock_guard lock(loopsMutex);
  for (auto& l : loops) {
    std::uint64_t one = 1;
    [[maybe_unused]] auto r = ::write(l->wake, &one, sizeof one);
  }
}

App::App() : impl_(std::make_unique<Impl>()) {}
App::~App() = default;

void App::route(const std::string& method, const std::string& pattern,
                std::vector<Middleware> middleware, Handler handler) {
  impl_->router.add(method, pattern, std::move(middleware), std::move(handler));
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
    int port = addr.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port)
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

  const std::size_t count = std::max<std::size_t>(1, options.threads);
  for (std::size_t i = 0; i < count; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->epfd = ::epoll_create1(EPOLL_CLOEXEC);
    loop->wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (loop->epfd < 0 || loop->wake < 0)
      throw std::runtime_error(std::string("cannot create an event loop: ") + std::strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = loop->wake;
    ::epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->wake, &ev);
    std::lock_guard lock(im.loopsMutex);
    im.loops.push_back(std::move(loop));
  }
  ready(port);

  std::vector<std::thread> workers;
  workers.reserve(count);
  for (auto& loop : im.loops) workers.emplace_back([&im, l = loop.get()] { im.run(*l); });

  std::size_t next = 0;
  while (!im.stopRequested) {
    int fd = ::accept4(listener.fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
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
    Loop& loop = *im.loops[next++ % im.loops.size()];
    {
      std::lock_guard lock(loop.mutex);
      loop.incoming.push_back(fd);
    }
    std::uint64_t wake = 1;
    [[maybe_unused]] auto r = ::write(loop.wake, &wake, sizeof wake);
  }
  im.closing = true;
  im.wakeAll();
  for (auto& w : workers) w.join();
  std::lock_guard lock(im.loopsMutex);
  im.loops.clear();
  im.listenFd = -1;
}

std::vector<App::Answer> App::exchange(std::string_view bytes) {
  auto& im = *impl_;
  std::vector<Answer> answers;
  auto send = [&](const bhttp::response<bhttp::string_body>& out, bool head) {
    std::string& sent = answers.emplace_back(Answer{head, {}}).bytes;
    bhttp::serializer<false, bhttp::string_body> sr{out};
    beast::error_code ec;
    while (!sr.is_done() && !ec) {
      std::size_t n = 0;
      sr.next(ec, [&](beast::error_code&, const auto& buffers) {
        for (auto it = boost::asio::buffer_sequence_begin(buffers);
             it != boost::asio::buffer_sequence_end(buffers); ++it) {
          auto b = boost::asio::buffer(*it);
          sent.append(static_cast<const char*>(b.data()), b.size());
          n += b.size();
        }
      });
      sr.consume(n);
    }
  };
  while (!bytes.empty()) {
    bhttp::request_parser<bhttp::string_body> parser;
    im.configure(parser);
    beast::error_code ec;
    auto start = std::chrono::steady_clock::now();
    // Bytes as a connection would get them: the parser takes what it can,
    // and is offered the rest until the request is whole.
    while (!ec && !parser.is_done() && !bytes.empty()) {
      std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
      bytes.remove_prefix(used);
      if (ec == bhttp::error::need_more) ec = {};
      if (used == 0 && !ec) break;
    }
    if (!ec && !parser.is_done()) break;  // the client has not sent it all: no answer
    if (ec) {
      send(message(11, false, false, refusal(parser, ec, start)), false);
      break;  // a connection closes after refusing a request
    }
    const Message& msg = parser.get();
    bool keepAlive = msg.keep_alive();
    bool head = msg.method() == bhttp::verb::head;
    send(message(msg.version(), keepAlive, head, im.handle(msg, start)), head);
    if (!keepAlive) break;
  }
  return answers;
}

void App::stop() {
  auto& im = *impl_;
  im.stopRequested = true;
  // The loops close connections waiting for their next request.
  im.wakeAll();
  // Wakes the accept() of listen(), if it is there yet; if not, listen()
  // sees stopRequested before it accepts anything.
  int fd = im.listenFd.load();
  if (fd >= 0) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace bloglist::http
