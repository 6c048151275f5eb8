// SQLSTATE → typed error, without a server (dialects/postgres/pg_errors.hpp).
#include <gtest/gtest.h>

#include <string>

#include "dialects/postgres/pg_errors.hpp"
#include "junction/errors.hpp"

namespace junction::postgres {
namespace {

template <class E>
E caught(const Diagnostics& d, std::string_view sql = "INSERT ...") {
  try {
    throwError(d, sql);
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong type for " << d.sqlState << ": " << e.what();
  }
  throw std::runtime_error("unreachable");
}

TEST(PgErrorMap, EachStateItsType) {
  auto unique = caught<UniqueConstraintError>(
      {"23505", "duplicate key value violates unique constraint \"users_username_key\"",
       "Key (username)=(a) already exists.", "users_username_key", "users"});
  EXPECT_EQ(unique.fields(), std::vector<std::string>{"username"});
  EXPECT_EQ(unique.sqlState(), "23505");
  EXPECT_EQ(unique.constraint(), "users_username_key");
  EXPECT_EQ(unique.table(), "users");
  EXPECT_EQ(unique.sql(), "INSERT ...");
  EXPECT_NE(std::string(unique.what()).find("already exists"), std::string::npos)
      << "the detail joins the message";
  caught<ForeignKeyConstraintError>({"23503", "violates foreign key", "", "fk", "t"});
  caught<TimeoutError>({"57014", "canceling statement due to statement timeout"});
  caught<TimeoutError>({"55P03", "could not obtain lock"});
  auto other = caught<DatabaseError>({"42P01", "relation \"nope\" does not exist"});
  EXPECT_EQ(other.sqlState(), "42P01");
  EXPECT_EQ(std::string(caught<DatabaseError>({"XX000", ""}).what()), "unknown error");
}

TEST(PgErrorMap, NotNullAndCheckLeaveTheFailingRowOut) {
  auto nn = caught<NotNullConstraintError>(
      {"23502", "null value in column \"name\" violates not-null constraint",
       "Failing row contains (1, null, secret-hash).", "", "users"});
  EXPECT_EQ(std::string(nn.what()).find("secret-hash"), std::string::npos);
  auto check =
      caught<CheckConstraintError>({"23514", "new row violates check constraint \"age_positive\"",
                                    "Failing row contains (1, x, -1).", "age_positive", "users"});
  EXPECT_EQ(std::string(check.what()).find("Failing row"), std::string::npos);
  EXPECT_EQ(check.constraint(), "age_positive");
}

TEST(PgErrorMap, SessionLossIsClass08AndTheShutdowns) {
  for (const char* s : {"08000", "08003", "08006", "57P01", "57P02", "57P03"})
    EXPECT_TRUE(sessionLost(s)) << s;
  for (const char* s : {"57014", "23505", "", "57P04", "40001"}) EXPECT_FALSE(sessionLost(s)) << s;
}

}  // namespace
}  // namespace junction::postgres
