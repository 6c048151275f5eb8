// The real bloglist binary as a child process, and a plain HTTP client for it.
//
// BloglistProcess forks/execs build/bin/bloglist with a controlled
// environment, drains its stdout and stderr on two threads (so a chatty
// LOG_LEVEL=info server never blocks on a full pipe), and waits for the
// ready line `bloglist listening on http://127.0.0.1:<port>`. The child gets
// PR_SET_PDEATHSIG=SIGKILL, and the destructor SIGKILLs and reaps it, so no
// server outlives its test even when the test crashes or throws.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace bloglist::http_test {

using nlohmann::json;

// Path of the binary under test (from CMake).
std::string bloglistBinary();

struct LaunchOptions {
  std::map<std::string, std::string> env;  // set (overrides the inherited value)
  std::set<std::string> unset;             // removed from the inherited environment
  std::vector<std::string> args;           // after argv[0]
  std::string cwd;                         // empty: inherit
};

// How a child ended: exited(code) or killed by signal.
struct ExitStatus {
  bool exited = false;
  int code = -1;
  int signal = 0;
  std::string describe() const;
};

class BloglistProcess {
 public:
  BloglistProcess() = default;
  BloglistProcess(const BloglistProcess&) = delete;
  BloglistProcess& operator=(const BloglistProcess&) = delete;
  ~BloglistProcess();  // SIGKILL + reap if still running

  // Spawns the binary. Throws std::runtime_error if fork/exec fails.
  void spawn(const LaunchOptions& options);

  // Waits for the ready line; returns the port, or nullopt when the process
  // exited or the timeout passed first.
  std::optional<int> waitForReady(std::chrono::milliseconds timeout);

  // Waits until the combined output contains `needle` (true) or the timeout passes.
  bool waitForOutput(const std::string& needle, std::chrono::milliseconds timeout);

  bool running();
  pid_t pid() const { return pid_; }
  void signal(int sig);
  // Waits for exit; nullopt on timeout (the process is left running).
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);
  // SIGKILL and reap.
  void kill();

  std::string out() const;
  std::string err() const;

 private:
  void reaped(int status);
  void joinReaders();

  pid_t pid_ = -1;
  std::optional<ExitStatus> status_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::string out_, err_;
  bool outClosed_ = false, errClosed_ = false;
  std::thread outReader_, errReader_;
};

// Runs a command to completion (for `bloglist db:migrate:status`).
struct CommandResult {
  ExitStatus status;
  std::string out, err;
};
CommandResult runCommand(const LaunchOptions& options, std::chrono::milliseconds timeout);

// A response as a client sees it.
struct Response {
  int status = 0;               // 0: no response (connection error)
  std::string error;            // transport error when status == 0
  std::string contentType;      // the Content-Type header, verbatim
  std::string body;
  std::optional<json> data;     // the parsed body, when it parses
  std::string describe() const; // "METHOD path -> status body" for failure messages
  std::string request;          // "METHOD path"
};

// One request through cpp-httplib. `body` unset: no body. `token` non-empty
// adds `Authorization: <scheme> <token>`.
Response httpRequest(int port, const std::string& method, const std::string& path,
                     const std::optional<std::string>& body, const std::string& authorization = "",
                     const std::string& contentType = "application/json");

// The same over a raw socket: writes `rawRequest` (ignoring write errors, as
// the server may answer and close early, e.g. with 413) and parses whatever
// response comes back.
Response rawRequest(int port, const std::string& rawRequest,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A client connection written by hand, for requests sent in pieces.
class RawConnection {
 public:
  explicit RawConnection(int port);  // throws when it cannot connect
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  void write(const std::string& bytes);  // throws on error
  // Reads until the response is complete (Content-Length) or the peer
  // closes; bytes after it are kept for the next call (pipelining).
  Response readResponse(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string pending_;
};

// Percent-encodes a query-string value.
std::string urlEncode(const std::string& s);

}  // namespace bloglist::http_test
