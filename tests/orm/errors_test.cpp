// Database errors arrive as Sequelize's typed errors on both engines.
#include "fixture.hpp"

using namespace junction;
using junction::test::OrmTest;

TEST_F(OrmTest, UniqueViolationIsTyped) {
  User->create({{"username", "a@x.fi"}, {"name", "A"}});
  try {
    User->create({{"username", "a@x.fi"}, {"name", "B"}});
    FAIL() << "expected UniqueConstraintError";
  } catch (const UniqueConstraintError& e) {
    EXPECT_EQ(e.fields(), std::vector<std::string>{"username"});
    EXPECT_EQ(e.sqlState(), "23505");
    EXPECT_NE(e.sql().find("INSERT"), std::string::npos);
  }
  EXPECT_EQ(User->count(), 1);
}

TEST_F(OrmTest, ForeignKeyViolationIsTyped) {
  EXPECT_THROW(Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"userId", 12345}}),
               ForeignKeyConstraintError);
  auto u = User->create({{"username", "a@x.fi"}, {"name", "A"}});
  Blog->create({{"title", "t"}, {"url", "http://x.fi"}, {"userId", u["id"]}});
  EXPECT_THROW(u.destroy(), ForeignKeyConstraintError);
}

TEST_F(OrmTest, BadUrlsAndUnreachableServers) {
  EXPECT_THROW(Database("nonsense"), InvalidUrlError);
  EXPECT_THROW(Database(""), InvalidUrlError);
  Database unknown("mysql://localhost/db");
  EXPECT_THROW(unknown.authenticate(), InvalidUrlError);
  Database unreachable("postgres://postgres@127.0.0.1:1/nope?connect_timeout=2");
  EXPECT_THROW(unreachable.authenticate(), ConnectionError);
  Database unopenable("sqlite:///nonexistent-dir/x/y.db");
  EXPECT_THROW(unopenable.authenticate(), ConnectionError);
}

TEST_F(OrmTest, UnknownNamesInOptionsAreErrors) {
  EXPECT_THROW(User->findAll({.where = {{"nope", 1}}}), UsageError);
  EXPECT_THROW(User->findAll({.order = {"nope"}}), UsageError);
  EXPECT_THROW(User->findAll({.group = {"nope"}}), UsageError);
  EXPECT_THROW(User->count({.col = "nope"}), UsageError);
  EXPECT_THROW(User->update({{"nope", 1}}, {.where = {{"id", 1}}}), UsageError);
  EXPECT_THROW(User->create({{"name", "x"}}, {.fields = {"nope"}}), UsageError);
  EXPECT_THROW(User->findAll({.where = col("id") == fn("bad name!", 1)}), UsageError);
}

TEST_F(OrmTest, StatementErrorsCarryTheSql) {
  try {
    db->query("SELECT * FROM no_such_table");
    FAIL();
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.sql(), "SELECT * FROM no_such_table");
    EXPECT_NE(std::string(e.what()).find("no_such_table"), std::string::npos);
  }
}
