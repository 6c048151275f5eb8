// Sequelize's `logging`: each statement with its parameters and duration; a counter.
#include "fixture.hpp"

using namespace junction;
using namespace junction::DataTypes;
using junction::test::OrmTest;

TEST_F(OrmTest, LoggingSeesSqlParamsAndDuration) {
  std::vector<std::string> sql;
  std::vector<std::vector<Value>> params;
  std::chrono::nanoseconds total{0};
  Database logged(test::databaseUrl(), {.logging = [&](const QueryEvent& e) {
                    sql.emplace_back(e.sql);
                    params.emplace_back(e.params.begin(), e.params.end());
                    total += e.duration;
                  }});
  auto& U = logged.define("user", {{"username", STRING}, {"name", STRING}},
                          {.underscored = true});  // same table as the fixture's
  U.findAll({.where = {{"name", "Jane"}}});
  ASSERT_EQ(sql.size(), 1u);
  EXPECT_NE(sql[0].find("SELECT"), std::string::npos);
  EXPECT_EQ(sql[0].find("Jane"), std::string::npos) << "values are bound, never in the SQL";
  ASSERT_EQ(params[0].size(), 1u);
  EXPECT_EQ(params[0][0], Value("Jane"));
  EXPECT_GT(total.count(), 0);
  EXPECT_EQ(logged.queryCount(), 1u);
  logged.resetQueryCount();
  EXPECT_EQ(logged.queryCount(), 0u);
}

TEST_F(OrmTest, QueryCountCountsStatements) {
  db->resetQueryCount();
  User->create({{"username", "a@x.fi"}, {"name", "A"}});
  User->findAll();
  User->count();
  EXPECT_EQ(db->queryCount(), 3u);
}
