// Running the service: test mode's reset route, the request log, the secret,
// migrations from the binary's own CLI, and graceful shutdown.
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "fixture.hpp"
#include "support/engine.hpp"

namespace bloglist::http_test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// ---- test mode ---------------------------------------------------------------

using httpTestMode = BloglistTest;

TEST_F(httpTestMode, ResetEmptiesEveryTable) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  auto blog = createBlog(a.token, {{"title", "t"}, {"url", "u"}, {"author", "x"}});
  addReading(blog["id"], b.id);

  EXPECT_TRUE(isNoContent(post("/api/testing/reset", json::object())));
  for (const char* path : {"/api/blogs", "/api/users", "/api/authors"}) {
    auto r = get(path);
    ASSERT_TRUE(isJson(r, 200)) << path;
    EXPECT_EQ(*r.data, json::array()) << path;
  }
  EXPECT_TRUE(isError(get("/api/users/" + std::to_string(b.id)), 404, "user not found"));
  // Sessions went too.
  EXPECT_EQ(post("/api/blogs", {{"title", "t"}, {"url", "u"}}, a.token).status, 401);
  // And the same data can be created again (the part 5 e2e tests do this before each test).
  auto again = signUp("a@example.com", "Alice");
  EXPECT_TRUE(isJson(post("/api/blogs", {{"title", "t"}, {"url", "u"}}, again.token), 201));
}

class httpNodeEnvTest : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.unset = {"BLOGLIST_ENV"};
    c.env = {{"NODE_ENV", "test"}};
    return c;
  }
};

TEST_F(httpNodeEnvTest, NodeEnvTestAlsoEnablesReset) {
  createUser("a@example.com", "Alice");
  EXPECT_TRUE(isNoContent(post("/api/testing/reset", json::object())));
  EXPECT_EQ(listUsers(), json::array());
}

class httpNotTestMode : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.unset = {"BLOGLIST_ENV"};
    return c;
  }
};

TEST_F(httpNotTestMode, ResetIsNotARoute) {
  createUser("a@example.com", "Alice");
  auto r = post("/api/testing/reset", json::object());
  EXPECT_TRUE(isJson(r, 404));
  EXPECT_TRUE(r.data && r.data->contains("error")) << r.describe();
  EXPECT_EQ(listUsers().size(), 1u) << "outside test mode the data must stay";
}

class httpDevelopmentMode : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.env = {{"BLOGLIST_ENV", "development"}};
    return c;
  }
};

TEST_F(httpDevelopmentMode, ResetIsNotARouteInDevelopment) {
  EXPECT_EQ(post("/api/testing/reset", json::object()).status, 404);
}

// ---- the request log -----------------------------------------------------------

class httpRequestLog : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.env = {{"LOG_LEVEL", "info"}};
    return c;
  }
  std::string output() { return server().out() + "\n" + server().err(); }
};

TEST_F(httpRequestLog, OneLinePerRequestWithMethodPathStatusAndMilliseconds) {
  ASSERT_TRUE(isJson(get("/api/blogs"), 200));
  ASSERT_TRUE(server().waitForOutput("GET /api/blogs 200", 5s))
      << "no request line `GET /api/blogs 200` in\n" << output();
  static const std::regex withMs(R"(GET /api/blogs 200\b.*\b[0-9]+(\.[0-9]+)? ?ms\b)");
  bool found = false;
  for (const auto& line : linesOf(output()))
    if (std::regex_search(line, withMs)) found = true;
  EXPECT_TRUE(found) << "no line with `GET /api/blogs 200` and milliseconds in\n" << output();

  ASSERT_EQ(post("/api/users", {{"username", "a@example.com"}, {"name", "A"}, {"password", "secret"}})
                .status,
            201);
  EXPECT_TRUE(server().waitForOutput("POST /api/users 201", 5s)) << output();
  ASSERT_EQ(get("/nowhere").status, 404);
  EXPECT_TRUE(server().waitForOutput("GET /nowhere 404", 5s)) << output();

  // One line per request.
  for (int i = 0; i < 3; ++i) ASSERT_EQ(get("/health").status, 200);
  ASSERT_TRUE(server().waitForOutput("GET /health 200", 5s)) << output();
  std::size_t count = 0;
  for (int attempt = 0; attempt < 50 && count < 3; ++attempt) {
    count = 0;
    for (const auto& line : linesOf(output()))
      if (line.find("GET /health 200") != std::string::npos) ++count;
    if (count < 3) std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(200ms);
  count = 0;
  for (const auto& line : linesOf(output()))
    if (line.find("GET /health 200") != std::string::npos) ++count;
  EXPECT_EQ(count, 3u) << output();
}

class httpDebugLog : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.env = {{"LOG_LEVEL", "debug"}};
    return c;
  }
};

TEST_F(httpDebugLog, DebugLevelAlsoLogsSql) {
  ASSERT_TRUE(isJson(get("/api/blogs"), 200));
  ASSERT_TRUE(server().waitForOutput("GET /api/blogs 200", 5s)) << serverOutput();
  std::string all = server().out() + server().err();
  EXPECT_NE(all.find("SELECT"), std::string::npos) << "no SQL in the debug log:\n" << serverOutput();
}

using httpQuietLog = BloglistTest;

TEST_F(httpQuietLog, WarnLevelWritesNoRequestLines) {
  ASSERT_TRUE(isJson(get("/api/blogs"), 200));
  ASSERT_EQ(get("/nowhere").status, 404);
  std::this_thread::sleep_for(300ms);
  const std::string all = server().out() + server().err();
  EXPECT_EQ(all.find("GET /api/blogs"), std::string::npos) << all;
  EXPECT_EQ(all.find("GET /nowhere"), std::string::npos) << all;
  EXPECT_EQ(all.find("SELECT"), std::string::npos) << all;
}

// ---- the secret ----------------------------------------------------------------

using httpSecret = BloglistTest;

class httpGeneratedSecret : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.unset = {"SECRET"};
    return c;
  }
};

TEST_F(httpGeneratedSecret, WithoutSecretAGeneratedOneIsKeptInTheDataDirectory) {
  const ServerConfig c = config();
  const std::string file = dataDir() + "/secret";
  ASSERT_TRUE(std::filesystem::exists(file)) << serverOutput();
  struct stat st{};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the secret file must be private";
  std::string before;
  {
    std::ifstream in(file);
    std::getline(in, before, '\0');
  }
  EXPECT_FALSE(before.empty());
  std::string log = server().out() + server().err();
  std::transform(log.begin(), log.end(), log.begin(), [](unsigned char ch) { return std::tolower(ch); });
  EXPECT_NE(log.find("secret"), std::string::npos) << "no warning about the generated secret";

  createUser("a@example.com", "Alice");
  const std::string token = login("a@example.com");
  stopServer();
  startServer(c);
  std::string after;
  {
    std::ifstream in(file);
    std::getline(in, after, '\0');
  }
  EXPECT_EQ(before, after) << "the secret was generated again";
  EXPECT_TRUE(isJson(post("/api/blogs", {{"title", "t"}, {"url", "u"}}, token), 201))
      << "a token from before the restart must still verify";
}

TEST_F(httpSecret, TokensSignedWithAnotherSecretAreInvalid) {
  createUser("a@example.com", "Alice");
  const std::string token = login("a@example.com");
  stopServer();
  ServerConfig c;
  c.env = {{"SECRET", "a-completely-different-secret-value"}};
  startServer(c);
  EXPECT_TRUE(isError(post("/api/blogs", {{"title", "t"}, {"url", "u"}}, token), 401, "token invalid"));
}

class httpProduction : public BloglistTest {
 protected:
  bool startsServer() const override { return false; }
};

TEST_F(httpProduction, RefusesToStartWithoutSecret) {
  BloglistProcess p;
  ServerConfig c;
  c.unset = {"SECRET", "BLOGLIST_ENV"};
  c.env = {{"BLOGLIST_ENV", "production"}};
  p.spawn(launchOptions(c));
  auto port = p.waitForReady(20s);
  EXPECT_FALSE(port.has_value()) << "the server started in production without SECRET";
  auto status = p.wait(10s);
  ASSERT_TRUE(status.has_value()) << "still running";
  EXPECT_TRUE(status->exited && status->code != 0) << status->describe();
  EXPECT_FALSE(std::filesystem::exists(dataDir() + "/secret"))
      << "production must not generate a secret";
  EXPECT_FALSE((p.err() + p.out()).empty()) << "it should say why it did not start";
}

// Malformed settings stop the server before it listens, naming the
// variable; none falls back to a default.
TEST_F(httpProduction, RefusesMalformedSettingsNamingThem) {
  for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"THREADS", "0"}, {"THREADS", "many"}, {"THREADS", "4096"}, {"DB_POOL", "1"},
           {"PORT", "70000"}, {"BODY_LIMIT", "12kb"}}) {
    BloglistProcess p;
    ServerConfig c;
    c.env = {{name, value}};
    p.spawn(launchOptions(c));
    EXPECT_FALSE(p.waitForReady(20s).has_value()) << name << "=" << value << " was accepted";
    auto status = p.wait(10s);
    ASSERT_TRUE(status.has_value()) << "still running";
    EXPECT_TRUE(status->exited && status->code != 0) << status->describe();
    EXPECT_NE((p.err() + p.out()).find(name), std::string::npos)
        << name << "=" << value << ": " << p.err() << p.out();
  }
}

// ---- migrations ------------------------------------------------------------------

class httpMigrations : public BloglistTest {
 protected:
  CommandResult cli(const std::vector<std::string>& args) {
    LaunchOptions o = launchOptions(config());
    o.args = args;
    return runCommand(o, 60s);
  }
  struct Status {
    int applied = 0, pending = 0;
  };
  Status status() {
    auto r = cli({"db:migrate:status"});
    EXPECT_TRUE(r.status.exited && r.status.code == 0)
        << "db:migrate:status " << r.status.describe() << "\n" << r.out << r.err;
    Status s;
    for (const auto& line : linesOf(r.out)) {
      if (line.starts_with("name ")) continue;  // the header: name  state  applied at
      if (line.find(" applied ") != std::string::npos) ++s.applied;
      if (line.find(" pending ") != std::string::npos || line.ends_with(" pending")) ++s.pending;
    }
    lastStatus = r.out;
    return s;
  }
  std::string lastStatus;
};

TEST_F(httpMigrations, StartUpAppliesEveryMigration) {
  auto s = status();
  EXPECT_GE(s.applied, 4) << "initial tables, year, readinglists, sessions/admin migrations:\n"
                          << lastStatus;
  EXPECT_EQ(s.pending, 0) << lastStatus;
}

TEST_F(httpMigrations, UndoThenStartUpAppliesItAgainUnlessMigrateIsOff) {
  createUser("a@example.com", "Alice");
  stopServer();
  const auto before = status();
  auto undo = cli({"db:migrate:undo"});
  ASSERT_TRUE(undo.status.exited && undo.status.code == 0) << undo.out << undo.err;
  auto s = status();
  EXPECT_EQ(s.pending, 1) << lastStatus;
  EXPECT_EQ(s.applied, before.applied - 1) << lastStatus;

  ServerConfig off;
  off.env = {{"MIGRATE", "off"}};
  startServer(off);
  EXPECT_TRUE(isJson(get("/health"), 200));
  stopServer();
  EXPECT_EQ(status().pending, 1) << "MIGRATE=off applied a migration:\n" << lastStatus;

  startServer(config());
  s = status();
  EXPECT_EQ(s.pending, 0) << lastStatus;
  EXPECT_EQ(s.applied, before.applied) << lastStatus;
  // The service works on the re-migrated database.
  auto b = signUp("b@example.com", "Bob");
  auto blog = createBlog(b.token, {{"title", "t"}, {"url", "u"}, {"year", 2000}});
  addReading(blog["id"], b.id, b.token);
  EXPECT_EQ(userView(b.id)["readings"].size(), 1u);
}

// ---- shutdown ----------------------------------------------------------------------

using httpShutdown = BloglistTest;

TEST_F(httpShutdown, SigintAlsoExitsZero) {
  ASSERT_TRUE(isJson(get("/health"), 200));
  stopServer(SIGINT);
}

// A supervisor (systemd, a test runner, Ctrl-C) may stop the service as soon
// as it has said it is listening.
TEST_F(httpShutdown, SigtermRightAfterTheReadyLineExitsZero) {
  stopServer(SIGTERM);
  for (int attempt = 1; attempt <= 10 && !HasFailure(); ++attempt) {
    startServer(config());
    stopServer(SIGTERM);
    if (HasFailure()) ADD_FAILURE() << "on start/stop number " << attempt + 1;
  }
}

TEST_F(httpShutdown, ARequestInFlightFinishesOnSigterm) {
  const std::string body =
      json{{"username", "inflight@example.com"}, {"name", "In Flight"}, {"password", "secret"}}.dump();
  RawConnection conn(port());
  conn.write("POST /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
             "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
             body.substr(0, 10));
  std::this_thread::sleep_for(500ms);  // the server has the request in hand
  server().signal(SIGTERM);
  std::this_thread::sleep_for(300ms);
  conn.write(body.substr(10));
  auto r = conn.readResponse(30s);
  EXPECT_TRUE(isJson(r, 201)) << "the request in flight when SIGTERM came was not finished";
  auto status = server().wait(10s);
  if (!status) {
    server().kill();
    FAIL() << "the server did not exit within 10 s of SIGTERM";
  }
  EXPECT_TRUE(status->exited && status->code == 0) << status->describe() << "\n" << server().err();
  // The user was stored: a new server on the same database sees it.
  startServer(config());
  EXPECT_EQ(listUsers().size(), 1u);
}

}  // namespace
}  // namespace bloglist::http_test

// PostgreSQL stopped and started under a running bloglist (#15): during the
// outage every answer is a 503 with a JSON error and the process stays up;
// after it, the pool drops the broken connections and requests succeed again
// within seconds, with nothing half-written. On a cluster of the test's own,
// which it stops and starts.
#include <cstdlib>
#include <thread>

namespace bloglist::http_test {
namespace {

class httpDatabaseRestart : public BloglistTest {
 protected:
  bool startsServer() const override { return false; }
  void TearDown() override {
    BloglistTest::TearDown();
    if (!dir_.empty()) pg("stop");
  }
  int pg(const std::string& verb, std::string* out = nullptr) {
    std::string cmd = std::string(JUNCTION_SOURCE_DIR) + "/scripts/pg.sh " + verb + " " + dir_;
    if (!out) return std::system((cmd + " >/dev/null 2>&1").c_str());
    FILE* p = ::popen(cmd.c_str(), "r");
    char buf[256];
    while (p && std::fgets(buf, sizeof buf, p)) *out += buf;
    return p ? ::pclose(p) : -1;
  }
  std::string dir_;
};

// The cluster is the test's own whatever JUNCTION_TEST_ENGINE says, so the
// test means the same under both engine registrations.
TEST_F(httpDatabaseRestart, OutageAnswers503ThenServiceResumes) {
  dir_ = (std::filesystem::temp_directory_path() /
          ("junction-restart-" + std::to_string(::getpid()))).string();
  std::string url;
  ASSERT_EQ(pg("start", &url), 0) << url;
  while (!url.empty() && url.back() == '\n') url.pop_back();
  ServerConfig c;
  c.env["DATABASE_URL"] = url;
  startServer(c);

  auto a = signUp("a@example.com", "Alice");
  createBlog(a.token, {{"title", "before"}, {"url", "u"}});

  ASSERT_EQ(pg("pause"), 0);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(isError(get("/api/blogs"), 503, "database unavailable")) << i;
    EXPECT_TRUE(isError(post("/api/blogs", {{"title", "during"}, {"url", "u"}}, a.token), 503,
                        "database unavailable"))
        << i;
  }
  EXPECT_TRUE(server().running()) << "the process stays up";

  ASSERT_EQ(pg("resume"), 0);
  auto start = std::chrono::steady_clock::now();
  int status = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
    status = get("/api/blogs").status;
    if (status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(status, 200) << "not serving again 10 s after the restart";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_TRUE(isJson(post("/api/blogs", {{"title", "after"}, {"url", "u"}}, a.token), 201));
  auto blogs = listBlogs();
  ASSERT_EQ(blogs.size(), 2u) << blogs.dump() << " (nothing from the outage)";
  EXPECT_EQ(blogs[0]["title"], "before");
  EXPECT_EQ(blogs[1]["title"], "after");
}

}  // namespace
}  // namespace bloglist::http_test
