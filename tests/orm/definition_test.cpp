// Model definition: Sequelize's naming, keys, timestamps and definition errors.
#include <thread>

#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;
using junction::test::OrmTest;

TEST(Naming, PluralizeFollowsSequelize) {
  EXPECT_EQ(pluralize("user"), "users");
  EXPECT_EQ(pluralize("note"), "notes");
  EXPECT_EQ(pluralize("membership"), "memberships");
  EXPECT_EQ(pluralize("user_notes"), "user_notes");
  EXPECT_EQ(pluralize("UserProject"), "UserProjects");
  EXPECT_EQ(pluralize("Person"), "People");
  EXPECT_EQ(pluralize("category"), "categories");
  EXPECT_EQ(pluralize("day"), "days");
  EXPECT_EQ(pluralize("box"), "boxes");
  EXPECT_EQ(pluralize("status"), "statuses");
  EXPECT_EQ(pluralize("readinglist"), "readinglists");
}

TEST(Naming, UnderscoreFollowsSequelize) {
  EXPECT_EQ(underscore("userId"), "user_id");
  EXPECT_EQ(underscore("createdAt"), "created_at");
  EXPECT_EQ(underscore("noteId"), "note_id");
  EXPECT_EQ(underscore("id"), "id");
  EXPECT_EQ(underscore("userIDCard"), "user_id_card");
}

TEST_F(OrmTest, TableAndColumnNames) {
  EXPECT_EQ(User->tableName(), "users");
  EXPECT_EQ(Blog->attribute("userId").column, "user_id");
  EXPECT_EQ(Blog->attribute("createdAt").column, "created_at");
  EXPECT_EQ(User->primaryKey(), "id");
  auto& Team = db->define("team", {{"name", TEXT.allowNull(false).unique()}},
                          {.underscored = true, .timestamps = false});
  // Sequelize adds the id key when none is defined.
  ASSERT_EQ(Team.attributes().size(), 2u);
  EXPECT_EQ(Team.attributes()[0].name, "id");
  EXPECT_TRUE(Team.attributes()[0].spec.isAutoIncrement());
  auto& Frozen = db->define("Person", {{"name", STRING}}, {.freezeTableName = true});
  EXPECT_EQ(Frozen.tableName(), "Person");
  auto& Named = db->define("thing", {{"name", STRING}}, {.tableName = "my_things"});
  EXPECT_EQ(Named.tableName(), "my_things");
}

TEST_F(OrmTest, CustomTimestampNamesAndField) {
  auto& M = db->define("event", {{"label", STRING.field("event_label")}},
                       {.createdAt = "created", .updatedAt = false});
  EXPECT_EQ(M.createdAtAttribute(), "created");
  EXPECT_EQ(M.updatedAtAttribute(), "");
  EXPECT_EQ(M.attribute("label").column, "event_label");
  M.sync({.force = true});
  auto e = M.create({{"label", "x"}});
  EXPECT_FALSE(e["created"].isNull());
  EXPECT_THROW(e.get("updatedAt"), UsageError);
  auto back = M.findByPk(e["id"]);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->get<std::string>("label"), "x");
  M.drop();
}

TEST_F(OrmTest, DefinitionErrorsAreUsageErrors) {
  EXPECT_THROW(db->define("user", {{"x", STRING}}), UsageError);  // defined twice
  EXPECT_THROW(db->define("dup", {{"a", STRING}, {"a", TEXT}}), UsageError);
  EXPECT_THROW(db->define("col", {{"a", STRING.field("x")}, {"b", STRING.field("x")}}), UsageError);
  EXPECT_THROW(db->define("ai", {{"id", STRING.primaryKey().autoIncrement()}}), UsageError);
  EXPECT_THROW(db->define("now", {{"n", INTEGER.defaultValue(NOW)}}), UsageError);
  EXPECT_THROW(INTEGER.references("users").onDelete("EXPLODE"), UsageError);
  EXPECT_THROW(Attribute(INTEGER).onDelete("CASCADE"), UsageError);  // needs references first
  EXPECT_THROW(ENUM(std::vector<std::string>{}), UsageError);
  EXPECT_THROW(db->model("nope"), UsageError);
  EXPECT_THROW(db->define("para", {{"a", STRING}}, {.timestamps = false, .paranoid = true}),
               UsageError);
  EXPECT_THROW(db->define("people2", {{"a", STRING}}, {.tableName = "users"}), UsageError);
}

TEST_F(OrmTest, EveryDataTypeRoundTrips) {
  auto& T = db->define("typed",
                       {
                           {"i", INTEGER},
                           {"b", BIGINT},
                           {"s", STRING(20)},
                           {"t", TEXT},
                           {"flag", BOOLEAN},
                           {"f", FLOAT},
                           {"d", DOUBLE},
                           {"dec", DECIMAL(10, 2)},
                           {"at", DATE},
                           {"day", DATEONLY},
                           {"doc", JSON},
                           {"uid", UUID.defaultValue(UUIDV4)},
                           {"role", ENUM({"admin", "viewer"})},
                           {"bytes", BLOB},
                       },
                       {.timestamps = false});
  T.sync({.force = true});
  auto at = Timestamp::parse("2024-01-01T12:00:00.123Z");
  T.create({{"i", 42},
            {"b", std::int64_t{1} << 40},
            {"s", "short"},
            {"t", "long text ünïcode"},
            {"flag", true},
            {"f", 1.5},
            {"d", 2.25},
            {"dec", "12.50"},
            {"at", at},
            {"day", "2021-12-09"},
            {"doc", JsonText{R"({"a":[1,2]})"}},
            {"role", "admin"},
            {"bytes", Blob{0, 1, 255}}});
  auto rows = T.findAll();
  ASSERT_EQ(rows.size(), 1u);
  const Instance& r = rows[0];
  EXPECT_EQ(r["i"], Value(42));
  EXPECT_EQ(r["b"], Value(std::int64_t{1} << 40));
  EXPECT_EQ(r.get<std::string>("s"), "short");
  EXPECT_EQ(r.get<std::string>("t"), "long text ünïcode");
  EXPECT_EQ(r["flag"], Value(true));
  EXPECT_EQ(r.get<double>("f"), 1.5);
  EXPECT_EQ(r.get<double>("d"), 2.25);
  EXPECT_EQ(r.get<double>("dec"), 12.5);
  EXPECT_EQ(r.get<Timestamp>("at"), at);
  EXPECT_EQ(r.get<Date>("day").toIso(), "2021-12-09");
  auto json = r.toJSON();
  EXPECT_EQ(json["doc"]["a"][1], 2);
  EXPECT_EQ(json["at"], "2024-01-01T12:00:00.123Z");
  EXPECT_EQ(json["day"], "2021-12-09");
  EXPECT_EQ(json["flag"], true);
  EXPECT_EQ(r.get<std::string>("uid").size(), 36u);
  EXPECT_EQ(r.get<std::string>("role"), "admin");
  EXPECT_EQ(r.get<Blob>("bytes"), (Blob{0, 1, 255}));
  T.drop();
}

TEST(MemoryDatabase, KeepsItsDataAcrossOperationsAndIdleTime) {
  // Every SQLite :memory: connection is its own database: the pool keeps
  // exactly one, and never reaps it.
  Database db("sqlite::memory:", {.pool = {.max = 4, .idleTimeout = std::chrono::milliseconds(1)}});
  auto& Note = db.define("note", {{"content", TEXT}});
  db.sync();
  Note.create({{"content", "a"}});
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Note.create({{"content", "b"}});
  EXPECT_EQ(Note.count(), 2);
  EXPECT_EQ(db.pool().options().max, 1u);
}

TEST_F(OrmTest, CompositeUniqueKeyFromAStringLiteral) {
  auto& Pair = db->define("pair", {{"a", INTEGER.unique("ab")}, {"b", INTEGER.unique("ab")}},
                          {.timestamps = false});
  EXPECT_EQ(Pair.attribute("a").spec.uniqueKey(), "ab");  // not unique(bool)
  Pair.sync({.force = true});
  Pair.create({{"a", 1}, {"b", 1}});
  Pair.create({{"a", 1}, {"b", 2}});
  EXPECT_THROW(Pair.create({{"a", 1}, {"b", 1}}), UniqueConstraintError);
  Pair.drop();
}
