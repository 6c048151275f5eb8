// The fixture of the HTTP suite: one real bloglist server per test, on this
// process's own database (junction::test::databaseUrl(): a temp SQLite file
// or a fresh PostgreSQL schema), stopped with SIGTERM at the end of the test,
// which must make it exit 0 within 10 s.
//
// Helpers that set up data (createUser, login, createBlog, ...) throw with the
// response when the server does not answer as the contract says; gtest
// reports the exception as the test's failure. Checks are assertion
// predicates: EXPECT_TRUE(isJson(r, 201)), EXPECT_TRUE(isError(r, 401, "token missing")).
#pragma once

#include <gtest/gtest.h>

#include <csignal>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "server.hpp"

namespace bloglist::http_test {

inline constexpr const char* kSecret = "http-test-secret-0123456789abcdef";
inline constexpr const char* kAdminUsername = "admin@example.com";
inline constexpr const char* kAdminPassword = "admin-password";
inline constexpr const char* kJsonType = "application/json; charset=utf-8";

struct ServerConfig {
  std::set<std::string> unset;             // default variables to leave out
  std::map<std::string, std::string> env;  // then these on top
  bool admin = false;                      // ADMIN_USERNAME / ADMIN_PASSWORD
};

// One signed-up, logged-in user.
struct Account {
  json user;  // as POST /api/users answered
  std::string token;
  long long id = 0;
  std::string username;
  std::string password;
};

class BloglistTest : public ::testing::Test {
 protected:
  // What SetUp starts; override in a derived fixture.
  virtual ServerConfig config() const { return {}; }
  // False: SetUp starts nothing (for tests that run the binary themselves).
  virtual bool startsServer() const { return true; }

  void SetUp() override;
  void TearDown() override;
  ~BloglistTest() override;

  // Starts the server (throws with its output when it does not get ready in 20 s).
  void startServer(const ServerConfig& config);
  // Sends `sig`; expects exit code 0 within 10 s (SIGKILL and a failure otherwise).
  void stopServer(int sig = SIGTERM);
  // The environment the server gets: DATABASE_URL, PORT=0, BLOGLIST_ENV=test,
  // SECRET, LOG_LEVEL=warn, DATA_DIR, and whatever `config` adds or removes.
  LaunchOptions launchOptions(const ServerConfig& config) const;

  int port() const { return port_; }
  BloglistProcess& server() { return server_; }
  const std::string& dataDir() const { return dataDir_; }
  std::string serverOutput() const;  // stdout and stderr, for failure messages

  // Requests. `token` non-empty sends `Authorization: Bearer <token>`.
  Response get(const std::string& path, const std::string& token = "");
  Response post(const std::string& path, const json& body, const std::string& token = "");
  Response put(const std::string& path, const json& body, const std::string& token = "");
  Response del(const std::string& path, const std::string& token = "");
  // A raw body and a full Authorization header value ("" for none).
  Response send(const std::string& method, const std::string& path,
                const std::optional<std::string>& body, const std::string& authorization = "",
                const std::string& contentType = "application/json");

  // Set-up helpers (throw unless the server answers as the contract says).
  json createUser(const std::string& username, const std::string& name,
                  const std::string& password = "secret");
  std::string login(const std::string& username, const std::string& password = "secret");
  Account signUp(const std::string& username, const std::string& name,
                 const std::string& password = "secret");
  Account loginAdmin();
  json createBlog(const std::string& token, const json& fields);
  json addReading(long long blogId, long long userId, const std::string& token = "");
  json markRead(long long readingId, bool read, const std::string& token);
  json listBlogs(const std::string& query = "");
  json listUsers();
  json userView(long long id, const std::string& query = "");

 private:
  BloglistProcess server_;
  int port_ = 0;
  std::string dataDir_;
};

// A fixture whose server also creates the admin account from
// ADMIN_USERNAME / ADMIN_PASSWORD.
class BloglistAdminTest : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.admin = true;
    return c;
  }
};

// --- predicates -----------------------------------------------------------

// Status, Content-Type `application/json; charset=utf-8`, a body that parses.
::testing::AssertionResult isJson(const Response& r, int status);
// isJson and the body is exactly {"error": message}.
::testing::AssertionResult isError(const Response& r, int status, const std::string& message);
// isJson and the body is {"error": "..."} whose message contains `word`
// (case-insensitively): the message names what was wrong.
::testing::AssertionResult isErrorNaming(const Response& r, int status, const std::string& word);
// isJson and {"error": one of `messages`}.
::testing::AssertionResult isErrorOneOf(const Response& r, int status,
                                        const std::set<std::string>& messages);
// 204 and an empty body.
::testing::AssertionResult isNoContent(const Response& r);

std::set<std::string> keysOf(const json& object);
int currentYear();
// A copy of `token` with its signature altered (same shape, bad signature).
std::string tamper(const std::string& token);

}  // namespace bloglist::http_test
