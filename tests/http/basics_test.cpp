// GET / and /health, unknown routes, the shape of every answer.
#include <thread>
#include <vector>

#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

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

TEST_F(httpBasics, EmptyDatabaseListsAreEmptyArrays) {
  for (const char* path : {"/api/blogs", "/api/users", "/api/authors"}) {
    auto r = get(path);
    ASSERT_TRUE(isJson(r, 200)) << path;
    EXPECT_EQ(*r.data, json::array()) << path;
  }
}

// Many clients at once: every write lands, none fails with a busy database.
TEST_F(httpBasics, ConcurrentRequestsAllSucceed) {
  auto a = signUp("a@example.com", "Alice");
  auto blog = createBlog(a.token, {{"title", "shared"}, {"url", "u"}});
  const std::string blogPath = "/api/blogs/" + std::to_string(blog["id"].get<long long>());
  constexpr int kClients = 24;
  std::vector<Response> created(kClients), liked(kClients), listed(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i)
    threads.emplace_back([&, i] {
      created[static_cast<std::size_t>(i)] =
          httpRequest(port(), "POST", "/api/blogs",
                      json{{"title", "parallel " + std::to_string(i)}, {"url", "u"}}.dump(),
                      "Bearer " + a.token);
      liked[static_cast<std::size_t>(i)] =
          httpRequest(port(), "PUT", blogPath, json{{"likes", i}}.dump());
      listed[static_cast<std::size_t>(i)] = httpRequest(port(), "GET", "/api/blogs", std::nullopt);
    });
  for (auto& t : threads) t.join();
  for (int i = 0; i < kClients; ++i) {
    const auto k = static_cast<std::size_t>(i);
    EXPECT_TRUE(isJson(created[k], 201)) << i;
    EXPECT_TRUE(isJson(liked[k], 200)) << i;
    EXPECT_TRUE(isJson(listed[k], 200)) << i;
  }
  EXPECT_EQ(listBlogs().size(), static_cast<std::size_t>(kClients) + 1);
}

}  // namespace
}  // namespace bloglist::http_test
