// GET / and /health, unknown routes, the shape of every answer.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using namespace std::chrono_literals;

using httpBasics = BloglistTest;

TEST_F(httpBasics, RootAndHealthAnswerStatusOk) {
  for (const char* path : {"/", "/health"}) {
    auto r = get(path);
    ASSERT_TRUE(isJson(r, 200)) << path;
    EXPECT_EQ(*r.data, (json{{"status", "ok"}})) << path;
  }
}

TEST_F(httpBasics, UnknownRoutesAnswer404UnknownEndpoint) {
  EXPECT_TRUE(isError(get("/api/nothing"), 404, "unknown endpoint"));
  EXPECT_TRUE(isError(get("/api/blogs/1/comments"), 404, "unknown endpoint"));
  EXPECT_TRUE(isError(post("/api/nothing", json::object()), 404, "unknown endpoint"));
  EXPECT_TRUE(isError(del("/api/users/1"), 404, "unknown endpoint"));
  EXPECT_TRUE(isError(send("PATCH", "/api/blogs/1", std::string("{}")), 404, "unknown endpoint"));
}

// One connection carries many requests, also sent back to back before any
// answer (pipelining); answers come in order. HEAD answers as GET, bodiless.
TEST_F(httpBasics, KeepAliveAndPipelinedRequestsAnswerInOrder) {
  RawConnection conn(port());
  conn.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  EXPECT_TRUE(isJson(conn.readResponse(10s), 200));
  conn.write("GET /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
             "GET /api/blogs?search=a+b%20c HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
             "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(isError(conn.readResponse(10s), 404, "unknown endpoint"));
  auto found = conn.readResponse(10s);
  EXPECT_TRUE(isJson(found, 200)) << found.describe();
  EXPECT_EQ(found.data, json::array());
  auto last = conn.readResponse(10s);
  EXPECT_TRUE(isJson(last, 200)) << last.describe();
  EXPECT_EQ(conn.readResponse(2s).error, "no response") << "Connection: close was not honoured";
  // (Alone: a client that did not send HEAD would wait for the body.)
  auto head = rawRequest(port(), "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5s);
  EXPECT_EQ(head.status, 200) << head.describe();
  EXPECT_EQ(head.body, "") << "HEAD has no body";
}

// Requests that cannot be parsed, or whose headers are too large, still get
// a JSON answer, and the server goes on.
TEST_F(httpBasics, MalformedRequestsAnswer400AndHugeHeaders431) {
  auto r = rawRequest(port(), "NOT AN HTTP REQUEST\r\n\r\n");
  EXPECT_TRUE(isError(r, 400, "bad request")) << r.describe();
  r = rawRequest(port(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') +
                             "\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(isJson(r, 431)) << r.describe();
  EXPECT_TRUE(isJson(get("/health"), 200));
}

// A keep-alive connection that sends nothing is closed after 5 s.
TEST_F(httpBasics, IdleKeepAliveConnectionsCloseAfterFiveSeconds) {
  RawConnection conn(port());
  conn.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(isJson(conn.readResponse(10s), 200));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(conn.readResponse(15s).error, "no response");
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 4s);
  EXPECT_LT(waited, 10s) << "the idle connection was not closed by the server";
}

TEST_F(httpBasics, EmptyDatabaseListsAreEmptyArrays) {
  for (const char* path : {"/api/blogs", "/api/users", "/api/authors"}) {
    auto r = get(path);
    ASSERT_TRUE(isJson(r, 200)) << path;
    EXPECT_EQ(*r.data, json::array()) << path;
  }
}

// Many clients at once, as a deployed service sees them: bursts of 24 new
// connections, each a write and two reads. Every request gets its answer;
// none is dropped or fails with a busy database.
TEST_F(httpBasics, ConcurrentClientsAllGetAnswers) {
  auto a = signUp("a@example.com", "Alice");
  auto blog = createBlog(a.token, {{"title", "shared"}, {"url", "u"}});
  const std::string blogPath = "/api/blogs/" + std::to_string(blog["id"].get<long long>());
  constexpr int kClients = 24, kRounds = 10;
  std::mutex mu;
  std::map<std::string, int> outcomes;  // "POST 201", "PUT no response (Read (4))", ...
  std::string firstFailure;
  auto record = [&](const Response& r, int expected) {
    std::string key = r.request.substr(0, r.request.find(' ')) + " " +
                      (r.status ? std::to_string(r.status) : "no response (" + r.error + ")");
    std::lock_guard lock(mu);
    ++outcomes[key];
    if (!isJson(r, expected) && firstFailure.empty()) firstFailure = r.describe();
  };
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
      threads.emplace_back([&, i] {
        record(httpRequest(port(), "POST", "/api/blogs",
                           json{{"title", "parallel " + std::to_string(round) + "." + std::to_string(i)},
                                {"url", "u"}}.dump(),
                           "Bearer " + a.token),
               201);
        record(httpRequest(port(), "PUT", blogPath, json{{"likes", i}}.dump()), 200);
        record(httpRequest(port(), "GET", "/api/blogs", std::nullopt), 200);
      });
    for (auto& t : threads) t.join();
  }
  std::string summary;
  for (const auto& [k, n] : outcomes) summary += "  " + k + ": " + std::to_string(n) + "\n";
  const std::map<std::string, int> expected{
      {"GET 200", kClients * kRounds}, {"POST 201", kClients * kRounds}, {"PUT 200", kClients * kRounds}};
  EXPECT_EQ(outcomes, expected) << "outcomes of " << 3 * kClients * kRounds << " requests:\n"
                                << summary << "first failure: " << firstFailure;
  EXPECT_EQ(listBlogs().size(), static_cast<std::size_t>(kClients * kRounds) + 1);
}

// The server runs THREADS event loops; connections wait in them between
// requests (and in the middle of one) without holding a loop. Two loops here.
class httpEventLoops : public BloglistTest {
 protected:
  ServerConfig config() const override { return {.env = {{"THREADS", "2"}}}; }
};

// Ten connections stalled halfway through a request and ten that sent
// nothing leave both loops free: other clients are answered at once, and
// each stalled request is answered when its last bytes arrive.
TEST_F(httpEventLoops, StalledAndIdleConnectionsDoNotHoldALoop) {
  std::vector<std::unique_ptr<RawConnection>> stalled, idle;
  for (int i = 0; i < 10; ++i) {
    stalled.push_back(std::make_unique<RawConnection>(port()));
    stalled.back()->write("GET /hea");
    idle.push_back(std::make_unique<RawConnection>(port()));
  }
  // Were a stalled request to hold its loop, these would wait for the 5 s
  // timeout that ends it.
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(isJson(get("/health"), 200));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4s);
  for (auto& c : stalled) {
    c->write("lth HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    auto r = c->readResponse(5s);
    EXPECT_TRUE(isJson(r, 200)) << r.describe();
  }
}

// A client that pipelines requests but does not read the answers fills its
// socket: the server keeps the unsent answer, stops reading that client's
// input meanwhile, goes on serving others, and delivers every answer once
// the client reads.
TEST_F(httpEventLoops, AClientThatDoesNotReadDoesNotHoldALoop) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  // A small receive window: the server's send buffer (4 MiB at most on
  // Linux) must fill long before the answers are all out.
  int small = 16 * 1024;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  // About 10 MB of answers.
  constexpr int kRequests = 100000;
  const std::string one = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  std::atomic<bool> written{false};
  std::thread writer([&] {
    std::string batch;
    for (int i = 0; i < 1000; ++i) batch += one;
    for (int sent = 0; sent < kRequests; sent += 1000)
      for (std::size_t off = 0; off < batch.size();) {
        ssize_t n = ::send(fd, batch.data() + off, batch.size() - off, MSG_NOSIGNAL);
        if (n <= 0) return;
        off += static_cast<std::size_t>(n);
      }
    written = true;
  });
  std::this_thread::sleep_for(1s);
  // A loop stuck sending to that client would hold these (some share its
  // loop) until the 30 s send timeout; serving 100,000 requests on the
  // other loop meanwhile slows them, hence the generous bound.
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(isJson(get("/health"), 200));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  // Now read: every answer arrives, each a 200 with the same body.
  timeval wait{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  const std::string marker = "HTTP/1.1 200 OK\r\n";
  const std::string body = "{\"status\":\"ok\"}";
  std::string tail;
  long answers = 0, bodies = 0;
  std::vector<char> buf(1 << 16);
  while (answers < kRequests) {
    ssize_t n = ::recv(fd, buf.data(), buf.size(), 0);
    if (n <= 0) break;
    tail.append(buf.data(), static_cast<std::size_t>(n));
    std::size_t keep = std::max(marker.size(), body.size());
    for (std::size_t at = 0; (at = tail.find(marker, at)) != std::string::npos; at += marker.size())
      ++answers;
    for (std::size_t at = 0; (at = tail.find(body, at)) != std::string::npos; at += body.size())
      ++bodies;
    // Keep the last few bytes (a marker may straddle two reads), minus what
    // was already counted.
    std::size_t cut = tail.size() > keep ? tail.size() - keep : 0;
    std::size_t lastMarker = tail.rfind(marker), lastBody = tail.rfind(body);
    if (lastMarker != std::string::npos && lastMarker + marker.size() > cut)
      cut = lastMarker + marker.size();
    if (lastBody != std::string::npos && lastBody + body.size() > cut) cut = lastBody + body.size();
    tail.erase(0, std::min(cut, tail.size()));
  }
  writer.join();
  ::close(fd);
  EXPECT_TRUE(written);
  EXPECT_EQ(answers, kRequests);
  EXPECT_EQ(bodies, kRequests);
}

// A client may send its request and close its side at once (a half
// close): the request is still answered, small or larger than one read.
TEST_F(httpEventLoops, RequestsBeforeAHalfCloseAreAnswered) {
  const std::string big(40000, 'x');
  for (const std::string& request :
       {std::string("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        "POST /api/nothing HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
        "Content-Length: " + std::to_string(big.size()) + "\r\n\r\n" + big}) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    ::shutdown(fd, SHUT_WR);
    timeval wait{10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    std::string got;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) got.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    const bool small = request.size() < 100;
    EXPECT_EQ(got.rfind(small ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 404 Not Found\r\n", 0), 0u) << got;
    EXPECT_NE(got.find(small ? "{\"status\":\"ok\"}" : "unknown endpoint"), std::string::npos) << got;
  }
}

}  // namespace
}  // namespace bloglist::http_test
