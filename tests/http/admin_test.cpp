// PUT /api/users/:username: own username (13.8), admin and disabled users (13.24),
// the admin account from ADMIN_USERNAME / ADMIN_PASSWORD.
#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using httpAdmin = BloglistAdminTest;
using httpAccount = BloglistTest;

json someBlog() { return json{{"title", "t"}, {"url", "http://x"}}; }

json findUser(const json& users, const std::string& username) {
  for (const auto& u : users)
    if (u.value("username", "") == username) return u;
  return nullptr;
}

TEST_F(httpAccount, UserChangesTheirOwnUsername) {
  auto a = signUp("old@example.com", "Alice", "alice-pw");
  auto r = put("/api/users/old@example.com", {{"username", "new@example.com"}}, a.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ((*r.data)["username"], "new@example.com");
  EXPECT_EQ((*r.data)["id"], a.id);
  EXPECT_EQ((*r.data)["name"], "Alice");
  EXPECT_EQ((*r.data)["disabled"], false);

  auto users = listUsers();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["username"], "new@example.com");
  EXPECT_FALSE(login("new@example.com", "alice-pw").empty());
  EXPECT_TRUE(isError(post("/api/login", {{"username", "old@example.com"}, {"password", "alice-pw"}}),
                      401, "invalid username or password"));
}

// A client that builds the path with encodeURIComponent sends %40 for @.
TEST_F(httpAccount, ThePathUsernameMayBePercentEncoded) {
  auto a = signUp("a+tag@example.com", "Alice");
  auto r = put("/api/users/" + urlEncode("a+tag@example.com"), {{"username", "a@example.com"}}, a.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ((*r.data)["username"], "a@example.com");
}

TEST_F(httpAccount, NewUsernameIsValidatedLikeANewUser) {
  auto a = signUp("a@example.com", "Alice");
  createUser("taken@example.com", "Taken");
  EXPECT_TRUE(isErrorNaming(put("/api/users/a@example.com", {{"username", "not-an-email"}}, a.token), 400,
                            "username"));
  EXPECT_EQ(put("/api/users/a@example.com", {{"username", "taken@example.com"}}, a.token).status, 400);
  EXPECT_FALSE(findUser(listUsers(), "a@example.com").is_null()) << "a refused change was stored";
}

TEST_F(httpAccount, AnotherUsersAccountIs403) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  auto r = put("/api/users/a@example.com", {{"username", "stolen@example.com"}}, b.token);
  EXPECT_TRUE(isJson(r, 403));
  EXPECT_TRUE(r.data && r.data->contains("error")) << r.describe();
  EXPECT_FALSE(findUser(listUsers(), "a@example.com").is_null()) << "the username was changed";
}

TEST_F(httpAccount, OnlyAnAdminSetsDisabled) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  auto r = put("/api/users/b@example.com", {{"disabled", true}}, a.token);
  EXPECT_TRUE(isJson(r, 403)) << "disabling another user without being admin";
  r = put("/api/users/a@example.com", {{"disabled", true}}, a.token);
  EXPECT_TRUE(isJson(r, 403)) << "setting disabled on one's own account without being admin";
  for (const auto& u : listUsers()) EXPECT_EQ(u["disabled"], false) << u.dump();
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog(), b.token), 201));
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog(), a.token), 201));
}

TEST_F(httpAccount, NeedsALogin) {
  createUser("a@example.com", "Alice");
  EXPECT_TRUE(isError(put("/api/users/a@example.com", {{"username", "b@example.com"}}), 401,
                      "token missing"));
  EXPECT_TRUE(isError(put("/api/users/a@example.com", {{"username", "b@example.com"}}, "abc.def.ghi"),
                      401, "token invalid"));
}

TEST_F(httpAdmin, TheAdminAccountIsCreatedAtStartUp) {
  auto admin = loginAdmin();
  EXPECT_EQ(admin.user["admin"], true) << admin.user.dump();
  EXPECT_EQ(admin.user["disabled"], false) << admin.user.dump();
  // Starting again with the same variables does not create a second one.
  stopServer();
  startServer(config());
  int admins = 0;
  for (const auto& u : listUsers()) admins += u.value("username", "") == kAdminUsername;
  EXPECT_EQ(admins, 1);
  EXPECT_FALSE(login(kAdminUsername, kAdminPassword).empty());
}

TEST_F(httpAccount, AnExistingUserIsPromotedToAdminAtStartUp) {
  createUser(kAdminUsername, "Already Here", kAdminPassword);
  EXPECT_EQ(findUser(listUsers(), kAdminUsername)["admin"], false);
  stopServer();
  ServerConfig c;
  c.admin = true;
  startServer(c);
  auto users = listUsers();
  ASSERT_EQ(users.size(), 1u) << users.dump();
  EXPECT_EQ(users[0]["admin"], true) << users.dump();
}

TEST_F(httpAdmin, AdminDisablesAUserWhoseSessionsEndAndWhoCannotLogIn) {
  auto admin = loginAdmin();
  auto b = signUp("b@example.com", "Bob");
  const std::string secondToken = login("b@example.com");
  auto other = signUp("c@example.com", "Carol");

  auto r = put("/api/users/b@example.com", {{"disabled", true}}, admin.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ((*r.data)["disabled"], true);
  EXPECT_EQ((*r.data)["username"], "b@example.com");
  EXPECT_EQ(findUser(listUsers(), "b@example.com")["disabled"], true);

  // Both of Bob's sessions are over.
  const std::set<std::string> refused{"session expired", "account disabled, please contact admin"};
  EXPECT_TRUE(isErrorOneOf(post("/api/blogs", someBlog(), b.token), 401, refused));
  EXPECT_TRUE(isErrorOneOf(post("/api/blogs", someBlog(), secondToken), 401, refused));
  EXPECT_TRUE(isError(post("/api/login", {{"username", "b@example.com"}, {"password", "secret"}}), 401,
                      "account disabled, please contact admin"));
  // A disabled user's wrong password does not reveal anything more.
  EXPECT_EQ(post("/api/login", {{"username", "b@example.com"}, {"password", "wrong"}}).status, 401);
  // Others are not affected.
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog(), other.token), 201));
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog(), admin.token), 201));

  // Enabling again lets Bob log in, but the old sessions were deleted, not suspended.
  r = put("/api/users/b@example.com", {{"disabled", false}}, admin.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ((*r.data)["disabled"], false);
  EXPECT_TRUE(isError(post("/api/blogs", someBlog(), b.token), 401, "session expired"));
  const std::string fresh = login("b@example.com");
  EXPECT_TRUE(isJson(post("/api/blogs", someBlog(), fresh), 201));
}

TEST_F(httpAdmin, AdminMayChangeAnotherUsersUsername) {
  auto admin = loginAdmin();
  createUser("b@example.com", "Bob");
  auto r = put("/api/users/b@example.com", {{"username", "bob@example.com"}}, admin.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ((*r.data)["username"], "bob@example.com");
  EXPECT_FALSE(findUser(listUsers(), "bob@example.com").is_null());
}

TEST_F(httpAdmin, UnknownUsernameIs404) {
  auto admin = loginAdmin();
  EXPECT_TRUE(isError(put("/api/users/nobody@example.com", {{"disabled", true}}, admin.token), 404,
                      "user not found"));
}

TEST_F(httpAdmin, DisabledMustBeABoolean) {
  auto admin = loginAdmin();
  createUser("b@example.com", "Bob");
  EXPECT_TRUE(isErrorNaming(put("/api/users/b@example.com", {{"disabled", "yes"}}, admin.token), 400,
                            "disabled"));
  EXPECT_EQ(findUser(listUsers(), "b@example.com")["disabled"], false);
}

}  // namespace
}  // namespace bloglist::http_test
