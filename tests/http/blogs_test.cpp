// /api/blogs: list and search, create (login, validation, ownership), likes, delete.
#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using httpBlogs = BloglistTest;

const std::set<std::string> kBlogKeys{"id",   "author",    "url",       "title", "likes",
                                      "year", "createdAt", "updatedAt", "user"};

json owner(const Account& a) {
  return json{{"id", a.id}, {"username", a.username}, {"name", a.user.at("name")}};
}

std::vector<std::string> titles(const json& blogs) {
  std::vector<std::string> out;
  for (const auto& b : blogs) out.push_back(b.at("title").get<std::string>());
  return out;
}

TEST_F(httpBlogs, ListIsOrderedByLikesDescendingThenIdWithEachBlogsUser) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  createBlog(a.token, {{"title", "five-first"}, {"url", "u1"}, {"likes", 5}});
  createBlog(b.token, {{"title", "ten"}, {"url", "u2"}, {"likes", 10}, {"author", "Bo"}});
  createBlog(a.token, {{"title", "zero"}, {"url", "u3"}});
  createBlog(b.token, {{"title", "five-second"}, {"url", "u4"}, {"likes", 5}, {"year", 2001}});

  auto r = get("/api/blogs");
  ASSERT_TRUE(isJson(r, 200));
  ASSERT_TRUE(r.data->is_array());
  EXPECT_EQ(titles(*r.data),
            (std::vector<std::string>{"ten", "five-first", "five-second", "zero"}));
  for (const auto& blog : *r.data) {
    EXPECT_EQ(keysOf(blog), kBlogKeys) << blog.dump();
    EXPECT_TRUE(blog["id"].is_number_integer()) << blog.dump();
    EXPECT_TRUE(blog["likes"].is_number_integer()) << blog.dump();
    EXPECT_TRUE(blog["createdAt"].is_string()) << blog.dump();
    EXPECT_TRUE(blog["updatedAt"].is_string()) << blog.dump();
  }
  const json& ten = (*r.data)[0];
  EXPECT_EQ(ten["user"], owner(b));
  EXPECT_EQ(ten["author"], "Bo");
  EXPECT_EQ(ten["url"], "u2");
  EXPECT_EQ(ten["likes"], 10);
  EXPECT_EQ(ten["year"], nullptr);
  EXPECT_EQ((*r.data)[1]["user"], owner(a));
  EXPECT_EQ((*r.data)[2]["year"], 2001);
  EXPECT_EQ((*r.data)[3]["likes"], 0) << "likes default to 0";
  EXPECT_EQ((*r.data)[3]["author"], nullptr) << "an author not given is null";
}

TEST_F(httpBlogs, SearchMatchesTitleOrAuthorCaseInsensitively) {
  auto a = signUp("a@example.com", "Alice");
  createBlog(a.token, {{"title", "React patterns"}, {"author", "Michael Chan"}, {"url", "u1"}, {"likes", 7}});
  createBlog(a.token, {{"title", "Go To Statement Considered Harmful"},
                       {"author", "Edsger W. Dijkstra"}, {"url", "u2"}, {"likes", 5}});
  createBlog(a.token, {{"title", "Canonical string reduction"},
                       {"author", "Edsger W. Dijkstra"}, {"url", "u3"}, {"likes", 12}});
  createBlog(a.token, {{"title", "Type wars"}, {"author", "ReActive Bob"}, {"url", "u4"}, {"likes", 2}});
  createBlog(a.token, {{"title", "USING REACT HOOKS"}, {"author", "Dan"}, {"url", "u5"}, {"likes", 9}});
  createBlog(a.token, {{"title", "Unrelated"}, {"url", "u6"}});

  auto search = [&](const std::string& s) {
    auto r = get("/api/blogs?search=" + urlEncode(s));
    EXPECT_TRUE(isJson(r, 200)) << s;
    if (r.data && r.data->is_array()) {
      for (const auto& blog : *r.data) EXPECT_TRUE(blog.contains("user")) << blog.dump();
      return titles(*r.data);
    }
    return std::vector<std::string>{};
  };
  // Title matches and author matches, ordered by likes.
  EXPECT_EQ(search("react"),
            (std::vector<std::string>{"USING REACT HOOKS", "React patterns", "Type wars"}));
  EXPECT_EQ(search("REACT"), search("react"));
  EXPECT_EQ(search("dIJKSTRA"),
            (std::vector<std::string>{"Canonical string reduction", "Go To Statement Considered Harmful"}));
  EXPECT_EQ(search("considered harm"),
            (std::vector<std::string>{"Go To Statement Considered Harmful"}));
  EXPECT_EQ(search("no such thing"), std::vector<std::string>{});
  EXPECT_EQ(search("").size(), 6u) << "an empty search lists everything";
}

// "matches title or author": % and _ are characters to look for, not wildcards.
TEST_F(httpBlogs, SearchTreatsPercentAndUnderscoreAsCharacters) {
  auto a = signUp("a@example.com", "Alice");
  createBlog(a.token, {{"title", "100% sure"}, {"url", "u1"}, {"likes", 3}});
  createBlog(a.token, {{"title", "snake_case rules"}, {"url", "u2"}, {"likes", 2}});
  createBlog(a.token, {{"title", "1000 ways"}, {"author", "plain"}, {"url", "u3"}, {"likes", 1}});
  auto search = [&](const std::string& s) { return titles(listBlogs("?search=" + urlEncode(s))); };
  EXPECT_EQ(search("%"), (std::vector<std::string>{"100% sure"}));
  EXPECT_EQ(search("100%"), (std::vector<std::string>{"100% sure"}));
  EXPECT_EQ(search("_"), (std::vector<std::string>{"snake_case rules"}));
  EXPECT_EQ(search("e_c"), (std::vector<std::string>{"snake_case rules"}));
  EXPECT_EQ(search("s%r"), std::vector<std::string>{});
}

TEST_F(httpBlogs, CreateRequiresALogin) {
  auto a = signUp("a@example.com", "Alice");
  const json blog = {{"title", "t"}, {"url", "u"}};
  EXPECT_TRUE(isError(post("/api/blogs", blog), 401, "token missing"));
  EXPECT_TRUE(isError(post("/api/blogs", blog, "not-a-jwt"), 401, "token invalid"));
  EXPECT_TRUE(isError(post("/api/blogs", blog, "abc.def.ghi"), 401, "token invalid"));
  EXPECT_TRUE(isError(post("/api/blogs", blog, tamper(a.token)), 401, "token invalid"));
  EXPECT_EQ(listBlogs(), json::array()) << "a refused request created a blog";
}

TEST_F(httpBlogs, BearerSchemeIsMatchedCaseInsensitively) {
  auto a = signUp("a@example.com", "Alice");
  auto r = send("POST", "/api/blogs", json{{"title", "lower"}, {"url", "u"}}.dump(),
                "bearer " + a.token);
  EXPECT_TRUE(isJson(r, 201));
  r = send("POST", "/api/blogs", json{{"title", "upper"}, {"url", "u"}}.dump(), "BEARER " + a.token);
  EXPECT_TRUE(isJson(r, 201));
  EXPECT_EQ(listBlogs().size(), 2u);
}

TEST_F(httpBlogs, TheCallerBecomesTheOwner) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  // A body naming someone else is ignored: the token decides.
  auto r = post("/api/blogs",
                {{"title", "mine"}, {"url", "http://mine"}, {"author", "Me"}, {"userId", b.id},
                 {"user", b.id}},
                a.token);
  ASSERT_TRUE(isJson(r, 201));
  const json& created = *r.data;
  EXPECT_TRUE(created["id"].is_number_integer()) << r.body;
  EXPECT_EQ(created["title"], "mine");
  EXPECT_EQ(created["url"], "http://mine");
  EXPECT_EQ(created["author"], "Me");
  EXPECT_EQ(created["likes"], 0);
  EXPECT_EQ(created["year"], nullptr);
  if (created.contains("user")) {
    EXPECT_EQ(created["user"], owner(a)) << r.body;
  }
  if (created.contains("userId")) {
    EXPECT_EQ(created["userId"], a.id) << r.body;
  }

  auto blogs = listBlogs();
  ASSERT_EQ(blogs.size(), 1u);
  EXPECT_EQ(blogs[0]["id"], created["id"]);
  EXPECT_EQ(blogs[0]["user"], owner(a));
}

TEST_F(httpBlogs, TitleAndUrlAreRequired) {
  auto a = signUp("a@example.com", "Alice");
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", {{"url", "u"}, {"author", "x"}}, a.token), 400, "title"));
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", {{"title", "t"}, {"author", "x"}}, a.token), 400, "url"));
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", {{"title", nullptr}, {"url", "u"}}, a.token), 400, "title"));
  EXPECT_EQ(post("/api/blogs", json::object(), a.token).status, 400);
  EXPECT_EQ(listBlogs(), json::array());
}

TEST_F(httpBlogs, YearIsFrom1991ToTheCurrentYear) {
  auto a = signUp("a@example.com", "Alice");
  const int now = currentYear();
  auto blog = [](const json& year) { return json{{"title", "t"}, {"url", "u"}, {"year", year}}; };
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", blog(1990), a.token), 400, "year"));
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", blog(now + 1), a.token), 400, "year"));
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", blog("abc"), a.token), 400, "year"));
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", blog(2000.5), a.token), 400, "year"));
  EXPECT_EQ(listBlogs(), json::array()) << "a refused year created a blog";

  auto r = post("/api/blogs", blog(1991), a.token);
  ASSERT_TRUE(isJson(r, 201));
  EXPECT_EQ((*r.data)["year"], 1991);
  r = post("/api/blogs", blog(now), a.token);
  ASSERT_TRUE(isJson(r, 201));
  EXPECT_EQ((*r.data)["year"], now);
  EXPECT_EQ(listBlogs().size(), 2u);
}

TEST_F(httpBlogs, LikesOfTheWrongTypeAre400) {
  auto a = signUp("a@example.com", "Alice");
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", {{"title", "t"}, {"url", "u"}, {"likes", "many"}}, a.token),
                            400, "likes"));
  EXPECT_TRUE(isErrorNaming(post("/api/blogs", {{"title", 5}, {"url", "u"}}, a.token), 400, "title"));
  EXPECT_EQ(listBlogs(), json::array());
}

TEST_F(httpBlogs, PutLikesAnswersTheBlogWithItsUser) {
  auto a = signUp("a@example.com", "Alice");
  auto blog = createBlog(a.token, {{"title", "t"}, {"url", "u"}, {"author", "x"}, {"likes", 3}});
  const std::string path = "/api/blogs/" + std::to_string(blog["id"].get<long long>());
  // No login needed.
  auto r = put(path, {{"likes", 4}});
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ(keysOf(*r.data), kBlogKeys) << r.body;
  EXPECT_EQ((*r.data)["id"], blog["id"]);
  EXPECT_EQ((*r.data)["likes"], 4);
  EXPECT_EQ((*r.data)["title"], "t");
  EXPECT_EQ((*r.data)["user"], owner(a));
  EXPECT_EQ(listBlogs()[0]["likes"], 4) << "the new likes were not stored";
  r = put(path, {{"likes", 0}});
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ((*r.data)["likes"], 0);
}

// blogService.update(id, {...blog, likes: blog.likes + 1, user: blog.user.id})
// as the part 5 frontend does it, with its token header.
TEST_F(httpBlogs, PutWithTheWholeBlogAsThePart5FrontendSendsIt) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  createBlog(a.token, {{"title", "React patterns"}, {"url", "https://reactpatterns.com/"},
                       {"author", "Michael Chan"}, {"likes", 7}});
  json blog = listBlogs()[0];
  const std::string path = "/api/blogs/" + std::to_string(blog["id"].get<long long>());

  json update = blog;
  update["likes"] = blog["likes"].get<int>() + 1;
  update["user"] = blog["user"]["id"];
  auto r = put(path, update, b.token);
  ASSERT_TRUE(isJson(r, 200));
  json expected = blog;
  expected["likes"] = 8;
  expected["updatedAt"] = (*r.data).value("updatedAt", json());
  EXPECT_EQ(*r.data, expected) << "got " << r.body << "\nexpected " << expected.dump();

  // Other fields in the body are ignored.
  json hostile = listBlogs()[0];
  hostile["likes"] = 9;
  hostile["title"] = "changed";
  hostile["url"] = "http://changed";
  hostile["author"] = "Someone Else";
  hostile["user"] = json{{"id", b.id}, {"username", b.username}, {"name", "Bob"}};
  hostile["userId"] = b.id;
  hostile["id"] = blog["id"].get<long long>() + 100;
  r = put(path, hostile);
  ASSERT_TRUE(isJson(r, 200));
  auto stored = listBlogs();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["id"], blog["id"]);
  EXPECT_EQ(stored[0]["likes"], 9);
  EXPECT_EQ(stored[0]["title"], "React patterns");
  EXPECT_EQ(stored[0]["url"], "https://reactpatterns.com/");
  EXPECT_EQ(stored[0]["author"], "Michael Chan");
  EXPECT_EQ(stored[0]["user"], owner(a));
}

TEST_F(httpBlogs, PutNeedsANonNegativeIntegerLikesAndAnExistingBlog) {
  auto a = signUp("a@example.com", "Alice");
  auto blog = createBlog(a.token, {{"title", "t"}, {"url", "u"}, {"likes", 3}});
  const long long id = blog["id"].get<long long>();
  const std::string path = "/api/blogs/" + std::to_string(id);
  EXPECT_TRUE(isErrorNaming(put(path, json::object()), 400, "likes"));
  EXPECT_TRUE(isErrorNaming(put(path, {{"likes", "many"}}), 400, "likes"));
  EXPECT_TRUE(isErrorNaming(put(path, {{"likes", -1}}), 400, "likes"));
  EXPECT_TRUE(isErrorNaming(put(path, {{"likes", 1.5}}), 400, "likes"));
  EXPECT_TRUE(isErrorNaming(put(path, {{"likes", nullptr}}), 400, "likes"));
  EXPECT_TRUE(isError(put("/api/blogs/" + std::to_string(id + 1000), {{"likes", 1}}), 404,
                      "blog not found"));
  EXPECT_TRUE(isErrorNaming(put("/api/blogs/abc", {{"likes", 1}}), 400, "id must be a positive integer"));
  EXPECT_EQ(listBlogs()[0]["likes"], 3) << "a refused update changed the blog";
}

TEST_F(httpBlogs, DeleteOnlyByTheOwner) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  auto blog = createBlog(a.token, {{"title", "t"}, {"url", "u"}});
  const long long id = blog["id"].get<long long>();
  const std::string path = "/api/blogs/" + std::to_string(id);

  EXPECT_TRUE(isError(del(path), 401, "token missing"));
  EXPECT_TRUE(isError(del(path, tamper(a.token)), 401, "token invalid"));
  auto r = del(path, b.token);
  EXPECT_TRUE(isJson(r, 403)) << "another user's blog";
  EXPECT_TRUE(r.data && r.data->contains("error")) << r.describe();
  EXPECT_EQ(listBlogs().size(), 1u) << "a refused delete removed the blog";

  EXPECT_TRUE(isError(del("/api/blogs/" + std::to_string(id + 1000), a.token), 404, "blog not found"));
  EXPECT_TRUE(isErrorNaming(del("/api/blogs/abc", a.token), 400, "id must be a positive integer"));

  EXPECT_TRUE(isNoContent(del(path, a.token)));
  EXPECT_EQ(listBlogs(), json::array());
  EXPECT_TRUE(isError(del(path, a.token), 404, "blog not found")) << "deleting twice";
}

TEST_F(httpBlogs, DeletingABlogOnSomeonesReadingListWorks) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  auto blog = createBlog(a.token, {{"title", "t"}, {"url", "u"}});
  addReading(blog["id"], b.id);
  EXPECT_TRUE(isNoContent(del("/api/blogs/" + std::to_string(blog["id"].get<long long>()), a.token)));
  EXPECT_EQ(listBlogs(), json::array());
  EXPECT_EQ(userView(b.id)["readings"], json::array());
}

}  // namespace
}  // namespace bloglist::http_test
