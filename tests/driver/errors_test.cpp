// Engine errors arrive as the typed errors of junction/errors.hpp.
#include "junction/errors.hpp"

#include <gtest/gtest.h>

#include "driver_test_util.hpp"
#include "junction/dialects.hpp"
#include "support/engine.hpp"

namespace junction::test {
namespace {

class ErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = openConnection(databaseUrl());
    conn_->execute(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, username VARCHAR(255) NOT NULL UNIQUE, "
        "age INTEGER CONSTRAINT age_non_negative CHECK (age >= 0));"
        "CREATE TABLE posts (id INTEGER PRIMARY KEY, "
        "user_id INTEGER NOT NULL REFERENCES users(id));"
        "INSERT INTO users (id, username, age) VALUES (1, 'ada', 36)");
  }

  ResultSet insertUser(Value id, Value username, Value age) {
    std::vector<Value> p{std::move(id), std::move(username), std::move(age)};
    return conn_->query("INSERT INTO users (id, username, age) VALUES (" + ph(*conn_, 1) + ", " +
                            ph(*conn_, 2) + ", " + ph(*conn_, 3) + ")",
                        p);
  }

  std::unique_ptr<Connection> conn_;
};

// Suite names start with "driver" so `ctest -R driver` selects this suite.
using driverErrors = ErrorsTest;

TEST_F(driverErrors, UniqueViolationNamesTableAndFields) {
  auto e = expectThrow<UniqueConstraintError>([&] { insertUser(2, "ada", 1); });
  EXPECT_EQ(e.sqlState(), "23505");
  EXPECT_EQ(e.fields(), std::vector<std::string>{"username"});
  EXPECT_EQ(e.table(), "users");
  EXPECT_NE(e.sql().find("INSERT INTO users"), std::string::npos);
  EXPECT_STREQ(e.name(), "UniqueConstraintError");
}

TEST_F(driverErrors, PrimaryKeyViolationIsAUniqueViolation) {
  auto e = expectThrow<UniqueConstraintError>([&] { insertUser(1, "grace", 1); });
  EXPECT_EQ(e.sqlState(), "23505");
  EXPECT_EQ(e.fields(), std::vector<std::string>{"id"});
  EXPECT_EQ(e.table(), "users");
}

TEST_F(driverErrors, ForeignKeyViolation) {
  auto e = expectThrow<ForeignKeyConstraintError>(
      [&] { conn_->execute("INSERT INTO posts (id, user_id) VALUES (1, 999)"); });
  EXPECT_EQ(e.sqlState(), "23503");
  EXPECT_NE(e.sql().find("posts"), std::string::npos);
  // Deleting a referenced row is refused too.
  conn_->execute("INSERT INTO posts (id, user_id) VALUES (1, 1)");
  EXPECT_THROW(conn_->execute("DELETE FROM users WHERE id = 1"), ForeignKeyConstraintError);
}

TEST_F(driverErrors, NotNullViolationNamesTheTable) {
  auto e = expectThrow<NotNullConstraintError>([&] { insertUser(3, Value(), 1); }, {"username"});
  EXPECT_EQ(e.sqlState(), "23502");
  EXPECT_EQ(e.table(), "users");
}

TEST_F(driverErrors, CheckViolationNamesTheConstraint) {
  auto e = expectThrow<CheckConstraintError>([&] { insertUser(4, "neg", -1); });
  EXPECT_EQ(e.sqlState(), "23514");
  EXPECT_EQ(e.constraint(), "age_non_negative");
}

TEST_F(driverErrors, SyntaxErrorCarriesTheSql) {
  auto e = expectThrow<DatabaseError>([&] { conn_->query("SELEC id FROM users"); }, {"SELEC"});
  EXPECT_EQ(e.sql(), "SELEC id FROM users");
  EXPECT_STREQ(e.name(), "DatabaseError");
}

TEST_F(driverErrors, UnknownTableIsADatabaseErrorInScriptsToo) {
  auto e = expectThrow<DatabaseError>(
      [&] { conn_->execute("SELECT 1; SELECT * FROM no_such_table"); }, {"no_such_table"});
  EXPECT_NE(e.sql().find("no_such_table"), std::string::npos);
}

TEST_F(driverErrors, ParameterCountMismatchIsAUsageError) {
  const std::string sql = "SELECT id FROM users WHERE id = " + ph(*conn_, 1);
  expectThrow<UsageError>([&] { conn_->query(sql); }, {"1", "0"});
  std::vector<Value> two{Value(1), Value(2)};
  expectThrow<UsageError>([&] { conn_->query(sql, two); }, {"1", "2"});
  // The connection stays usable and the statement works with the right count.
  std::vector<Value> one{Value(1)};
  EXPECT_EQ(conn_->query(sql, one).size(), 1u);
  EXPECT_TRUE(conn_->isUsable());
}

TEST_F(driverErrors, ConnectionIsUsableAfterEveryKindOfError) {
  EXPECT_THROW(insertUser(1, "ada", 1), UniqueConstraintError);
  EXPECT_THROW(conn_->query("SELEC"), DatabaseError);
  EXPECT_TRUE(conn_->isUsable());
  EXPECT_EQ(conn_->query("SELECT username FROM users").at(0, 0), Value("ada"));
}

}  // namespace
}  // namespace junction::test
