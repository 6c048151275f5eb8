// POST /api/users, GET /api/users, GET /api/users/:id (exercises 13.9, 13.21, 13.23).
#include <algorithm>
#include <string>
#include <vector>

#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using httpUsers = BloglistTest;

const std::set<std::string> kUserKeys{"id",       "username",  "name",     "admin",
                                      "disabled", "createdAt", "updatedAt"};

json readingList(bool read, const json& id) {
  return json::array({json{{"read", read}, {"id", id}}});
}

bool mentionsPassword(const std::string& body) {
  std::string b = body;
  std::transform(b.begin(), b.end(), b.begin(), [](unsigned char c) { return std::tolower(c); });
  return b.find("password") != std::string::npos || b.find("$argon2") != std::string::npos;
}

TEST_F(httpUsers, CreateAnswers201WithTheUserAndNoPassword) {
  auto r = post("/api/users",
                {{"username", "mluukkai@iki.fi"}, {"name", "Matti Luukkainen"}, {"password", "salainen"}});
  ASSERT_TRUE(isJson(r, 201));
  const json& u = *r.data;
  EXPECT_EQ(keysOf(u), kUserKeys) << r.body;
  EXPECT_TRUE(u["id"].is_number_integer()) << r.body;
  EXPECT_EQ(u["username"], "mluukkai@iki.fi");
  EXPECT_EQ(u["name"], "Matti Luukkainen");
  EXPECT_EQ(u["admin"], false);
  EXPECT_EQ(u["disabled"], false);
  EXPECT_TRUE(u["createdAt"].is_string()) << r.body;
  EXPECT_TRUE(u["updatedAt"].is_string()) << r.body;
  EXPECT_FALSE(mentionsPassword(r.body)) << r.body;

  // ...and the account works.
  EXPECT_FALSE(login("mluukkai@iki.fi", "salainen").empty());
}

TEST_F(httpUsers, NoResponseEverCarriesThePasswordOrItsHash) {
  auto a = signUp("a@example.com", "Alice", "alice-pw");
  createBlog(a.token, {{"title", "t"}, {"url", "u"}});
  for (const std::string& path :
       std::vector<std::string>{"/api/users", "/api/users/" + std::to_string(a.id), "/api/blogs"}) {
    auto r = get(path);
    ASSERT_TRUE(isJson(r, 200)) << path;
    EXPECT_FALSE(mentionsPassword(r.body)) << path << ": " << r.body;
  }
  auto r = post("/api/login", {{"username", "a@example.com"}, {"password", "alice-pw"}});
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_FALSE(mentionsPassword(r.body)) << r.body;
  r = put("/api/users/a@example.com", {{"username", "a2@example.com"}}, a.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ(keysOf(*r.data), kUserKeys) << r.body;
  EXPECT_FALSE(mentionsPassword(r.body)) << r.body;
}

TEST_F(httpUsers, UsernameMustBeAnEmail) {
  auto r = post("/api/users", {{"username", "mluukkai"}, {"name", "Matti"}, {"password", "secret"}});
  EXPECT_TRUE(isErrorNaming(r, 400, "username"));
  EXPECT_EQ(listUsers(), json::array());
}

TEST_F(httpUsers, UsernameIsUnique) {
  createUser("taken@example.com", "First");
  auto r = post("/api/users",
                {{"username", "taken@example.com"}, {"name", "Second"}, {"password", "secret"}});
  EXPECT_TRUE(isErrorNaming(r, 400, "username")) << "a taken username names username";
  auto users = listUsers();
  ASSERT_EQ(users.size(), 1u) << users.dump();
  EXPECT_EQ(users[0]["name"], "First");
}

TEST_F(httpUsers, NameAndPasswordAreRequiredAndPasswordHasThreeCharacters) {
  EXPECT_TRUE(isErrorNaming(post("/api/users", {{"username", "a@example.com"}, {"password", "secret"}}),
                            400, "name"));
  EXPECT_TRUE(isErrorNaming(post("/api/users", {{"username", "b@example.com"}, {"name", "B"}}), 400,
                            "password"));
  EXPECT_TRUE(isErrorNaming(
      post("/api/users", {{"username", "c@example.com"}, {"name", "C"}, {"password", "ab"}}), 400,
      "password"));
  EXPECT_TRUE(isErrorNaming(post("/api/users", {{"name", "D"}, {"password", "secret"}}), 400,
                            "username"));
  EXPECT_EQ(listUsers(), json::array()) << "failed requests created users";

  // Three characters is long enough.
  auto r = post("/api/users", {{"username", "e@example.com"}, {"name", "E"}, {"password", "abc"}});
  EXPECT_TRUE(isJson(r, 201));
}

// "shorter than 3" is about characters: "äö" is two characters (four bytes in UTF-8).
TEST_F(httpUsers, PasswordLengthCountsCharactersNotBytes) {
  auto r = post("/api/users",
                {{"username", "a@example.com"}, {"name", "A"}, {"password", "\xC3\xA4\xC3\xB6"}});
  EXPECT_TRUE(isErrorNaming(r, 400, "password")) << "a two-character password was accepted";
  r = post("/api/users", {{"username", "b@example.com"},
                          {"name", "B"},
                          {"password", "\xC3\xA4\xC3\xB6\xC3\xBC"}});
  EXPECT_TRUE(isJson(r, 201)) << "three characters are enough";
  EXPECT_FALSE(login("b@example.com", "\xC3\xA4\xC3\xB6\xC3\xBC").empty());
}

TEST_F(httpUsers, WrongTypesAre400) {
  EXPECT_EQ(post("/api/users", {{"username", 42}, {"name", "A"}, {"password", "secret"}}).status, 400);
  EXPECT_EQ(
      post("/api/users", {{"username", "a@example.com"}, {"name", "A"}, {"password", 12345}}).status,
      400);
  EXPECT_EQ(listUsers(), json::array());
}

TEST_F(httpUsers, ListIncludesEachUsersBlogs) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  createUser("c@example.com", "Carol");
  auto b1 = createBlog(a.token, {{"title", "A one"}, {"url", "http://a/1"}, {"author", "X"}});
  auto b2 = createBlog(a.token, {{"title", "A two"}, {"url", "http://a/2"}, {"likes", 3}});
  auto b3 = createBlog(b.token, {{"title", "B one"}, {"url", "http://b/1"}});

  auto r = get("/api/users");
  ASSERT_TRUE(isJson(r, 200));
  ASSERT_TRUE(r.data->is_array());
  ASSERT_EQ(r.data->size(), 3u) << r.body;
  std::map<std::string, json> byName;
  for (const auto& u : *r.data) {
    byName[u.value("username", "")] = u;
    std::set<std::string> expected = kUserKeys;
    expected.insert("blogs");
    EXPECT_EQ(keysOf(u), expected) << u.dump();
    ASSERT_TRUE(u["blogs"].is_array()) << u.dump();
    for (const auto& blog : u["blogs"]) {
      EXPECT_FALSE(blog.contains("user")) << "blogs in GET /api/users have no user: " << blog.dump();
      for (const char* k : {"id", "title", "url", "author", "likes", "year"})
        EXPECT_TRUE(blog.contains(k)) << k << " missing in " << blog.dump();
    }
  }
  auto ids = [](const json& blogs) {
    std::set<long long> s;
    for (const auto& blog : blogs) s.insert(blog.at("id").get<long long>());
    return s;
  };
  EXPECT_EQ(ids(byName["a@example.com"]["blogs"]),
            (std::set<long long>{b1["id"].get<long long>(), b2["id"].get<long long>()}));
  EXPECT_EQ(ids(byName["b@example.com"]["blogs"]), (std::set<long long>{b3["id"].get<long long>()}));
  EXPECT_EQ(byName["c@example.com"]["blogs"], json::array());
  for (const auto& blog : byName["a@example.com"]["blogs"])
    if (blog["id"] == b2["id"]) {
      EXPECT_EQ(blog["title"], "A two");
      EXPECT_EQ(blog["likes"], 3);
    }
}

// Exercise 13.21's example, exactly: name, username, readings with
// {id, url, title, author, likes, year, readinglists: [{read, id}]}.
TEST_F(httpUsers, SingleUserHasReadingsInTheShapeOfExercise13_21) {
  auto matti = signUp("mluukkai@iki.fi", "Matti Luukkainen");
  auto other = signUp("other@example.com", "Other Reader");
  auto clean = createBlog(other.token, {{"title", "Clean React"},
                                        {"url", "https://google.com"},
                                        {"author", "Dan Abramov"},
                                        {"likes", 34}});
  auto go = createBlog(matti.token, {{"title", "Go To Statement Considered Harmful"},
                                     {"url", "http://homepages.cwi.nl/~storm/teaching/reader/Dijkstra68.pdf"},
                                     {"author", "Edsger W. Dijkstra"},
                                     {"likes", 5},
                                     {"year", 1991}});
  createBlog(matti.token, {{"title", "Not on any list"}, {"url", "http://x"}});

  auto r1 = addReading(clean["id"], matti.id);
  auto r2 = addReading(go["id"], matti.id, matti.token);
  // Another user has the same blog on their list: Matti's view must still
  // show exactly one readinglists entry per reading, his own.
  auto rOther = addReading(clean["id"], other.id);
  markRead(rOther["id"], true, other.token);

  auto r = get("/api/users/" + std::to_string(matti.id));
  ASSERT_TRUE(isJson(r, 200));
  json view = *r.data;
  ASSERT_TRUE(view.is_object()) << r.body;
  ASSERT_TRUE(view.contains("readings") && view["readings"].is_array()) << r.body;
  auto& readings = view["readings"];
  std::sort(readings.begin(), readings.end(),
            [](const json& a, const json& b) { return a["id"] < b["id"]; });
  json expected = {
      {"name", "Matti Luukkainen"},
      {"username", "mluukkai@iki.fi"},
      {"readings",
       json::array({
           json{{"id", clean["id"]},
            {"url", "https://google.com"},
            {"title", "Clean React"},
            {"author", "Dan Abramov"},
            {"likes", 34},
            {"year", nullptr},
            {"readinglists", readingList(false, r1["id"])}},
           json{{"id", go["id"]},
            {"url", "http://homepages.cwi.nl/~storm/teaching/reader/Dijkstra68.pdf"},
            {"title", "Go To Statement Considered Harmful"},
            {"author", "Edsger W. Dijkstra"},
            {"likes", 5},
            {"year", 1991},
            {"readinglists", readingList(false, r2["id"])}},
       })},
  };
  if (clean["id"] > go["id"]) std::swap(expected["readings"][0], expected["readings"][1]);
  EXPECT_EQ(view, expected) << "got:      " << view.dump() << "\nexpected: " << expected.dump();

  // The other reader sees their own entry, read.
  auto otherView = userView(other.id);
  ASSERT_EQ(otherView["readings"].size(), 1u) << otherView.dump();
  EXPECT_EQ(otherView["readings"][0]["readinglists"],
            readingList(true, rOther["id"]));
}

// The body itself, not only its parsed value: keys in the exercise's order,
// text escaped, the one junction row per reading.
TEST_F(httpUsers, ReadingsKeepTheExerciseKeyOrderAndEscapeText) {
  auto a = signUp("a@example.com", "Ann \"Quote\" Äijälä");
  auto blog = createBlog(a.token, {{"title", "Tabs\tand \"quotes\" \\ ✓"},
                                   {"url", "http://x/?q=\"'"},
                                   {"author", "Ö"},
                                   {"year", 2001}});
  auto entry = addReading(blog["id"], a.id);
  auto r = get("/api/users/" + std::to_string(a.id));
  ASSERT_TRUE(isJson(r, 200));
  auto view = nlohmann::ordered_json::parse(r.body);
  auto keys = [](const nlohmann::ordered_json& o) {
    std::vector<std::string> k;
    for (const auto& [key, value] : o.items()) k.push_back(key);
    return k;
  };
  EXPECT_EQ(keys(view), (std::vector<std::string>{"name", "username", "readings"}));
  EXPECT_EQ(view["name"], "Ann \"Quote\" Äijälä");
  ASSERT_EQ(view["readings"].size(), 1u) << r.body;
  const auto& reading = view["readings"][0];
  EXPECT_EQ(keys(reading), (std::vector<std::string>{"id", "url", "title", "author", "likes", "year",
                                                     "readinglists"}));
  EXPECT_EQ(reading["title"], "Tabs\tand \"quotes\" \\ ✓");
  EXPECT_EQ(reading["url"], "http://x/?q=\"'");
  EXPECT_EQ(reading["likes"], 0);
  EXPECT_EQ(reading["year"], 2001);
  ASSERT_EQ(reading["readinglists"].size(), 1u) << r.body;
  EXPECT_EQ(keys(reading["readinglists"][0]), (std::vector<std::string>{"read", "id"}));
  EXPECT_EQ(reading["readinglists"][0]["id"].get<std::int64_t>(),
            entry["id"].get<std::int64_t>());
  EXPECT_EQ(reading["readinglists"][0]["read"], false);
}

TEST_F(httpUsers, UserWithoutReadingsHasAnEmptyList) {
  auto a = signUp("a@example.com", "Alice");
  auto r = get("/api/users/" + std::to_string(a.id));
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ(*r.data,
            (json{{"name", "Alice"}, {"username", "a@example.com"}, {"readings", json::array()}}));
}

TEST_F(httpUsers, ReadQueryFiltersReadings) {
  auto a = signUp("a@example.com", "Alice");
  auto b1 = createBlog(a.token, {{"title", "one"}, {"url", "u1"}});
  auto b2 = createBlog(a.token, {{"title", "two"}, {"url", "u2"}});
  auto b3 = createBlog(a.token, {{"title", "three"}, {"url", "u3"}});
  addReading(b1["id"], a.id);
  auto l2 = addReading(b2["id"], a.id);
  addReading(b3["id"], a.id);
  markRead(l2["id"], true, a.token);

  auto titles = [](const json& view) {
    std::set<std::string> s;
    for (const auto& reading : view.at("readings")) {
      s.insert(reading.at("title").get<std::string>());
      EXPECT_EQ(reading.at("readinglists").size(), 1u) << reading.dump();
    }
    return s;
  };
  EXPECT_EQ(titles(userView(a.id)), (std::set<std::string>{"one", "two", "three"}));
  auto readView = userView(a.id, "?read=true");
  EXPECT_EQ(titles(readView), (std::set<std::string>{"two"}));
  EXPECT_EQ(readView["readings"][0]["readinglists"], readingList(true, l2["id"]));
  auto unreadView = userView(a.id, "?read=false");
  EXPECT_EQ(titles(unreadView), (std::set<std::string>{"one", "three"}));
  for (const auto& reading : unreadView["readings"])
    EXPECT_EQ(reading["readinglists"][0]["read"], false);
  EXPECT_EQ(unreadView["name"], "Alice");
  EXPECT_EQ(unreadView["username"], "a@example.com");
}

TEST_F(httpUsers, ReadQueryOtherThanTrueOrFalseIs400) {
  auto a = signUp("a@example.com", "Alice");
  const std::string base = "/api/users/" + std::to_string(a.id);
  EXPECT_TRUE(isErrorNaming(get(base + "?read=maybe"), 400, "read"));
  EXPECT_TRUE(isErrorNaming(get(base + "?read=1"), 400, "read"));
}

TEST_F(httpUsers, UnknownOrNonNumericIds) {
  auto a = signUp("a@example.com", "Alice");
  EXPECT_TRUE(isError(get("/api/users/" + std::to_string(a.id + 1000)), 404, "user not found"));
  EXPECT_TRUE(isErrorNaming(get("/api/users/abc"), 400, "id must be a positive integer"));
  EXPECT_TRUE(isErrorNaming(get("/api/users/0"), 400, "id must be a positive integer"));
  EXPECT_TRUE(isErrorNaming(get("/api/users/-1"), 400, "id must be a positive integer"));
  EXPECT_TRUE(isErrorNaming(get("/api/users/1.5"), 400, "id must be a positive integer"));
  // Beyond any integer column: not found or not an id, but never a server error.
  auto r = get("/api/users/99999999999999999999999");
  EXPECT_TRUE(isError(r, 404, "user not found") ||
              isErrorNaming(r, 400, "id must be a positive integer"))
      << r.describe();
}

}  // namespace
}  // namespace bloglist::http_test
