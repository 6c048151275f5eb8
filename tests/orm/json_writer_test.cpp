// Instance::writeJSON / toJSONString write toJSON()'s JSON as text without
// building the tree. They must give exactly the bytes of
// toJSON().dump(-1, ' ', false, replace): every case here compares the two.
#include <cmath>
#include <limits>

#include "fixture.hpp"

namespace junction::test {
namespace {

using namespace junction::DataTypes;

std::string dumped(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

class JsonWriterTest : public OrmTest {};

TEST_F(JsonWriterTest, ScalarValuesMatchTheTreeDump) {
  std::vector<Value> values = {Value(),
                               Value(true),
                               Value(false),
                               Value(0),
                               Value(-42),
                               Value(INT64_MIN),
                               Value(INT64_MAX),
                               Value(1.0),
                               Value(0.1),
                               Value(-2.5e-300),
                               Value(1e300),
                               Value(std::nan("")),
                               Value(HUGE_VAL),
                               Value(""),
                               Value("plain text"),
                               Value(Blob{}),
                               Value(Blob{0, 1, 255}),
                               Value(Timestamp::parse("2021-12-09T08:07:06.543Z")),
                               Value(Date::parse("2021-12-09")),
                               Value(JsonText{R"({"b": [1, 2.50, "x\u0041"], "a": null})"})};
  for (const Value& v : values) {
    std::string out = "<";
    writeJSON(out, v);
    EXPECT_EQ(out, "<" + dumped(toJson(v))) << v.toDebugString();
  }
}

TEST_F(JsonWriterTest, StringsEscapeExactlyAsNlohmannDoes) {
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  std::vector<std::string> strings = {
      controls,
      "quote \" backslash \\ slash / del \x7f",
      "'; DROP TABLE users; --",
      "Ünïcödé — 日本語 — 🎉",                 // 2-, 3- and 4-byte sequences
      "\xed\x9f\xbf \xee\x80\x80 \xf4\x8f\xbf\xbf",  // the edges of table 3-7
      "bad \xff byte",
      "truncated \xe6\x97",
      "overlong \xc0\xaf slash",
      "surrogate \xed\xa0\x80 half",
      "above U+10FFFF \xf4\x90\x80\x80",
      "lone continuation \x80",
  };
  for (const std::string& s : strings) {
    std::string out;
    writeJSONString(out, s);
    EXPECT_EQ(out, dumped(Json(s))) << Json(s).dump(-1, ' ', true, Json::error_handler_t::replace);
  }
}

TEST_F(JsonWriterTest, RowsWithIncludesOrderAndComputedColumns) {
  User->hasMany(*Blog);
  Blog->belongsTo(*User);
  auto arto = User->create({{"username", "arto@example.com"}, {"name", "Arto \"H\" Hellas"}});
  Blog->create({{"title", "Ünïcödé\ttitle"}, {"url", "u1"}, {"likes", 3}, {"userId", arto.get("id")}});
  Blog->create({{"title", "second"}, {"url", "u2"}, {"author", "A"}, {"userId", arto.get("id")}});
  User->create({{"username", "lonely@example.com"}, {"name", "Lonely"}});

  auto check = [](const std::vector<Instance>& rows) {
    EXPECT_EQ(toJSONString(rows), dumped(jsonOf(rows)));
    for (const auto& r : rows) EXPECT_EQ(r.toJSONString(), dumped(r.toJSON()));
  };
  // hasMany include, attributes in a non-definition order, an empty list.
  check(User->findAll({.attributes = {"name", "id"},
                       .include = {{.model = *Blog, .attributes = {"url", "title", "id"}}},
                       .order = {{"id", ASC}}}));
  // belongsTo include (an object, or null), every attribute.
  check(Blog->findAll({.include = {{.model = *User}}, .order = {{"id", ASC}}}));
  // Computed columns after the attributes, and one shadowing an attribute
  // the query did not select.
  check(User->findAll({.attributes = {"id", {fn("UPPER", col("name")), "shout"}}}));
  check(User->findAll({.attributes = {{fn("UPPER", col("name")), "name"}}}));
  check(Blog->findAll({.attributes = {"author",
                                      {fn("COUNT", col("id")), "articles"},
                                      {fn("SUM", col("likes")), "likes"}},
                       .group = {"author"},
                       .order = {{"author", ASC}}}));
  // A new, unsaved instance: only the attributes that were set.
  auto draft = Blog->build({{"title", "draft"}, {"url", "d"}});
  EXPECT_EQ(draft.toJSONString(), dumped(draft.toJSON()));
}

TEST_F(JsonWriterTest, ABodyLargerThanItsFirstReservationReadsBackFromTheDatabase) {
  // Rows longer than toJSONString's first guess per row, so the body grows
  // while written; text with every kind of escape and multi-byte sequence,
  // nulls, INTEGER's extremes, and timestamps with and without milliseconds,
  // as each engine hands them back.
  User->hasMany(*Blog);
  Blog->belongsTo(*User);
  auto arto = User->create({{"username", "arto@example.com"}, {"name", "Arto \"\\ \u2028"}});
  std::vector<Record> blogs;
  for (int i = 0; i < 300; ++i) {
    std::string title = std::string(static_cast<std::size_t>(200 + i % 50), 't') + "\"" +
                        std::string(1, static_cast<char>(1 + i % 31)) + "é€🎉\xe2\x80\xa8\\";
    Timestamp at = Timestamp::fromMillis(1735689600000 + std::int64_t{i} * 60000 + (i % 3) * 7);
    blogs.push_back({{"title", title},
                     {"url", "https://example.com/" + std::to_string(i)},
                     {"author", i % 4 ? Value("Author " + std::to_string(i)) : Value()},
                     {"likes", i % 2 ? std::numeric_limits<std::int32_t>::max() - i
                                     : std::numeric_limits<std::int32_t>::min() + i},
                     {"userId", i % 5 ? arto.get("id") : Value()},
                     {"createdAt", at},
                     {"updatedAt", at}});
  }
  Blog->bulkCreate(blogs);
  auto rows = Blog->findAll(
      {.include = {{.model = *User, .attributes = {"name", "id"}}}, .order = {{"id", ASC}}});
  ASSERT_EQ(rows.size(), 300u);
  const std::string expected = dumped(jsonOf(rows));
  EXPECT_GT(expected.size(), 300u * 256u);
  EXPECT_EQ(toJSONString(rows), expected);
  std::string appended = "{\"blogs\":";
  writeJSON(appended, rows);
  EXPECT_EQ(appended, "{\"blogs\":" + expected);
  EXPECT_NE(expected.find(R"("createdAt":"2025-01-01T00:00:00.000Z")"), std::string::npos);
  EXPECT_NE(expected.find(R"("createdAt":"2025-01-01T00:01:00.007Z")"), std::string::npos);
}

TEST_F(JsonWriterTest, AKeyRepeatedAfterTheAttributesKeepsToJsonsPlace) {
  // A computed column named like an included association: toJSON()
  // overwrites the column's value with the association's, in the column's
  // place. The writer must give the same text, not a duplicate key.
  User->hasMany(*Blog);
  auto arto = User->create({{"username", "arto@example.com"}, {"name", "Arto"}});
  Blog->create({{"title", "t"}, {"url", "u"}, {"userId", arto.get("id")}});
  auto rows = User->findAll({.attributes = {"id", {fn("UPPER", col("name")), "blogs"}},
                             .include = {{.model = *Blog, .attributes = {"id"}}}});
  ASSERT_EQ(rows.size(), 1u);
  auto j = rows[0].toJSON();
  ASSERT_EQ(j.size(), 2u);
  ASSERT_TRUE(j["blogs"].is_array());
  EXPECT_EQ(rows[0].toJSONString(), dumped(j));
}

TEST_F(JsonWriterTest, JunctionRowsAndNestedIncludes) {
  auto& Team = db->define("team", {{"name", STRING}});
  auto& Membership = db->define("membership", {{"role", STRING}}, {.timestamps = false});
  User->belongsToMany(Team, {.through = Membership});
  Team.belongsToMany(*User, {.through = Membership});
  db->sync({.force = true});
  auto arto = User->create({{"username", "arto@example.com"}, {"name", "Arto"}});
  auto core = Team.create({{"name", "core"}});
  auto docs = Team.create({{"name", "docs\n"}});
  arto.association("teams").add(core, {.through = {{"role", "lead"}}});
  arto.association("teams").add(docs, {.through = {{"role", "écrivain"}}});

  auto rows = User->findAll(
      {.include = {{.model = Team, .attributes = {"name", "id"}, .through = {.attributes = {"role"}}}}});
  EXPECT_EQ(toJSONString(rows), dumped(jsonOf(rows)));
  // Once the junction row is materialized into loadedAssociations(), still the same text.
  for (const auto& u : rows)
    for (const auto& l : u.loadedAssociations())
      for (const auto& t : l.items) (void)t.loadedAssociations();
  EXPECT_EQ(toJSONString(rows), dumped(jsonOf(rows)));
}

}  // namespace
}  // namespace junction::test
