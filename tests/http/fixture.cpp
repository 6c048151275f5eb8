#include "fixture.hpp"

#include <stdlib.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "support/engine.hpp"

namespace bloglist::http_test {

namespace {

std::string tail(const std::string& s, std::size_t n = 4000) {
  return s.size() > n ? "..." + s.substr(s.size() - n) : s;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

[[noreturn]] void unexpected(const std::string& what, const Response& r) {
  throw std::runtime_error(what + ": " + r.describe());
}

}  // namespace

// --- server lifecycle ------------------------------------------------------

LaunchOptions BloglistTest::launchOptions(const ServerConfig& config) const {
  LaunchOptions o;
  std::map<std::string, std::string> env{
      {"DATABASE_URL", junction::test::databaseUrl()},
      {"PORT", "0"},
      {"BLOGLIST_ENV", "test"},
      {"SECRET", kSecret},
      {"LOG_LEVEL", "warn"},
      {"DATA_DIR", dataDir_},
  };
  if (config.admin) {
    env["ADMIN_USERNAME"] = kAdminUsername;
    env["ADMIN_PASSWORD"] = kAdminPassword;
  }
  for (const auto& k : config.unset) env.erase(k);
  for (const auto& [k, v] : config.env) env[k] = v;
  o.env = env;
  // Nothing from the environment of `make test` may leak into the server.
  o.unset = {"DATABASE_URL", "HOST", "PORT", "SECRET", "DATA_DIR", "LOG_LEVEL", "MIGRATE",
             "BLOGLIST_ENV", "NODE_ENV", "ADMIN_USERNAME", "ADMIN_PASSWORD", "BODY_LIMIT",
             "THREADS"};
  o.cwd = dataDir_;
  return o;
}

void BloglistTest::SetUp() {
  // mkdtemp replaces the template's six trailing 'X's with a unique suffix.
  std::string tmpl =
      (std::filesystem::temp_directory_path() / ("bloglist-http-" + std::string(6, 'X'))).string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed for " + tmpl);
  dataDir_ = tmpl;
  if (startsServer()) startServer(config());
}

void BloglistTest::startServer(const ServerConfig& config) {
  server_.spawn(launchOptions(config));
  auto port = server_.waitForReady(std::chrono::seconds(20));
  if (!port) {
    std::string why = server_.running() ? "did not print its ready line within 20 s"
                                        : "exited before it was ready";
    server_.kill();
    throw std::runtime_error("bloglist " + why + "\n--- stdout:\n" + tail(server_.out()) +
                             "\n--- stderr:\n" + tail(server_.err()));
  }
  port_ = *port;
}

void BloglistTest::stopServer(int sig) {
  if (!server_.running()) {
    auto s = server_.wait(std::chrono::milliseconds(0));
    ADD_FAILURE() << "the server was no longer running when it was to be stopped: "
                  << (s ? s->describe() : "?") << "\n--- stderr:\n"
                  << tail(server_.err());
    return;
  }
  server_.signal(sig);
  auto status = server_.wait(std::chrono::seconds(10));
  if (!status) {
    server_.kill();
    ADD_FAILURE() << "the server did not exit within 10 s of signal " << sig
                  << "; killed it\n--- stderr:\n"
                  << tail(server_.err());
    return;
  }
  EXPECT_TRUE(status->exited && status->code == 0)
      << "on signal " << sig << " the server " << status->describe()
      << " (graceful shutdown must exit 0)\n--- stderr:\n"
      << tail(server_.err());
}

void BloglistTest::TearDown() {
  if (server_.pid() > 0) stopServer(SIGTERM);
  if (HasFailure()) {
    std::fprintf(stderr, "--- bloglist stdout:\n%s\n--- bloglist stderr:\n%s\n",
                 tail(server_.out()).c_str(), tail(server_.err()).c_str());
  }
}

BloglistTest::~BloglistTest() {
  server_.kill();
  if (!dataDir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dataDir_, ec);
  }
}

std::string BloglistTest::serverOutput() const {
  return "--- stdout:\n" + tail(server_.out()) + "\n--- stderr:\n" + tail(server_.err());
}

// --- requests --------------------------------------------------------------

Response BloglistTest::send(const std::string& method, const std::string& path,
                            const std::optional<std::string>& body,
                            const std::string& authorization, const std::string& contentType) {
  return httpRequest(port_, method, path, body, authorization, contentType);
}

Response BloglistTest::get(const std::string& path, const std::string& token) {
  return send("GET", path, std::nullopt, token.empty() ? "" : "Bearer " + token);
}

Response BloglistTest::post(const std::string& path, const json& body, const std::string& token) {
  return send("POST", path, body.dump(), token.empty() ? "" : "Bearer " + token);
}

Response BloglistTest::put(const std::string& path, const json& body, const std::string& token) {
  return send("PUT", path, body.dump(), token.empty() ? "" : "Bearer " + token);
}

Response BloglistTest::del(const std::string& path, const std::string& token) {
  return send("DELETE", path, std::nullopt, token.empty() ? "" : "Bearer " + token);
}

// --- set-up helpers ----------------------------------------------------------

json BloglistTest::createUser(const std::string& username, const std::string& name,
                              const std::string& password) {
  auto r = post("/api/users", {{"username", username}, {"name", name}, {"password", password}});
  if (r.status != 201 || !r.data || !r.data->is_object() || !r.data->contains("id"))
    unexpected("creating user " + username, r);
  return *r.data;
}

std::string BloglistTest::login(const std::string& username, const std::string& password) {
  auto r = post("/api/login", {{"username", username}, {"password", password}});
  if (r.status != 200 || !r.data || !r.data->is_object() || !r.data->contains("token") ||
      !(*r.data)["token"].is_string())
    unexpected("logging in as " + username, r);
  return (*r.data)["token"].get<std::string>();
}

Account BloglistTest::signUp(const std::string& username, const std::string& name,
                             const std::string& password) {
  Account a;
  a.user = createUser(username, name, password);
  a.id = a.user.at("id").get<long long>();
  a.username = username;
  a.password = password;
  a.token = login(username, password);
  return a;
}

Account BloglistTest::loginAdmin() {
  Account a;
  a.username = kAdminUsername;
  a.password = kAdminPassword;
  a.token = login(kAdminUsername, kAdminPassword);
  for (const auto& u : listUsers())
    if (u.value("username", "") == kAdminUsername) {
      a.user = u;
      a.id = u.at("id").get<long long>();
    }
  if (a.id == 0) throw std::runtime_error("the admin is not in GET /api/users");
  return a;
}

json BloglistTest::createBlog(const std::string& token, const json& fields) {
  auto r = post("/api/blogs", fields, token);
  if (r.status != 201 || !r.data || !r.data->is_object() || !r.data->contains("id"))
    unexpected("creating blog " + fields.dump(), r);
  return *r.data;
}

json BloglistTest::addReading(long long blogId, long long userId, const std::string& token) {
  auto r = post("/api/readinglists", {{"blogId", blogId}, {"userId", userId}}, token);
  if (r.status != 201 || !r.data || !r.data->is_object() || !r.data->contains("id"))
    unexpected("adding a reading", r);
  return *r.data;
}

json BloglistTest::markRead(long long readingId, bool read, const std::string& token) {
  auto r = put("/api/readinglists/" + std::to_string(readingId), {{"read", read}}, token);
  if (r.status != 200 || !r.data) unexpected("marking a reading", r);
  return *r.data;
}

json BloglistTest::listBlogs(const std::string& query) {
  auto r = get("/api/blogs" + query);
  if (r.status != 200 || !r.data || !r.data->is_array()) unexpected("listing blogs", r);
  return *r.data;
}

json BloglistTest::listUsers() {
  auto r = get("/api/users");
  if (r.status != 200 || !r.data || !r.data->is_array()) unexpected("listing users", r);
  return *r.data;
}

json BloglistTest::userView(long long id, const std::string& query) {
  auto r = get("/api/users/" + std::to_string(id) + query);
  if (r.status != 200 || !r.data || !r.data->is_object()) unexpected("viewing a user", r);
  return *r.data;
}

// --- predicates -------------------------------------------------------------

::testing::AssertionResult isJson(const Response& r, int status) {
  if (r.status != status)
    return ::testing::AssertionFailure() << "expected " << status << ", got " << r.describe();
  if (lower(r.contentType) != kJsonType)
    return ::testing::AssertionFailure()
           << "expected Content-Type \"" << kJsonType << "\", got " << r.describe();
  if (!r.data) return ::testing::AssertionFailure() << "body is not JSON: " << r.describe();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult isError(const Response& r, int status, const std::string& message) {
  auto base = isJson(r, status);
  if (!base) return base;
  if (*r.data != json{{"error", message}})
    return ::testing::AssertionFailure()
           << "expected body {\"error\":\"" << message << "\"}, got " << r.describe();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult isErrorNaming(const Response& r, int status, const std::string& word) {
  auto base = isJson(r, status);
  if (!base) return base;
  const json& j = *r.data;
  if (!j.is_object() || j.size() != 1 || !j.contains("error") || !j["error"].is_string())
    return ::testing::AssertionFailure() << "expected {\"error\": ...}, got " << r.describe();
  if (lower(j["error"].get<std::string>()).find(lower(word)) == std::string::npos)
    return ::testing::AssertionFailure()
           << "expected an error message naming \"" << word << "\", got " << r.describe();
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult isErrorOneOf(const Response& r, int status,
                                        const std::set<std::string>& messages) {
  auto base = isJson(r, status);
  if (!base) return base;
  const json& j = *r.data;
  if (j.is_object() && j.size() == 1 && j.contains("error") && j["error"].is_string() &&
      messages.count(j["error"].get<std::string>()))
    return ::testing::AssertionSuccess();
  auto f = ::testing::AssertionFailure() << "expected {\"error\": one of";
  for (const auto& m : messages) f << " \"" << m << "\"";
  return f << "}, got " << r.describe();
}

::testing::AssertionResult isNoContent(const Response& r) {
  if (r.status != 204)
    return ::testing::AssertionFailure() << "expected 204, got " << r.describe();
  if (!r.body.empty())
    return ::testing::AssertionFailure() << "expected no body with 204, got " << r.describe();
  return ::testing::AssertionSuccess();
}

std::set<std::string> keysOf(const json& object) {
  std::set<std::string> keys;
  if (object.is_object())
    for (const auto& item : object.items()) keys.insert(item.key());
  return keys;
}

int currentYear() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::localtime_r(&now, &tm);
  return tm.tm_year + 1900;
}

std::string tamper(const std::string& token) {
  std::string t = token;
  if (t.empty()) return "x";
  // Flip a character in the middle of the signature (the last segment): the
  // shape stays a JWT, the signature no longer matches.
  auto dot = t.rfind('.');
  std::size_t i = dot == std::string::npos ? t.size() / 2 : dot + 1 + (t.size() - dot - 1) / 2;
  if (i >= t.size()) i = t.size() - 1;
  t[i] = t[i] == 'A' ? 'B' : 'A';
  return t;
}

}  // namespace bloglist::http_test
