// SQLSTATE → typed error mapping, connection failures and connection loss.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "junction/errors.hpp"
#include "pg_test_util.hpp"

namespace junction {
namespace {

using test::pgConnect;

std::vector<Value> params(std::initializer_list<Value> v) {
  return std::vector<Value>(v);
}

class PgErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    c = pgConnect();
    // Each case normally runs in its own process and schema; dropping first
    // keeps a whole-binary run (all cases in one schema) working too.
    c->execute(R"(
      DROP TABLE IF EXISTS memberships, users;
      CREATE TABLE users (id serial PRIMARY KEY, username text NOT NULL UNIQUE,
                          age int CONSTRAINT age_positive CHECK (age > 0));
      CREATE TABLE memberships ("userId" int NOT NULL REFERENCES users (id),
                                "teamId" int NOT NULL,
                                CONSTRAINT one_membership UNIQUE ("userId", "teamId"));
      INSERT INTO users (username, age) VALUES ('ada', 36);
      INSERT INTO memberships VALUES (1, 10);)");
  }
  std::unique_ptr<Connection> c;
};

TEST_F(PgErrors, UniqueViolationNamesFieldsConstraintAndTable) {
  const std::string sql = "INSERT INTO users (username, age) VALUES ($1, $2)";
  try {
    c->query(sql, params({"ada", 20}));
    FAIL() << "expected UniqueConstraintError";
  } catch (const UniqueConstraintError& e) {
    EXPECT_EQ(e.fields(), std::vector<std::string>{"username"});
    EXPECT_EQ(e.constraint(), "users_username_key");
    EXPECT_EQ(e.table(), "users");
    EXPECT_EQ(e.sqlState(), "23505");
    EXPECT_EQ(e.sql(), sql);
    EXPECT_STREQ(e.name(), "UniqueConstraintError");
    const std::string what = e.what();
    EXPECT_NE(what.find("users_username_key"), std::string::npos) << what;
    EXPECT_NE(what.find("Key (username)=(ada) already exists."), std::string::npos) << what;
  }
}

TEST_F(PgErrors, CompositeUniqueViolationListsEveryQuotedColumn) {
  try {
    c->query("INSERT INTO memberships VALUES ($1, $2)", params({1, 10}));
    FAIL() << "expected UniqueConstraintError";
  } catch (const UniqueConstraintError& e) {
    EXPECT_EQ(e.fields(), (std::vector<std::string>{"userId", "teamId"}));
    EXPECT_EQ(e.constraint(), "one_membership");
    EXPECT_EQ(e.table(), "memberships");
  }
}

TEST_F(PgErrors, ForeignKeyViolation) {
  try {
    c->query("INSERT INTO memberships VALUES ($1, $2)", params({99, 1}));
    FAIL() << "expected ForeignKeyConstraintError";
  } catch (const ForeignKeyConstraintError& e) {
    EXPECT_EQ(e.sqlState(), "23503");
    EXPECT_EQ(e.constraint(), "memberships_userId_fkey");
    EXPECT_EQ(e.table(), "memberships");
    EXPECT_NE(std::string(e.what()).find("is not present in table"), std::string::npos);
  }
}

TEST_F(PgErrors, NotNullViolationOmitsTheFailingRow) {
  try {
    c->query("INSERT INTO users (username, age) VALUES ($1, $2)", params({Value(), 5}));
    FAIL() << "expected NotNullConstraintError";
  } catch (const NotNullConstraintError& e) {
    EXPECT_EQ(e.sqlState(), "23502");
    EXPECT_EQ(e.table(), "users");
    const std::string what = e.what();
    EXPECT_NE(what.find("username"), std::string::npos) << what;
    EXPECT_EQ(what.find("Failing row"), std::string::npos) << what;
  }
}

TEST_F(PgErrors, CheckViolation) {
  try {
    c->query("UPDATE users SET age = $1", params({-1}));
    FAIL() << "expected CheckConstraintError";
  } catch (const CheckConstraintError& e) {
    EXPECT_EQ(e.sqlState(), "23514");
    EXPECT_EQ(e.constraint(), "age_positive");
    EXPECT_EQ(e.table(), "users");
  }
}

TEST_F(PgErrors, StatementTimeoutIsATimeoutError) {
  c->execute("SET statement_timeout TO 50");
  try {
    c->query("SELECT pg_sleep(5)");
    FAIL() << "expected TimeoutError";
  } catch (const TimeoutError& e) {
    EXPECT_EQ(e.sqlState(), "57014");
  }
  c->execute("SET statement_timeout TO 0");
  EXPECT_TRUE(c->isUsable());
}

TEST_F(PgErrors, LockNotAvailableIsATimeoutError) {
  auto other = pgConnect();
  other->begin();
  other->query("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
  c->begin();
  try {
    c->query("LOCK TABLE users IN ACCESS SHARE MODE NOWAIT");
    ADD_FAILURE() << "expected TimeoutError";
  } catch (const TimeoutError& e) {
    EXPECT_EQ(e.sqlState(), "55P03");
  }
  c->rollback();
  other->rollback();
}

TEST_F(PgErrors, OtherErrorsAreDatabaseErrorsWithStateAndSql) {
  try {
    c->query("SELEC 1");
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_STREQ(e.name(), "DatabaseError");
    EXPECT_EQ(e.sqlState(), "42601");
    EXPECT_EQ(e.sql(), "SELEC 1");
  }
  try {
    c->execute("CREATE TABLE ok_one (a int); SELECT * FROM missing_table");
    FAIL() << "expected DatabaseError";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.sqlState(), "42P01");
    EXPECT_NE(std::string(e.what()).find("missing_table"), std::string::npos);
  }
  // Scripts map constraint errors the same way.
  EXPECT_THROW(c->execute("INSERT INTO users (username) VALUES ('ada')"), UniqueConstraintError);
  EXPECT_TRUE(c->isUsable());
}

TEST_F(PgErrors, FailedTransactionRejectsStatementsUntilRollback) {
  c->begin();
  EXPECT_THROW(c->query("INSERT INTO users (username) VALUES ($1)", params({"ada"})),
               UniqueConstraintError);
  try {
    c->query("SELECT count(*) FROM users");
    ADD_FAILURE() << "expected in_failed_sql_transaction";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.sqlState(), "25P02");
  }
  c->rollback();
  EXPECT_EQ(c->query("SELECT count(*) FROM users").at(0, 0).as<int>(), 1);
}

TEST(PgConnectionLoss, TerminatedBackendIsConnectionLostAndUnusable) {
  auto victim = pgConnect();
  auto killer = pgConnect();
  victim->query("SELECT $1::int", params({1}));  // a cached statement, to exercise the hit path
  const auto pid = test::backendPid(*victim);
  // The timeout makes pg_terminate_backend wait until the backend has exited.
  ASSERT_TRUE(killer->query("SELECT pg_terminate_backend($1::int, 5000)", params({pid}))
                  .at(0, 0)
                  .as<bool>());
  try {
    victim->query("SELECT $1::int", params({1}));
    FAIL() << "expected ConnectionLostError";
  } catch (const ConnectionLostError& e) {
    EXPECT_NE(std::string(e.what()).find("lost"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(victim->isUsable());
  EXPECT_THROW(victim->query("SELECT 1"), ConnectionLostError);
  EXPECT_THROW(victim->execute("SELECT 1"), ConnectionLostError);
  EXPECT_TRUE(killer->isUsable());
}

TEST(PgConnectionLoss, TerminatedBackendFailsScriptsToo) {
  auto victim = pgConnect();
  auto killer = pgConnect();
  const auto pid = test::backendPid(*victim);
  killer->query("SELECT pg_terminate_backend($1::int, 5000)", params({pid}));
  EXPECT_THROW(victim->execute("SELECT 1"), ConnectionLostError);
  EXPECT_FALSE(victim->isUsable());
}

TEST(PgConnect, UnknownDatabaseIsAConnectionErrorNamingTheRedactedUrl) {
  auto u = ConnectionUrl::parse(test::serverUrl());
  const std::string url = test::pgUrlWith(u.user, "hunter2-secret", "junction_no_such_db");
  try {
    openConnection(url);
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("hunter2-secret"), std::string::npos) << what;
    EXPECT_NE(what.find(ConnectionUrl::parse(url).redacted()), std::string::npos) << what;
    EXPECT_NE(what.find("***"), std::string::npos) << what;
    EXPECT_NE(what.find("junction_no_such_db\" does not exist"), std::string::npos) << what;
  }
}

TEST(PgConnect, UnknownRoleIsAConnectionError) {
  auto u = ConnectionUrl::parse(test::serverUrl());
  const std::string url =
      test::pgUrlWith("junction_no_such_role", "pw-should-not-show", u.database);
  try {
    openConnection(url);
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find("pw-should-not-show"), std::string::npos) << what;
    EXPECT_NE(what.find("junction_no_such_role"), std::string::npos) << what;
  }
}

TEST(PgConnect, UnknownLibpqKeywordIsAConnectionError) {
  auto u = ConnectionUrl::parse(test::serverUrl());
  try {
    openConnection(test::pgUrlWith(u.user, u.password, u.database, "no_such_keyword=1"));
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_keyword"), std::string::npos) << e.what();
  }
}

TEST(PgConnect, UnreachableServerIsAConnectionError) {
  // Port 1 on loopback refuses at once, so this does not wait for a timeout.
  try {
    openConnection("postgres://nobody@127.0.0.1:1/db?connect_timeout=2");
    FAIL() << "expected ConnectionError";
  } catch (const ConnectionError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("postgres://nobody@127.0.0.1:1/db"), std::string::npos) << what;
    EXPECT_EQ(what.find('\n'), std::string::npos) << "one line: " << what;
  }
}

}  // namespace
}  // namespace junction
