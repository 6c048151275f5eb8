// GET /api/authors: [{author, articles, likes}], likes descending.
#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using httpAuthors = BloglistTest;

TEST_F(httpAuthors, GroupsBlogsByAuthorWithIntegerCountsOrderedByLikes) {
  auto a = signUp("a@example.com", "Alice");
  auto b = signUp("b@example.com", "Bob");
  createBlog(a.token, {{"title", "t1"}, {"url", "u"}, {"author", "Robert C. Martin"}, {"likes", 1}});
  createBlog(b.token, {{"title", "t2"}, {"url", "u"}, {"author", "Dan Abramov"}, {"likes", 10}});
  createBlog(a.token, {{"title", "t3"}, {"url", "u"}, {"author", "Martin Fowler"}, {"likes", 7}});
  createBlog(a.token, {{"title", "t4"}, {"url", "u"}, {"author", "Robert C. Martin"}, {"likes", 2}});
  createBlog(b.token, {{"title", "t5"}, {"url", "u"}, {"author", "Dan Abramov"}, {"likes", 5}});
  auto last = createBlog(b.token, {{"title", "t6"}, {"url", "u"}, {"author", "Robert C. Martin"}, {"likes", 0}});
  // Likes changed after creation count too.
  ASSERT_EQ(put("/api/blogs/" + std::to_string(last["id"].get<long long>()), {{"likes", 3}}).status, 200);

  auto r = get("/api/authors");
  ASSERT_TRUE(isJson(r, 200));
  const json expected = json::array({
      json{{"author", "Dan Abramov"}, {"articles", 2}, {"likes", 15}},
      json{{"author", "Martin Fowler"}, {"articles", 1}, {"likes", 7}},
      json{{"author", "Robert C. Martin"}, {"articles", 3}, {"likes", 6}},
  });
  EXPECT_EQ(*r.data, expected) << "got " << r.body;
  ASSERT_TRUE(r.data->is_array());
  for (const auto& row : *r.data) {
    EXPECT_TRUE(row.value("articles", json()).is_number_integer())
        << "articles must be a JSON integer, not a string: " << row.dump();
    EXPECT_TRUE(row.value("likes", json()).is_number_integer())
        << "likes must be a JSON integer, not a string: " << row.dump();
  }
}

TEST_F(httpAuthors, FollowsDeletes) {
  auto a = signUp("a@example.com", "Alice");
  createBlog(a.token, {{"title", "t1"}, {"url", "u"}, {"author", "Kept"}, {"likes", 1}});
  auto gone = createBlog(a.token, {{"title", "t2"}, {"url", "u"}, {"author", "Gone"}, {"likes", 9}});
  ASSERT_TRUE(isNoContent(del("/api/blogs/" + std::to_string(gone["id"].get<long long>()), a.token)));
  auto r = get("/api/authors");
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ(*r.data, json::array({json{{"author", "Kept"}, {"articles", 1}, {"likes", 1}}}));
}

}  // namespace
}  // namespace bloglist::http_test
