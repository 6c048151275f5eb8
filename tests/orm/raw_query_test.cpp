// Raw queries with bound replacements (Sequelize's sequelize.query).
#include "fixture.hpp"

using namespace junction;
using junction::test::OrmTest;

TEST_F(OrmTest, RawQueryWithPositionalAndNamedReplacements) {
  User->create({{"username", "a@x.fi"}, {"name", "O'Brien"}});
  auto rs = db->query("SELECT name FROM users WHERE name = ?", {.replacements = {"O'Brien"}});
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs.at(0, "name"), Value("O'Brien"));
  auto named = db->query("SELECT COUNT(*) AS n FROM users WHERE name = :name OR username = :name",
                         {.named = {{"name", "nobody"}}});
  EXPECT_EQ(named.at(0, "n").as<int>(), 0);
  auto written = db->query("UPDATE users SET admin = ? WHERE username = ?",
                           {.replacements = {true, "a@x.fi"}});
  EXPECT_EQ(written.rowsAffected, 1);
  EXPECT_THROW(db->query("SELECT ?", {.replacements = {1, 2}}), UsageError);
  EXPECT_THROW(db->query("SELECT :missing", {.named = {{"other", 1}}}), UsageError);
  EXPECT_THROW(db->query("SELECT ?", {.replacements = {1}, .named = {{"a", 1}}}), UsageError);
}
