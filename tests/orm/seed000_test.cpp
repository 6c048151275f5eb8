// Seed 000 (Full Stack Open part 13c), translated line for line: notes and
// users, teams through memberships, marked notes through user_notes, eager
// and lazy loading, scopes. The same on SQLite and PostgreSQL.
#include "fixture.hpp"
#include "migrate/support.hpp"
#include "junction/migrate/migration.hpp"
#include "junction/migrate/migrator.hpp"
#include "junction/migrate/query_interface.hpp"

using namespace junction;
using namespace junction::DataTypes;

using junction::test::jsonOf;
using junction::test::withoutTimes;

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

// Sequelize injects an included model's default scope into the include: its
// where filters the include and makes it required, so notes of a disabled
// user are not returned at all; unscoped() or required: false opt out.
TEST_F(Seed000, AnIncludedModelsDefaultScopeFiltersAndRequires) {
  Note->create({{"content", "by jami"}, {"important", false}, {"userId", jami}});
  auto contents = [](const std::vector<Instance>& notes) {
    std::vector<std::string> out;
    for (const auto& n : notes)
      out.push_back(n.get<std::string>("content") + (n.toJSON()["user"].is_null() ? ":null" : ""));
    return out;
  };
  // Note.findAll({ include: { model: User } })
  auto scoped = Note->findAll({.include = {{.model = *User}}, .order = {"id"}});
  EXPECT_EQ(contents(scoped), (std::vector<std::string>{"HTML is easy",
                                                        "Browser can execute only JavaScript",
                                                        "GET and POST"}));
  // include: { model: User.unscoped() }
  auto all = Note->findAll({.include = {{.model = User->unscoped()}}, .order = {"id"}});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[3].toJSON()["user"]["username"], "jakousa");
  // include: { model: User, required: false }: the scope still filters the user
  auto optional = Note->findAll({.include = {{.model = *User, .required = false}}, .order = {"id"}});
  ASSERT_EQ(optional.size(), 4u);
  EXPECT_EQ(contents(optional).back(), "by jami:null");
  // include: { model: User.scope('disabled') }: that scope instead of the default
  auto onlyDisabled =
      Note->findAll({.include = {{.model = User->scope("disabled")}}, .order = {"id"}});
  EXPECT_EQ(contents(onlyDisabled), (std::vector<std::string>{"by jami"}));
  // The same on count.
  EXPECT_EQ(Note->count({.include = {{.model = *User}}}), 3);
}

TEST_F(Seed000, AnIncludedModelsDefaultScopeAttributesApply) {
  Model& Member = db->define("member", {{"name", STRING}, {"secret", STRING}},
                             {.defaultScope = {.attributes = exclude({"secret"})}});
  Model& Club = db->define("club", {{"name", STRING}});
  Club.hasMany(Member);
  db->sync({.force = true});
  auto club = Club.create({{"name", "c"}});
  Member.create({{"name", "m"}, {"secret", "s"}, {"clubId", club["id"]}});
  auto clubs = Club.findAll({.include = {{.model = Member}}});
  ASSERT_EQ(clubs.size(), 1u);
  EXPECT_FALSE(clubs[0].toJSON()["members"][0].contains("secret"));
  auto named = Club.findAll({.include = {{.model = Member, .attributes = {"name", "secret"}}}});
  EXPECT_EQ(named[0].toJSON()["members"][0]["secret"], "s") << "the include's own attributes win";
  auto unscoped = Club.findAll({.include = {{.model = Member.unscoped()}}});
  EXPECT_EQ(unscoped[0].toJSON()["members"][0]["secret"], "s");
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

// ===================================================================
// The chapter in order, before scopes exist (the model as it is from
// "Migrations" to "Concluding remarks"): every code example of seed 000
// that runs against the models, with the exact JSON where the seed shows
// output. The migrations themselves are tests/migrate_qi (SeedMigrations)
// and tests/migrate (migrateSeed, migrateCli).

namespace {


class Seed000Chapter : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(),
        DatabaseOptions{.logging = [this](const QueryEvent& e) { log.emplace_back(e.sql); }});
    // User.init({... admin, disabled ...}, {sequelize, underscored: true, timestamps: false,
    // modelName: 'user'})
    User = &db->define("user",
                       {
                           {"id", INTEGER.primaryKey().autoIncrement()},
                           {"username", STRING.unique().allowNull(false)},
                           {"name", STRING.allowNull(false)},
                           {"admin", BOOLEAN.defaultValue(false)},
                           {"disabled", BOOLEAN.defaultValue(false)},
                       },
                       {.underscored = true, .timestamps = false});
    Note = &db->define("note",
                       {
                           {"id", INTEGER.primaryKey().autoIncrement()},
                           {"content", TEXT.allowNull(false)},
                           {"important", BOOLEAN.allowNull(false)},
                           {"date", DATE},
                       },
                       {.underscored = true, .timestamps = false});
    // class Team extends Model {}; Team.init({...}, {underscored, timestamps: false, modelName:
    // 'team'})
    Team = &db->define("team",
                       {
                           {"id", INTEGER.primaryKey().autoIncrement()},
                           {"name", TEXT.allowNull(false).unique()},
                       },
                       {.underscored = true, .timestamps = false});
    // Membership.init({id, userId: {references: {model: 'users', key: 'id'}}, teamId: ...})
    Membership = &db->define("membership",
                             {
                                 {"id", INTEGER.primaryKey().autoIncrement()},
                                 {"userId", INTEGER.allowNull(false).references("users", "id")},
                                 {"teamId", INTEGER.allowNull(false).references("teams", "id")},
                             },
                             {.underscored = true, .timestamps = false});
    // UserNotes.init({...}, {..., modelName: 'user_notes'})
    UserNotes = &db->define("user_notes",
                            {
                                {"id", INTEGER.primaryKey().autoIncrement()},
                                {"userId", INTEGER.allowNull(false).references("users", "id")},
                                {"noteId", INTEGER.allowNull(false).references("notes", "id")},
                            },
                            {.underscored = true, .timestamps = false});
    // models/index.js
    Note->belongsTo(*User);
    User->hasMany(*Note);
    User->belongsToMany(*Team, {.through = *Membership});
    Team->belongsToMany(*User, {.through = *Membership});
    User->belongsToMany(*Note, {.through = *UserNotes, .as = "marked_notes"});
    Note->belongsToMany(*User, {.through = *UserNotes, .as = "users_marked"});
    db->sync({.force = true});

    // "Let's create a few users in the database, as well as a set of notes"
    User->create({{"username", "mluukkai"}, {"name", "Matti Luukkainen"}});
    User->create({{"username", "lynx"}, {"name", "Kalle Ilves"}});
    User->create({{"username", "jakousa"}, {"name", "Jami Kousa"}});
    Note->create({{"content", "HTML is easy"}, {"important", true}, {"userId", 1}});
    Note->create(
        {{"content", "Browser can execute only JavaScript"}, {"important", false}, {"userId", 1}});
    Note->create({{"content", "GET and POST"}, {"important", true}, {"userId", 2}});
    // The psql lines of the chapter, as written (snake_case columns, as the migrations made them).
    db->query("update users set disabled=true where id=3");
    db->query("update users set admin=true where id=1");
    db->query("insert into teams (name) values ('toska')");
    db->query("insert into teams (name) values ('mosa climbers')");
    db->query("insert into memberships (user_id, team_id) values (1, 1)");
    db->query("insert into memberships (user_id, team_id) values (1, 2)");
    db->query("insert into memberships (user_id, team_id) values (2, 1)");
    db->query("insert into memberships (user_id, team_id) values (3, 2)");
    db->query("insert into user_notes (user_id, note_id) values (2, 1)");
    db->query("insert into user_notes (user_id, note_id) values (2, 2)");
    log.clear();
  }
  void TearDown() override {
    if (db) db->drop();
  }

  struct Response {
    int status = 200;
    Json body;
  };

  // loginRouter.post('/', ...), line for line; the token is the payload it would sign.
  Response login(const Json& body) {
    auto user = User->findOne({.where = {{"username", fromJson(body["username"])}}});
    const bool passwordCorrect = body["password"] == "secret";
    if (!(user && passwordCorrect)) return {401, Json{{"error", "invalid username or password"}}};
    if (user->get<bool>("disabled"))
      return {401, Json{{"error", "account disabled, please contact admin"}}};
    Json userForToken = {{"username", toJson(user->get("username"))},
                         {"id", toJson(user->get("id"))}};
    return {200, Json{{"token", userForToken},
                      {"username", toJson(user->get("username"))},
                      {"name", toJson(user->get("name"))}}};
  }

  // isAdmin, then router.put('/:username', tokenExtractor, isAdmin, ...), line for line.
  Response putUser(const Value& decodedTokenId, const std::string& username, const Json& body) {
    auto admin = User->findByPk(decodedTokenId);
    if (!admin->get<bool>("admin")) return {401, Json{{"error", "operation not allowed"}}};
    auto user = User->findOne({.where = {{"username", username}}});
    if (user) {
      user->set("disabled", fromJson(body["disabled"]));
      user->save();
      return {200, user->toJSON()};
    }
    return {404, nullptr};
  }

  std::unique_ptr<Database> db;
  std::vector<std::string> log;
  Model *User, *Note, *Team, *Membership, *UserNotes;
};

}  // namespace

TEST_F(Seed000Chapter, ModelsIndexBelongsToHasManyAndSync) {
  // Note.belongsTo(User); User.hasMany(Note); Note.sync({alter: true}); User.sync({alter: true})
  // junction has no `alter` (schema changes are migrations, as the chapter goes on to say);
  // sync() creates what is missing and leaves existing tables and rows alone.
  EXPECT_EQ(Note->attribute("userId").column, "user_id");
  EXPECT_EQ(Note->association("user").type, AssociationType::BelongsTo);
  EXPECT_EQ(User->association("notes").type, AssociationType::HasMany);
  Note->sync();
  User->sync();
  EXPECT_EQ(Note->count(), 3);
  EXPECT_EQ(User->count(), 3);
}

TEST_F(Seed000Chapter, UserModelNamesMatchTheMigrations) {
  // underscored: true, timestamps: false, modelName: 'user' → table users, snake_case columns.
  EXPECT_EQ(User->tableName(), "users");
  EXPECT_EQ(User->createdAtAttribute(), "");
  EXPECT_EQ(User->updatedAtAttribute(), "");
  std::vector<std::string> columns;
  for (const auto& a : User->attributes()) columns.push_back(a.column);
  EXPECT_EQ(columns, (std::vector<std::string>{"id", "username", "name", "admin", "disabled"}));
  auto built = User->build({{"username", "new"}, {"name", "New"}});
  EXPECT_EQ(built.get<bool>("admin"), false);
  EXPECT_EQ(built.get<bool>("disabled"), false);
  // The unique username of the migration.
  EXPECT_THROW(User->create({{"username", "lynx"}, {"name", "Other Lynx"}}), UniqueConstraintError);
}

TEST_F(Seed000Chapter, SqlUpdatesDisableJakousaAndMakeMattiAdmin) {
  // update users set disabled=true where id=3; update users set admin=true where id=1;
  // select * from users;   (psql prints them in heap order; here by id)
  EXPECT_EQ(jsonOf(User->findAll({.order = {"id"}})), Json::parse(R"([
    {"id":1,"username":"mluukkai","name":"Matti Luukkainen","admin":true,"disabled":false},
    {"id":2,"username":"lynx","name":"Kalle Ilves","admin":false,"disabled":false},
    {"id":3,"username":"jakousa","name":"Jami Kousa","admin":false,"disabled":true}])"));
}

TEST_F(Seed000Chapter, LoginRefusesWrongPasswordsAndDisabledAccounts) {
  Response ok = login(Json{{"username", "mluukkai"}, {"password", "secret"}});
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, Json::parse(R"({"token":{"username":"mluukkai","id":1},
                                     "username":"mluukkai","name":"Matti Luukkainen"})"));
  Response wrong = login(Json{{"username", "mluukkai"}, {"password", "wrong"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.body, Json::parse(R"({"error":"invalid username or password"})"));
  Response nobody = login(Json{{"username", "nobody"}, {"password", "secret"}});
  EXPECT_EQ(nobody.body, Json::parse(R"({"error":"invalid username or password"})"));
  Response disabled = login(Json{{"username", "jakousa"}, {"password", "secret"}});
  EXPECT_EQ(disabled.status, 401);
  EXPECT_EQ(disabled.body, Json::parse(R"({"error":"account disabled, please contact admin"})"));
}

TEST_F(Seed000Chapter, AdminReenablesAUserWithPut) {
  // PUT /api/users/jakousa {"disabled": false} by a non-admin (lynx, id 2): refused.
  Response refused = putUser(2, "jakousa", Json::parse(R"({"disabled": false})"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.body, Json::parse(R"({"error":"operation not allowed"})"));
  EXPECT_TRUE(User->findByPk(3)->get<bool>("disabled"));
  // ... by the admin (mluukkai, id 1): user.disabled = req.body.disabled; await user.save()
  log.clear();
  Response done = putUser(1, "jakousa", Json::parse(R"({"disabled": false})"));
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(done.body, Json::parse(R"({"id":3,"username":"jakousa","name":"Jami Kousa",
                                       "admin":false,"disabled":false})"));
  ASSERT_EQ(log.size(), 3u) << "findByPk, findOne, one UPDATE";
  EXPECT_NE(log[2].find("UPDATE"), std::string::npos) << log[2];
  EXPECT_EQ(log[2].find("username"), std::string::npos) << "only the changed column: " << log[2];
  EXPECT_FALSE(User->findByPk(3)->get<bool>("disabled"));
  EXPECT_EQ(login(Json{{"username", "jakousa"}, {"password", "secret"}}).status, 200);
  EXPECT_EQ(putUser(1, "nobody", Json::parse(R"({"disabled": true})")).status, 404);
}

TEST_F(Seed000Chapter, TeamAndMembershipModelsMatchTheMigration) {
  EXPECT_EQ(Team->tableName(), "teams");
  EXPECT_EQ(Membership->tableName(), "memberships");
  EXPECT_EQ(Membership->attribute("userId").column, "user_id");
  EXPECT_EQ(Membership->attribute("teamId").column, "team_id");
  EXPECT_EQ(UserNotes->tableName(), "user_notes");
  EXPECT_EQ(UserNotes->attribute("noteId").column, "note_id");
  // The rows inserted from psql with snake_case columns read back through the camelCase model.
  EXPECT_EQ(jsonOf(Membership->findAll({.order = {"id"}})), Json::parse(R"([
    {"id":1,"userId":1,"teamId":1},{"id":2,"userId":1,"teamId":2},
    {"id":3,"userId":2,"teamId":1},{"id":4,"userId":3,"teamId":2}])"));
  // name: {unique: true}; userId: {allowNull: false}.
  EXPECT_THROW(Team->create({{"name", "toska"}}), UniqueConstraintError);
  EXPECT_THROW(Membership->create({{"teamId", 1}}), ValidationError);
}

TEST_F(Seed000Chapter, BelongsToManyThroughMembershipBothWays) {
  // User.belongsToMany(Team, { through: Membership }); Team.belongsToMany(User, { through:
  // Membership })
  const Association& teams = User->association("teams");
  EXPECT_EQ(teams.through, Membership);
  EXPECT_EQ(teams.foreignKey, "userId");
  EXPECT_EQ(teams.otherKey, "teamId");
  const Association& users = Team->association("users");
  EXPECT_EQ(users.through, Membership);
  EXPECT_EQ(users.foreignKey, "teamId");
  EXPECT_EQ(users.otherKey, "userId");
  auto mosa = Team->findOne(
      {.include = {{.model = *User, .attributes = {"username"}, .through = {.attributes = none}}},
       .where = {{"name", "mosa climbers"}}});
  EXPECT_EQ(mosa->toJSON(), Json::parse(R"({"id":2,"name":"mosa climbers",
      "users":[{"username":"mluukkai"},{"username":"jakousa"}]})"));
}

TEST_F(Seed000Chapter, UsersRouteWithTeamsShowsTheMembershipRow) {
  // The first version of router.get('/'): no `through`, so each team carries its membership row
  // ("The result also comes with the attributes of the corresponding row of the connection
  // table").
  auto users = User->findAll({.include = {{.model = *Note, .attributes = exclude({"userId"})},
                                          {.model = *Team, .attributes = {"name", "id"}}},
                              .order = {"id"}});
  EXPECT_EQ(jsonOf(users), Json::parse(R"([
    {"id":1,"username":"mluukkai","name":"Matti Luukkainen","admin":true,"disabled":false,
     "notes":[{"id":1,"content":"HTML is easy","important":true,"date":null},
              {"id":2,"content":"Browser can execute only JavaScript","important":false,"date":null}],
     "teams":[{"name":"toska","id":1,"membership":{"id":1,"userId":1,"teamId":1}},
              {"name":"mosa climbers","id":2,"membership":{"id":2,"userId":1,"teamId":2}}]},
    {"id":2,"username":"lynx","name":"Kalle Ilves","admin":false,"disabled":false,
     "notes":[{"id":3,"content":"GET and POST","important":true,"date":null}],
     "teams":[{"name":"toska","id":1,"membership":{"id":3,"userId":2,"teamId":1}}]},
    {"id":3,"username":"jakousa","name":"Jami Kousa","admin":false,"disabled":true,
     "notes":[],
     "teams":[{"name":"mosa climbers","id":2,"membership":{"id":4,"userId":3,"teamId":2}}]}])"))
      << jsonOf(users).dump(2);
}

TEST_F(Seed000Chapter, UsersRouteWithThroughAttributesNoneHidesIt) {
  // through: { attributes: [] }
  auto users = User->findAll(
      {.include = {{.model = *Note, .attributes = exclude({"userId"})},
                   {.model = *Team, .attributes = {"name", "id"}, .through = {.attributes = none}}},
       .order = {"id"}});
  EXPECT_EQ(jsonOf(users), Json::parse(R"([
    {"id":1,"username":"mluukkai","name":"Matti Luukkainen","admin":true,"disabled":false,
     "notes":[{"id":1,"content":"HTML is easy","important":true,"date":null},
              {"id":2,"content":"Browser can execute only JavaScript","important":false,"date":null}],
     "teams":[{"name":"toska","id":1},{"name":"mosa climbers","id":2}]},
    {"id":2,"username":"lynx","name":"Kalle Ilves","admin":false,"disabled":false,
     "notes":[{"id":3,"content":"GET and POST","important":true,"date":null}],
     "teams":[{"name":"toska","id":1}]},
    {"id":3,"username":"jakousa","name":"Jami Kousa","admin":false,"disabled":true,
     "notes":[],
     "teams":[{"name":"mosa climbers","id":2}]}])"))
      << jsonOf(users).dump(2);
  EXPECT_EQ(log.size(), 3u) << "1 + one query per to-many include";
}

TEST_F(Seed000Chapter, UserNotesPropertyForEach) {
  // const user = await User.findByPk(1, { include: { model: Note } })
  // user.notes.forEach(note => { console.log(note.content) })
  auto user = User->findByPk(1, {.include = {{.model = *Note}}});
  ASSERT_TRUE(user);
  std::vector<std::string> printed;
  for (const auto& note : user->related("notes"))
    printed.push_back(note.get<std::string>("content"));
  EXPECT_EQ(printed,
            (std::vector<std::string>{"HTML is easy", "Browser can execute only JavaScript"}));
}

TEST_F(Seed000Chapter, UserTeamsPropertyForEach) {
  // const user = await User.findByPk(1, { include: { model: team } })
  // user.teams.forEach(team => { console.log(team.name) })
  auto user = User->findByPk(1, {.include = {{.model = *Team}}});
  ASSERT_TRUE(user);
  std::vector<std::string> printed;
  for (const auto& team : user->related("teams")) printed.push_back(team.get<std::string>("name"));
  EXPECT_EQ(printed, (std::vector<std::string>{"toska", "mosa climbers"}));
}

TEST_F(Seed000Chapter, AddingNoteCountToTheInstanceIsRefused) {
  // user.note_count = user.notes.length; delete user.notes; res.json(user)
  // "this approach does not work": in Sequelize silently, here loudly.
  auto user = User->findByPk(1, {.include = {{.model = *Note}}});
  ASSERT_TRUE(user);
  EXPECT_THROW(user->set("note_count", static_cast<std::int64_t>(user->related("notes").size())),
               UsageError);
  EXPECT_FALSE(user->toJSON().contains("note_count"));
  EXPECT_EQ(user->toJSON()["notes"].size(), 2u);
}

TEST_F(Seed000Chapter, NewObjectWithNoteCount) {
  // res.json({ username: user.username, name: user.name, note_count: user.notes.length })
  auto user = User->findByPk(1, {.include = {{.model = *Note}}});
  ASSERT_TRUE(user);
  Json body = {{"username", toJson(user->get("username"))},
               {"name", toJson(user->get("name"))},
               {"note_count", user->related("notes").size()}};
  EXPECT_EQ(body,
            Json::parse(R"({"username":"mluukkai","name":"Matti Luukkainen","note_count":2})"));
}

TEST_F(Seed000Chapter, MarkedNotesAndUsersMarkedAliases) {
  // User.belongsToMany(Note, { through: UserNotes, as: 'marked_notes' })
  // Note.belongsToMany(User, { through: UserNotes, as: 'users_marked' })
  const Association& marked = User->association("marked_notes");
  EXPECT_EQ(marked.through, UserNotes);
  EXPECT_EQ(marked.foreignKey, "userId");
  EXPECT_EQ(marked.otherKey, "noteId");
  const Association& markers = Note->association("users_marked");
  EXPECT_EQ(markers.foreignKey, "noteId");
  EXPECT_EQ(markers.otherKey, "userId");
  // "notes" is still the hasMany: the alias is what keeps them apart.
  EXPECT_EQ(User->association("notes").type, AssociationType::HasMany);
  auto notes = Note->findAll({.attributes = {"id"},
                              .include = {{.model = *User,
                                           .as = "users_marked",
                                           .attributes = {"username"},
                                           .through = {.attributes = none}}},
                              .order = {"id"}});
  EXPECT_EQ(jsonOf(notes), Json::parse(R"([{"id":1,"users_marked":[{"username":"lynx"}]},
                                           {"id":2,"users_marked":[{"username":"lynx"}]},
                                           {"id":3,"users_marked":[]}])"));
}

TEST_F(Seed000Chapter, SingleUserRouteWithNotesMarkedNotesAndTeams) {
  // router.get('/:id') with notes, marked_notes and teams (insert into user_notes (2, 1), (2, 2)).
  // attributes: { exclude: [''] } excludes nothing, as in Sequelize; any other unknown name
  // is an error.
  EXPECT_THROW(User->findByPk(2, {.attributes = exclude({"", "nope"})}), UsageError);
  auto user = User->findByPk(
      2, {.attributes = exclude({""}),
          .include = {
              {.model = *Note, .attributes = exclude({"userId"})},
              {.model = *Note,
               .as = "marked_notes",
               .attributes = exclude({"userId"}),
               .through = {.attributes = none}},
              {.model = *Team, .attributes = {"name", "id"}, .through = {.attributes = none}}}});
  ASSERT_TRUE(user);
  EXPECT_EQ(user->toJSON(), Json::parse(R"({
    "id":2,"username":"lynx","name":"Kalle Ilves","admin":false,"disabled":false,
    "notes":[{"id":3,"content":"GET and POST","important":true,"date":null}],
    "marked_notes":[{"id":1,"content":"HTML is easy","important":true,"date":null},
                    {"id":2,"content":"Browser can execute only JavaScript","important":false,"date":null}],
    "teams":[{"name":"toska","id":1}]})"))
      << user->toJSON().dump(2);
  EXPECT_FALSE(User->findByPk(99, {.include = {{.model = *Note}}})) << "res.status(404)";
}

TEST_F(Seed000Chapter, SingleUserRouteMarkedNotesWithTheirAuthor) {
  // ... include: { model: User, attributes: ['name'] } inside marked_notes
  auto user = User->findByPk(
      2, {.include = {
              {.model = *Note, .attributes = exclude({"userId"})},
              {.model = *Note,
               .as = "marked_notes",
               .attributes = exclude({"userId"}),
               .through = {.attributes = none},
               .include = {{.model = *User, .attributes = {"name"}}}},
              {.model = *Team, .attributes = {"name", "id"}, .through = {.attributes = none}}}});
  ASSERT_TRUE(user);
  EXPECT_EQ(user->toJSON(), Json::parse(R"({
    "id":2,"username":"lynx","name":"Kalle Ilves","admin":false,"disabled":false,
    "notes":[{"id":3,"content":"GET and POST","important":true,"date":null}],
    "marked_notes":[{"id":1,"content":"HTML is easy","important":true,"date":null,
                     "user":{"name":"Matti Luukkainen"}},
                    {"id":2,"content":"Browser can execute only JavaScript","important":false,"date":null,
                     "user":{"name":"Matti Luukkainen"}}],
    "teams":[{"name":"toska","id":1}]})"))
      << user->toJSON().dump(2);
}

TEST_F(Seed000Chapter, EagerFetchFindOneWithNotes) {
  // User.findOne({ include: { model: note } }): some user (no order), with its notes loaded now.
  auto user = User->findOne({.include = {{.model = *Note}}});
  ASSERT_TRUE(user);
  EXPECT_EQ(log.size(), 2u);
  ASSERT_TRUE(user->isLoaded("notes"));
  const auto loaded = user->related("notes").size();
  for (const auto& n : user->related("notes")) EXPECT_EQ(n["userId"], user->get("id"));
  EXPECT_EQ(log.size(), 2u) << "related() used what was loaded";
  EXPECT_EQ(Note->count({.where = {{"userId", user->get("id")}}}),
            static_cast<std::int64_t>(loaded));
}

TEST_F(Seed000Chapter, LazyFetchTeamsOnlyWhenAsked) {
  // router.get('/:id'): teams = await user.getTeams({attributes: ['name'], joinTableAttributes:
  // []}) only when req.query.teams; res.json({ ...user.toJSON(), teams })
  auto route = [&](bool teamsAsked) -> Json {
    auto user =
        User->findByPk(2, {.include = {{.model = *Note, .attributes = exclude({"userId"})},
                                       {.model = *Note,
                                        .as = "marked_notes",
                                        .attributes = exclude({"userId"}),
                                        .through = {.attributes = none},
                                        .include = {{.model = *User, .attributes = {"name"}}}}}});
    Json body = user->toJSON();
    if (teamsAsked) {  // let teams = undefined: JSON.stringify leaves the key out
      Json teams = Json::array();
      for (const auto& t :
           user->association("teams").get({.attributes = {"name"}, .joinTableAttributes = none}))
        teams.push_back(t.toJSON());
      body["teams"] = teams;
    }
    return body;
  };
  const Json withoutTeams = Json::parse(R"({
    "id":2,"username":"lynx","name":"Kalle Ilves","admin":false,"disabled":false,
    "notes":[{"id":3,"content":"GET and POST","important":true,"date":null}],
    "marked_notes":[{"id":1,"content":"HTML is easy","important":true,"date":null,
                     "user":{"name":"Matti Luukkainen"}},
                    {"id":2,"content":"Browser can execute only JavaScript","important":false,"date":null,
                     "user":{"name":"Matti Luukkainen"}}]})");
  EXPECT_EQ(route(false), withoutTeams);
  const auto statementsWithout = log.size();
  for (const auto& sql : log) EXPECT_EQ(sql.find("memberships"), std::string::npos) << sql;
  log.clear();
  Json withTeams = withoutTeams;
  withTeams["teams"] = Json::parse(R"([{"name":"toska"}])");
  EXPECT_EQ(route(true), withTeams);
  EXPECT_EQ(log.size(), statementsWithout + 1) << "getTeams is one more query";
}

// ===================================================================
// Exercises 13.19–13.23: the reading list through a connection table, and
// the JSON the exercises show for GET /api/users/:id.

namespace {

class Seed000Readings : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(test::databaseUrl());
    User = &db->define("user",
                       {
                           {"id", INTEGER.primaryKey().autoIncrement()},
                           {"username", STRING.unique().allowNull(false)},
                           {"name", STRING.allowNull(false)},
                       },
                       {.underscored = true});
    Blog = &db->define("blog",
                       {
                           {"id", INTEGER.primaryKey().autoIncrement()},
                           {"url", TEXT.allowNull(false)},
                           {"title", TEXT.allowNull(false)},
                           {"author", TEXT},
                           {"likes", INTEGER.defaultValue(0)},
                           {"year", INTEGER},
                       },
                       {.underscored = true});
    // 13.19: a connection table; a new entry is unread.
    ReadingList = &db->define("readinglist",
                              {
                                  {"id", INTEGER.primaryKey().autoIncrement()},
                                  {"userId", INTEGER.allowNull(false).references("users", "id")},
                                  {"blogId", INTEGER.allowNull(false).references("blogs", "id")},
                                  {"read", BOOLEAN.allowNull(false).defaultValue(false)},
                              },
                              {.underscored = true, .timestamps = false});
    Blog->belongsTo(*User);
    User->hasMany(*Blog);
    User->belongsToMany(*Blog, {.through = *ReadingList, .as = "readings"});
    Blog->belongsToMany(*User, {.through = *ReadingList, .as = "readers"});
    Blog->hasMany(*ReadingList);  // "readinglists"
    db->sync({.force = true});

    User->create({{"username", "mluukkai@iki.fi"}, {"name", "Matti Luukkainen"}});
    User->create({{"username", "lynx@example.com"}, {"name", "Kalle Ilves"}});
    User->create({{"username", "jakousa@example.com"}, {"name", "Jami Kousa"}});
    for (int i = 1; i <= 10; ++i) {
      if (i == 3)
        Blog->create({{"url", "https://google.com"},
                      {"title", "Clean React"},
                      {"author", "Dan Abramov"},
                      {"likes", 34},
                      {"userId", 2}});
      else if (i == 4)
        Blog->create({{"url", "https://google.com"},
                      {"title", "Clean Code"},
                      {"author", "Bob Martin"},
                      {"likes", 5},
                      {"userId", 2}});
      else
        Blog->create({{"url", "https://example.com/" + std::to_string(i)},
                      {"title", "Blog " + std::to_string(i)},
                      {"userId", 3}});
    }
  }
  void TearDown() override {
    if (db) db->drop();
  }

  // POST /api/readinglists
  Json postReadinglist(const Json& body) {
    return ReadingList->create(recordFromJson(body)).toJSON();
  }

  // GET /api/users/:id (13.20, 13.21 with the through row, 13.23 with ?read=)
  std::optional<Json> getUser(const Value& id, std::optional<bool> read = std::nullopt) {
    ThroughOptions through{.attributes = {"read", "id"}};
    if (read) through.where = {{"read", *read}};
    auto user = User->findByPk(
        id, {.attributes = {"name", "username"},
             .include = {{.model = *Blog,
                          .as = "readings",
                          .attributes = exclude({"userId", "createdAt", "updatedAt"}),
                          .through = through}}});
    if (!user) return std::nullopt;
    return user->toJSON();
  }

  std::unique_ptr<Database> db;
  Model *User, *Blog, *ReadingList;
};

}  // namespace

TEST_F(Seed000Readings, PostAddsAnUnreadBlogToTheReadingList) {
  // POST /api/readinglists { "blogId": 10, "userId": 3 }
  EXPECT_EQ(postReadinglist(Json::parse(R"({"blogId": 10, "userId": 3})")),
            Json::parse(R"({"id":1,"userId":3,"blogId":10,"read":false})"));
  EXPECT_THROW(postReadinglist(Json::parse(R"({"blogId": 99, "userId": 3})")),
               ForeignKeyConstraintError);
}

TEST_F(Seed000Readings, UserRouteReturnsTheReadingList) {
  postReadinglist(Json{{"blogId", 10}, {"userId", 3}});
  postReadinglist(Json{{"blogId", 3}, {"userId", 1}});
  postReadinglist(Json{{"blogId", 4}, {"userId", 1}});
  // 13.20: the reading list without the read state.
  auto user =
      User->findByPk(1, {.attributes = {"name", "username"},
                         .include = {{.model = *Blog,
                                      .as = "readings",
                                      .attributes = exclude({"userId", "createdAt", "updatedAt"}),
                                      .through = {.attributes = none}}}});
  EXPECT_EQ(user->toJSON(), Json::parse(R"({
    "name": "Matti Luukkainen",
    "username": "mluukkai@iki.fi",
    "readings": [
      {"id": 3, "url": "https://google.com", "title": "Clean React", "author": "Dan Abramov",
       "likes": 34, "year": null},
      {"id": 4, "url": "https://google.com", "title": "Clean Code", "author": "Bob Martin",
       "likes": 5, "year": null}
    ]})"))
      << user->toJSON().dump(2);
}

TEST_F(Seed000Readings, UserRouteShowsReadStateAndJoinRowIdAsAnArray) {
  postReadinglist(Json{{"blogId", 10}, {"userId", 3}});
  postReadinglist(Json{{"blogId", 3}, {"userId", 1}});
  postReadinglist(Json{{"blogId", 4}, {"userId", 1}});
  // 13.21 in the exercise's form: an array "readinglists" holding the one join row
  // (Blog.hasMany(ReadingList), restricted to this user's rows).
  const Value id = 1;
  auto user =
      User->findByPk(id, {.attributes = {"name", "username"},
                          .include = {{.model = *Blog,
                                       .as = "readings",
                                       .attributes = exclude({"userId", "createdAt", "updatedAt"}),
                                       .through = {.attributes = none},
                                       .include = {{.model = *ReadingList,
                                                    .attributes = {"read", "id"},
                                                    .where = {{"userId", id}}}}}}});
  EXPECT_EQ(user->toJSON(), Json::parse(R"({
    "name": "Matti Luukkainen",
    "username": "mluukkai@iki.fi",
    "readings": [
      {"id": 3, "url": "https://google.com", "title": "Clean React", "author": "Dan Abramov",
       "likes": 34, "year": null, "readinglists": [{"read": false, "id": 2}]},
      {"id": 4, "url": "https://google.com", "title": "Clean Code", "author": "Bob Martin",
       "likes": 5, "year": null, "readinglists": [{"read": false, "id": 3}]}
    ]})"))
      << user->toJSON().dump(2);
  // The same information as Sequelize's through object (the junction model's name as the key).
  EXPECT_EQ(getUser(1)->at("readings")[0]["readinglist"], Json::parse(R"({"read":false,"id":2})"));
}

TEST_F(Seed000Readings, PutMarksOwnReadingAsRead) {
  postReadinglist(Json{{"blogId", 10}, {"userId", 3}});
  postReadinglist(Json{{"blogId", 3}, {"userId", 1}});
  postReadinglist(Json{{"blogId", 4}, {"userId", 1}});
  // PUT /api/readinglists/:id { "read": true } — only the owner (the token's user) may.
  auto put = [&](const Value& rowId, const Value& tokenUser, const Json& body) -> Json {
    auto row = ReadingList->findByPk(rowId);
    if (!row) return Json{{"status", 404}};
    if (row->get("userId") != tokenUser) return Json{{"error", "not your reading list"}};
    row->set("read", fromJson(body["read"]));
    row->save();
    return row->toJSON();
  };
  EXPECT_EQ(put(2, 3, Json{{"read", true}}), Json::parse(R"({"error":"not your reading list"})"));
  EXPECT_EQ(put(2, 1, Json{{"read", true}}),
            Json::parse(R"({"id":2,"userId":1,"blogId":3,"read":true})"));
  EXPECT_EQ(getUser(1)->at("readings"), Json::parse(R"([
    {"id":3,"url":"https://google.com","title":"Clean React","author":"Dan Abramov","likes":34,
     "year":null,"readinglist":{"read":true,"id":2}},
    {"id":4,"url":"https://google.com","title":"Clean Code","author":"Bob Martin","likes":5,
     "year":null,"readinglist":{"read":false,"id":3}}])"));
}

TEST_F(Seed000Readings, ReadQueryParameterFiltersTheList) {
  postReadinglist(Json{{"blogId", 10}, {"userId", 3}});
  postReadinglist(Json{{"blogId", 3}, {"userId", 1}});
  postReadinglist(Json{{"blogId", 4}, {"userId", 1}});
  ReadingList->update({{"read", true}}, {.where = {{"id", 2}}});
  auto titles = [&](std::optional<bool> read) {
    std::vector<std::string> t;
    const Json user = *getUser(1, read);
    for (const auto& b : user["readings"]) t.push_back(b["title"]);
    return t;
  };
  EXPECT_EQ(titles(std::nullopt), (std::vector<std::string>{"Clean React", "Clean Code"}));  // all
  EXPECT_EQ(titles(true), std::vector<std::string>{"Clean React"});  // ?read=true
  EXPECT_EQ(titles(false), std::vector<std::string>{"Clean Code"});  // ?read=false
  EXPECT_EQ(getUser(1, true)->at("readings")[0]["readinglist"],
            Json::parse(R"({"read":true,"id":2})"));
  EXPECT_FALSE(getUser(42)) << "404";
}

TEST_F(Seed000, DefaultScopeAddsWhereDisabledFalse) {
  // User.findAll() → ... WHERE "user"."disabled" = false;
  std::vector<std::vector<Value>> params;
  Database observed(test::databaseUrl(), {.logging = [&](const QueryEvent& e) {
                      log.emplace_back(e.sql);
                      params.emplace_back(e.params.begin(), e.params.end());
                    }});
  auto& U = observed.define(
      "user",
      {{"id", INTEGER.primaryKey().autoIncrement()},
       {"username", STRING},
       {"disabled", BOOLEAN.defaultValue(false)}},
      {.underscored = true, .timestamps = false, .defaultScope = {.where = {{"disabled", false}}}});
  log.clear();
  U.findAll();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("WHERE \"user\".\"disabled\" = "), std::string::npos) << log[0];
  EXPECT_EQ(params[0], std::vector<Value>{Value(false)}) << "the false is a bound parameter";
  log.clear();
  params.clear();
  U.unscoped().findAll();
  EXPECT_EQ(log[0].find("WHERE"), std::string::npos) << log[0];
}

TEST_F(Seed000Readings, ReadQueryStringComparesAsABoolean) {
  // 13.23 as an Express handler writes it: where: { read: req.query.read } with the query
  // string's text "true" / "false". The value takes the attribute's type (BOOLEAN), as
  // Sequelize's does, so both engines return the same rows.
  postReadinglist(Json{{"blogId", 3}, {"userId", 1}});
  postReadinglist(Json{{"blogId", 4}, {"userId", 1}});
  ReadingList->update({{"read", true}}, {.where = {{"id", 1}}});
  auto titles = [&](const std::string& query) {
    auto user = User->findByPk(
        1, {.attributes = {"name"},
            .include = {{.model = *Blog,
                         .as = "readings",
                         .attributes = {"title"},
                         .through = {.attributes = none, .where = {{"read", query}}}}}});
    std::vector<std::string> t;
    for (const auto& b : user->related("readings")) t.push_back(b.get<std::string>("title"));
    return t;
  };
  EXPECT_EQ(titles("true"), std::vector<std::string>{"Clean React"});
  EXPECT_EQ(titles("false"), std::vector<std::string>{"Clean Code"});
  EXPECT_EQ(ReadingList->count({.where = {{"read", "true"}}}), 1);
  EXPECT_EQ(ReadingList->findAll({.where = {{"read", std::vector<Value>{"true", "false"}}}}).size(),
            2u);
}

// ===================================================================
// Migrations: the chapter's four migrations (as an Umzug runner would run
// them), then the camelCase models on the snake_case schema they made
// (schema details: tests/migrate_qi SeedMigrations, tests/migrate migrateSeed).

namespace {

// The chapter's four migrations, translated line for line in
// tests/migrate/support.cpp (shared with the migrator's own suite).
migrate::MigrationRegistry chapterMigrations() { return migrate::test::seedRegistry(); }

}  // namespace

TEST(Seed000Migrations, RunMigrationsThenTheModelsUseTheSchema) {
  Database db{test::databaseUrl()};
  const auto registry = chapterMigrations();
  // const migrator = new Umzug({ migrations: { glob: 'migrations/*.js' },
  //   storage: new SequelizeStorage({ sequelize, tableName: 'migrations' }), ... })
  // const migrations = await migrator.up()
  std::vector<std::string> files;
  {
    migrate::Migrator migrator(db.pool(), registry.migrations(), {.table = "migrations"});
    files = migrator.up();
  }
  EXPECT_EQ(files,
            (std::vector<std::string>{
                "20211209_00_initialize_notes_and_users", "20211209_01_admin_and_disabled_to_users",
                "20211209_02_add_teams_and_memberships", "20211209_03_add_user_notes"}));
  // Restarting: "the migration was not repeated".
  EXPECT_TRUE(
      migrate::Migrator(db.pool(), registry.migrations(), {.table = "migrations"}).up().empty());
  // select * from migrations;
  EXPECT_EQ(db.query("SELECT name FROM migrations ORDER BY name").size(), 4u);

  // The models of the chapter on that schema, without sync().
  auto& User = db.define("user",
                         {
                             {"id", INTEGER.primaryKey().autoIncrement()},
                             {"username", STRING.unique().allowNull(false)},
                             {"name", STRING.allowNull(false)},
                             {"admin", BOOLEAN.defaultValue(false)},
                             {"disabled", BOOLEAN.defaultValue(false)},
                         },
                         {.underscored = true, .timestamps = false});
  auto& Note = db.define("note",
                         {
                             {"id", INTEGER.primaryKey().autoIncrement()},
                             {"content", TEXT.allowNull(false)},
                             {"important", BOOLEAN.allowNull(false)},
                             {"date", DATE},
                         },
                         {.underscored = true, .timestamps = false});
  auto& Team = db.define(
      "team",
      {{"id", INTEGER.primaryKey().autoIncrement()}, {"name", TEXT.allowNull(false).unique()}},
      {.underscored = true, .timestamps = false});
  auto& Membership = db.define("membership",
                               {
                                   {"id", INTEGER.primaryKey().autoIncrement()},
                                   {"userId", INTEGER.allowNull(false).references("users", "id")},
                                   {"teamId", INTEGER.allowNull(false).references("teams", "id")},
                               },
                               {.underscored = true, .timestamps = false});
  auto& UserNotes = db.define("user_notes",
                              {
                                  {"id", INTEGER.primaryKey().autoIncrement()},
                                  {"userId", INTEGER.allowNull(false).references("users", "id")},
                                  {"noteId", INTEGER.allowNull(false).references("notes", "id")},
                              },
                              {.underscored = true, .timestamps = false});
  Note.belongsTo(User);
  User.hasMany(Note);
  User.belongsToMany(Team, {.through = Membership});
  Team.belongsToMany(User, {.through = Membership});
  User.belongsToMany(Note, {.through = UserNotes, .as = "marked_notes"});
  Note.belongsToMany(User, {.through = UserNotes, .as = "users_marked"});

  auto matti = User.create({{"username", "mluukkai"}, {"name", "Matti Luukkainen"}});
  auto note =
      Note.create({{"content", "HTML is easy"}, {"important", true}, {"userId", matti["id"]}});
  auto toska = Team.create({{"name", "toska"}});
  matti.association("teams").add(toska);
  matti.association("marked_notes").add(note);
  auto user = User.findByPk(
      matti["id"],
      {.include = {
           {.model = Note, .attributes = exclude({"userId"})},
           {.model = Note, .as = "marked_notes", .through = {.attributes = none}},
           {.model = Team, .attributes = {"name", "id"}, .through = {.attributes = none}}}});
  ASSERT_TRUE(user);
  EXPECT_EQ(user->toJSON(), Json::parse(R"({
    "id":1,"username":"mluukkai","name":"Matti Luukkainen","admin":false,"disabled":false,
    "notes":[{"id":1,"content":"HTML is easy","important":true,"date":null}],
    "marked_notes":[{"id":1,"content":"HTML is easy","important":true,"date":null,"userId":1}],
    "teams":[{"name":"toska","id":1}]})"))
      << user->toJSON().dump(2);

  // rollbackMigration(): migrator.down() undoes the last one only.
  migrate::Migrator migrator(db.pool(), registry.migrations(), {.table = "migrations"});
  EXPECT_EQ(migrator.down(), std::vector<std::string>{"20211209_03_add_user_notes"});
  EXPECT_THROW(User.findByPk(1, {.include = {{.model = Note, .as = "marked_notes"}}}),
               DatabaseError)
      << "user_notes is gone";
  EXPECT_EQ(User.count(), 1);
  migrator.down({.all = true});
  EXPECT_TRUE(db.query("SELECT name FROM migrations").empty());
}

TEST_F(Seed000Chapter, BothLoadingStrategiesPrintTheSameJson) {
  // DESIGN.md decision 4: a to-many include may be joined instead of loaded by its own query;
  // the chapter's routes print the same JSON either way.
  auto routes = [&](LoadStrategy st) {
    Json out = Json::array();
    for (const auto& u : User->findAll(
             {.include = {{.model = *Note, .attributes = exclude({"userId"}), .strategy = st},
                          {.model = *Team, .attributes = {"name", "id"}, .strategy = st}},
   .order = {"id"}}))
      out.push_back(u.toJSON());
    out.push_back(
        User->findByPk(2, {.include = {{.model = *Note,
                                        .as = "marked_notes",
                                        .attributes = exclude({"userId"}),
                                        .through = {.attributes = none},
                                        .include = {{.model = *User, .attributes = {"name"}}},
                                        .strategy = st},
                                       {.model = *Team,
                                        .attributes = {"name", "id"},
                                        .through = {.attributes = none},
                                        .strategy = st}}})
            ->toJSON());
    return out;
  };
  const Json separate = routes(LoadStrategy::Separate);
  log.clear();
  const Json joined = routes(LoadStrategy::Join);
  EXPECT_EQ(log.size(), 2u) << "one statement per route";
  EXPECT_EQ(joined, separate);
  EXPECT_EQ(separate[3]["marked_notes"][1]["user"], Json::parse(R"({"name":"Matti Luukkainen"})"));
  EXPECT_EQ(separate[0]["teams"][1]["membership"],
            Json::parse(R"({"id":2,"userId":1,"teamId":2})"));
}
