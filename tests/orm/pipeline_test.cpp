// The query pipeline end to end: one parent read with a to-many include
// ordered by an included column (findByPk / findOne), under the joined and
// the select-in strategy, with the statements each dialect gets.
#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

class Pipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(),
        DatabaseOptions{.logging = [this](const QueryEvent& e) { log.emplace_back(e.sql); }});
    User = &db->define("User", {{"name", STRING.allowNull(false)}}, {.timestamps = false});
    Project = &db->define("Project", {{"title", STRING.allowNull(false)}}, {.timestamps = false});
    UserProject = &db->define("UserProject", {{"role", STRING}}, {.timestamps = false});
    User->belongsToMany(*Project,
                        {.through = *UserProject, .as = "projects", .foreignKey = "userId"});
    db->sync({.force = true});
    auto ann = User->create({{"name", "Ann"}});
    User->create({{"name", "Bob"}});
    for (const char* title : {"m", "z", "a"})
      ann.association("projects")
          .add(Project->create({{"title", title}}), {.through = {{"role", "dev"}}});
    log.clear();
  }
  void TearDown() override {
    if (db) db->drop();
  }
  // The golden statement of this engine: PostgreSQL's placeholders are $n.
  static std::string golden(const std::string& sqlite, const std::string& postgres) {
    return test::isPostgres() ? postgres : sqlite;
  }
  std::unique_ptr<Database> db;
  std::vector<std::string> log;
  Model *User, *Project, *UserProject;
};

std::vector<std::string> titles(const Instance& user) {
  std::vector<std::string> out;
  for (const auto& p : user.loadedAssociations().at(0).items)
    out.push_back(p.get<std::string>("title"));
  return out;
}

}  // namespace

// The bug this pipeline fixed: the one-parent subquery bound the order
// without the join and threw "where: unknown table or association".
TEST_F(Pipeline, FindByPkOrdersByAnIncludedColumnWhenJoined) {
  auto ann = User->findByPk(1, {.include = {{.model = *Project,
                                             .as = "projects",
                                             .attributes = {"id", "title"},
                                             .through = {.attributes = none}}},
                                .order = {{col("projects.title"), "ASC"}}});
  ASSERT_TRUE(ann);
  EXPECT_EQ(titles(*ann), (std::vector<std::string>{"a", "m", "z"}));
  ASSERT_EQ(log.size(), 1u) << "an include the order names is joined: one statement";
  const std::string common =
      R"(SELECT "User"."id", "User"."name", "projects"."id" AS "projects.id", )"
      R"("projects"."title" AS "projects.title" FROM (SELECT * FROM "Users" AS "User" )"
      R"(WHERE "User"."id" = {} LIMIT {}) AS "User" )"
      R"(LEFT OUTER JOIN "UserProjects" AS "projects->UserProject" ON )"
      R"("projects->UserProject"."userId" = "User"."id" )"
      R"(LEFT OUTER JOIN "Projects" AS "projects" ON "projects"."id" = "projects->UserProject"."projectId" )"
      R"(ORDER BY "projects"."title" ASC, "projects"."id" ASC)";
  auto fill = [&](const char* a, const char* b) {
    std::string s = common;
    s.replace(s.find("{}"), 2, a);
    s.replace(s.find("{}"), 2, b);
    return s;
  };
  EXPECT_EQ(log[0], golden(fill("?", "?"), fill("$1", "$2")));

  // findOne with a where, and a direction that reverses the children.
  auto desc = User->findOne({.include = {{.model = *Project, .as = "projects"}},
                             .where = {{"name", "Ann"}},
                             .order = {{col("projects.title"), "DESC"}}});
  ASSERT_TRUE(desc);
  EXPECT_EQ(titles(*desc), (std::vector<std::string>{"z", "m", "a"}));
  // A forced join says the same.
  auto forced = User->findByPk(
      1, {.include = {{.model = *Project, .as = "projects", .strategy = LoadStrategy::Join}},
          .order = {{col("projects.title"), "ASC"}}});
  ASSERT_TRUE(forced);
  EXPECT_EQ(titles(*forced), (std::vector<std::string>{"a", "m", "z"}));
  // A parent without children still comes back, once.
  auto bob = User->findByPk(2, {.include = {{.model = *Project, .as = "projects"}},
                                .order = {{col("projects.title"), "ASC"}}});
  ASSERT_TRUE(bob);
  EXPECT_TRUE(bob->loadedAssociations().at(0).items.empty());
}

// Several parents, with a limit: the parents' order (root columns) picks
// them in the subquery; the included column orders the children outside.
TEST_F(Pipeline, LimitedParentsKeepTheRootOrderInTheirSubquery) {
  auto users = User->findAll({.include = {{.model = *Project, .as = "projects"}},
                              .order = {{"name", DESC}, {col("projects.title"), "ASC"}},
                              .limit = 2});
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].get<std::string>("name"), "Bob");
  EXPECT_EQ(titles(users[1]), (std::vector<std::string>{"a", "m", "z"}));
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find(R"((SELECT * FROM "Users" AS "User" ORDER BY "User"."name" DESC LIMIT )"),
            std::string::npos)
      << log[0];
}

// Select-in: the include's own order sorts its statement; the root's order
// cannot name a column of an include read by another statement, and says so.
TEST_F(Pipeline, FindByPkOrdersASelectInIncludeByItsOwnOrder) {
  auto ann = User->findByPk(1, {.include = {{.model = *Project,
                                             .as = "projects",
                                             .attributes = {"id", "title"},
                                             .through = {.attributes = none},
                                             .order = {{"title", DESC}}}}});
  ASSERT_TRUE(ann);
  EXPECT_EQ(titles(*ann), (std::vector<std::string>{"z", "m", "a"}));
  ASSERT_EQ(log.size(), 2u) << "the user, then its projects";
  const std::string second =
      R"(SELECT "projects"."id" AS "projects.id", "projects"."title" AS "projects.title" )"
      R"(FROM "Projects" AS "projects" INNER JOIN "UserProjects" AS "projects->UserProject" )"
      R"(ON "projects"."id" = "projects->UserProject"."projectId" )"
      R"(WHERE "projects->UserProject"."userId" IN ({}) )"
      R"(ORDER BY "projects"."title" DESC, "projects->UserProject"."projectId" ASC, )"
      R"("projects->UserProject"."userId" ASC)";
  auto fill = [&](const char* p) {
    std::string s = second;
    s.replace(s.find("{}"), 2, p);
    return s;
  };
  EXPECT_EQ(log[1], golden(fill("?"), fill("$1")));

  try {
    User->findByPk(
        1, {.include = {{.model = *Project, .as = "projects", .strategy = LoadStrategy::Separate}},
            .order = {{col("projects.title"), "ASC"}}});
    FAIL() << "a select-in include cannot order the root statement";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("include \"projects\": the query refers to its columns"),
              std::string::npos)
        << e.what();
  }
}

// Errors name the clause the bad name came from.
TEST_F(Pipeline, ErrorsNameTheirClause) {
  auto messageOf = [](auto&& f) {
    try {
      f();
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(messageOf([&] {
              User->findByPk(1, {.include = {{.model = *Project, .as = "projects"}},
                                 .order = {{col("nope.title"), "ASC"}}});
            }),
            R"(order: unknown table or association "nope" in "nope.title" (model User))");
  EXPECT_EQ(messageOf([&] {
              User->findAll(
                  {.include = {{.model = *Project, .as = "projects", .order = {{"nope", ASC}}}}});
            }),
            R"(include order: model Project has no attribute "nope")");
  EXPECT_EQ(
      messageOf([&] {
        User->findAll({.include = {{.model = *Project, .as = "projects"}}, .where = {{"nope", 1}}});
      }),
      R"(where: model User has no attribute "nope")");
  EXPECT_EQ(messageOf([&] { User->findAll({.limit = -1}); }), "limit must not be negative, got -1");
}

// The finder surface is one: Model, ScopedModel and model classes behave
// alike, down to the edges.
TEST_F(Pipeline, ScopedAndUnscopedFindersShareTheirEdges) {
  // findByPk(null) finds nothing, whatever the call's where says.
  EXPECT_FALSE(User->findByPk(Value(), {.where = {{"name", "Ann"}}}));
  EXPECT_FALSE(User->unscoped().findByPk(Value(), {.where = {{"name", "Ann"}}}));
  // A bulk write needs a where of its own, scoped or not.
  EXPECT_THROW(User->update({{"name", "x"}}, {}), UsageError);
  EXPECT_THROW(User->unscoped().update({{"name", "x"}}, {}), UsageError);
  EXPECT_THROW(User->unscoped().destroy({}), UsageError);
  EXPECT_EQ(User->unscoped().update({{"name", "Bo"}}, {.where = {{"name", "Bob"}}}), 1);
  // rejectOnEmpty throws on both.
  EXPECT_THROW(User->findOne({.where = {{"name", "nobody"}}, .rejectOnEmpty = true}),
               EmptyResultError);
  EXPECT_THROW(User->unscoped().findOne({.where = {{"name", "nobody"}}, .rejectOnEmpty = true}),
               EmptyResultError);
  // count with an include counts distinct parents on both.
  EXPECT_EQ(User->count({.include = {{.model = *Project, .as = "projects", .required = true}}}), 1);
  EXPECT_EQ(User->unscoped().count(
                {.include = {{.model = *Project, .as = "projects", .required = true}}}),
            1);
}

// A default scope's include applies to count as it does to findAll
// (Sequelize's aggregate injects the whole scope).
TEST(PipelineScopes, CountAppliesTheDefaultScopesInclude) {
  Database db(test::databaseUrl());
  auto& Author = db.define(
      "author", {{"name", STRING}},
      {.timestamps = false, .defaultScope = {.include = {{.as = "books", .required = true}}}});
  auto& Book = db.define("book", {{"title", STRING}}, {.timestamps = false});
  Author.hasMany(Book, {.as = "books"});
  db.sync({.force = true});
  auto a = Author.create({{"name", "A"}});
  Author.create({{"name", "B"}});
  Book.create({{"title", "t"}, {"authorId", a["id"]}});
  EXPECT_EQ(Author.count(), 1) << "only authors with books";
  EXPECT_EQ(Author.findAll().size(), 1u);
  EXPECT_EQ(Author.unscoped().count(), 2);
  EXPECT_EQ(Author.findAndCountAll().count, 1);
  db.drop();
}

// A lazy getter and its count read the same rows: one binding of their options.
TEST_F(Pipeline, AGetterAndItsCountBindAlike) {
  auto ann = User->findByPk(1);
  ASSERT_TRUE(ann);
  auto projects = ann->association("projects");
  EXPECT_EQ(projects.count(), 3);
  EXPECT_EQ(projects.count({.where = {{"title", Op::in({"m", "a"})}}}), 2);
  EXPECT_EQ(projects.get({.where = {{"title", Op::in({"m", "a"})}}}).size(), 2u);
  EXPECT_EQ(projects.count({.throughWhere = {{"role", "dev"}}}), 3);
  EXPECT_EQ(projects.count({.throughWhere = {{"role", "lead"}}}), 0);
  EXPECT_EQ(projects.get({.throughWhere = {{"role", "lead"}}}).size(), 0u);
  try {
    projects.count({.where = {{"nope", 1}}});
    FAIL() << "an unknown attribute is an error";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), R"(include where: model Project has no attribute "nope")");
  }
}
