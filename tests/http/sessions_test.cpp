// POST /api/login and DELETE /api/logout: server-side sessions (exercise 13.24).
#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using httpSessions = BloglistTest;

json someBlog(const std::string& title) { return json{{"title", title}, {"url", "http://x"}}; }

TEST_F(httpSessions, LoginAnswersTokenUsernameAndName) {
  createUser("mluukkai@iki.fi", "Matti Luukkainen", "salainen");
  auto r = post("/api/login", {{"username", "mluukkai@iki.fi"}, {"password", "salainen"}});
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ(keysOf(*r.data), (std::set<std::string>{"token", "username", "name"})) << r.body;
  EXPECT_EQ((*r.data)["username"], "mluukkai@iki.fi");
  EXPECT_EQ((*r.data)["name"], "Matti Luukkainen");
  ASSERT_TRUE((*r.data)["token"].is_string());
  const std::string token = (*r.data)["token"];
  EXPECT_FALSE(token.empty());
  // The token is a login.
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog("with token"), token), 201));
}

TEST_F(httpSessions, WrongPasswordOrUnknownUserIs401) {
  createUser("a@example.com", "Alice", "right-pw");
  EXPECT_TRUE(isError(post("/api/login", {{"username", "a@example.com"}, {"password", "wrong-pw"}}), 401,
                      "invalid username or password"));
  EXPECT_TRUE(isError(post("/api/login", {{"username", "nobody@example.com"}, {"password", "right-pw"}}),
                      401, "invalid username or password"));
  // No password at all: refused (401, or 400 naming the missing field).
  auto r = post("/api/login", {{"username", "a@example.com"}});
  EXPECT_TRUE(isError(r, 401, "invalid username or password") || isErrorNaming(r, 400, "password"))
      << r.describe();
}

TEST_F(httpSessions, EachLoginIsItsOwnSession) {
  createUser("a@example.com", "Alice");
  const std::string first = login("a@example.com");
  const std::string second = login("a@example.com");
  EXPECT_NE(first, second) << "two logins gave the same token";
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog("first"), first), 201));
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog("second"), second), 201));
}

TEST_F(httpSessions, LogoutEndsOnlyThatSession) {
  createUser("a@example.com", "Alice");
  const std::string first = login("a@example.com");
  const std::string second = login("a@example.com");

  EXPECT_TRUE(isNoContent(del("/api/logout", first)));
  EXPECT_TRUE(isError(post("/api/blogs", someBlog("after logout"), first), 401, "session expired"));
  EXPECT_TRUE(isError(del("/api/logout", first), 401, "session expired")) << "logging out twice";
  EXPECT_EQ(listBlogs(), json::array());

  // The other session is untouched.
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog("other session"), second), 201));
  // And logging in again opens a working session.
  const std::string third = login("a@example.com");
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog("third"), third), 201));
  EXPECT_EQ(listBlogs().size(), 2u);
}

TEST_F(httpSessions, LogoutNeedsAToken) {
  EXPECT_TRUE(isError(del("/api/logout"), 401, "token missing"));
  EXPECT_TRUE(isError(del("/api/logout", "abc.def.ghi"), 401, "token invalid"));
}

TEST_F(httpSessions, ATokenSurvivesAServerRestart) {
  createUser("a@example.com", "Alice");
  const std::string token = login("a@example.com");
  stopServer();
  startServer(config());
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog("after restart"), token), 201))
      << "sessions live in the database, not in the process";
}

}  // namespace
}  // namespace bloglist::http_test
