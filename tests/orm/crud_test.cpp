// Instances and queries: create, find, save, update, destroy, reload,
// increment, bulk operations, aggregates — the same on both engines.
#include "fixture.hpp"

using namespace junction;
using junction::test::OrmTest;

namespace {
Instance makeUser(Model& User, const std::string& username, const std::string& name) {
  return User.create({{"username", username}, {"name", name}});
}
}  // namespace

TEST_F(OrmTest, CreateReturnsTheStoredRow) {
  auto u = makeUser(*User, "mluukkai@iki.fi", "Matti Luukkainen");
  EXPECT_FALSE(u.isNewRecord());
  EXPECT_GT(u.get<int>("id"), 0);
  EXPECT_EQ(u["admin"], Value(false));  // defaultValue applied
  EXPECT_FALSE(u["createdAt"].isNull());
  EXPECT_EQ(u["createdAt"], u["updatedAt"]);
  EXPECT_TRUE(u.changed().empty());
  auto j = u.toJSON();
  std::vector<std::string> keys;
  for (auto& [k, v] : j.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "username", "name", "admin", "disabled",
                                            "createdAt", "updatedAt"}));
}

TEST_F(OrmTest, BuildDoesNotTouchTheDatabaseUntilSave) {
  auto u = User->build({{"username", "a@b.fi"}, {"name", "A"}});
  EXPECT_TRUE(u.isNewRecord());
  EXPECT_TRUE(log.empty());
  u.save();
  EXPECT_EQ(log.size(), 1u);
  EXPECT_FALSE(u.isNewRecord());
  EXPECT_EQ(User->count(), 1);
}

TEST_F(OrmTest, FindersReturnWhatWasStored) {
  auto a = makeUser(*User, "a@x.fi", "Alice");
  makeUser(*User, "b@x.fi", "Bob");
  auto all = User->findAll({.order = {{"name", DESC}}});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].get<std::string>("name"), "Bob");
  auto one = User->findOne({.where = {{"username", "a@x.fi"}}});
  ASSERT_TRUE(one);
  EXPECT_EQ(one->get<std::string>("name"), "Alice");
  auto byPk = User->findByPk(a["id"]);
  ASSERT_TRUE(byPk);
  EXPECT_EQ(byPk->get<std::string>("username"), "a@x.fi");
  EXPECT_FALSE(User->findByPk(999999));
  EXPECT_FALSE(User->findByPk(Value()));
  EXPECT_TRUE(User->findByPk("1"));  // lossless text → integer key, as req.params.id
  // A key no row can have finds nothing (a request's path id is a 404).
  EXPECT_FALSE(User->findByPk("abc"));
  EXPECT_FALSE(User->findByPk(std::int64_t{1} << 40));
  EXPECT_THROW(User->findOne({.where = {{"username", "zzz"}}, .rejectOnEmpty = true}),
               EmptyResultError);
}

TEST_F(OrmTest, AttributesListExcludeNoneAndComputed) {
  makeUser(*User, "a@x.fi", "Alice");
  auto rows = User->findAll({.attributes = {"name", "username"}});
  ASSERT_EQ(rows.size(), 1u);
  auto j = rows[0].toJSON();
  EXPECT_EQ(j.size(), 2u);
  EXPECT_EQ(j["name"], "Alice");
  EXPECT_FALSE(rows[0].has("id"));
  auto ex = User->findAll({.attributes = exclude({"createdAt", "updatedAt"})});
  EXPECT_EQ(ex[0].toJSON().size(), 5u);
  auto computed = User->findAll({.attributes = {"id", {fn("UPPER", col("name")), "shout"}}});
  EXPECT_EQ(computed[0].get<std::string>("shout"), "ALICE");
  auto plus = User->findAll({.attributes = include({{fn("LENGTH", col("name")), "len"}})});
  EXPECT_EQ(plus[0].get<int>("len"), 5);
  EXPECT_EQ(plus[0].get<std::string>("name"), "Alice");
  auto nothing = User->findAll({.attributes = none});
  ASSERT_EQ(nothing.size(), 1u);
  EXPECT_EQ(nothing[0].toJSON().size(), 0u);
  EXPECT_THROW(User->findAll({.attributes = {"nope"}}), UsageError);
  EXPECT_THROW(User->findAll({.attributes = exclude({"nope"})}), UsageError);
  EXPECT_THROW(User->findAll({.attributes = {"name", {fn("UPPER", col("name")), "name"}}}),
               UsageError);
  // An alias may reuse the name of an attribute the query does not select.
  auto shadow = User->findAll({.attributes = {{fn("UPPER", col("name")), "name"}}});
  EXPECT_EQ(shadow[0].get<std::string>("name"), "ALICE");
}

// at(index): get() without the name lookup, for writers that resolve the
// index once; and the JSON key the model escaped for each attribute.
TEST_F(OrmTest, AttributesByIndexAndTheirJSONKeys) {
  makeUser(*User, "a@x.fi", "Ali \"A\"");
  auto rows = User->findAll({.attributes = {"name", "username"}});
  ASSERT_EQ(rows.size(), 1u);
  const std::size_t name = User->requireIndex("name");
  const std::size_t id = User->requireIndex("id");
  EXPECT_EQ(rows[0].at(name), rows[0].get("name"));
  EXPECT_EQ(rows[0].at(name).as<std::string>(), "Ali \"A\"");
  EXPECT_TRUE(rows[0].at(id).isNull()) << "not selected: null, as get() answers";
  EXPECT_THROW(rows[0].at(User->attributes().size()), UsageError);
  EXPECT_EQ(User->attributeJSONKey(name), "\"name\":");
  auto& odd = db->define("Odd", {{"say \"hi\"", DataTypes::STRING}});
  EXPECT_EQ(odd.attributeJSONKey(odd.requireIndex("say \"hi\"")), R"("say \"hi\"":)");
  // A key added later (an association's foreign key) has its JSON key too.
  auto& Pet = db->define("Pet", {{"name", DataTypes::STRING}});
  Pet.belongsTo(*User);
  EXPECT_EQ(Pet.attributeJSONKey(Pet.requireIndex("userId")), "\"userId\":");
  EXPECT_EQ(Pet.attributeJSONKey(Pet.requireIndex("name")), "\"name\":");
}

TEST_F(OrmTest, SaveWritesOnlyChangedAttributes) {
  auto u = makeUser(*User, "a@x.fi", "Alice");
  clearLog();
  u.save();
  EXPECT_TRUE(log.empty()) << "nothing changed: no statement";
  u.set("name", "Alice");  // same value: not a change
  EXPECT_FALSE(u.changed("name"));
  u.set("name", "Alicia");
  EXPECT_TRUE(u.changed("name"));
  EXPECT_EQ(u.previous("name"), Value("Alice"));
  u.save();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("UPDATE"), std::string::npos);
  EXPECT_NE(log[0].find("\"name\""), std::string::npos);
  EXPECT_NE(log[0].find("\"updated_at\""), std::string::npos);
  EXPECT_EQ(log[0].find("\"username\""), std::string::npos);
  EXPECT_FALSE(u.changed("name"));
  EXPECT_EQ(User->findByPk(u["id"])->get<std::string>("name"), "Alicia");
}

TEST_F(OrmTest, InstanceUpdateDestroyReload) {
  auto u = makeUser(*User, "a@x.fi", "Alice");
  u.update({{"disabled", true}});
  EXPECT_EQ(User->findByPk(u["id"])->get("disabled"), Value(true));
  User->update({{"name", "Changed"}}, {.where = {{"id", u["id"]}}});
  EXPECT_EQ(u.get<std::string>("name"), "Alice");
  u.reload();
  EXPECT_EQ(u.get<std::string>("name"), "Changed");
  u.destroy();
  EXPECT_FALSE(User->findByPk(u["id"]));
  EXPECT_THROW(u.reload(), EmptyResultError);
}

TEST_F(OrmTest, IncrementAndDecrement) {
  auto u = makeUser(*User, "a@x.fi", "Alice");
  auto b = Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"userId", u["id"]}});
  b.increment("likes");
  EXPECT_EQ(b.get<int>("likes"), 1);
  b.increment("likes", {.by = 5});
  EXPECT_EQ(b.get<int>("likes"), 6);
  b.decrement("likes", {.by = 2});
  EXPECT_EQ(b.get<int>("likes"), 4);
  EXPECT_EQ(Blog->increment({{"likes", 10}}, {.where = {{"id", b["id"]}}}), 1);
  b.reload();
  EXPECT_EQ(b.get<int>("likes"), 14);
  EXPECT_THROW(b.increment("title"), UsageError);
  EXPECT_THROW(b.increment({{"likes", "many"}}), UsageError);
}

TEST_F(OrmTest, BulkCreateValidatesAndReturnsRows) {
  auto rows = User->bulkCreate({{{"username", "a@x.fi"}, {"name", "A"}},
                                {{"username", "b@x.fi"}, {"name", "B"}},
                                {{"username", "c@x.fi"}, {"name", "C"}, {"admin", true}}});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_GT(rows[2].get<int>("id"), rows[0].get<int>("id"));
  EXPECT_EQ(rows[2]["admin"], Value(true));
  EXPECT_EQ(User->count(), 3);
  EXPECT_THROW(User->bulkCreate({{{"username", "not-an-email"}, {"name", "X"}}}), ValidationError);
  EXPECT_EQ(User->count(), 3);
  // ignoreDuplicates skips the taken username; updateOnDuplicate overwrites.
  auto ignored = User->bulkCreate(
      {{{"username", "a@x.fi"}, {"name", "again"}}, {{"username", "d@x.fi"}, {"name", "D"}}},
      {.ignoreDuplicates = true});
  EXPECT_EQ(ignored.size(), 1u);
  EXPECT_EQ(User->count(), 4);
  User->bulkCreate({{{"id", rows[0]["id"]}, {"username", "a@x.fi"}, {"name", "Renamed"}}},
                   {.updateOnDuplicate = {"name"}});
  EXPECT_EQ(User->findByPk(rows[0]["id"])->get<std::string>("name"), "Renamed");
}

TEST_F(OrmTest, BulkCreateLargeBatchIsChunked) {
  std::vector<Record> many;
  for (int i = 0; i < 5000; ++i)
    many.push_back({{"title", "t" + std::to_string(i)}, {"url", "http://x.fi"}, {"likes", i}});
  auto rows = Blog->bulkCreate(many);
  EXPECT_EQ(rows.size(), 5000u);
  EXPECT_EQ(Blog->count(), 5000);
  EXPECT_EQ(Blog->sum("likes"), Value(std::int64_t{4999} * 5000 / 2));
}

TEST_F(OrmTest, FindOrCreateFindsOrCreates) {
  auto [u1, created1] =
      User->findOrCreate({.where = {{"username", "a@x.fi"}}, .defaults = {{"name", "A"}}});
  EXPECT_TRUE(created1);
  auto [u2, created2] =
      User->findOrCreate({.where = {{"username", "a@x.fi"}}, .defaults = {{"name", "Other"}}});
  EXPECT_FALSE(created2);
  EXPECT_EQ(u2["id"], u1["id"]);
  EXPECT_EQ(u2.get<std::string>("name"), "A");
  EXPECT_THROW(User->findOrCreate({.where = {{"username", "bad"}}, .defaults = {{"name", "A"}}}),
               ValidationError);
}

TEST_F(OrmTest, FindAndCountAllCountsAllButLimitsRows) {
  for (int i = 0; i < 7; ++i) Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"likes", i}});
  auto r = Blog->findAndCountAll({.where = {{"likes", Op::gte(2)}}, .limit = 2, .offset = 1});
  EXPECT_EQ(r.count, 5);
  ASSERT_EQ(r.rows.size(), 2u);
}

TEST_F(OrmTest, Aggregates) {
  EXPECT_EQ(Blog->count(), 0);
  EXPECT_TRUE(Blog->max("likes").isNull());
  EXPECT_TRUE(Blog->sum("likes").isNull());
  for (int likes : {3, 10, 7})
    Blog->create({{"title", "t"},
                  {"url", "http://x.fi"},
                  {"likes", likes},
                  {"author", likes > 5 ? "Dan" : "Bob"}});
  EXPECT_EQ(Blog->count(), 3);
  EXPECT_EQ(Blog->count({.where = {{"author", "Dan"}}}), 2);
  EXPECT_EQ(Blog->count({.distinct = true, .col = "author"}), 2);
  EXPECT_EQ(Blog->max("likes"), Value(10));
  EXPECT_EQ(Blog->min("likes"), Value(3));
  EXPECT_EQ(Blog->sum("likes"), Value(20));
  EXPECT_EQ(Blog->sum("likes", {.where = {{"author", "Bob"}}}), Value(3));
  EXPECT_EQ(Blog->max("createdAt").type(), ValueType::Timestamp);
  EXPECT_THROW(Blog->max("nope"), UsageError);
}

TEST_F(OrmTest, GroupAndHavingWithComputedColumns) {
  for (auto [author, likes] :
       std::vector<std::pair<const char*, int>>{{"Dan", 3}, {"Dan", 7}, {"Bob", 1}})
    Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"likes", likes}, {"author", author}});
  auto rows = Blog->findAll({.attributes = {"author",
                                            {fn("COUNT", col("id")), "articles"},
                                            {fn("SUM", col("likes")), "likes"}},
                             .group = {"author"},
                             .order = {{col("likes"), DESC}}});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].get<std::string>("author"), "Dan");
  EXPECT_EQ(rows[0].get<int>("articles"), 2);
  EXPECT_EQ(rows[0].get<double>("likes"), 10);
  auto having = Blog->findAll({.attributes = {"author", {fn("COUNT", col("id")), "n"}},
                               .group = {"blog.author"},
                               .having = literal("COUNT(id) > 1")});
  ASSERT_EQ(having.size(), 1u);
  EXPECT_EQ(having[0].get<std::string>("author"), "Dan");
}

TEST_F(OrmTest, StaticUpdateAndDestroyNeedAWhere) {
  makeUser(*User, "a@x.fi", "A");
  makeUser(*User, "b@x.fi", "B");
  EXPECT_THROW(User->update({{"admin", true}}, {}), UsageError);
  EXPECT_THROW(User->destroy({}), UsageError);
  EXPECT_EQ(User->update({{"admin", true}}, {.where = {{"username", "a@x.fi"}}}), 1);
  EXPECT_THROW(User->update({{"username", "bad"}}, {.where = {{"id", 1}}}), ValidationError);
  EXPECT_EQ(User->destroy({.where = {{"admin", true}}}), 1);
  EXPECT_EQ(User->count(), 1);
  EXPECT_EQ(User->destroy({.truncate = true}), 1);
  EXPECT_EQ(User->count(), 0);
}

TEST_F(OrmTest, UpsertInsertsThenUpdates) {
  auto u = User->upsert({{"id", 10}, {"username", "a@x.fi"}, {"name", "First"}});
  EXPECT_EQ(u.get<int>("id"), 10);
  auto created = u["createdAt"];
  auto v = User->upsert({{"id", 10}, {"username", "a@x.fi"}, {"name", "Second"}});
  EXPECT_EQ(v.get<std::string>("name"), "Second");
  EXPECT_EQ(v["createdAt"], created);
  EXPECT_EQ(User->count(), 1);
}

TEST_F(OrmTest, ParanoidModelsSoftDelete) {
  using namespace junction::DataTypes;
  auto& Note = db->define("note", {{"content", TEXT}}, {.paranoid = true});
  Note.sync({.force = true});
  auto n = Note.create({{"content", "a"}});
  Note.create({{"content", "b"}});
  n.destroy();
  EXPECT_FALSE(n["deletedAt"].isNull());
  EXPECT_EQ(Note.count(), 1);
  EXPECT_EQ(Note.findAll().size(), 1u);
  EXPECT_EQ(Note.findAll({.paranoid = false}).size(), 2u);
  n.restore();
  EXPECT_EQ(Note.count(), 2);
  EXPECT_EQ(Note.destroy({.where = {{"content", "b"}}}), 1);
  EXPECT_EQ(Note.count(), 1);
  EXPECT_EQ(Note.destroy({.where = {{"content", "b"}}, .force = true}), 1);
  EXPECT_EQ(Note.count({.paranoid = false}), 1);
  Note.drop();
}

TEST_F(OrmTest, LimitOffsetAndOrderVariants) {
  for (int i = 0; i < 5; ++i)
    Blog->create({{"title", "t" + std::to_string(i)}, {"url", "http://x.fi"}, {"likes", i}});
  auto page = Blog->findAll({.order = {{"likes", "DESC"}}, .limit = 2, .offset = 1});
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].get<int>("likes"), 3);
  auto tail = Blog->findAll({.order = {"likes"}, .offset = 3});
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].get<int>("likes"), 3);
  auto byFn = Blog->findAll({.order = {{fn("LENGTH", col("title")), DESC}, {"likes", ASC}}});
  EXPECT_EQ(byFn.size(), 5u);
  EXPECT_THROW(Blog->findAll({.order = {{"likes", "SIDEWAYS"}}}), UsageError);
  EXPECT_THROW(Blog->findAll({.order = {"nope"}}), UsageError);
  EXPECT_THROW(Blog->findAll({.limit = -1}), UsageError);
}
