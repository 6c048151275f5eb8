// Bad input: malformed JSON, bodies that are not objects, oversized bodies,
// strings that look like SQL. Each gets a clear answer and changes nothing.
#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using httpInput = BloglistTest;

TEST_F(httpInput, MalformedJsonIs400AndChangesNothing) {
  auto a = signUp("a@example.com", "Alice");
  const std::string auth = "Bearer " + a.token;
  for (const std::string body : {"{\"title\": \"t\", \"url\": ", "{title: 't', url: 'u'}", "{\"title\":\"t\",}",
                                 "not json at all"}) {
    auto r = send("POST", "/api/blogs", body, auth);
    EXPECT_TRUE(isJson(r, 400)) << body;
    EXPECT_TRUE(r.data && r.data->is_object() && r.data->contains("error")) << r.describe();
  }
  EXPECT_TRUE(isJson(send("POST", "/api/users", std::string("{\"username\": \"b@example.com\", "), ""), 400));
  EXPECT_TRUE(isJson(send("POST", "/api/login", std::string("{\"username\""), ""), 400));
  EXPECT_TRUE(isJson(send("PUT", "/api/blogs/1", std::string("{\"likes\": 5"), ""), 400));
  EXPECT_TRUE(isJson(send("POST", "/api/readinglists", std::string("{]"), ""), 400));
  EXPECT_EQ(listBlogs(), json::array());
  EXPECT_EQ(listUsers().size(), 1u);
}

TEST_F(httpInput, ABodyThatIsNotAnObjectIs400) {
  auto a = signUp("a@example.com", "Alice");
  auto blog = createBlog(a.token, {{"title", "t"}, {"url", "u"}, {"likes", 1}});
  const std::string blogPath = "/api/blogs/" + std::to_string(blog["id"].get<long long>());
  for (const std::string body : {"[1,2]", "\"a string\"", "42", "null", "true"}) {
    EXPECT_TRUE(isJson(send("POST", "/api/blogs", body, "Bearer " + a.token), 400)) << body;
    EXPECT_TRUE(isJson(send("POST", "/api/users", body), 400)) << body;
    EXPECT_TRUE(isJson(send("POST", "/api/login", body), 400)) << body;
    EXPECT_TRUE(isJson(send("PUT", blogPath, body), 400)) << body;
    EXPECT_TRUE(isJson(send("POST", "/api/readinglists", body), 400)) << body;
  }
  auto blogs = listBlogs();
  ASSERT_EQ(blogs.size(), 1u);
  EXPECT_EQ(blogs[0]["likes"], 1);
  EXPECT_EQ(listUsers().size(), 1u);
}

// JSON may carry any amount of whitespace: the limit is on the body's bytes,
// whatever the columns would take.
std::string paddedBlog(std::size_t size) {
  std::string body = json{{"title", "padded"}, {"url", "http://big"}}.dump();
  body.insert(1, size - body.size(), ' ');
  return body;
}

std::string rawPost(const std::string& path, const std::string& token, const std::string& body) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token +
         "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

TEST_F(httpInput, ABodyOverOneMebibyteIs413AndChangesNothing) {
  auto a = signUp("a@example.com", "Alice");
  auto r = rawRequest(port(), rawPost("/api/blogs", a.token, paddedBlog(1024 * 1024 + 1)));
  EXPECT_TRUE(isJson(r, 413)) << "a body of 1 MiB + 1 byte";
  EXPECT_TRUE(r.data && r.data->is_object() && r.data->contains("error")) << r.describe();
  r = rawRequest(port(), rawPost("/api/blogs", a.token, paddedBlog(3 * 1024 * 1024)));
  EXPECT_TRUE(isJson(r, 413)) << "a body of 3 MiB";
  EXPECT_EQ(listBlogs(), json::array()) << "an oversized blog was stored";
  EXPECT_TRUE(server().running()) << "the server died on a large body";

  // Exactly the limit is accepted.
  r = rawRequest(port(), rawPost("/api/blogs", a.token, paddedBlog(1024 * 1024)));
  EXPECT_TRUE(isJson(r, 201)) << "a body of exactly 1 MiB";
  EXPECT_EQ(listBlogs().size(), 1u);
}

// The same limit for a body sent with Transfer-Encoding: chunked (no
// Content-Length to check up front).
TEST_F(httpInput, AChunkedBodyOverTheLimitIs413Too) {
  auto a = signUp("a@example.com", "Alice");
  const std::string body = paddedBlog(3 * 1024 * 1024 / 2);
  std::string request = "POST /api/blogs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                        a.token +
                        "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        "Connection: close\r\n\r\n";
  static const char* hex = "0123456789abcdef";
  for (std::size_t at = 0; at < body.size(); at += 65536) {
    std::string piece = body.substr(at, 65536);
    std::string size;
    for (std::size_t n = piece.size(); n; n >>= 4) size.insert(size.begin(), hex[n & 15]);
    request += size + "\r\n" + piece + "\r\n";
  }
  request += "0\r\n\r\n";
  auto r = rawRequest(port(), request);
  EXPECT_TRUE(isJson(r, 413)) << "a chunked body of " << body.size() << " bytes";
  EXPECT_EQ(listBlogs(), json::array()) << "the oversized chunked blog was stored";
  EXPECT_TRUE(server().running());
}

class httpBodyLimit : public BloglistTest {
 protected:
  ServerConfig config() const override {
    ServerConfig c;
    c.env = {{"BODY_LIMIT", "2000"}};
    return c;
  }
};

TEST_F(httpBodyLimit, BodyLimitSetsTheLargestBody) {
  auto a = signUp("a@example.com", "Alice");
  auto r = rawRequest(port(), rawPost("/api/blogs", a.token, paddedBlog(2001)));
  EXPECT_TRUE(isJson(r, 413)) << "2001 bytes with BODY_LIMIT=2000";
  r = rawRequest(port(), rawPost("/api/blogs", a.token, paddedBlog(2000)));
  EXPECT_TRUE(isJson(r, 201)) << "2000 bytes with BODY_LIMIT=2000";
  EXPECT_EQ(listBlogs().size(), 1u);
}

TEST_F(httpInput, StringsThatLookLikeSqlAreStoredVerbatim) {
  const std::string drop = "'); DROP TABLE blogs; --";
  const std::string name = "Robert'); DROP TABLE users; --";
  const std::string tricky = "\" OR 1=1 -- ; SELECT * FROM sessions; \\ % _ \xC3\xA4 \xF0\x9F\x98\x80";
  auto a = signUp("bobby@tables.com", name);
  auto blog = createBlog(a.token, {{"title", drop}, {"url", tricky}, {"author", "x' OR '1'='1"}});
  EXPECT_EQ(blog["title"], drop);
  EXPECT_EQ(blog["url"], tricky);
  EXPECT_EQ(blog["author"], "x' OR '1'='1");

  auto blogs = listBlogs();
  ASSERT_EQ(blogs.size(), 1u);
  EXPECT_EQ(blogs[0]["title"], drop);
  EXPECT_EQ(blogs[0]["url"], tricky);
  EXPECT_EQ(blogs[0]["user"]["name"], name);
  EXPECT_EQ(userView(a.id)["name"], name);

  // In a query string too.
  auto found = listBlogs("?search=" + urlEncode(drop));
  ASSERT_EQ(found.size(), 1u) << found.dump();
  EXPECT_EQ(found[0]["title"], drop);
  EXPECT_EQ(listBlogs("?search=" + urlEncode("' OR ''='")).size(), 0u);
  EXPECT_EQ(listBlogs("?search=" + urlEncode("x' OR '1")).size(), 1u) << "matches the author verbatim";
  EXPECT_EQ(listBlogs("?search=" + urlEncode("');")).size(), 1u);

  // Every table is intact.
  auto authors = get("/api/authors");
  ASSERT_TRUE(isJson(authors, 200));
  EXPECT_EQ(*authors.data, json::array({json{{"author", "x' OR '1'='1"}, {"articles", 1}, {"likes", 0}}}));
  EXPECT_EQ(listUsers().size(), 1u);
  createUser("second@example.com", "Second");
  EXPECT_EQ(listUsers().size(), 2u);
  createBlog(login("second@example.com"), {{"title", "after"}, {"url", "u"}});
  EXPECT_EQ(listBlogs().size(), 2u);
  addReading(blog["id"], a.id);
  EXPECT_EQ(userView(a.id)["readings"].size(), 1u);
}

using httpHostile = BloglistTest;

// The issue's black-box findings (#15), each a 4xx with a JSON error on both
// engines, and nothing written.
TEST_F(httpHostile, NumbersThatOverflowAre400) {
  auto a = signUp("a@example.com", "Alice");
  const std::string auth = "Bearer " + a.token;
  for (const std::string body : {R"({"title":"t","url":"u","likes":1e309})",
                                 R"({"title":"t","url":"u","likes":-1e309})",
                                 R"({"title":"t","url":"u","likes":99999999999999999999999})"}) {
    auto r = send("POST", "/api/blogs", body, auth);
    EXPECT_TRUE(isJson(r, 400)) << body << " " << r.describe();
  }
  // In range for JSON, out of range for the INTEGER column: names the field.
  EXPECT_TRUE(isErrorNaming(send("POST", "/api/blogs", std::string(R"({"title":"t","url":"u","likes":2147483648})"), auth),
                            400, "likes"));
  EXPECT_EQ(listBlogs(), json::array());
}

TEST_F(httpHostile, IdsThatCannotExistAre404) {
  signUp("a@example.com", "Alice");
  for (const std::string id : {"2147483648", "9223372036854775807", "99999999999999999999999"})
    EXPECT_EQ(get("/api/users/" + id).status, 404) << id;
  EXPECT_TRUE(isJson(get("/api/users/2147483648"), 404));
  EXPECT_TRUE(isJson(get("/api/users/%ff"), 400)) << "not a number at all";
  auto b = signUp("b@example.com", "Bob");
  EXPECT_EQ(put("/api/blogs/2147483648", {{"likes", 1}}).status, 404);
  EXPECT_EQ(del("/api/blogs/99999999999999999999", b.token).status, 404);
  // A body field out of range: 400 naming it.
  EXPECT_TRUE(isErrorNaming(post("/api/readinglists", {{"blogId", 2147483648LL}, {"userId", b.id}}, b.token),
                            400, "blogId"));
  EXPECT_TRUE(isErrorNaming(post("/api/readinglists", {{"blogId", 1}, {"userId", -5}}, b.token), 400,
                            "userId"));
}

TEST_F(httpHostile, TextThatIsNotUtf8OrHoldsNulIs400OnBothEngines) {
  auto a = signUp("a@example.com", "Alice");
  createBlog(a.token, {{"title", "React patterns"}, {"url", "u"}});
  for (const std::string q : {"%ff", "%c3%28", "ab%00cd", "%ed%a0%80"}) {
    auto r = get("/api/blogs?search=" + q);
    EXPECT_TRUE(isJson(r, 400)) << q << " " << r.describe();
  }
  // The same text in a body: NUL escaped in JSON, and raw invalid bytes.
  const std::string auth = "Bearer " + a.token;
  auto nul = send("POST", "/api/blogs", std::string(R"({"title":"a\u0000b","url":"u"})"), auth);
  EXPECT_TRUE(isErrorNaming(nul, 400, "title")) << nul.describe();
  auto bytes = send("POST", "/api/blogs", std::string("{\"title\":\"a\xff\",\"url\":\"u\"}"), auth);
  EXPECT_TRUE(isJson(bytes, 400)) << bytes.describe();
  EXPECT_EQ(listBlogs().size(), 1u);
  // Valid UTF-8 of every length still works, in a search and in a body.
  EXPECT_EQ(listBlogs("?search=%C3%A4%F0%9F%98%80").size(), 0u);
  EXPECT_EQ(createBlog(a.token, {{"title", "\xC3\xA4\xF0\x9F\x98\x80"}, {"url", "u"}})["title"],
            "\xC3\xA4\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace bloglist::http_test
