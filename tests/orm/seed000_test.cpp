// Seed 000 (Full Stack Open part 13c), translated line for line: notes and
// users, teams through memberships, marked notes through user_notes, eager
// and lazy loading, scopes. The same on SQLite and PostgreSQL.
#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

class Seed000 : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(),
        DatabaseOptions{.logging = [this](const QueryEvent& e) { log.emplace_back(e.sql); }});
    User = &db->define(
        "user",
        {
            {"id", INTEGER.primaryKey().autoIncrement()},
            {"username", STRING.unique().allowNull(false)},
            {"name", STRING.allowNull(false)},
            {"admin", BOOLEAN.defaultValue(false)},
            {"disabled", BOOLEAN.defaultValue(false)},
        },
        {.underscored = true,
         .timestamps = false,
         .defaultScope = {.where = {{"disabled", false}}},
         .scopes = {{"admin", {.where = {{"admin", true}}}},
                    {"disabled", {.where = {{"disabled", true}}}},
                    {"name", {.method = [](const std::vector<Value>& v) -> Scope {
                       return {.where = {{"name", Op::iLike(v.at(0).as<std::string>())}}};
                     }}}}});
    Note = &db->define("note",
                       {
                           {"id", INTEGER.primaryKey().autoIncrement()},
                           {"content", TEXT.allowNull(false)},
                           {"important", BOOLEAN},
                           {"date", DATE},
                       },
                       {.underscored = true, .timestamps = false});
    Team = &db->define(
        "team",
        {{"id", INTEGER.primaryKey().autoIncrement()}, {"name", TEXT.allowNull(false).unique()}},
        {.underscored = true, .timestamps = false});
    Membership = &db->define("membership",
                             {
                                 {"id", INTEGER.primaryKey().autoIncrement()},
                                 {"userId", INTEGER.allowNull(false).references("users", "id")},
                                 {"teamId", INTEGER.allowNull(false).references("teams", "id")},
                             },
                             {.underscored = true, .timestamps = false});
    UserNotes = &db->define("user_notes",
                            {
                                {"id", INTEGER.primaryKey().autoIncrement()},
                                {"userId", INTEGER.allowNull(false).references("users", "id")},
                                {"noteId", INTEGER.allowNull(false).references("notes", "id")},
                            },
                            {.underscored = true, .timestamps = false});

    Note->belongsTo(*User);
    User->hasMany(*Note);
    User->belongsToMany(*Team, {.through = *Membership});
    Team->belongsToMany(*User, {.through = *Membership});
    User->belongsToMany(*Note, {.through = *UserNotes, .as = "marked_notes"});
    Note->belongsToMany(*User, {.through = *UserNotes, .as = "users_marked"});
    db->sync({.force = true});

    // insert into ... as in the course.
    matti = User->create({{"username", "mluukkai"}, {"name", "Matti Luukkainen"}})["id"];
    kalle = User->create({{"username", "lynx"}, {"name", "Kalle Ilves"}})["id"];
    jami = User->create({{"username", "jakousa"}, {"name", "Jami Kousa"}})["id"];
    User->unscoped().update({{"disabled", true}}, {.where = {{"id", jami}}});
    User->update({{"admin", true}}, {.where = {{"id", matti}}});
    Note->create({{"content", "HTML is easy"}, {"important", true}, {"userId", matti}});
    Note->create({{"content", "Browser can execute only JavaScript"},
                  {"important", false},
                  {"userId", matti}});
    Note->create({{"content", "GET and POST"}, {"important", true}, {"userId", kalle}});
    auto toska = Team->create({{"name", "toska"}})["id"];
    auto mosa = Team->create({{"name", "mosa climbers"}})["id"];
    Membership->bulkCreate({{{"userId", matti}, {"teamId", toska}},
                            {{"userId", matti}, {"teamId", mosa}},
                            {{"userId", kalle}, {"teamId", toska}},
                            {{"userId", jami}, {"teamId", mosa}}});
    UserNotes->bulkCreate({{{"userId", kalle}, {"noteId", 1}}, {{"userId", kalle}, {"noteId", 2}}});
    log.clear();
  }
  void TearDown() override {
    if (db) db->drop();
  }

  std::unique_ptr<Database> db;
  std::vector<std::string> log;
  Model *User, *Note, *Team, *Membership, *UserNotes;
  Value matti, kalle, jami;
};

}  // namespace

TEST_F(Seed000, ForeignKeysAndNamesFollowSequelize) {
  EXPECT_EQ(Note->attribute("userId").column, "user_id");  // added by belongsTo
  const Association& teams = User->association("teams");
  EXPECT_EQ(teams.foreignKey, "userId");
  EXPECT_EQ(teams.otherKey, "teamId");
  const Association& marked = User->association("marked_notes");
  EXPECT_EQ(marked.foreignKey, "userId");
  EXPECT_EQ(marked.otherKey, "noteId");
  EXPECT_EQ(User->association("notes").foreignKey, "userId");
  EXPECT_EQ(Note->association("user").foreignKey, "userId");
  EXPECT_THROW(User->hasMany(*Note), AssociationError);                  // "notes" again
  EXPECT_THROW(User->hasMany(*Team, {.as = "name"}), AssociationError);  // an attribute
  EXPECT_THROW(User->association("nope"), AssociationError);
}

TEST_F(Seed000, UsersWithNotesAndTeams) {
  // router.get('/') with include: [{model: Note, attributes: {exclude: ['userId']}},
  //                                {model: Team, attributes: ['name', 'id'], through: {attributes:
  //                                []}}]
  auto users = User->findAll(
      {.include = {{.model = *Note, .attributes = exclude({"userId"})},
                   {.model = *Team, .attributes = {"name", "id"}, .through = {.attributes = none}}},
       .order = {"id"}});
  ASSERT_EQ(users.size(), 2u);  // jami is disabled: the default scope hides him
  Json expected = Json::parse(R"([
    {"id":1,"username":"mluukkai","name":"Matti Luukkainen","admin":true,"disabled":false,
     "notes":[{"id":1,"content":"HTML is easy","important":true,"date":null},
              {"id":2,"content":"Browser can execute only JavaScript","important":false,"date":null}],
     "teams":[{"name":"toska","id":1},{"name":"mosa climbers","id":2}]},
    {"id":2,"username":"lynx","name":"Kalle Ilves","admin":false,"disabled":false,
     "notes":[{"id":3,"content":"GET and POST","important":true,"date":null}],
     "teams":[{"name":"toska","id":1}]}])");
  Json actual = Json::array();
  for (auto& u : users) actual.push_back(u.toJSON());
  EXPECT_EQ(actual, expected) << actual.dump(2);
  EXPECT_EQ(log.size(), 3u) << "1 + one query per to-many include";
}

TEST_F(Seed000, ThroughRowsAppearUnlessHidden) {
  auto users =
      User->findAll({.include = {{.model = *Team, .attributes = {"name"}}}, .order = {"id"}});
  auto j = users[0].toJSON();
  EXPECT_EQ(j["teams"][0],
            Json::parse(R"({"name":"toska","membership":{"id":1,"userId":1,"teamId":1}})"));
}

TEST_F(Seed000, SingleUserWithMarkedNotesAndTheirAuthors) {
  // attributes: { exclude: [""] } is a no-op in Sequelize: the translation omits it.
  auto user = User->findByPk(
      kalle,
      {.include = {
           {.model = *Note, .attributes = exclude({"userId"})},
           {.model = *Note,
            .as = "marked_notes",
            .attributes = exclude({"userId"}),
            .through = {.attributes = none},
            .include = {{.model = *User, .attributes = {"name"}}}},
           {.model = *Team, .attributes = {"name", "id"}, .through = {.attributes = none}}}});
  ASSERT_TRUE(user);
  Json j = user->toJSON();
  EXPECT_EQ(j["marked_notes"], Json::parse(R"([
      {"id":1,"content":"HTML is easy","important":true,"date":null,"user":{"name":"Matti Luukkainen"}},
      {"id":2,"content":"Browser can execute only JavaScript","important":false,"date":null,"user":{"name":"Matti Luukkainen"}}])"))
      << j.dump(2);
  EXPECT_EQ(j["notes"].size(), 1u);
  EXPECT_EQ(j["teams"], Json::parse(R"([{"name":"toska","id":1}])"));
}

TEST_F(Seed000, EagerAndLazyFetch) {
  auto user = User->findByPk(matti, {.include = {{.model = *Note}}});
  ASSERT_TRUE(user);
  std::vector<std::string> contents;
  for (const auto& n : user->related("notes")) contents.push_back(n.get<std::string>("content"));
  EXPECT_EQ(contents.size(), 2u);
  // teams = await user.getTeams({attributes: ['name'], joinTableAttributes: []})
  log.clear();
  auto teams =
      user->association("teams").get({.attributes = {"name"}, .joinTableAttributes = none});
  EXPECT_EQ(log.size(), 1u);
  Json tj = Json::array();
  for (auto& t : teams) tj.push_back(t.toJSON());
  EXPECT_EQ(tj, Json::parse(R"([{"name":"toska"},{"name":"mosa climbers"}])"));
  // res.json({ ...user.toJSON(), teams })
  Json combined = user->toJSON();
  combined["teams"] = tj;
  EXPECT_EQ(combined["notes"].size(), 2u);
  EXPECT_EQ(combined["teams"].size(), 2u);
}

TEST_F(Seed000, NotesWithTheirUser) {
  auto notes = Note->findAll({.attributes = exclude({"userId"}),
                              .include = {{.model = *User, .attributes = {"name"}}},
                              .where = {{"important", true}},
                              .order = {"id"}});
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0].toJSON()["user"], Json::parse(R"({"name":"Matti Luukkainen"})"));
  EXPECT_EQ(notes[1].toJSON()["user"], Json::parse(R"({"name":"Kalle Ilves"})"));
  EXPECT_EQ(log.size(), 1u) << "belongsTo is joined";
}

TEST_F(Seed000, Scopes) {
  EXPECT_EQ(User->findAll().size(), 2u);                 // WHERE disabled = false
  EXPECT_EQ(User->scope("admin").findAll().size(), 1u);  // scope replaces the default
  auto disabled = User->scope("disabled").findAll();
  ASSERT_EQ(disabled.size(), 1u);
  EXPECT_EQ(disabled[0].get<std::string>("username"), "jakousa");
  auto jamis = User->scope(method("name", "%jami%")).findAll();
  ASSERT_EQ(jamis.size(), 1u);
  EXPECT_EQ(User->scope("admin", method("name", "%jami%")).findAll().size(), 0u);  // chained: AND
  EXPECT_EQ(User->scope("admin", method("name", "%matti%")).findAll().size(), 1u);
  EXPECT_EQ(User->unscoped().findAll().size(), 3u);
  EXPECT_EQ(User->unscoped().count(), 3);
  EXPECT_EQ(User->count(), 2);
  EXPECT_FALSE(User->findByPk(jami));
  EXPECT_TRUE(User->unscoped().findByPk(jami));
  EXPECT_EQ(User->scope("defaultScope", "admin").findAll().size(), 1u);
  EXPECT_THROW(User->scope("nope"), UsageError);
  // A default scope also applies where the model is included.
  auto teams =
      Team->findAll({.include = {{.model = *User, .attributes = {"username"}}}, .order = {"id"}});
  EXPECT_EQ(teams[1].toJSON()["users"].size(), 1u);  // mosa climbers: matti, not jami
}

TEST_F(Seed000, ClassMethodWithNotesGroupsAndCounts) {
  // static with_notes(limit): COUNT(notes.id) over a joined include, grouped, with having.
  auto users = User->findAll({.attributes = include({{fn("COUNT", col("notes.id")), "note_count"}}),
                              .include = {{.model = *Note, .attributes = none}},
                              .group = {"user.id"},
                              .having = literal("COUNT(notes.id) > 1")});
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].get<std::string>("name"), "Matti Luukkainen");
  EXPECT_EQ(users[0].get<int>("note_count"), 2);
}

TEST_F(Seed000, InstanceMethodNumberOfNotes) {
  auto m = User->findOne({.where = {{"name", "Matti Luukkainen"}}});
  EXPECT_EQ(m->association("notes").count(), 2);
  EXPECT_EQ(m->association("notes").get().size(), 2u);
}
