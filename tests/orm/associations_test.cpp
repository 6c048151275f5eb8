// Seeds 002, 003 and 004 translated: belongsToMany through a named or a
// custom junction, aliases, self-reference, every mixin; the loading
// strategies; statement counts; strict loading; hooks.
#include <algorithm>
#include <map>
#include <set>

#include "fixture.hpp"
#include "junction/dialects.hpp"
#include "junction/migrate/query_interface.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

class Assoc : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(),
        DatabaseOptions{.logging = [this](const QueryEvent& e) { log.emplace_back(e.sql); }});
  }
  void TearDown() override {
    if (db) db->drop();
  }
  // The fixture's jsonOf: also checks the text writer against the tree.
  Json json(const std::vector<Instance>& rows) { return test::jsonOf(rows); }
  std::unique_ptr<Database> db;
  std::vector<std::string> log;
};

// ------------------------------------------------------------- seed 003

class Seed003 : public Assoc {
 protected:
  void SetUp() override {
    Assoc::SetUp();
    User = &db->define("User", {{"name", STRING.allowNull(false)},
                                {"email", STRING.allowNull(false).unique().validate(isEmail())}});
    Project = &db->define("Project", {{"title", STRING.allowNull(false)}, {"description", TEXT}});
    UserProject = &db->define(
        "UserProject",
        {{"role", STRING.allowNull(false).validate(isIn({"admin", "developer", "viewer"}))},
         {"startDate", DATE.defaultValue(NOW)}},
        {.timestamps = true});
    User->belongsToMany(*Project,
                        {.through = *UserProject, .as = "projects", .foreignKey = "userId"});
    Project->belongsToMany(*User,
                           {.through = *UserProject, .as = "users", .foreignKey = "projectId"});
    db->sync({.force = true});
  }
  Model *User, *Project, *UserProject;
};

}  // namespace

TEST_F(Seed003, JunctionKeysAndTable) {
  EXPECT_EQ(User->association("projects").otherKey, "projectId");
  EXPECT_EQ(Project->association("users").otherKey, "userId");
  EXPECT_EQ(UserProject->tableName(), "UserProjects");
  EXPECT_TRUE(UserProject->attributeIndex("userId"));
  EXPECT_TRUE(UserProject->attributeIndex("projectId"));
}

TEST_F(Seed003, CreateAndAssociateThenInclude) {
  auto user = User->create({{"name", "John Doe"}, {"email", "john@example.com"}});
  auto project = Project->create(
      {{"title", "Sequelize Tutorial"}, {"description", "Learn many-to-many associations"}});
  // await user.addProject(project) — UserProject.role is NOT NULL: say which.
  user.association("projects").add(project, {.through = {{"role", "developer"}}});
  auto w = Project->create({{"title", "Website Redesign"}, {"description", "Update UI/UX"}});
  user.association("projects").add(w, {.through = {{"role", "viewer"}}});

  auto withProjects = User->findByPk(user["id"], {.include = {{.model = *Project,
                                                               .as = "projects",
                                                               .attributes = {"id", "title"},
                                                               .through = {.attributes = none}}}});
  Json j = withProjects->toJSON();
  EXPECT_EQ(j["projects"],
            Json::parse(
                R"([{"id":1,"title":"Sequelize Tutorial"},{"id":2,"title":"Website Redesign"}])"));
  EXPECT_EQ(j["name"], "John Doe");

  auto withUsers = Project->findByPk(1, {.include = {{.model = *User,
                                                      .as = "users",
                                                      .attributes = {"id", "name"},
                                                      .through = {.attributes = none}}}});
  EXPECT_EQ(withUsers->toJSON()["users"], Json::parse(R"([{"id":1,"name":"John Doe"}])"));
}

TEST_F(Seed003, ThroughAttributesRoleAndStartDate) {
  auto user = User->create({{"name", "Alice"}, {"email", "alice@example.com"}});
  auto project = Project->create({{"title", "DevOps"}, {"description", "CI/CD Pipeline"}});
  user.association("projects").add(project, {.through = {{"role", "admin"}}});
  auto u =
      User->findByPk(user["id"], {.include = {{.model = *Project,
                                               .as = "projects",
                                               .through = {.attributes = {"role", "startDate"}}}}});
  Json p = u->toJSON()["projects"][0];
  EXPECT_EQ(p["title"], "DevOps");
  EXPECT_EQ(p["UserProject"]["role"], "admin");
  EXPECT_TRUE(p["UserProject"]["startDate"].is_string());
  EXPECT_EQ(p["UserProject"].size(), 2u);
  // A role outside isIn fails validation; nothing is linked.
  auto other = Project->create({{"title", "X"}});
  EXPECT_THROW(user.association("projects").add(other, {.through = {{"role", "boss"}}}),
               ValidationError);
  EXPECT_FALSE(user.association("projects").has(other));
}

// Junction rows are kept in a block shared by the query's rows until asked
// for: loadedAssociations() must still list each as an Instance, first, and
// toJSON must not change, on the instance or a copy.
TEST_F(Seed003, JunctionRowIsAnInstanceFirstAmongLoadedAssociations) {
  auto user = User->create({{"name", "Alice"}, {"email", "alice@example.com"}});
  auto other = User->create({{"name", "Bob"}, {"email", "bob@example.com"}});
  auto first = Project->create({{"title", "First"}});
  auto second = Project->create({{"title", "Second"}});
  // Linked in the reverse of key order: rows still come by the project's key.
  user.association("projects").add(second, {.through = {{"role", "viewer"}}});
  user.association("projects").add(first, {.through = {{"role", "developer"}}});
  other.association("projects").add(first, {.through = {{"role", "admin"}}});
  auto u =
      User->findByPk(user["id"], {.include = {{.model = *Project,
                                               .as = "projects",
                                               .through = {.attributes = {"role"}},
                                               .include = {{.model = *User,
                                                            .as = "users",
                                                            .attributes = {"name"},
                                                            .through = {.attributes = none}}}}}});
  ASSERT_TRUE(u);
  const Json before = u->toJSON();
  EXPECT_EQ(before["projects"][0]["title"], "First");
  EXPECT_EQ(before["projects"][0]["UserProject"], Json::parse(R"({"role":"developer"})"));
  EXPECT_EQ(before["projects"][1]["UserProject"], Json::parse(R"({"role":"viewer"})"));

  Instance copy = *u;
  const auto& projects = copy.related("projects");
  ASSERT_EQ(projects.size(), 2u);
  const auto& loaded = projects[0].loadedAssociations();
  ASSERT_EQ(loaded.size(), 2u);
  EXPECT_EQ(loaded[0].name, "UserProject");
  EXPECT_TRUE(loaded[0].single);
  ASSERT_EQ(loaded[0].items.size(), 1u);
  const Instance& junctionRow = loaded[0].items[0];
  EXPECT_EQ(junctionRow.get<std::string>("role"), "developer");
  EXPECT_FALSE(junctionRow.has("startDate"));
  EXPECT_FALSE(junctionRow.isNewRecord());
  EXPECT_EQ(junctionRow.toJSON(), Json::parse(R"({"role":"developer"})"));
  EXPECT_EQ(loaded[1].name, "users");
  EXPECT_TRUE(projects[0].isLoaded("UserProject"));
  EXPECT_EQ(copy.toJSON(), before);
  EXPECT_EQ(u->toJSON(), before);
}

// project.UserProject.role: the junction row's values without building its
// Instance, and the same answers once it has been built.
TEST_F(Seed003, ThroughReadsTheJunctionRowInPlace) {
  auto user = User->create({{"name", "Alice"}, {"email", "alice@example.com"}});
  auto first = Project->create({{"title", "First"}});
  auto second = Project->create({{"title", "Second"}});
  user.association("projects").add(first, {.through = {{"role", "developer"}}});
  user.association("projects").add(second, {.through = {{"role", "viewer"}}});
  for (auto strategy : {LoadStrategy::Join, LoadStrategy::Separate}) {
    auto u = User->findByPk(user["id"], {.include = {{.model = *Project,
                                                      .as = "projects",
                                                      .through = {.attributes = {"role", "userId"}},
                                                      .strategy = strategy}}});
    ASSERT_TRUE(u);
    const auto& projects = u->related("projects");
    ASSERT_EQ(projects.size(), 2u);
    EXPECT_EQ(projects[0].through<std::string>("role"), "developer");
    EXPECT_EQ(projects[1].through<std::string>("role"), "viewer");
    EXPECT_EQ(projects[1].through("userId"), user["id"]);
    EXPECT_TRUE(projects[0].through("startDate").isNull()) << "known, not selected: null";
    EXPECT_THROW(projects[0].through("nope"), UsageError);
    // Still in the block: nothing was materialized, and toJSON is unchanged.
    const Json before = u->toJSON();
    EXPECT_EQ(before["projects"][1]["UserProject"],
              Json::parse(R"({"role":"viewer","userId":1})"));
    // After loadedAssociations() built the Instance, through() reads that.
    ASSERT_EQ(projects[1].loadedAssociations().front().name, "UserProject");
    EXPECT_EQ(projects[1].through<std::string>("role"), "viewer");
    EXPECT_EQ(u->toJSON(), before);
    Instance copy = projects[1];
    EXPECT_EQ(copy.through<std::string>("role"), "viewer");
  }
  // Without through attributes there is no junction row to read.
  auto bare = User->findByPk(user["id"], {.include = {{.model = *Project,
                                                       .as = "projects",
                                                       .through = {.attributes = none}}}});
  EXPECT_THROW(bare->related("projects")[0].through("role"), UsageError);
  EXPECT_THROW(user.through("role"), UsageError);
}

TEST_F(Seed003, AddRemoveManyAndFilterOrderIncludes) {
  auto user = User->create({{"name", "John Doe"}, {"email", "john@example.com"}});
  auto mobile = Project->create({{"title", "Mobile App"}, {"description", "React Native"}});
  user.association("projects").add(mobile, {.through = {{"role", "developer"}}});
  auto a = Project->create({{"title", "Website Redesign"}});
  auto b = Project->create({{"title", "API Development"}});
  auto projects = Project->findAll({.where = {{"title", {"Website Redesign", "API Development"}}}});
  user.association("projects").add(projects, {.through = {{"role", "viewer"}}});  // addProjects
  EXPECT_EQ(user.association("projects").count(), 3);
  user.association("projects").remove(mobile);  // removeProject
  EXPECT_EQ(user.association("projects").count(), 2);

  auto jane = User->create({{"name", "Jane"}, {"email", "jane@example.com"}});
  jane.association("projects").add(mobile, {.through = {{"role", "admin"}}});
  // Users who are part of 'API Development': where on the include filters users and projects.
  auto inTutorial = User->findAll(
      {.include = {
           {.model = *Project, .as = "projects", .where = {{"title", "API Development"}}}}});
  ASSERT_EQ(inTutorial.size(), 1u);
  EXPECT_EQ(inTutorial[0].get<std::string>("name"), "John Doe");
  EXPECT_EQ(inTutorial[0].toJSON()["projects"].size(), 1u);
  // Order projects by title inside the include.
  auto ordered = User->findByPk(
      user["id"],
      {.include = {{.model = *Project, .as = "projects", .order = {{"title", "ASC"}}}}});
  auto titles = ordered->toJSON()["projects"];
  EXPECT_EQ(titles[0]["title"], "API Development");
  EXPECT_EQ(titles[1]["title"], "Website Redesign");
  (void)a;
  (void)b;
}

// Sequelize reports a failed bulk write as an AggregateError of
// BulkRecordErrors: which rows failed, and why. Nothing is written.
TEST_F(Seed003, BulkValidationNamesEachFailedRow) {
  try {
    User->bulkCreate({{{"name", "a"}, {"email", "a@example.com"}},
                      {{"name", "b"}, {"email", "not an email"}},
                      {{"name", "c"}, {"email", "c@example.com"}},
                      {{"email", "d@example.com"}}});
    FAIL() << "expected BulkValidationError";
  } catch (const BulkValidationError& e) {
    EXPECT_STREQ(e.name(), "AggregateError");
    ASSERT_EQ(e.rows().size(), 2u);
    EXPECT_EQ(e.rows()[0].index, 1u);
    EXPECT_EQ(e.rows()[0].error.errors().at(0).path, "email");
    EXPECT_EQ(e.rows()[0].error.errors().at(0).validatorKey, "isEmail");
    EXPECT_EQ(e.rows()[1].index, 3u);
    EXPECT_EQ(e.rows()[1].error.errors().at(0).path, "name");
    EXPECT_EQ(e.errors().size(), 2u) << "as a ValidationError: every row's items";
    EXPECT_NE(std::string(e.what()).find("row 3:"), std::string::npos) << e.what();
  }
  EXPECT_EQ(User->count(), 0);

  auto user = User->create({{"name", "u"}, {"email", "u@example.com"}});
  std::vector<Instance> projects;
  for (const char* t : {"p0", "p1", "p2"}) projects.push_back(Project->create({{"title", t}}));
  user.association("projects").add(projects[0], {.through = {{"role", "admin"}}});
  // addProjects with one through object per target; targets 1 and 2 fail.
  try {
    user.association("projects").set(
        projects, {.through = std::vector<Record>{
                       {{"role", "admin"}}, {{"role", "boss"}}, {{"role", "chief"}}}});
    FAIL() << "expected BulkValidationError";
  } catch (const BulkValidationError& e) {
    ASSERT_EQ(e.rows().size(), 2u);
    EXPECT_EQ(e.rows()[0].index, 1u) << "the index of the target, not of the rows inserted";
    EXPECT_EQ(e.rows()[1].index, 2u);
    EXPECT_EQ(e.rows()[0].error.errors().at(0).path, "role");
  }
  EXPECT_EQ(user.association("projects").count(), 1) << "set is atomic";
}

TEST_F(Seed003, CreateWithInclude) {
  // User.create({name, email, projects: [{...}, {...}]}, {include: [{model: Project, as:
  // 'projects'}]})
  auto user =
      User->create(Json{{"name", "Jane Smith"},
                        {"email", "jane@example.com"},
                        {"projects", Json::array({{{"title", "Website Redesign"},
                                                   {"description", "Update UI/UX"},
                                                   {"UserProject", {{"role", "admin"}}}},
                                                  {{"title", "API Development"},
                                                   {"description", "Build RESTful endpoints"},
                                                   {"UserProject", {{"role", "developer"}}}}})}},
                   {.include = {{.model = *Project, .as = "projects"}}});
  Json j = user.toJSON();
  EXPECT_EQ(j["name"], "Jane Smith");
  ASSERT_EQ(j["projects"].size(), 2u);
  EXPECT_EQ(j["projects"][1]["title"], "API Development");
  EXPECT_EQ(User->count(), 1);
  EXPECT_EQ(Project->count(), 2);
  EXPECT_EQ(UserProject->count(), 2);
  EXPECT_EQ(UserProject->findOne({.where = {{"projectId", j["projects"][1]["id"].get<int>()}}})
                ->get<std::string>("role"),
            "developer");
  // One transaction: a failing child leaves nothing behind.
  EXPECT_THROW(
      User->create(
          Json{{"name", "Bad"},
               {"email", "bad@example.com"},
               {"projects",
                Json::array({{{"title", "ok"}, {"UserProject", {{"role", "admin"}}}},
                             {{"title", nullptr}, {"UserProject", {{"role", "admin"}}}}})}},
          {.include = {{.model = *Project, .as = "projects"}}}),
      ValidationError);
  EXPECT_EQ(User->count(), 1);
  EXPECT_EQ(Project->count(), 2);
  EXPECT_THROW(User->create({{"name", "x"}}, {.include = {{.model = *Project, .as = "projects"}}}),
               UsageError);
  EXPECT_THROW(
      User->create(Json{{"name", "x"}, {"email", "x@example.com"}, {"projects", Json::array()}},
                   {}),
      UsageError);  // an association key without include
}

// ------------------------------------------------------------- seed 004

TEST_F(Assoc, Seed004InverseAndForeignKeyNames) {
  auto& Person = db->define("Person", {{"name", STRING}});
  auto& Toot = db->define("Toot", {{"text", STRING}});
  Person.belongsToMany(Toot, {.through = "LikedToot", .inverse = {.as = "likers"}});
  const Association& liked = Person.association("toots");
  EXPECT_EQ(liked.foreignKey, "likerId");
  EXPECT_EQ(liked.otherKey, "tootId");
  EXPECT_EQ(Toot.association("likers").foreignKey, "tootId");
  auto& LikedToot = db->model("LikedToot");
  EXPECT_EQ(LikedToot.tableName(), "LikedToot");
  EXPECT_EQ(LikedToot.primaryKeys(), (std::vector<std::string>{"likerId", "tootId"}));
  db->sync({.force = true});
  auto p = Person.create({{"name", "ann"}});
  auto t = Toot.create({{"text", "hi"}});
  p.association("toots").add(t);
  auto likers = t.association("likers").get();
  ASSERT_EQ(likers.size(), 1u);
  EXPECT_EQ(likers[0].get<std::string>("name"), "ann");
  EXPECT_EQ(likers[0].toJSON()["LikedToot"]["likerId"], p.get<int>("id"));
}

TEST_F(Assoc, Seed004ExplicitKeysAndThroughAssociations) {
  auto& Person = db->define("Person", {{"name", STRING}});
  auto& Toot = db->define("Toot", {{"text", STRING}});
  Person.belongsToMany(Toot, {.through = "LikedToot",
                              .as = "likedToots",
                              .foreignKey = "personId",
                              .otherKey = "tootId",
                              .inverse = {.as = "likers"},
                              .throughAssociations = {.fromSource = "likedTootsLikers",
                                                      .toSource = "liker",
                                                      .fromTarget = "likersLikedToots",
                                                      .toTarget = "likedToot"}});
  auto& LikedToot = db->model("LikedToot");
  EXPECT_EQ(Person.association("likedTootsLikers").type, AssociationType::HasMany);
  EXPECT_EQ(LikedToot.association("liker").type, AssociationType::BelongsTo);
  EXPECT_EQ(Toot.association("likersLikedToots").foreignKey, "tootId");
  EXPECT_EQ(LikedToot.association("likedToot").target, &Toot);
  db->sync({.force = true});
  auto p = Person.create({{"name", "ann"}});
  auto t = Toot.create({{"text", "hi"}});
  p.association("likedToots").add(t);
  auto rows = LikedToot.findAll({.include = {{.as = "liker"}, {.as = "likedToot"}}});
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].toJSON()["liker"]["name"], "ann");
  EXPECT_EQ(rows[0].toJSON()["likedToot"]["text"], "hi");
}

TEST_F(Assoc, Seed004EveryMixin) {
  auto& Author = db->define("Author", {{"name", STRING}});
  auto& Book = db->define("Book", {{"content", STRING}});
  auto& BookAuthor = db->define("BookAuthor", {{"role", STRING}});
  Author.belongsToMany(Book, {.through = BookAuthor});
  db->sync({.force = true});
  auto author = Author.create({{"name", "a"}});
  std::vector<Instance> books;
  for (int i = 1; i <= 3; ++i) books.push_back(Book.create({{"content", "b" + std::to_string(i)}}));
  auto h = author.association("books");

  // setBooks([book1, book2, book3]) with one through object per item
  log.clear();
  h.set(books, {.through = std::vector<Record>{
                    {{"role", "admin"}}, {{"role", "manager"}}, {{"role", "designer"}}}});
  auto dataStatements = [&] {
    std::size_t n = 0;
    for (const auto& sql : log)
      n += sql.rfind("SELECT", 0) == 0 || sql.rfind("INSERT", 0) == 0 ||
           sql.rfind("UPDATE", 0) == 0 || sql.rfind("DELETE", 0) == 0;
    return n;
  };
  EXPECT_EQ(dataStatements(), 2u) << "set of new pairs: one read, one bulk insert";
  log.clear();
  h.set(books);
  EXPECT_EQ(dataStatements(), 1u) << "set to the same pairs: one read, nothing else";
  std::vector<std::string> roles;
  for (auto& b : h.get()) roles.push_back(b.toJSON()["BookAuthor"]["role"]);
  EXPECT_EQ(roles, (std::vector<std::string>{"admin", "manager", "designer"}));
  // setBooks([1, 2, 3]) by primary key; the same pairs are kept.
  h.set(std::vector<Value>{1, 2});
  EXPECT_EQ(h.count(), 2);
  EXPECT_TRUE(h.has(Value(1)));
  EXPECT_TRUE(h.has(std::vector<Value>{1, 2}));
  EXPECT_FALSE(h.has(std::vector<Value>{1, 3}));
  h.add(Value(3));                  // addBook(3)
  h.add(std::vector<Value>{1, 2});  // already there: no duplicates
  EXPECT_EQ(h.count(), 3);
  // Adding an existing pair with through values updates it.
  h.add(Value(1), {.through = {{"role", "editor"}}});
  EXPECT_EQ(BookAuthor.findOne({.where = {{"bookId", 1}}})->get<std::string>("role"), "editor");
  h.remove(Value(2));               // removeBook
  h.remove(std::vector<Value>{1});  // removeBooks
  EXPECT_EQ(h.count(), 1);
  auto created = h.create({{"content", "new"}}, {.through = {{"role", "ghost"}}});  // createBook
  EXPECT_TRUE(h.has(created));
  EXPECT_EQ(h.count(), 2);
  EXPECT_EQ(h.count({.throughWhere = {{"role", "ghost"}}}), 1);
  h.set(Targets());
  EXPECT_EQ(h.count(), 0);
  EXPECT_EQ(Book.count(), 4) << "targets survive; only junction rows go";
  EXPECT_THROW(h.add(Value("x")), UsageError);
  EXPECT_THROW(h.set(books, {.through = std::vector<Record>{{{"role", "a"}}}}),
               UsageError);  // 1 record for 3
}

// Sequelize: addX resolves to the junction rows it created (nothing when the
// pair existed), removeX to the number of junction rows deleted, setX to
// what it deleted and created.
TEST_F(Assoc, MutatorsReturnWhatTheyChanged) {
  auto& Author = db->define("Author", {{"name", STRING}});
  auto& Book = db->define("Book", {{"content", STRING}});
  auto& BookAuthor = db->define("BookAuthor", {{"role", STRING}});
  Author.belongsToMany(Book, {.through = BookAuthor});
  Author.hasMany(Book, {.as = "written", .foreignKey = "writerId"});
  Book.belongsTo(Author, {.as = "writer", .foreignKey = "writerId"});
  db->sync({.force = true});
  auto author = Author.create({{"name", "a"}});
  std::vector<Instance> books;
  for (int i = 1; i <= 3; ++i) books.push_back(Book.create({{"content", "b" + std::to_string(i)}}));
  auto h = author.association("books");

  auto added = h.add(books[0], {.through = {{"role", "editor"}}});
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(&added[0].model(), &BookAuthor) << "the junction row, not the book";
  EXPECT_EQ(added[0].get<int>("authorId"), 1);
  EXPECT_EQ(added[0].get<int>("bookId"), 1);
  EXPECT_EQ(added[0].get<std::string>("role"), "editor");
  EXPECT_TRUE(h.add(books[0]).empty()) << "the pair exists: nothing created";
  EXPECT_EQ(h.add(std::vector<Value>{1, 2, 3}).size(), 2u);

  EXPECT_EQ(h.remove(books[1]), 1);
  EXPECT_EQ(h.remove(books[1]), 0) << "already removed";
  EXPECT_EQ(h.remove(std::vector<Value>{1, 3}), 2);

  h.add(std::vector<Value>{1, 2});
  auto changed = h.set(std::vector<Value>{2, 3}, {.through = {{"role", "x"}}});
  EXPECT_EQ(changed.removed, 1) << "book 1's pair";
  ASSERT_EQ(changed.created.size(), 1u);
  EXPECT_EQ(changed.created[0].get<int>("bookId"), 3);
  EXPECT_EQ(changed.updated, 1) << "book 2's pair took the new role";
  auto same = h.set(std::vector<Value>{2, 3});
  EXPECT_EQ(same.removed, 0);
  EXPECT_TRUE(same.created.empty());
  EXPECT_EQ(same.updated, 0);

  // hasMany: the targets linked and unlinked.
  auto w = author.association("written");
  EXPECT_TRUE(w.add(std::vector<Value>{1, 2}).empty());
  EXPECT_EQ(w.remove(std::vector<Value>{2, 3}), 1) << "only book 2 was linked";
  auto moved = w.set(std::vector<Value>{2, 3});
  EXPECT_EQ(moved.removed, 1) << "book 1 unlinked";
  EXPECT_EQ(moved.updated, 2);
  // belongsTo: remove of the linked target is one link.
  auto book3 = *Book.findByPk(3);
  EXPECT_EQ(book3.association("writer").remove(Value(2)), 0) << "not its writer";
  EXPECT_EQ(book3.association("writer").remove(Value(1)), 1);
  EXPECT_TRUE(Book.findByPk(3)->get("writerId").isNull());
}

// The junction tables Sequelize 6's sync creates for the same definitions
// (checked against it on SQLite and PostgreSQL): a junction model without a
// declared key loses its generated id for the composite key of the pair
// (NOT NULL); one with its own id keeps it, its keys nullable unless
// declared otherwise, the pair unique unless `unique: false`; every key
// references its table ON DELETE CASCADE ON UPDATE CASCADE, declared
// `references` included.
TEST_F(Assoc, JunctionTablesAreSequelizes) {
  auto& User = db->define("User", {{"name", STRING}});
  auto& Project = db->define("Project", {{"title", STRING}});
  auto& Blog = db->define("Blog", {{"title", STRING}});
  // A: a junction model without a key.
  auto& UP = db->define("UserProject", {{"role", STRING}});
  User.belongsToMany(Project, {.through = UP});
  Project.belongsToMany(User, {.through = UP});
  // B: its own id, unique: false.
  auto& Own = db->define("Membership", {{"id", INTEGER.primaryKey().autoIncrement()}});
  User.belongsToMany(Project, {.through = Through(Own, false), .as = "memberships"});
  // C: keys declared NOT NULL with references (no actions).
  auto& RL = db->define("ReadingList",
                        {{"id", INTEGER.primaryKey().autoIncrement()},
                         {"userId", INTEGER.allowNull(false).references("Users", "id")},
                         {"blogId", INTEGER.allowNull(false).references("Blogs", "id")}},
                        {.timestamps = false});
  User.belongsToMany(Blog, {.through = RL, .as = "readings"});
  // D: self-referential, no key.
  auto& UF = db->define("UserFollower", {}, {.timestamps = false});
  User.belongsToMany(User, {.through = UF, .as = "followers", .foreignKey = "userId",
                            .otherKey = "followerId"});
  User.belongsToMany(User, {.through = UF, .as = "following", .foreignKey = "followerId",
                            .otherKey = "userId"});
  db->sync({.force = true});

  auto conn = openConnection(test::databaseUrl());
  migrate::QueryInterface qi(*conn);
  auto a = qi.describeTable("UserProjects");
  EXPECT_FALSE(a.hasColumn("id"));
  for (const char* k : {"userId", "projectId"}) {
    EXPECT_TRUE(a.column(k).primaryKey) << k;
    EXPECT_FALSE(a.column(k).allowNull) << k;
    ASSERT_TRUE(a.foreignKey(k)) << k;
    EXPECT_EQ(a.foreignKey(k)->onDelete, "CASCADE") << k;
    EXPECT_EQ(a.foreignKey(k)->onUpdate, "CASCADE") << k;
  }
  EXPECT_FALSE(a.uniqueKey({"userId", "projectId"})) << "the pair is the primary key";

  auto b = qi.describeTable("Memberships");
  EXPECT_TRUE(b.column("id").primaryKey);
  for (const char* k : {"userId", "projectId"}) {
    EXPECT_TRUE(b.column(k).allowNull) << k;
    ASSERT_TRUE(b.foreignKey(k)) << k;
    EXPECT_EQ(b.foreignKey(k)->onDelete, "CASCADE") << k;
  }
  EXPECT_FALSE(b.uniqueKey({"userId", "projectId"})) << "unique: false";

  auto c = qi.describeTable("ReadingLists");
  for (const char* k : {"userId", "blogId"}) {
    EXPECT_FALSE(c.column(k).allowNull) << k << " stays as declared";
    ASSERT_TRUE(c.foreignKey(k)) << k;
    EXPECT_EQ(c.foreignKey(k)->onDelete, "CASCADE") << k;
    EXPECT_EQ(c.foreignKey(k)->onUpdate, "CASCADE") << k;
  }
  EXPECT_TRUE(c.uniqueKey({"userId", "blogId"}));

  auto d = qi.describeTable("UserFollowers");
  EXPECT_FALSE(d.hasColumn("id"));
  for (const char* k : {"userId", "followerId"}) {
    EXPECT_TRUE(d.column(k).primaryKey) << k;
    EXPECT_FALSE(d.column(k).allowNull) << k;
  }

  // Deleting a user takes its junction rows with it.
  auto u = User.create({{"name", "u"}});
  auto p = Project.create({{"title", "p"}});
  u.association("projects").add(p);
  u.association("followers").add(User.create({{"name", "f"}}));
  u.destroy();
  EXPECT_EQ(UP.count(), 0);
  EXPECT_EQ(UF.count(), 0);
}

// Seed 004: getReposts({ order: [[sequelize.col('Repost.id'), 'ASC']] }) — a
// getter addresses its junction by the junction model's name, in order and
// where, as Sequelize's getter includes it.
TEST_F(Assoc, GetterAddressesTheJunctionByItsModelName) {
  auto& Person = db->define("Person", {{"name", STRING}});
  auto& Toot = db->define("Toot", {{"text", STRING}});
  auto& Repost = db->define("Repost", {{"id", INTEGER.primaryKey().autoIncrement()}});
  Person.belongsToMany(Toot, {.through = Through(Repost, false), .as = "reposts"});
  db->sync({.force = true});
  auto ann = Person.create({{"name", "ann"}});
  std::vector<Instance> toots;
  for (const char* t : {"a", "b", "c"}) toots.push_back(Toot.create({{"text", t}}));
  auto reposts = ann.association("reposts");
  for (int i : {2, 0, 1}) reposts.add(toots[i]);
  auto texts = [](const std::vector<Instance>& rows) {
    std::string out;
    for (const auto& r : rows) out += r.get<std::string>("text");
    return out;
  };
  EXPECT_EQ(texts(reposts.get({.order = {{col("Repost.id"), "ASC"}}})), "cab");
  EXPECT_EQ(texts(reposts.get({.order = {{col("Repost.id"), "DESC"}}})), "bac");
  EXPECT_EQ(texts(reposts.get({.where = Where(col("Repost.id") > 1),
                               .order = {{col("Repost.id"), "ASC"}}})),
            "ab");
  EXPECT_THROW(reposts.get({.order = {{col("Nope.id"), "ASC"}}}), UsageError);
  // An include names it by its path, as Sequelize's $reposts->Repost.id$.
  auto people = Person.findAll(
      {.include = {{.model = Toot, .as = "reposts", .order = {{col("reposts->Repost.id"), "DESC"}}}}});
  ASSERT_EQ(people.size(), 1u);
  EXPECT_EQ(texts(people[0].related("reposts")), "bac");
}

TEST_F(Assoc, NonUniqueThroughAllowsRepeatedPairs) {
  auto& Person = db->define("Person", {{"name", STRING}});
  auto& Toot = db->define("Toot", {{"text", STRING}});
  auto& Like = db->define("Like", {{"id", INTEGER.primaryKey().autoIncrement()}, {"at", INTEGER}});
  Person.belongsToMany(Toot, {.through = Through(Like, false), .as = "liked"});
  db->sync({.force = true});
  auto p = Person.create({{"name", "ann"}});
  auto t = Toot.create({{"text", "hi"}});
  Like.create({{"personId", p["id"]}, {"tootId", t["id"]}, {"at", 1}});
  Like.create({{"personId", p["id"]}, {"tootId", t["id"]}, {"at", 2}});  // the same pair again
  auto liked = p.association("liked").get({.order = {"id"}});
  ASSERT_EQ(liked.size(), 2u);
  EXPECT_EQ(liked[0].toJSON()["Like"]["at"], 1);
  EXPECT_EQ(liked[1].toJSON()["Like"]["at"], 2);
  EXPECT_TRUE(p.association("liked").has(t));
  EXPECT_EQ(p.association("liked").count(), 2);
  p.association("liked").remove(t);
  EXPECT_EQ(p.association("liked").count(), 0);
}

TEST_F(Assoc, CascadeOnDeleteRemovesJunctionRows) {
  auto& User = db->define("user", {{"name", STRING}});
  auto& Team = db->define("team", {{"name", STRING}});
  User.belongsToMany(Team, {.through = "membership"});
  db->sync({.force = true});
  auto u = User.create({{"name", "a"}});
  auto t = Team.create({{"name", "t"}});
  u.association("teams").add(t);
  EXPECT_EQ(db->model("membership").count(), 1);
  t.destroy();
  EXPECT_EQ(db->model("membership").count(), 0);
}

// Default names and keys under each rule, as Sequelize 6.37.8 and
// 7.0.0-alpha.48 name them (printed by both libraries for these models).
TEST_F(Assoc, NamingFollowsTheChosenSequelize) {
  struct Names {
    std::string belongsTo, belongsToKey, hasMany, hasManyKey, btm, btmKey, btmOther;
  };
  auto names = [&](Naming rule, const std::string& a, const std::string& b) {
    Database d(test::databaseUrl(), {.naming = rule});
    auto& A = d.define(a, {{"name", STRING}});
    auto& B = d.define(b, {{"name", STRING}});
    const auto& bt = A.belongsTo(B);
    const auto& hm = B.hasMany(A);
    const auto& m = A.belongsToMany(B, {.through = a + b});
    return Names{bt.as, bt.foreignKey, hm.as, hm.foreignKey, m.as, m.foreignKey, m.otherKey};
  };
  auto expect = [](const Names& n, const Names& want) {
    EXPECT_EQ(n.belongsTo, want.belongsTo);
    EXPECT_EQ(n.belongsToKey, want.belongsToKey);
    EXPECT_EQ(n.hasMany, want.hasMany);
    EXPECT_EQ(n.hasManyKey, want.hasManyKey);
    EXPECT_EQ(n.btm, want.btm);
    EXPECT_EQ(n.btmKey, want.btmKey);
    EXPECT_EQ(n.btmOther, want.btmOther);
  };
  using enum Naming;
  expect(names(Sequelize6, "User", "Project"),
         {"Project", "ProjectId", "Users", "ProjectId", "Projects", "UserId", "ProjectId"});
  expect(names(Sequelize7, "User", "Project"),
         {"project", "projectId", "users", "projectId", "projects", "userId", "projectId"});
  expect(names(Sequelize6, "medium_article", "blog_author"),
         {"blog_author", "blogAuthorId", "medium_articles", "blogAuthorId", "blog_authors",
          "mediumArticleId", "blogAuthorId"});
  expect(names(Sequelize7, "medium_article", "blog_author"),
         {"blog_author", "blogAuthorId", "medium_articles", "blogAuthorId", "blog_authors",
          "mediumArticleId", "blogAuthorId"});
  expect(names(Sequelize6, "MediumArticle", "BlogAuthor"),
         {"BlogAuthor", "BlogAuthorId", "MediumArticles", "BlogAuthorId", "BlogAuthors",
          "MediumArticleId", "BlogAuthorId"});
  expect(names(Sequelize7, "MediumArticle", "BlogAuthor"),
         {"blogAuthor", "blogAuthorId", "mediumArticles", "blogAuthorId", "blogAuthors",
          "mediumArticleId", "blogAuthorId"});
  expect(names(Sequelize6, "Person", "Category"),
         {"Category", "CategoryId", "People", "CategoryId", "Categories", "PersonId",
          "CategoryId"});

  // Keys other than the primary key: Sequelize 6 still names belongsTo and
  // hasMany keys after the primary key, belongsToMany keys after the key.
  for (Naming rule : {Sequelize6, Sequelize7}) {
    Database d(test::databaseUrl(), {.naming = rule});
    auto& Team = d.define("Team", {{"code", STRING.unique()}});
    auto& Player = d.define("Player", {{"handle", STRING.unique()}});
    const bool v6 = rule == Sequelize6;
    EXPECT_EQ(Player.belongsTo(Team, {.as = "home_team", .targetKey = "code"}).foreignKey,
              v6 ? "homeTeamId" : "homeTeamCode");
    EXPECT_EQ(Team.hasMany(Player, {.as = "squad", .sourceKey = "code"}).foreignKey,
              v6 ? "TeamId" : "teamCode");
    const auto& m =
        Team.belongsToMany(Player, {.through = "TP", .sourceKey = "code", .targetKey = "handle"});
    EXPECT_EQ(m.foreignKey, v6 ? "TeamCode" : "teamCode");
    EXPECT_EQ(m.otherKey, v6 ? "PlayerHandle" : "playerHandle");
  }
  // A Sequelize 6 self-association names its other key after `as`.
  {
    Database d(test::databaseUrl(), {.naming = Sequelize6});
    auto& U = d.define("User", {{"name", STRING}});
    const auto& f = U.belongsToMany(U, {.through = "Follow", .as = "followers"});
    EXPECT_EQ(f.foreignKey, "UserId");
    EXPECT_EQ(f.otherKey, "followerId");
  }

  // The later side of a pair renames the key the earlier side derived
  // (seed 003 under Sequelize 6 naming): no stray "ProjectId" column.
  {
    Database d(test::databaseUrl(), {.naming = Sequelize6});
    auto& U = d.define("User", {{"name", STRING}});
    auto& P = d.define("Project", {{"title", STRING}});
    const auto& up =
        U.belongsToMany(P, {.through = "UserProject", .as = "projects", .foreignKey = "userId"});
    EXPECT_EQ(up.otherKey, "ProjectId");
    const auto& pu =
        P.belongsToMany(U, {.through = "UserProject", .as = "users", .foreignKey = "projectId"});
    EXPECT_EQ(up.otherKey, "projectId");
    EXPECT_EQ(pu.otherKey, "userId");
    std::vector<std::string> columns;
    for (const auto& attr : d.model("UserProject").attributes()) columns.push_back(attr.name);
    EXPECT_EQ(columns, (std::vector<std::string>{"userId", "projectId", "createdAt", "updatedAt"}));
    EXPECT_EQ(d.model("UserProject").primaryKeys(),
              (std::vector<std::string>{"userId", "projectId"}));
  }

  // Under Sequelize 6 naming, seed 003's code without `as` or `foreignKey`:
  // columns, results and getters use the capitalised names.
  Database d(test::databaseUrl(), {.naming = Sequelize6});
  auto& Author = d.define("Author", {{"name", STRING}});
  auto& Book = d.define("Book", {{"title", STRING}});
  Author.belongsToMany(Book, {.through = "AuthorBooks"});
  Book.belongsToMany(Author, {.through = "AuthorBooks"});
  d.sync({.force = true});
  auto a = Author.create({{"name", "ann"}});
  auto b = Book.create({{"title", "t"}});
  auto created = a.association("Books").add(b);
  ASSERT_EQ(created.size(), 1u);
  EXPECT_EQ(created[0].get<int>("AuthorId"), a.get<int>("id"));
  EXPECT_EQ(created[0].get<int>("BookId"), b.get<int>("id"));
  auto found = Book.findAll({.include = {{.model = Author}}});
  Json j = found.at(0).toJSON();
  ASSERT_EQ(j["Authors"].size(), 1u);
  EXPECT_EQ(j["Authors"][0]["AuthorBooks"]["BookId"], b.get<int>("id"));
  d.drop();
}

// A key the model declares takes the association's reference and actions
// where the declaration says none, as Sequelize 6.37.8 makes them (read
// back from its SQLite schema): ON UPDATE CASCADE; ON DELETE SET NULL when
// the declaration says allowNull: true, else NO ACTION from belongsTo and
// CASCADE from hasMany; the first association settles it.
TEST_F(Assoc, DeclaredForeignKeysTakeTheAssociationsActions) {
  struct Case {
    const char* label;
    Attribute decl;
    bool belongsToFirst;
    const char* onDelete;
  };
  const Attribute ref = INTEGER.references("us", "id");
  const std::vector<Case> cases{
      {"plain, belongsTo first", INTEGER, true, "NO ACTION"},
      {"references, belongsTo first", ref, true, "NO ACTION"},
      {"references, hasMany first", ref, false, "CASCADE"},
      {"plain, hasMany first", INTEGER, false, "CASCADE"},
      {"allowNull true", ref.allowNull(true), false, "SET NULL"},
      {"allowNull false", ref.allowNull(false), true, "NO ACTION"},
      {"declared onDelete", ref.onDelete("RESTRICT"), false, "RESTRICT"},
  };
  for (const auto& c : cases) {
    Database d(test::databaseUrl());
    auto& U = d.define("U", {{"n", STRING}}, {.tableName = "us"});
    auto& A = d.define("A", {{"uId", c.decl}}, {.tableName = "as"});
    if (c.belongsToFirst) {
      A.belongsTo(U, {.foreignKey = "uId"});
      U.hasMany(A, {.foreignKey = "uId"});
    } else {
      U.hasMany(A, {.foreignKey = "uId"});
      A.belongsTo(U, {.foreignKey = "uId"});
    }
    auto r = A.attribute("uId").spec.referencesOption();
    ASSERT_TRUE(r) << c.label;
    EXPECT_EQ(r->table, "us") << c.label;
    EXPECT_EQ(r->onDelete, c.onDelete) << c.label;
    EXPECT_EQ(r->onUpdate, "CASCADE") << c.label;
  }
  // The association's option comes before the default, after the declaration.
  Database d(test::databaseUrl());
  auto& U = d.define("U", {{"n", STRING}}, {.tableName = "us"});
  auto& A = d.define("A", {{"uId", ref.allowNull(true)}}, {.tableName = "as"});
  A.belongsTo(U, {.foreignKey = "uId", .onDelete = "RESTRICT"});
  EXPECT_EQ(A.attribute("uId").spec.referencesOption()->onDelete, "RESTRICT");
  // constraints: false leaves the declaration alone.
  auto& B = d.define("B", {{"uId", INTEGER}}, {.tableName = "bs"});
  B.belongsTo(U, {.foreignKey = "uId", .constraints = false});
  EXPECT_FALSE(B.attribute("uId").spec.referencesOption());
}

TEST_F(Assoc, NonPrimarySourceAndTargetKeys) {
  auto& User = db->define("user", {{"handle", STRING.unique()}});
  auto& Tag = db->define("tag", {{"slug", STRING.unique()}});
  User.belongsToMany(Tag, {.through = "user_tag", .sourceKey = "handle", .targetKey = "slug"});
  db->sync({.force = true});
  auto u = User.create({{"handle", "ann"}});
  auto t = Tag.create({{"slug", "cpp"}});
  u.association("tags").add(t);
  auto row = db->model("user_tag").findOne();
  EXPECT_EQ(row->get<std::string>("userHandle"), "ann");
  EXPECT_EQ(row->get<std::string>("tagSlug"), "cpp");
  auto users = User.findAll({.include = {{.model = Tag, .through = {.attributes = none}}}});
  EXPECT_EQ(users[0].toJSON()["tags"][0]["slug"], "cpp");
}

TEST_F(Assoc, HelpersHonourTransactions) {
  auto& User = db->define("user", {{"name", STRING}});
  auto& Team = db->define("team", {{"name", STRING}});
  User.belongsToMany(Team, {.through = "membership"});
  db->sync({.force = true});
  auto u = User.create({{"name", "a"}});
  auto t = Team.create({{"name", "t"}});
  EXPECT_THROW(db->transaction([&](Transaction& tx) {
    u.association("teams").add(t, {.transaction = &tx});
    EXPECT_TRUE(u.association("teams").has(t, &tx));
    throw std::runtime_error("abort");
  }),
               std::runtime_error);
  EXPECT_FALSE(u.association("teams").has(t));
}

// ------------------------------------------------------------- seed 002

TEST_F(Assoc, Seed002MediumReadingList) {
  auto& MediumUser = db->define("MediumUser", {{"name", STRING}});
  auto& MediumArticle = db->define(
      "MediumArticle", {{"title", STRING}, {"authorId", INTEGER.references("MediumUsers", "id")}});
  auto& MediumReadingList =
      db->define("MediumReadingList", {{"userId", INTEGER.references("MediumUsers", "id")},
                                       {"articleId", INTEGER.references("MediumArticles", "id")}});
  MediumUser.belongsToMany(
      MediumArticle, {.through = MediumReadingList, .as = "reading_list", .foreignKey = "userId"});
  MediumArticle.belongsToMany(
      MediumUser, {.through = MediumReadingList, .as = "articles", .foreignKey = "articleId"});
  db->sync({.force = true});
  auto u = MediumUser.create({{"name", "reader"}});
  auto a1 = MediumArticle.create({{"title", "one"}});
  auto a2 = MediumArticle.create({{"title", "two"}});
  u.association("reading_list").add(std::vector<Instance>{a1, a2});
  auto users = MediumUser.findAll(
      {.include = {
           {.model = MediumArticle, .as = "reading_list", .through = {.attributes = none}}}});
  ASSERT_EQ(users.size(), 1u);
  auto list = users[0].toJSON()["reading_list"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_FALSE(list[0].contains("MediumReadingList"));
  EXPECT_EQ(list[1]["title"], "two");
}

TEST_F(Assoc, Seed002InstagramFollowers) {
  auto& User = db->define("User", {{"name", STRING}});
  auto& UserFollower =
      db->define("UserFollower", {{"userId", INTEGER.references("Users", "id")},
                                  {"followerId", INTEGER.references("Users", "id")}});
  User.belongsToMany(User, {.through = UserFollower, .as = "followers", .foreignKey = "userId"});
  User.belongsToMany(User,
                     {.through = UserFollower, .as = "following", .foreignKey = "followerId"});
  EXPECT_EQ(User.association("followers").otherKey, "followerId");
  EXPECT_EQ(User.association("following").otherKey, "userId");
  db->sync({.force = true});
  auto ann = User.create({{"name", "ann"}});
  auto bob = User.create({{"name", "bob"}});
  auto cid = User.create({{"name", "cid"}});
  ann.association("followers").add(std::vector<Instance>{bob, cid});  // bob and cid follow ann
  bob.association("following").add(cid);                              // bob follows cid
  auto users = User.findAll(
      {.include = {{.as = "followers", .attributes = {"name"}, .through = {.attributes = none}},
                   {.as = "following", .attributes = {"name"}, .through = {.attributes = none}}},
       .order = {"id"}});
  EXPECT_EQ(users[0].toJSON()["followers"], Json::parse(R"([{"name":"bob"},{"name":"cid"}])"));
  EXPECT_EQ(users[1].toJSON()["following"], Json::parse(R"([{"name":"ann"},{"name":"cid"}])"));
  EXPECT_EQ(users[2].toJSON()["followers"], Json::parse(R"([{"name":"bob"}])"));
  EXPECT_THROW(User.belongsToMany(User, {.through = "Self"}),
               AssociationError);  // both keys "UserId"
}

// --------------------------------------------------- strategies and counts

namespace {
class Loading : public Assoc {
 protected:
  void SetUp() override {
    Assoc::SetUp();
    User = &db->define("user", {{"name", STRING}}, {.timestamps = false});
    Blog = &db->define("blog", {{"title", STRING}}, {.timestamps = false});
    Comment = &db->define("comment", {{"body", STRING}}, {.timestamps = false});
    User->hasMany(*Blog);
    Blog->belongsTo(*User);
    Blog->hasMany(*Comment);
    db->sync({.force = true});
  }
  void seed(int users) {
    std::vector<Record> us, bs, cs;
    for (int u = 1; u <= users; ++u) {
      us.push_back({{"name", "u" + std::to_string(u)}});
      for (int b = 0; b < 2; ++b) bs.push_back({{"title", "t"}, {"userId", u}});
    }
    User->bulkCreate(us);
    Blog->bulkCreate(bs);
    for (int b = 1; b <= users * 2; b += 3) cs.push_back({{"body", "c"}, {"blogId", b}});
    Comment->bulkCreate(cs);
    log.clear();
  }
  Model *User, *Blog, *Comment;
};
}  // namespace

TEST_F(Loading, StatementCountDoesNotGrowWithRows) {
  for (int n : {10, 1000}) {
    db->drop();
    db->sync({.force = true});
    seed(n);
    auto users = User->findAll({.include = {{.model = *Blog, .include = {{.model = *Comment}}}}});
    EXPECT_EQ(users.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(log.size(), 3u) << n << " parents: 1 + two to-many include nodes";
  }
}

TEST_F(Loading, JoinAndSeparateStrategiesAgree) {
  seed(7);
  auto separate = User->findAll(
      {.include = {{.model = *Blog, .include = {{.model = *Comment}}}}, .order = {"id"}});
  log.clear();
  auto joined =
      User->findAll({.include = {{.model = *Blog,
                                  .include = {{.model = *Comment, .strategy = LoadStrategy::Join}},
                                  .strategy = LoadStrategy::Join}},
                     .order = {"id"}});
  EXPECT_EQ(log.size(), 1u);
  EXPECT_EQ(json(joined), json(separate));
  // limit counts parents under both strategies.
  auto pageSep =
      User->findAll({.include = {{.model = *Blog}}, .order = {"id"}, .limit = 2, .offset = 1});
  auto pageJoin = User->findAll({.include = {{.model = *Blog, .strategy = LoadStrategy::Join}},
                                 .order = {"id"},
                                 .limit = 2,
                                 .offset = 1});
  ASSERT_EQ(pageSep.size(), 2u);
  EXPECT_EQ(json(pageSep), json(pageJoin));
  EXPECT_EQ(pageSep[0].toJSON()["blogs"].size(), 2u);
}

// Joined rows ordered by a child's column: a parent's rows are not adjacent,
// and each blog's comments arrive on rows apart. Every child still lands
// once, under its own parent, whatever the row order.
TEST_F(Loading, JoinedRowsOutOfParentOrderMergeIntoTheirParents) {
  const int users = 4;
  seed(users);
  // Titles that interleave the users' blogs, and three comments per blog.
  std::vector<Record> cs;
  for (int b = 1; b <= users * 2; ++b) {
    Blog->update({{"title", "t" + std::to_string((b * 5) % 9)}}, {.where = {{"id", b}}});
    for (int k = 0; k < 3; ++k)
      cs.push_back({{"body", "b" + std::to_string(b) + "c" + std::to_string(k)}, {"blogId", b}});
  }
  Comment->destroy({.truncate = true});
  Comment->bulkCreate(cs);
  auto joined = User->findAll(
      {.include = {{.model = *Blog,
                    .include = {{.model = *Comment, .strategy = LoadStrategy::Join}},
                    .strategy = LoadStrategy::Join}},
       .order = {{"blogs.title", DESC}, {"blogs->comments.body", DESC}}});
  // The row order really interleaves: user ids along the rows go back.
  ASSERT_EQ(joined.size(), static_cast<std::size_t>(users));
  std::map<std::int64_t, std::int64_t> ownerOf;  // blog → user
  std::map<std::int64_t, std::set<std::string>> bodiesOf;
  for (const auto& u : joined) {
    Json j = u.toJSON();
    ASSERT_EQ(j["blogs"].size(), 2u) << j.dump();
    for (const auto& b : j["blogs"]) {
      auto id = b["id"].get<std::int64_t>();
      EXPECT_TRUE(ownerOf.emplace(id, j["id"].get<std::int64_t>()).second) << "blog " << id << " twice";
      EXPECT_EQ(b["userId"], j["id"]);
      ASSERT_EQ(b["comments"].size(), 3u) << b.dump();
      for (const auto& c : b["comments"]) {
        EXPECT_EQ(c["blogId"], b["id"]);
        EXPECT_TRUE(bodiesOf[id].insert(c["body"].get<std::string>()).second);
      }
    }
  }
  EXPECT_EQ(ownerOf.size(), static_cast<std::size_t>(users * 2));
  EXPECT_NE(joined[0].get<std::int64_t>("id"), 1) << "order by a child column, not by parent";
  // And the same trees as separate loading, once both are sorted by id.
  auto separate = User->findAll({.include = {{.model = *Blog, .include = {{.model = *Comment}}}}});
  auto byId = [](Json j) {
    auto sortIds = [](Json& arr) {
      std::sort(arr.begin(), arr.end(), [](const Json& a, const Json& b) { return a["id"] < b["id"]; });
    };
    sortIds(j);
    for (auto& u : j) {
      sortIds(u["blogs"]);
      for (auto& b : u["blogs"]) sortIds(b["comments"]);
    }
    return j;
  };
  EXPECT_EQ(byId(json(joined)), byId(json(separate)));
}

// With at most one parent (findByPk, findOne) every joined row carries the
// same parent key, so the statement sorts by the children's keys alone;
// several parents are still kept apart by theirs.
TEST_F(Loading, OneParentIsNotSortedByItsOwnKey) {
  seed(3);
  auto orderOf = [](const std::string& sql) {
    auto at = sql.rfind("ORDER BY");  // the outer statement's
    return at == std::string::npos ? std::string() : sql.substr(at);
  };
  auto one = User->findByPk(2, {.include = {{.model = *Blog,
                                             .include = {{.model = *Comment, .strategy = LoadStrategy::Join}},
                                             .strategy = LoadStrategy::Join}}});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(orderOf(log[0]), R"(ORDER BY "blogs"."id" ASC, "blogs->comments"."id" ASC)");
  ASSERT_TRUE(one);
  EXPECT_EQ(json({*one}), Json::parse(R"([{"id":2,"name":"u2","blogs":[
      {"id":3,"title":"t","userId":2,"comments":[]},
      {"id":4,"title":"t","userId":2,"comments":[{"id":2,"body":"c","blogId":4}]}]}])"));
  log.clear();
  auto page = User->findAll({.include = {{.model = *Blog, .strategy = LoadStrategy::Join}},
                             .order = {{"name", DESC}},
                             .limit = 2});
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(orderOf(log[0]), R"(ORDER BY "user"."name" DESC, "user"."id" ASC, "blogs"."id" ASC)");
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].get<std::string>("name"), "u3");
}

TEST_F(Loading, FindAndCountAllCountsDistinctParents) {
  seed(5);
  auto r = User->findAndCountAll(
      {.include = {{.model = *Blog, .strategy = LoadStrategy::Join}}, .limit = 2});
  EXPECT_EQ(r.count, 5);
  EXPECT_EQ(r.rows.size(), 2u);
  auto withComments =
      User->findAndCountAll({.include = {{.model = *Blog,
                                          .required = true,
                                          .include = {{.model = *Comment, .required = true}}}}});
  EXPECT_EQ(withComments.count, static_cast<std::int64_t>(withComments.rows.size()));
}

TEST_F(Loading, RequiredAndWhereFilterParents) {
  seed(3);
  Blog->update({{"title", "special"}}, {.where = {{"id", 3}}});  // user 2's first blog
  auto users = User->findAll({.include = {{.model = *Blog, .where = {{"title", "special"}}}}});
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].get<std::string>("name"), "u2");
  EXPECT_EQ(users[0].toJSON()["blogs"].size(), 1u);
  auto all = User->findAll(
      {.include = {{.model = *Blog, .where = {{"title", "special"}}, .required = false}}});
  EXPECT_EQ(all.size(), 3u);
  EXPECT_THROW(User->findAll({.include = {{.model = *Blog, .where = {{"nope", 1}}}}}), UsageError);
  EXPECT_THROW(User->findAll({.include = {{.model = *Comment}}}), AssociationError);
  EXPECT_THROW(User->findAll({.include = {{.as = "nope"}}}), AssociationError);
}

TEST_F(Loading, StrictLoadingCatchesNPlusOne) {
  seed(2);
  Database strict(test::databaseUrl(), {.strictLoading = true});
  auto& U = strict.define("user", {{"name", STRING}}, {.timestamps = false});
  auto& B = strict.define("blog", {{"title", STRING}}, {.timestamps = false});
  U.hasMany(B);
  auto users = U.findAll();
  EXPECT_THROW(users[0].related("blogs"), AssociationError);
  auto loaded = U.findAll({.include = {{.model = B}}});
  EXPECT_EQ(loaded[0].related("blogs").size(), 2u);
  // Not strict: related() loads on first use.
  auto lazy = User->findAll({.order = {"id"}});
  log.clear();
  EXPECT_EQ(lazy[0].related("blogs").size(), 2u);
  EXPECT_EQ(log.size(), 1u);
  EXPECT_EQ(lazy[0].related("blogs").size(), 2u);
  EXPECT_EQ(log.size(), 1u) << "kept after the first load";
  auto blog = Blog->findByPk(1);
  ASSERT_NE(blog->relatedOne("user"), nullptr);
  EXPECT_EQ(blog->relatedOne("user")->get<std::string>("name"), "u1");
}

TEST_F(Loading, HasManyAndBelongsToHelpers) {
  seed(2);
  auto u1 = *User->findByPk(1);
  auto h = u1.association("blogs");
  EXPECT_EQ(h.count(), 2);
  auto created = h.create({{"title", "fresh"}});
  EXPECT_EQ(created.get<int>("userId"), 1);
  EXPECT_EQ(h.count(), 3);
  h.remove(created);
  EXPECT_EQ(h.count(), 2);
  EXPECT_TRUE(Blog->findByPk(created["id"])->get("userId").isNull());
  h.set(std::vector<Value>{created["id"]});
  EXPECT_EQ(h.count(), 1);
  auto blog = *Blog->findByPk(1);
  blog.association("user").set(Value(2));
  EXPECT_EQ(blog.association("user").getOne()->get<std::string>("name"), "u2");
  EXPECT_THROW(blog.association("user").add(Value(1)), UsageError);
}

TEST_F(Loading, ReloadWithIncludeLoadsTheAssociations) {
  seed(2);
  auto u1 = *User->findByPk(1);
  Blog->create({{"title", "later"}, {"userId", 1}});
  u1.reload({.include = {{.model = *Blog}}});
  ASSERT_TRUE(u1.isLoaded("blogs"));
  ASSERT_EQ(u1.related("blogs").size(), 3u);
  EXPECT_EQ(u1.toJSON()["blogs"][2]["title"], "later");
  User->destroy({.where = {{"id", 1}}});
  EXPECT_THROW(u1.reload({.include = {{.model = *Blog}}}), EmptyResultError);
}

// ------------------------------------------------------------------ hooks

TEST_F(Assoc, HooksRunInSequelizesOrder) {
  std::vector<std::string> calls;
  auto hook = [&](const char* name) {
    return [&calls, name](Instance&) { calls.push_back(name); };
  };
  auto& Note = db->define("note", {{"content", STRING.allowNull(false)}, {"slug", STRING}},
                          {.hooks = {.beforeValidate = {hook("beforeValidate")},
                                     .afterValidate = {hook("afterValidate")},
                                     .beforeCreate = {[&](Instance& i) {
                                       calls.push_back("beforeCreate");
                                       i.set("slug", i.get<std::string>("content") + "-slug");
                                     }},
                                     .afterCreate = {hook("afterCreate")},
                                     .beforeUpdate = {hook("beforeUpdate")},
                                     .afterUpdate = {hook("afterUpdate")},
                                     .beforeSave = {hook("beforeSave")},
                                     .afterSave = {hook("afterSave")},
                                     .beforeDestroy = {hook("beforeDestroy")},
                                     .afterDestroy = {hook("afterDestroy")}}});
  Note.sync({.force = true});
  auto n = Note.create({{"content", "a"}});
  EXPECT_EQ(n.get<std::string>("slug"), "a-slug");
  EXPECT_EQ(calls, (std::vector<std::string>{"beforeValidate", "afterValidate", "beforeCreate",
                                             "beforeSave", "afterCreate", "afterSave"}));
  calls.clear();
  n.update({{"content", "b"}});
  EXPECT_EQ(calls, (std::vector<std::string>{"beforeValidate", "afterValidate", "beforeUpdate",
                                             "beforeSave", "afterUpdate", "afterSave"}));
  calls.clear();
  n.destroy();
  EXPECT_EQ(calls, (std::vector<std::string>{"beforeDestroy", "afterDestroy"}));
  // A throwing before-hook aborts; a throwing after-hook rolls the write back.
  Note.addHook(HookType::BeforeCreate, [](Instance& i) {
    if (i.get<std::string>("content") == "forbidden") throw std::invalid_argument("no");
  });
  EXPECT_THROW(Note.create({{"content", "forbidden"}}), std::invalid_argument);
  Note.addHook(HookType::AfterCreate, [](Instance& i) {
    if (i.get<std::string>("content") == "undo") throw std::runtime_error("undo");
  });
  EXPECT_THROW(Note.create({{"content", "undo"}}), std::runtime_error);
  EXPECT_EQ(Note.count(), 0);
  calls.clear();
  Note.create({{"content", "quiet"}}, {.hooks = false});
  EXPECT_TRUE(calls.empty());
}

TEST_F(Loading, IncludeOrderHonoursNullsPlacement) {
  seed(1);
  Blog->create({{"title", nullptr}, {"userId", 1}});
  Blog->update({{"title", "a"}}, {.where = {{"id", 1}}});
  for (auto strategy : {LoadStrategy::Separate, LoadStrategy::Join}) {
    auto u = User->findByPk(1, {.include = {{.model = *Blog, .order = {{"title", "DESC NULLS LAST"}}, .strategy = strategy}}});
    auto blogs = u->toJSON()["blogs"];
    ASSERT_EQ(blogs.size(), 3u);
    EXPECT_EQ(blogs[0]["title"], "t");
    EXPECT_EQ(blogs[1]["title"], "a");
    EXPECT_TRUE(blogs[2]["title"].is_null());
  }
}
