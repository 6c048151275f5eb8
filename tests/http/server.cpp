#include "server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace bloglist::http_test {

namespace {

using Clock = std::chrono::steady_clock;

void ignoreSigpipeOnce() {
  static const bool done = [] {
    std::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)done;
}

void closeFd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void parseBody(Response& r) {
  if (r.body.empty()) return;
  try {
    r.data = json::parse(r.body);
  } catch (const json::exception&) {
    r.data.reset();
  }
}

}  // namespace

std::string bloglistBinary() { return BLOGLIST_BIN; }

std::string ExitStatus::describe() const {
  if (exited) return "exited with code " + std::to_string(code);
  if (signal) return std::string("killed by signal ") + std::to_string(signal) + " (" +
                     ::strsignal(signal) + ")";
  return "still running";
}

BloglistProcess::~BloglistProcess() {
  kill();
  joinReaders();
}

void BloglistProcess::spawn(const LaunchOptions& options) {
  ignoreSigpipeOnce();
  if (pid_ > 0) throw std::runtime_error("BloglistProcess::spawn: already spawned");

  // Everything the child needs is prepared before fork: after it only
  // async-signal-safe calls are made.
  std::vector<std::string> envStrings;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (options.unset.count(key) || options.env.count(key)) continue;
    envStrings.push_back(entry);
  }
  for (const auto& [k, v] : options.env) envStrings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : envStrings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> argStrings{bloglistBinary()};
  argStrings.insert(argStrings.end(), options.args.begin(), options.args.end());
  std::vector<char*> argv;
  for (auto& s : argStrings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int outPipe[2], errPipe[2];
  if (::pipe2(outPipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  if (::pipe2(errPipe, O_CLOEXEC) != 0) {
    ::close(outPipe[0]);
    ::close(outPipe[1]);
    throw std::runtime_error("pipe2 failed");
  }
  const pid_t parent = ::getpid();
  const char* cwd = options.cwd.empty() ? nullptr : options.cwd.c_str();
  const char* path = argStrings[0].c_str();

  pid_t pid = ::fork();
  if (pid < 0) {
    for (int fd : {outPipe[0], outPipe[1], errPipe[0], errPipe[1]}) ::close(fd);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    // The test process ignores SIGPIPE; the server starts with the default,
    // as it would from a shell.
    std::signal(SIGPIPE, SIG_DFL);
    ::dup2(outPipe[1], 1);
    ::dup2(errPipe[1], 2);
    if (cwd && ::chdir(cwd) != 0) {
      static const char msg[] = "http test: chdir failed\n";
      (void)!::write(2, msg, sizeof msg - 1);
      ::_exit(127);
    }
    ::execve(path, argv.data(), envp.data());
    static const char msg[] = "http test: execve of the bloglist binary failed\n";
    (void)!::write(2, msg, sizeof msg - 1);
    ::_exit(127);
  }
  pid_ = pid;
  status_.reset();
  ::close(outPipe[1]);
  ::close(errPipe[1]);
  {
    std::lock_guard lock(mu_);
    out_.clear();
    err_.clear();
    outClosed_ = errClosed_ = false;
  }
  auto reader = [this](int fd, std::string BloglistProcess::*buffer, bool BloglistProcess::*closed) {
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      std::lock_guard lock(mu_);
      (this->*buffer).append(buf, static_cast<std::size_t>(n));
      cv_.notify_all();
    }
    ::close(fd);
    std::lock_guard lock(mu_);
    this->*closed = true;
    cv_.notify_all();
  };
  outReader_ = std::thread(reader, outPipe[0], &BloglistProcess::out_, &BloglistProcess::outClosed_);
  errReader_ = std::thread(reader, errPipe[0], &BloglistProcess::err_, &BloglistProcess::errClosed_);
}

std::optional<int> BloglistProcess::waitForReady(std::chrono::milliseconds timeout) {
  static const std::regex ready(R"((^|\n)bloglist listening on http://127\.0\.0\.1:([0-9]+)\r?\n)");
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      std::smatch m;
      if (std::regex_search(out_, m, ready)) return std::stoi(m[2].str());
      if (outClosed_) return std::nullopt;
      if (Clock::now() >= deadline) return std::nullopt;
      cv_.wait_for(lock, std::chrono::milliseconds(50));
    }
    if (!running()) {
      // One last look: the line may have been written just before exit.
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return outClosed_; });
      std::smatch m;
      if (std::regex_search(out_, m, ready)) return std::stoi(m[2].str());
      return std::nullopt;
    }
  }
}

bool BloglistProcess::waitForOutput(const std::string& needle, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] {
    return out_.find(needle) != std::string::npos || err_.find(needle) != std::string::npos;
  });
}

void BloglistProcess::reaped(int status) {
  ExitStatus s;
  if (WIFEXITED(status)) {
    s.exited = true;
    s.code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    s.signal = WTERMSIG(status);
  }
  status_ = s;
  pid_ = -1;
}

bool BloglistProcess::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    reaped(status);
    return false;
  }
  return true;
}

void BloglistProcess::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

std::optional<ExitStatus> BloglistProcess::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (running()) {
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  joinReaders();
  return status_;
}

void BloglistProcess::kill() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped(status);
  }
  joinReaders();
}

void BloglistProcess::joinReaders() {
  if (outReader_.joinable()) outReader_.join();
  if (errReader_.joinable()) errReader_.join();
}

std::string BloglistProcess::out() const {
  std::lock_guard lock(mu_);
  return out_;
}

std::string BloglistProcess::err() const {
  std::lock_guard lock(mu_);
  return err_;
}

CommandResult runCommand(const LaunchOptions& options, std::chrono::milliseconds timeout) {
  BloglistProcess p;
  p.spawn(options);
  CommandResult r;
  auto s = p.wait(timeout);
  if (!s) {
    p.kill();
    r.status = ExitStatus{};
    r.err = "(timed out)\n";
  } else {
    r.status = *s;
  }
  r.out = p.out();
  r.err += p.err();
  return r;
}

std::string Response::describe() const {
  std::string s = request + " -> ";
  if (status == 0) return s + "no response (" + error + ")";
  std::string b = body.size() > 600 ? body.substr(0, 600) + "..." : body;
  return s + std::to_string(status) + " [" + contentType + "] " + b;
}

Response httpRequest(int port, const std::string& method, const std::string& path,
                     const std::optional<std::string>& body, const std::string& authorization,
                     const std::string& contentType) {
  ignoreSigpipeOnce();
  httplib::Client cli("127.0.0.1", port);
  cli.set_url_encode(false);
  cli.set_connection_timeout(5);
  cli.set_read_timeout(60);
  cli.set_write_timeout(60);
  httplib::Headers headers;
  if (!authorization.empty()) headers.emplace("Authorization", authorization);

  httplib::Result res{nullptr, httplib::Error::Unknown};
  if (method == "GET") {
    res = cli.Get(path, headers);
  } else if (method == "POST") {
    res = body ? cli.Post(path, headers, *body, contentType) : cli.Post(path, headers);
  } else if (method == "PUT") {
    res = body ? cli.Put(path, headers, *body, contentType)
               : cli.Put(path, headers, std::string(), contentType);
  } else if (method == "DELETE") {
    res = body ? cli.Delete(path, headers, *body, contentType) : cli.Delete(path, headers);
  } else if (method == "PATCH") {
    res = cli.Patch(path, headers, body.value_or(""), contentType);
  } else {
    throw std::invalid_argument("httpRequest: unsupported method " + method);
  }

  Response r;
  r.request = method + " " + path;
  if (!res) {
    std::ostringstream e;
    e << res.error();
    r.error = e.str();
    return r;
  }
  r.status = res->status;
  r.contentType = res->get_header_value("Content-Type");
  r.body = res->body;
  parseBody(r);
  return r;
}

namespace {

// The length of the first response in `in` once it is all there (it has a
// Content-Length), else 0.
std::size_t completeLength(const std::string& in) {
  auto headerEnd = in.find("\r\n\r\n");
  if (headerEnd == std::string::npos) return 0;
  static const std::regex cl(R"(\r\ncontent-length:\s*([0-9]+))", std::regex::icase);
  std::smatch m;
  std::string head = in.substr(0, headerEnd + 2);
  if (!std::regex_search(head, m, cl)) return 0;
  std::size_t length = headerEnd + 4 + std::stoul(m[1].str());
  return in.size() >= length ? length : 0;
}
bool completeResponse(const std::string& in) { return completeLength(in) != 0; }

void parseRaw(const std::string& in, Response& r) {
  auto headerEnd = in.find("\r\n\r\n");
  std::string head = in.substr(0, headerEnd == std::string::npos ? in.size() : headerEnd);
  std::smatch m;
  static const std::regex statusLine(R"(^HTTP/1\.[01] ([0-9]{3}))");
  if (!std::regex_search(head, m, statusLine)) {
    r.error = "unparseable response: " + in.substr(0, 200);
    return;
  }
  r.status = std::stoi(m[1].str());
  std::istringstream lines(head);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    if (lower(line.substr(0, colon)) == "content-type") {
      std::string v = line.substr(colon + 1);
      while (!v.empty() && v.front() == ' ') v.erase(v.begin());
      r.contentType = v;
    }
  }
  if (headerEnd != std::string::npos) r.body = in.substr(headerEnd + 4);
  parseBody(r);
}

int connectLoopback(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

Response rawRequest(int port, const std::string& raw, std::chrono::milliseconds timeout) {
  ignoreSigpipeOnce();
  Response r;
  r.request = raw.substr(0, raw.find("\r\n"));
  int fd = connectLoopback(port);
  if (fd < 0) {
    r.error = std::string("connect failed: ") + std::strerror(errno);
    return r;
  }
  const auto deadline = Clock::now() + timeout;
  std::string in;
  std::size_t sent = 0;
  bool writing = true, eof = false;
  // Interleave writing and reading: the server may answer (413) before it has
  // read the whole body, and then close.
  while (!eof && Clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (writing ? POLLOUT : 0)), 0};
    int n = ::poll(&p, 1, 100);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if (p.revents & POLLIN || p.revents & POLLHUP || p.revents & POLLERR) {
      char buf[8192];
      ssize_t got = ::recv(fd, buf, sizeof buf, 0);
      if (got > 0) {
        in.append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
        eof = true;
      }
    }
    if (writing && (p.revents & POLLOUT)) {
      ssize_t w = ::send(fd, raw.data() + sent, std::min<std::size_t>(raw.size() - sent, 65536),
                         MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w > 0) sent += static_cast<std::size_t>(w);
      else if (w < 0 && errno != EAGAIN && errno != EINTR) writing = false;
      if (sent >= raw.size()) writing = false;
    }
    if (completeResponse(in)) break;
  }
  ::close(fd);
  if (in.empty()) {
    r.error = "no response (sent " + std::to_string(sent) + " of " + std::to_string(raw.size()) +
              " bytes)";
    return r;
  }
  parseRaw(in, r);
  return r;
}

RawConnection::RawConnection(int port) {
  ignoreSigpipeOnce();
  fd_ = connectLoopback(port);
  if (fd_ < 0) throw std::runtime_error(std::string("connect failed: ") + std::strerror(errno));
}

RawConnection::~RawConnection() { closeFd(fd_); }

void RawConnection::write(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t w = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
    sent += static_cast<std::size_t>(w);
  }
}

Response RawConnection::readResponse(std::chrono::milliseconds timeout) {
  Response r;
  const auto deadline = Clock::now() + timeout;
  std::string in = std::move(pending_);
  pending_.clear();
  while (!completeResponse(in) && Clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    int n = ::poll(&p, 1, 100);
    if (n <= 0) continue;
    char buf[8192];
    ssize_t got = ::recv(fd_, buf, sizeof buf, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    in.append(buf, static_cast<std::size_t>(got));
  }
  if (in.empty()) {
    r.error = "no response";
    return r;
  }
  if (std::size_t length = completeLength(in); length && length < in.size()) {
    pending_ = in.substr(length);  // the next pipelined response's first bytes
    in.resize(length);
  }
  parseRaw(in, r);
  return r;
}

std::string urlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace bloglist::http_test
