// /api/readinglists: adding a blog to a list (13.20), marking it read (13.22).
#include "fixture.hpp"

namespace bloglist::http_test {
namespace {

using httpReadingLists = BloglistTest;

const std::set<std::string> kEntryKeys{"id", "read", "blogId", "userId"};

class httpReadingListsData : public BloglistTest {
 protected:
  void SetUp() override {
    BloglistTest::SetUp();
    a = signUp("a@example.com", "Alice");
    b = signUp("b@example.com", "Bob");
    blog = createBlog(b.token, {{"title", "Clean React"}, {"url", "https://google.com"}});
    blogId = blog.at("id").get<long long>();
  }
  Account a, b;
  json blog;
  long long blogId = 0;
};

TEST_F(httpReadingListsData, AddAnswers201WithReadFalse) {
  auto r = post("/api/readinglists", {{"blogId", blogId}, {"userId", a.id}});
  ASSERT_TRUE(isJson(r, 201));
  EXPECT_EQ(keysOf(*r.data), kEntryKeys) << r.body;
  EXPECT_TRUE((*r.data)["id"].is_number_integer()) << r.body;
  EXPECT_EQ(*r.data,
            (json{{"id", (*r.data)["id"]}, {"read", false}, {"blogId", blogId}, {"userId", a.id}}));
  auto view = userView(a.id);
  ASSERT_EQ(view["readings"].size(), 1u) << view.dump();
  EXPECT_EQ(view["readings"][0]["id"], blogId);
}

TEST_F(httpReadingListsData, AddWithTheOwnersTokenWorksAndAnotherUsersTokenIs403) {
  auto r = post("/api/readinglists", {{"blogId", blogId}, {"userId", a.id}}, b.token);
  EXPECT_TRUE(isJson(r, 403)) << "Bob's token adding to Alice's list";
  EXPECT_TRUE(r.data && r.data->contains("error")) << r.describe();
  EXPECT_EQ(userView(a.id)["readings"], json::array()) << "the refused entry was stored";

  r = post("/api/readinglists", {{"blogId", blogId}, {"userId", a.id}}, a.token);
  EXPECT_TRUE(isJson(r, 201));
  // A token sent must be valid.
  r = post("/api/readinglists", {{"blogId", blogId}, {"userId", b.id}}, tamper(b.token));
  EXPECT_TRUE(isError(r, 401, "token invalid"));
}

TEST_F(httpReadingListsData, TheSamePairTwiceIs400) {
  addReading(blogId, a.id);
  auto r = post("/api/readinglists", {{"blogId", blogId}, {"userId", a.id}});
  EXPECT_TRUE(isJson(r, 400));
  EXPECT_TRUE(r.data && r.data->contains("error")) << r.describe();
  EXPECT_EQ(userView(a.id)["readings"].size(), 1u);
  // The same blog on another user's list is fine.
  EXPECT_TRUE(isJson(post("/api/readinglists", {{"blogId", blogId}, {"userId", b.id}}), 201));
}

TEST_F(httpReadingListsData, UnknownBlogOrUserIs404) {
  EXPECT_TRUE(isError(post("/api/readinglists", {{"blogId", blogId + 1000}, {"userId", a.id}}), 404,
                      "blog not found"));
  EXPECT_TRUE(isError(post("/api/readinglists", {{"blogId", blogId}, {"userId", b.id + 1000}}), 404,
                      "user not found"));
}

TEST_F(httpReadingListsData, IdsMustBeIntegers) {
  EXPECT_TRUE(isErrorNaming(post("/api/readinglists", {{"blogId", "abc"}, {"userId", a.id}}), 400, "blogId"));
  EXPECT_TRUE(isErrorNaming(post("/api/readinglists", {{"blogId", 1.5}, {"userId", a.id}}), 400, "blogId"));
  EXPECT_TRUE(isErrorNaming(post("/api/readinglists", {{"blogId", blogId}, {"userId", "me"}}), 400, "userId"));
  EXPECT_TRUE(isErrorNaming(post("/api/readinglists", {{"userId", a.id}}), 400, "blogId"));
  EXPECT_TRUE(isErrorNaming(post("/api/readinglists", {{"blogId", blogId}}), 400, "userId"));
  EXPECT_EQ(userView(a.id)["readings"], json::array());
}

TEST_F(httpReadingListsData, OwnerMarksAnEntryRead) {
  auto entry = addReading(blogId, a.id);
  const std::string path = "/api/readinglists/" + std::to_string(entry["id"].get<long long>());
  auto r = put(path, {{"read", true}}, a.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ(*r.data, (json{{"id", entry["id"]}, {"read", true}, {"blogId", blogId}, {"userId", a.id}}));
  EXPECT_EQ(userView(a.id, "?read=true")["readings"].size(), 1u);
  r = put(path, {{"read", false}}, a.token);
  ASSERT_TRUE(isJson(r, 200));
  EXPECT_EQ((*r.data)["read"], false);
  EXPECT_EQ(userView(a.id, "?read=false")["readings"].size(), 1u);
}

TEST_F(httpReadingListsData, MarkingIsOnlyForTheOwnerWithABoolean) {
  auto entry = addReading(blogId, a.id);
  const std::string path = "/api/readinglists/" + std::to_string(entry["id"].get<long long>());
  EXPECT_TRUE(isError(put(path, {{"read", true}}), 401, "token missing"));
  EXPECT_TRUE(isError(put(path, {{"read", true}}, tamper(a.token)), 401, "token invalid"));
  auto r = put(path, {{"read", true}}, b.token);
  EXPECT_TRUE(isJson(r, 403)) << "Bob marking Alice's entry";
  EXPECT_TRUE(r.data && r.data->contains("error")) << r.describe();
  EXPECT_TRUE(isErrorNaming(put(path, {{"read", "yes"}}, a.token), 400, "read"));
  EXPECT_TRUE(isErrorNaming(put(path, {{"read", 1}}, a.token), 400, "read"));
  EXPECT_TRUE(isErrorNaming(put(path, json::object(), a.token), 400, "read"));
  EXPECT_TRUE(isError(put("/api/readinglists/" + std::to_string(entry["id"].get<long long>() + 1000),
                          {{"read", true}}, a.token),
                      404, "reading list entry not found"));
  EXPECT_TRUE(isErrorNaming(put("/api/readinglists/abc", {{"read", true}}, a.token), 400, "id must be a positive integer"));
  EXPECT_EQ(userView(a.id, "?read=true")["readings"], json::array()) << "a refused PUT marked it read";
}

TEST_F(httpReadingLists, AfterLogoutTheEntryCannotBeMarked) {
  auto a = signUp("a@example.com", "Alice");
  auto blog = createBlog(a.token, {{"title", "t"}, {"url", "u"}});
  auto entry = addReading(blog["id"], a.id, a.token);
  ASSERT_TRUE(isNoContent(del("/api/logout", a.token)));
  EXPECT_TRUE(isError(put("/api/readinglists/" + std::to_string(entry["id"].get<long long>()),
                          {{"read", true}}, a.token),
                      401, "session expired"));
}

}  // namespace
}  // namespace bloglist::http_test
