// Seed 002 (a many-to-many lesson: a Medium clone's reading list, an
// Instagram clone's followers/following), translated: every association the
// lesson defines and every query it describes, with the exact JSON.
//
// The lesson shows its queries as screenshots; the text says what each does:
//   userAndArticle   — every user with the articles they wrote (one-many)
//   getArticleAuthors — every article with its author (one-many, "done for you")
//   getReadingList   — every user with their reading list, the join table's
//                      fields hidden by `through: { attributes: [] }`
//   followers / following — the two self-referencing belongsToMany.

#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;

using junction::test::jsonOf;
using junction::test::withoutTimes;

namespace {



// --------------------------------------------------------- Medium clone

class Seed002Medium : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(),
        DatabaseOptions{.logging = [this](const QueryEvent& e) { log.emplace_back(e.sql); }});
    MediumUser = &db->define("MediumUser", {{"name", STRING.allowNull(false)}},
                             {.tableName = "medium_users"});
    MediumArticle = &db->define("MediumArticle",
                                {{"title", STRING.allowNull(false)},
                                 {"authorId", INTEGER.references("medium_users", "id")}},
                                {.tableName = "medium_articles"});
    // "two foreign keys declared here: userId ... articleId"
    MediumReadingList = &db->define("MediumReadingList",
                                    {{"userId", INTEGER.references("medium_users", "id")},
                                     {"articleId", INTEGER.references("medium_articles", "id")}},
                                    {.tableName = "user_reading_list"});
    // The one-many "done for you": the articles a user wrote, an article's author.
    MediumUser->hasMany(*MediumArticle, {.as = "articles", .foreignKey = "authorId"});
    MediumArticle->belongsTo(*MediumUser, {.as = "author", .foreignKey = "authorId"});
    // MediumUser.belongsToMany(models.MediumArticle, {
    //   as: 'reading_list', through: models.MediumReadingList, foreignKey: 'userId' })
    MediumUser->belongsToMany(
        *MediumArticle,
        {.through = *MediumReadingList, .as = "reading_list", .foreignKey = "userId"});
    // MediumArticle.belongsToMany(models.MediumUser, {
    //   through: models.MediumReadingList, as: 'articles', foreignKey: 'articleId' })
    MediumArticle->belongsToMany(
        *MediumUser, {.through = *MediumReadingList, .as = "articles", .foreignKey = "articleId"});
    db->sync({.force = true});

    auto ann = MediumUser->create({{"name", "Ann"}});
    auto bob = MediumUser->create({{"name", "Bob"}});
    MediumUser->create({{"name", "Cid"}});
    MediumArticle->create({{"title", "Clean React"}, {"authorId", ann["id"]}});
    MediumArticle->create({{"title", "Clean Code"}, {"authorId", ann["id"]}});
    MediumArticle->create({{"title", "Many to many"}, {"authorId", bob["id"]}});
    // Ann saves 3 and 2 (in that order), Bob saves 1; Cid saves nothing.
    MediumReadingList->create({{"userId", 1}, {"articleId", 3}});
    MediumReadingList->create({{"userId", 1}, {"articleId", 2}});
    MediumReadingList->create({{"userId", 2}, {"articleId", 1}});
    log.clear();
  }
  void TearDown() override {
    if (db) db->drop();
  }
  std::unique_ptr<Database> db;
  std::vector<std::string> log;
  Model *MediumUser, *MediumArticle, *MediumReadingList;
};

}  // namespace

TEST_F(Seed002Medium, BelongsToManyOptionsNameTheKeys) {
  const Association& list = MediumUser->association("reading_list");
  EXPECT_EQ(list.type, AssociationType::BelongsToMany);
  EXPECT_EQ(list.through, MediumReadingList);
  EXPECT_EQ(list.foreignKey, "userId");
  EXPECT_EQ(list.otherKey, "articleId") << "the junction's attribute referencing medium_articles";
  const Association& readers = MediumArticle->association("articles");
  EXPECT_EQ(readers.target, MediumUser);
  EXPECT_EQ(readers.foreignKey, "articleId");
  EXPECT_EQ(readers.otherKey, "userId");
  EXPECT_EQ(MediumReadingList->tableName(), "user_reading_list");
  // The alias is what tells the two MediumUser → MediumArticle associations apart.
  EXPECT_EQ(MediumUser->association("articles").type, AssociationType::HasMany);
}

TEST_F(Seed002Medium, UserAndArticleLoadsWhatEachUserWrote) {
  auto users = MediumUser->findAll(
      {.attributes = {"id", "name"},
       .include = {{.model = *MediumArticle, .as = "articles", .attributes = {"id", "title"}}},
       .order = {"id"}});
  EXPECT_EQ(jsonOf(users), Json::parse(R"([
    {"id":1,"name":"Ann","articles":[{"id":1,"title":"Clean React"},{"id":2,"title":"Clean Code"}]},
    {"id":2,"name":"Bob","articles":[{"id":3,"title":"Many to many"}]},
    {"id":3,"name":"Cid","articles":[]}])"));
}

TEST_F(Seed002Medium, GetArticleAuthors) {
  auto articles = MediumArticle->findAll(
      {.attributes = {"id", "title"},
       .include = {{.model = *MediumUser, .as = "author", .attributes = {"name"}}},
       .order = {"id"}});
  EXPECT_EQ(jsonOf(articles), Json::parse(R"([
    {"id":1,"title":"Clean React","author":{"name":"Ann"}},
    {"id":2,"title":"Clean Code","author":{"name":"Ann"}},
    {"id":3,"title":"Many to many","author":{"name":"Bob"}}])"));
  EXPECT_EQ(log.size(), 1u) << "a belongsTo is joined";
}

TEST_F(Seed002Medium, GetReadingListHidesTheJoinTable) {
  // MediumUser.findAll({ include: [{ model: MediumArticle, as: 'reading_list',
  //                                  through: { attributes: [] } }] })
  auto users = MediumUser->findAll({.include = {{.model = *MediumArticle,
                                                 .as = "reading_list",
                                                 .through = {.attributes = none}}},
                                    .order = {"id"}});
  EXPECT_EQ(withoutTimes(jsonOf(users)), Json::parse(R"([
    {"id":1,"name":"Ann","createdAt":"<ts>","updatedAt":"<ts>","reading_list":[
      {"id":2,"title":"Clean Code","authorId":1,"createdAt":"<ts>","updatedAt":"<ts>"},
      {"id":3,"title":"Many to many","authorId":2,"createdAt":"<ts>","updatedAt":"<ts>"}]},
    {"id":2,"name":"Bob","createdAt":"<ts>","updatedAt":"<ts>","reading_list":[
      {"id":1,"title":"Clean React","authorId":1,"createdAt":"<ts>","updatedAt":"<ts>"}]},
    {"id":3,"name":"Cid","createdAt":"<ts>","updatedAt":"<ts>","reading_list":[]}])"))
      << jsonOf(users).dump(2);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1].find("user_reading_list\".\"createdAt"), std::string::npos)
      << "the join table's other fields are not read: " << log[1];
}

TEST_F(Seed002Medium, GetReadingListWithoutThroughReturnsTheJoinRows) {
  // "By default without the through option in the query, the ReadingList model gets returned
  // along with the Article"
  auto ann = MediumUser->findByPk(
      1, {.attributes = {"name"},
          .include = {{.model = *MediumArticle, .as = "reading_list", .attributes = {"title"}}}});
  ASSERT_TRUE(ann);
  EXPECT_EQ(withoutTimes(ann->toJSON()), Json::parse(R"({"name":"Ann","reading_list":[
    {"title":"Clean Code","MediumReadingList":
       {"userId":1,"articleId":2,"createdAt":"<ts>","updatedAt":"<ts>"}},
    {"title":"Many to many","MediumReadingList":
       {"userId":1,"articleId":3,"createdAt":"<ts>","updatedAt":"<ts>"}}]})"))
      << ann->toJSON().dump(2);
}

TEST_F(Seed002Medium, ArticlesReadersThroughTheInverse) {
  // "multiple users have ownership of an article via the join table"
  auto articles = MediumArticle->findAll({.attributes = {"title"},
                                          .include = {{.model = *MediumUser,
                                                       .as = "articles",
                                                       .attributes = {"name"},
                                                       .through = {.attributes = none}}},
                                          .order = {"id"}});
  EXPECT_EQ(jsonOf(articles), Json::parse(R"([
    {"title":"Clean React","articles":[{"name":"Bob"}]},
    {"title":"Clean Code","articles":[{"name":"Ann"}]},
    {"title":"Many to many","articles":[{"name":"Ann"}]}])"));
}

// ------------------------------------------------------- Instagram clone

namespace {

class Seed002Instagram : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(test::databaseUrl());
    User = &db->define("User", {{"username", STRING.allowNull(false).unique()}},
                       {.timestamps = false, .tableName = "users"});
    // The join table, "created for you already".
    UserFollower = &db->define("UserFollower",
                               {{"userId", INTEGER.references("users", "id")},
                                {"followerId", INTEGER.references("users", "id")}},
                               {.timestamps = false, .tableName = "user_followers"});
    // Followers: "We utilize the userId as a foreign key here because this will load the other
    // users via followerId."
    User->belongsToMany(*User,
                        {.through = *UserFollower, .as = "followers", .foreignKey = "userId"});
    // Following: "By utilizing the followerId here, we can query the data in reverse".
    User->belongsToMany(*User,
                        {.through = *UserFollower, .as = "following", .foreignKey = "followerId"});
    db->sync({.force = true});
    for (const char* name : {"ann", "bob", "cid", "dan"}) User->create({{"username", name}});
    // bob and cid follow ann; ann follows cid; dan follows nobody and nobody follows dan.
    UserFollower->bulkCreate({{{"userId", 1}, {"followerId", 2}},
                              {{"userId", 1}, {"followerId", 3}},
                              {{"userId", 3}, {"followerId", 1}}});
  }
  void TearDown() override {
    if (db) db->drop();
  }
  std::unique_ptr<Database> db;
  Model *User, *UserFollower;
};

}  // namespace

TEST_F(Seed002Instagram, TwoSelfReferencingAssociations) {
  const Association& followers = User->association("followers");
  EXPECT_EQ(followers.source, User);
  EXPECT_EQ(followers.target, User);
  EXPECT_EQ(followers.foreignKey, "userId");
  EXPECT_EQ(followers.otherKey, "followerId");
  const Association& following = User->association("following");
  EXPECT_EQ(following.foreignKey, "followerId");
  EXPECT_EQ(following.otherKey, "userId");
  // A self-reference without keys would put "userId" on both sides.
  EXPECT_THROW(User->belongsToMany(*User, {.through = "Self", .as = "selves"}), AssociationError);
}

TEST_F(Seed002Instagram, UsersWithFollowersAndFollowing) {
  auto users = User->findAll(
      {.include = {{.as = "followers", .attributes = {"username"}, .through = {.attributes = none}},
                   {.as = "following",
                    .attributes = {"username"},
                    .through = {.attributes = none}}},
       .order = {"id"}});
  EXPECT_EQ(jsonOf(users), Json::parse(R"([
    {"id":1,"username":"ann","followers":[{"username":"bob"},{"username":"cid"}],
                             "following":[{"username":"cid"}]},
    {"id":2,"username":"bob","followers":[],"following":[{"username":"ann"}]},
    {"id":3,"username":"cid","followers":[{"username":"ann"}],"following":[{"username":"ann"}]},
    {"id":4,"username":"dan","followers":[],"following":[]}])"))
      << jsonOf(users).dump(2);
}

TEST_F(Seed002Instagram, FollowHelpersAndTheJoinRow) {
  auto dan = *User->findByPk(4);
  dan.association("following").add(std::vector<Value>{1, 2});  // dan follows ann and bob
  EXPECT_TRUE(User->findByPk(2)->association("followers").has(dan));
  EXPECT_EQ(User->findByPk(1)->association("followers").count(), 3);
  auto followed = dan.association("following").get({.attributes = {"username"}});
  EXPECT_EQ(jsonOf(followed), Json::parse(R"([
    {"username":"ann","UserFollower":{"userId":1,"followerId":4}},
    {"username":"bob","UserFollower":{"userId":2,"followerId":4}}])"));
  dan.association("following").remove(Value(1));
  EXPECT_EQ(User->findByPk(1)->association("followers").count(), 2);
}
