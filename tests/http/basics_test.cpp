// GET / and /health, unknown routes, the shape of every answer.
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
}

TEST_F(httpBasics, EmptyDatabaseListsAreEmptyArrays) {
  for (const char* path : {"/api/blogs", "/api/users", "/api/authors"}) {
    auto r = get(path);
    ASSERT_TRUE(isJson(r, 200)) << path;
    EXPECT_EQ(*r.data, json::array()) << path;
  }
}

}  // namespace
}  // namespace bloglist::http_test
