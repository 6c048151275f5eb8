// GET / and /health, unknown routes, the shape of every answer.
#include <map>
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

}  // namespace
}  // namespace bloglist::http_test
