// Model classes (junction/model_class.hpp): seed 000's "Features of models",
// where `class User extends Model` hosts the instance method
// number_of_notes() and the class method with_notes(limit), translated line
// for line; typed statics and scopes returning the class; from() checks.
#include "junction/model_class.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <concepts>
#include <string>
#include <vector>

#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;

namespace {

class User : public ModelClass<User> {
 public:
  using ModelClass::ModelClass;

  // async number_of_notes() { return (await this.getNotes()).length }
  std::int64_t numberOfNotes() { return association("notes").count(); }

  // static async with_notes(limit) { return await User.findAll({...}) }
  static std::vector<User> withNotes(int limit);

  std::string name() const { return get<std::string>("name"); }
};

class Note : public ModelClass<Note> {
 public:
  using ModelClass::ModelClass;
};

std::vector<User> User::withNotes(int limit) {
  return findAll({.attributes = include({{fn("COUNT", col("notes.id")), "note_count"}}),
                  .include = {{.model = Note::model(), .attributes = none}},
                  .group = {"user.id"},
                  // The seed splices `${limit}` into a literal; here it is a bound parameter.
                  .having = fn("COUNT", col("notes.id")) > limit});
}

// Never initialised (in any test of this process).
class Team : public ModelClass<Team> {
 public:
  using ModelClass::ModelClass;
};

static_assert(std::derived_from<User, Instance>);
static_assert(std::same_as<decltype(User::findAll()), std::vector<User>>);
static_assert(std::same_as<decltype(User::findOne()), std::optional<User>>);
static_assert(std::same_as<decltype(User::findByPk(1)), std::optional<User>>);
static_assert(std::same_as<decltype(User::create({})), User>);
static_assert(std::same_as<decltype(User::scope("admin").findAll()), std::vector<User>>);
static_assert(std::same_as<decltype(User::unscoped().findOne()), std::optional<User>>);
static_assert(std::same_as<decltype(User::findAndCountAll().rows), std::vector<User>>);
static_assert(std::same_as<decltype(User::model()), Model&>);

AttributeList userAttributes() {
  return {
      {"id", INTEGER.primaryKey().autoIncrement()},
      {"username", STRING.unique().allowNull(false)},
      {"name", STRING.allowNull(false)},
      {"admin", BOOLEAN.defaultValue(false)},
      {"disabled", BOOLEAN.defaultValue(false)},
  };
}

ModelOptions userOptions() {
  return {.underscored = true,
          .timestamps = false,
          .modelName = "user",
          .defaultScope = {.where = {{"disabled", false}}},
          .scopes = {{"admin", {.where = {{"admin", true}}}},
                     {"disabled", {.where = {{"disabled", true}}}},
                     {"name", {.method = [](const std::vector<Value>& v) -> Scope {
                        return {.where = {{"name", Op::iLike(v.at(0).as<std::string>())}}};
                      }}}}};
}

std::vector<std::string> namesOf(const std::vector<User>& users) {
  std::vector<std::string> names;
  for (const User& u : users) names.push_back(u.name());
  std::sort(names.begin(), names.end());
  return names;
}

class ModelClassTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db = std::make_unique<Database>(
        test::databaseUrl(), DatabaseOptions{.logging = [this](const QueryEvent& e) {
          log.push_back({std::string(e.sql), std::vector<Value>(e.params.begin(), e.params.end())});
        }});
    User::init(*db, userAttributes(), userOptions());
    Note::init(*db,
               {
                   {"id", INTEGER.primaryKey().autoIncrement()},
                   {"content", TEXT.allowNull(false)},
                   {"important", BOOLEAN},
               },
               {.underscored = true, .timestamps = false, .modelName = "note"});
    Note::model().belongsTo(User::model());
    User::model().hasMany(Note::model());
    db->sync({.force = true});

    auto matti =
        User::create({{"username", "mluukkai"}, {"name", "Matti Luukkainen"}, {"admin", true}});
    auto kalle = User::create({{"username", "lynx"}, {"name", "Kalle Ilves"}});
    auto jami = User::create({{"username", "jakousa"}, {"name", "Jami Kousa"}});
    auto vili = User::create({{"username", "vili"}, {"name", "Vili Disabled"}, {"disabled", true}});
    mattiId = matti["id"];
    viliId = vili["id"];
    std::vector<Record> notes;
    auto notesOf = [&](const User& u, int n) {
      for (int i = 0; i < n; ++i)
        notes.push_back({{"content", fmt::format("{} #{}", u.name(), i)},
                         {"important", i == 0},
                         {"userId", u["id"]}});
    };
    notesOf(matti, 2);
    notesOf(kalle, 1);
    notesOf(jami, 3);
    notesOf(vili, 3);
    Note::bulkCreate(notes);
    log.clear();
  }
  void TearDown() override {
    if (db) db->drop();
  }

  struct Statement {
    std::string sql;
    std::vector<Value> params;
  };
  std::vector<Statement> log;
  std::unique_ptr<Database> db;
  Value mattiId, viliId;
};

TEST_F(ModelClassTest, SeedInstanceMethodNumberOfNotes) {
  // const jami = await User.findOne({ name: 'Jami Kousa'})
  std::optional<User> jami = User::findOne({.where = {{"name", "Jami Kousa"}}});
  ASSERT_TRUE(jami);
  // const cnt = await jami.number_of_notes()
  const std::int64_t cnt = jami->numberOfNotes();
  EXPECT_EQ(cnt, 3);
  EXPECT_EQ(fmt::format("Jami has created {} notes", cnt), "Jami has created 3 notes");
  EXPECT_EQ(User::findByPk(mattiId)->numberOfNotes(), 2);
}

TEST_F(ModelClassTest, SeedClassMethodWithNotes) {
  // const users = await User.with_notes(2)
  std::vector<User> users = User::withNotes(2);
  ASSERT_EQ(log.size(), 1u) << "one grouped query";
  EXPECT_NE(log[0].sql.find("HAVING"), std::string::npos) << log[0].sql;
  EXPECT_EQ(log[0].sql.find("> 2"), std::string::npos) << "limit is bound: " << log[0].sql;
  EXPECT_NE(std::find(log[0].params.begin(), log[0].params.end(), Value(2)), log[0].params.end())
      << log[0].sql;
  // users.forEach(u => { console.log(u.name) })
  EXPECT_EQ(namesOf(users), std::vector<std::string>{"Jami Kousa"})
      << "more than 2 notes; Vili (3 notes) is excluded by the default scope";
  ASSERT_EQ(users.size(), 1u);
  // console.log(JSON.stringify(users, null, 2))
  EXPECT_EQ(users[0].toJSON(), Json::parse(R"({"id": 3, "username": "jakousa", "name": "Jami Kousa",
                                               "admin": false, "disabled": false, "note_count": 3})"))
      << "the include with attributes none adds no key";
  EXPECT_EQ(users[0].get<int>("note_count"), 3);

  EXPECT_EQ(namesOf(User::withNotes(1)),
            (std::vector<std::string>{"Jami Kousa", "Matti Luukkainen"}));
  EXPECT_EQ(namesOf(User::withNotes(0)),
            (std::vector<std::string>{"Jami Kousa", "Kalle Ilves", "Matti Luukkainen"}));
  EXPECT_TRUE(User::withNotes(3).empty());
}

TEST_F(ModelClassTest, TypedStaticsReturnTheClass) {
  std::vector<User> all = User::findAll({.order = {"id"}});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name(), "Matti Luukkainen");
  EXPECT_EQ(all[0].numberOfNotes(), 2);  // instance methods on finder results

  std::optional<User> matti = User::findByPk(mattiId);
  ASSERT_TRUE(matti);
  EXPECT_EQ(matti->name(), "Matti Luukkainen");
  EXPECT_FALSE(User::findByPk(viliId)) << "default scope";
  EXPECT_FALSE(User::findOne({.where = {{"name", "nobody"}}}));

  User built = User::build({{"username", "b"}, {"name", "Built"}});
  EXPECT_TRUE(built.isNewRecord());
  EXPECT_EQ(built.get<bool>("admin"), false) << "defaults applied";
  built.save();
  EXPECT_FALSE(built.isNewRecord());

  std::vector<User> bulk = User::bulkCreate(
      {{{"username", "x1"}, {"name", "X1"}}, {{"username", "x2"}, {"name", "X2"}}});
  ASSERT_EQ(bulk.size(), 2u);
  EXPECT_EQ(bulk[1].name(), "X2");

  auto [found, created] =
      User::findOrCreate({.where = {{"username", "x1"}}, .defaults = {{"name", "Other"}}});
  EXPECT_FALSE(created);
  EXPECT_EQ(found.name(), "X1");
  auto [made, madeNow] =
      User::findOrCreate({.where = {{"username", "new"}}, .defaults = {{"name", "New"}}});
  EXPECT_TRUE(madeNow);
  EXPECT_EQ(made.numberOfNotes(), 0);

  CountedRowsOf<User> page = User::findAndCountAll({.order = {"id"}, .limit = 2});
  EXPECT_EQ(page.count, 7);
  ASSERT_EQ(page.rows.size(), 2u);
  EXPECT_EQ(page.rows[1].name(), "Kalle Ilves");

  EXPECT_EQ(User::count(), 7);
  EXPECT_EQ(User::count({.where = {{"admin", true}}}), 1);
  EXPECT_EQ(Note::count(), 9);
  EXPECT_EQ(Note::max("id").as<std::int64_t>(), 9);
  EXPECT_EQ(Note::min("id").as<std::int64_t>(), 1);
  EXPECT_EQ(Note::sum("id", {.where = {{"userId", mattiId}}}).as<std::int64_t>(), 1 + 2);

  User up = User::upsert({{"id", mattiId}, {"username", "mluukkai"}, {"name", "Matti L."}});
  EXPECT_EQ(up.name(), "Matti L.");
  EXPECT_EQ(User::findByPk(mattiId)->name(), "Matti L.");
}

TEST_F(ModelClassTest, ScopesReturnTheClass) {
  // const adminUsers = await User.scope('admin').findAll()
  std::vector<User> admins = User::scope("admin").findAll();
  EXPECT_EQ(namesOf(admins), std::vector<std::string>{"Matti Luukkainen"});
  EXPECT_EQ(admins[0].numberOfNotes(), 2);
  // const disabledUsers = await User.scope('disabled').findAll()
  EXPECT_EQ(namesOf(User::scope("disabled").findAll()), std::vector<std::string>{"Vili Disabled"});
  // const jamiUsers = await User.scope({ method: ['name', '%jami%'] }).findAll()
  EXPECT_EQ(namesOf(User::scope(method("name", "%jami%")).findAll()),
            std::vector<std::string>{"Jami Kousa"});
  // User.scope('admin', { method: ['name', '%jami%'] }): chained, AND
  EXPECT_TRUE(User::scope("admin", method("name", "%jami%")).findAll().empty());
  EXPECT_EQ(User::scope("admin").scope(method("name", "%matti%")).count(), 1);

  EXPECT_EQ(User::unscoped().count(), 4);
  std::optional<User> vili = User::unscoped().findByPk(viliId);
  ASSERT_TRUE(vili);
  EXPECT_EQ(vili->numberOfNotes(), 3);
  EXPECT_EQ(User::scope("disabled").findOne()->name(), "Vili Disabled");
  EXPECT_EQ(User::unscoped().findAndCountAll().rows.size(), 4u);
  EXPECT_EQ(&User::scope("admin").model(), &User::model());
  EXPECT_THROW(User::scope("nope"), UsageError);

  // Bulk writes through a scope touch only its rows.
  EXPECT_EQ(User::scope("disabled").update({{"name", "Vili D."}}, {.where = {{"id", viliId}}}), 1);
  EXPECT_EQ(User::scope("admin").update({{"name", "x"}}, {.where = {{"id", viliId}}}), 0);
  EXPECT_EQ(Note::unscoped().destroy({.where = {{"userId", viliId}}}), 3);
  EXPECT_EQ(User::unscoped().destroy({.where = {{"id", viliId}}}), 1);
  EXPECT_EQ(User::unscoped().count(), 3);
}

TEST_F(ModelClassTest, FromConvertsOnlyRowsOfTheModel) {
  std::vector<User> users =
      User::findAll({.include = {{.model = Note::model()}}, .where = {{"id", mattiId}}});
  ASSERT_EQ(users.size(), 1u);
  // related() is an Instance API: it returns plain Instances; from() types them.
  const std::vector<Instance>& related = users[0].related("notes");
  ASSERT_EQ(related.size(), 2u);
  Note first = Note::from(related[0]);
  EXPECT_EQ(first["userId"], mattiId);
  std::vector<Note> notes = Note::from(users[0].association("notes").get({.order = {"id"}}));
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1].get<std::string>("content"), "Matti Luukkainen #1");

  // A Note row is not a User.
  try {
    User::from(related[0]);
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("User"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("\"note\""), std::string::npos) << e.what();
  }
  EXPECT_THROW(User::from(std::vector<Instance>{related[0]}), UsageError);
  EXPECT_THROW(User{related[0]}, UsageError) << "the converting constructor checks too";

  // A "user" row of another Database is not a row of the model User is bound to.
  Database other{test::databaseUrl()};
  Model& otherUser = other.define("user", userAttributes(), {.underscored = true});
  try {
    User::from(otherUser.build({{"username", "o"}, {"name", "Other"}}));
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("another Database"), std::string::npos) << e.what();
  }
  // A plain finder result of the bound model converts.
  std::optional<Instance> plain = User::model().findByPk(mattiId);
  ASSERT_TRUE(plain);
  EXPECT_EQ(User::from(*plain).numberOfNotes(), 2);
}

TEST_F(ModelClassTest, InstanceApiOnTheClass) {
  User jane({{"username", "jane"}, {"name", "Jane"}});  // new User({...}): build
  EXPECT_TRUE(jane.isNewRecord());
  jane.set("name", "Jane Doe");
  jane.save();
  EXPECT_FALSE(jane.isNewRecord());
  EXPECT_EQ(jane.toJSON()["name"], "Jane Doe");
  EXPECT_EQ(jane.toJSON()["admin"], false);
  EXPECT_EQ(&jane.model(), &User::model());

  User blank;  // defaults only
  EXPECT_TRUE(blank.isNewRecord());
  EXPECT_EQ(blank.get<bool>("disabled"), false);

  std::optional<User> matti = User::findByPk(mattiId);
  ASSERT_TRUE(matti);
  matti->set("name", "Matti");
  EXPECT_EQ(matti->changed(), std::vector<std::string>{"name"});
  matti->save();
  EXPECT_EQ(User::findByPk(mattiId)->name(), "Matti");

  // update/destroy on an object are the instance operations (the class has
  // no static update/destroy that could hide them).
  matti->update({{"name", "Matti L"}});
  EXPECT_EQ(User::findByPk(mattiId)->name(), "Matti L");
  const std::int64_t before = User::unscoped().count();
  jane.destroy();
  EXPECT_EQ(User::unscoped().count(), before - 1);
  EXPECT_TRUE(User::findByPk(mattiId)) << "only the instance's own row was deleted";

  // Copies are independent instances, as Instance copies are.
  User copy = *matti;
  copy.set("name", "Copy");
  EXPECT_EQ(matti->name(), "Matti L");
  Instance& asInstance = copy;
  EXPECT_EQ(asInstance.get<std::string>("name"), "Copy");
}

TEST_F(ModelClassTest, InitRebindsToTheLatestDatabase) {
  EXPECT_EQ(&User::model().database(), db.get());
  EXPECT_EQ(User::model().name(), "user");
  EXPECT_EQ(User::model().tableName(), "users");

  Database other{test::freshDatabaseUrl()};
  Model& bound = User::init(other, userAttributes(), userOptions());
  EXPECT_EQ(&User::model(), &bound);
  EXPECT_EQ(&User::model().database(), &other);
  bound.sync();
  User::create({{"username", "solo"}, {"name", "Solo"}});
  EXPECT_EQ(User::count(), 1) << "the class now queries the other database";
  EXPECT_EQ(db->model("user").count(), 3) << "the first database is untouched";
  // init() is define(): a second "user" on the first Database is refused and
  // the binding stays where it was.
  EXPECT_THROW(User::init(*db, userAttributes(), userOptions()), UsageError);
  EXPECT_EQ(&User::model(), &bound);
  other.drop();
}

TEST(ModelClass, ModelBeforeInitThrowsNamingTheClass) {
  EXPECT_FALSE(Team::isInitialised());
  try {
    Team::model();
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("model class Team is not initialised"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(Team::findAll(), UsageError);
  EXPECT_THROW(Team::count(), UsageError);
  EXPECT_THROW(Team::scope("x"), UsageError);
  EXPECT_THROW(Team{}, UsageError);
}

TEST(ModelClass, InitRequiresAModelName) {
  Database db{test::databaseUrl()};
  try {
    Team::init(db, {{"id", INTEGER.primaryKey()}}, {.timestamps = false});
    ADD_FAILURE() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("Team::init"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("modelName"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(Team::isInitialised());
  EXPECT_FALSE(db.isDefined("")) << "nothing was defined";
  EXPECT_TRUE(db.models().empty());
}

}  // namespace
