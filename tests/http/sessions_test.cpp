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

// Tokens and sessions that expire (#15). The tests sign tokens with the
// server's secret through bloglist's own TokenSigner, so each one differs
// from a real token only in the claim under test.
#include <chrono>
#include <ctime>
#include <thread>

#include "auth/tokens.hpp"
#include "junction/junction.hpp"
#include "support/engine.hpp"

namespace bloglist::http_test {
namespace {

std::int64_t nowSeconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

// Session rows in the test's database, read directly.
std::int64_t sessionRows() {
  junction::Database db(junction::test::databaseUrl());
  return db.query("SELECT COUNT(*) AS n FROM sessions").at(0, "n").as<std::int64_t>();
}

using httpTokens = BloglistTest;

TEST_F(httpTokens, ExpAndNbfAreHonoured) {
  createUser("a@example.com", "Alice");
  const std::string real = login("a@example.com");
  const TokenSigner week(kSecret, std::chrono::hours(24 * 7));
  auto claims = week.verify(real);
  ASSERT_TRUE(claims) << "the server's token verifies with the server's secret";
  const auto blog = json{{"title", "t"}, {"url", "u"}};

  // The same session, re-signed: accepted (the control).
  TokenClaims fresh = *claims;
  fresh.issuedAt = 0;
  EXPECT_TRUE(isJson(post("/api/blogs", blog, week.sign(fresh)), 201));
  // Issued eight days ago with a week's lifetime: exp has passed.
  TokenClaims old = *claims;
  old.issuedAt = nowSeconds() - 8 * 24 * 3600;
  EXPECT_TRUE(isError(post("/api/blogs", blog, week.sign(old)), 401, "token invalid"));
  // Not valid for another hour.
  TokenClaims early = *claims;
  early.notBefore = nowSeconds() + 3600;
  EXPECT_TRUE(isError(post("/api/blogs", blog, week.sign(early)), 401, "token invalid"));
  // nbf already reached: fine.
  TokenClaims due = *claims;
  due.notBefore = nowSeconds() - 5;
  EXPECT_TRUE(isJson(post("/api/blogs", blog, week.sign(due)), 201));
}

class httpShortSessions : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.env["SESSION_IDLE_SECONDS"] = "2";
    c.env["SESSION_MAX_AGE_SECONDS"] = "4";
    return c;
  }
};

TEST_F(httpShortSessions, AnIdleSessionEndsAndIsPurged) {
  createUser("a@example.com", "Alice");
  const std::string token = login("a@example.com");
  const auto blog = json{{"title", "t"}, {"url", "u"}};
  EXPECT_TRUE(isJson(post("/api/blogs", blog, token), 201));
  EXPECT_EQ(sessionRows(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_TRUE(isError(post("/api/blogs", blog, token), 401, "session expired"));
  EXPECT_EQ(sessionRows(), 0) << "the ended session is deleted when it is refused";
  // A session nobody uses again is purged at the user's next login.
  const std::string second = login("a@example.com");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(sessionRows(), 1);
  const std::string third = login("a@example.com");
  EXPECT_EQ(sessionRows(), 1) << "the idle one went, the new one stays";
  EXPECT_TRUE(isError(post("/api/blogs", blog, second), 401, "session expired"));
  EXPECT_TRUE(isJson(post("/api/blogs", blog, third), 201));
}

TEST_F(httpShortSessions, ActivityKeepsASessionOnlyUntilItsMaxAge) {
  createUser("a@example.com", "Alice");
  const std::string token = login("a@example.com");
  // The server's token expires with the session's max age (4 s); a token
  // signed for longer shows the session's own absolute limit.
  const TokenSigner longer(kSecret, std::chrono::hours(1));
  auto claims = longer.verify(token);
  ASSERT_TRUE(claims);
  TokenClaims c = *claims;
  c.issuedAt = 0;
  const std::string longToken = longer.sign(c);
  // A request every second keeps it from going idle (idle limit 2 s)...
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(isJson(post("/api/blogs", {{"title", "t" + std::to_string(i)}, {"url", "u"}}, longToken), 201))
        << "request " << i;
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  // ...but not past its max age (4 s after login).
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(isError(post("/api/blogs", {{"title", "late"}, {"url", "u"}}, longToken), 401,
                      "session expired"));
  // The server's own token has expired by now as well.
  EXPECT_TRUE(isError(post("/api/blogs", {{"title", "late"}, {"url", "u"}}, token), 401, "token invalid"));
}

}  // namespace
}  // namespace bloglist::http_test
