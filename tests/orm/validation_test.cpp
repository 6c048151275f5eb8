// Validation: every failed rule is reported at once, with Sequelize's messages.
#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;
using junction::test::OrmTest;

namespace {
std::vector<ValidationErrorItem> failures(const std::function<void()>& f) {
  try {
    f();
  } catch (const ValidationError& e) {
    return e.errors();
  }
  ADD_FAILURE() << "expected ValidationError";
  return {};
}
}  // namespace

TEST_F(OrmTest, NotNullAndValidatorMessages) {
  auto items = failures([&] { User->create({{"username", "not-an-email"}}); });
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].message, "Validation isEmail on username failed");
  EXPECT_EQ(items[0].validatorKey, "isEmail");
  EXPECT_EQ(items[0].path, "username");
  EXPECT_EQ(items[0].value, "not-an-email");
  EXPECT_EQ(items[1].message, "user.name cannot be null");
  EXPECT_EQ(items[1].type, "notNull violation");
  EXPECT_EQ(User->count(), 0) << "nothing is written when validation fails";
}

TEST_F(OrmTest, YearBetween1991AndNow) {
  auto items = failures([&] {
    Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"year", 1990}});
  });
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].message, "Validation min on year failed");
  items = failures([&] { Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"year", 3000}}); });
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].validatorKey, "max");
  EXPECT_NO_THROW(Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"year", 1991}}));
  EXPECT_NO_THROW(Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"year", nullptr}}));
}

TEST_F(OrmTest, WrongValueTypesAreValidationErrors) {
  auto items = failures([&] {
    Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"likes", "many"}});
  });
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].validatorKey, "type");
  EXPECT_EQ(items[0].path, "likes");
  EXPECT_NE(items[0].message.find("\"many\" is not a valid integer"), std::string::npos);
  items = failures([&] { Blog->create({{"title", 42}, {"url", "http://x.fi"}, {"year", "abc"}}); });
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].path, "title");
  EXPECT_EQ(items[1].path, "year");
  items = failures([&] {
    User->create({{"username", "a@b.fi"}, {"name", "x"}, {"admin", "yes"}});
  });
  ASSERT_EQ(items.size(), 1u);
  EXPECT_NE(items[0].message.find("not a valid boolean"), std::string::npos);
  // Lossless text conversions are accepted, as HTTP query strings need.
  auto b = Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"likes", "12"}});
  EXPECT_EQ(b["likes"], Value(12));
  EXPECT_THROW(
      Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"likes", std::int64_t{1} << 40}}),
      ValidationError);
}

TEST_F(OrmTest, StringLengthEnumAndCustomValidators) {
  auto& P = db->define(
      "project",
      {{"code", STRING(5)},
       {"role", ENUM({"admin", "developer", "viewer"})},
       {"name", STRING.validate({len(2, 10), custom("notAdmin",
                                                    [](const Value& v) {
                                                      if (v.as<std::string>() == "admin")
                                                        throw std::invalid_argument(
                                                            "name admin is reserved");
                                                    })})},
       {"email", STRING.validate(isEmail().msg("{path} must be an email, got {value}"))}},
      {.timestamps = false});
  P.sync({.force = true});
  auto items = failures([&] {
    P.create({{"code", "toolong"}, {"role", "boss"}, {"name", "admin"}, {"email", "nope"}});
  });
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].path, "code");
  EXPECT_NE(items[1].message.find("not a valid choice"), std::string::npos);
  EXPECT_EQ(items[2].message, "name admin is reserved");
  EXPECT_EQ(items[2].validatorKey, "notAdmin");
  EXPECT_EQ(items[3].message, "email must be an email, got nope");
  auto ok = P.create({{"code", "ab"}, {"role", "viewer"}, {"name", "Ada"}, {"email", "ada@x.fi"}});
  EXPECT_EQ(ok.get<std::string>("role"), "viewer");
  P.drop();
}

TEST_F(OrmTest, UpdatesValidateOnlyWhatChanged) {
  auto u = User->create({{"username", "a@x.fi"}, {"name", "A"}});
  u.set("username", "bad");
  EXPECT_THROW(u.save(), ValidationError);
  EXPECT_EQ(User->findByPk(u["id"])->get<std::string>("username"), "a@x.fi");
  u.set("username", "good@x.fi");
  EXPECT_NO_THROW(u.save());
  u.set("name", nullptr);
  auto items = failures([&] { u.save(); });
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].message, "user.name cannot be null");
  // validate: false skips validators, but the database still enforces NOT NULL.
  EXPECT_THROW(u.save({.validate = false}), NotNullConstraintError);
}

TEST_F(OrmTest, SetRejectsUnknownAttributes) {
  auto u = User->build();
  EXPECT_THROW(u.set("nope", 1), UsageError);
  EXPECT_THROW(User->create({{"nope", 1}}), UsageError);
  EXPECT_THROW(u.get("nope"), UsageError);
}

// Bad values stop in the ORM with a ValidationError naming the attribute,
// before any SQL, the same on both engines (#15): text that is not UTF-8 or
// holds NUL (PostgreSQL refuses it, SQLite would store it), integers out of
// the column's range, values of the wrong type in a where. A key no row can
// have finds nothing, without a statement.
TEST_F(OrmTest, HostileValuesStopBeforeAnySql) {
  auto owner = User->create({{"username", "a@example.com"}, {"name", "A"}});
  Blog->create({{"url", "u"}, {"title", "t"}, {"userId", owner.get("id")}});
  clearLog();
  auto failsOn = [&](const std::string& attribute, auto&& action) {
    clearLog();
    try {
      action();
      ADD_FAILURE() << "expected ValidationError on " << attribute;
    } catch (const ValidationError& e) {
      ASSERT_EQ(e.errors().size(), 1u);
      EXPECT_EQ(e.errors()[0].path, attribute) << e.what();
    }
    EXPECT_TRUE(log.empty()) << "a statement ran: " << (log.empty() ? "" : log.front());
  };
  const std::string nul("a\0b", 3), latin1("caf\xe9"), surrogate("\xed\xa0\x80"),
      overlong("\xc0\xaf"), truncated("\xe2\x82");
  for (const auto& bad : {nul, latin1, surrogate, overlong, truncated}) {
    failsOn("title", [&] { Blog->create({{"url", "u"}, {"title", bad}}); });
    failsOn("title", [&] { Blog->findAll({.where = {{"title", bad}}}); });
    failsOn("title", [&] { Blog->findAll({.where = {{"title", Op::substring(bad)}}}); });
    failsOn("author", [&] { Blog->count({.where = {{"author", Op::iLike(bad)}}}); });
    failsOn("title", [&] {
      Blog->update({{"likes", 1}}, {.where = {{"title", std::vector<Value>{Value("ok"), Value(bad)}}}});
    });
  }
  auto stored = Blog->findOne();
  failsOn("title", [&] { stored->update({{"title", nul}}); });
  // Integers beyond INTEGER, and text where a number belongs, in a where.
  failsOn("id", [&] { Blog->findAll({.where = {{"id", std::int64_t{2147483648}}}}); });
  failsOn("likes", [&] { Blog->count({.where = {{"likes", Op::gt(std::int64_t{1} << 40)}}}); });
  failsOn("likes", [&] { Blog->findAll({.where = {{"likes", "many"}}}); });
  failsOn("likes", [&] { Blog->create({{"url", "u"}, {"title", "t"}, {"likes", 2147483648.0}}); });
  // A key no row can have: nothing, and no statement.
  clearLog();
  EXPECT_FALSE(Blog->findByPk(std::int64_t{2147483648}));
  EXPECT_FALSE(Blog->findByPk("abc"));
  EXPECT_FALSE(Blog->findByPk(latin1));
  EXPECT_TRUE(log.empty());
  // Valid UTF-8 of every length is text like any other.
  const std::string fine = "\xc3\xa4 \xe2\x82\xac \xf0\x9f\x98\x80";
  auto b = Blog->create({{"url", "u"}, {"title", fine}});
  EXPECT_EQ(Blog->findOne({.where = {{"title", fine}}})->get<std::string>("title"), fine);
  EXPECT_EQ(Blog->count({.where = {{"title", Op::substring("\xe2\x82\xac")}}}), 1);
  EXPECT_EQ(Blog->count(), 2);
}
