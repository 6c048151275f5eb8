#include <gtest/gtest.h>

#include "junction/errors.hpp"

using namespace junction;

TEST(Errors, HierarchyAndNames) {
  UniqueConstraintError u("duplicate", {"username"}, "23505", "INSERT ...", "users_username_key",
                          "users");
  const DatabaseError& d = u;
  const Error& e = u;
  EXPECT_STREQ(e.name(), "UniqueConstraintError");
  EXPECT_EQ(d.sqlState(), "23505");
  EXPECT_EQ(u.fields(), std::vector<std::string>{"username"});
  EXPECT_STREQ(ConnectionAcquireTimeoutError("x").name(), "ConnectionAcquireTimeoutError");
  const ConnectionLostError lost("x");
  const Error& lostAsError = lost;
  EXPECT_NE(dynamic_cast<const ConnectionError*>(&lostAsError), nullptr);
}

TEST(Errors, ValidationErrorListsItems) {
  ValidationError v("user", {{.message = "Validation isEmail on username failed",
                              .type = "Validation error",
                              .path = "username",
                              .value = "nope",
                              .validatorKey = "isEmail",
                              .model = "user"},
                             {.message = "user.name cannot be null",
                              .type = "notNull violation",
                              .path = "name",
                              .value = "NULL",
                              .validatorKey = "notNull",
                              .model = "user"}});
  EXPECT_EQ(v.errors().size(), 2u);
  EXPECT_EQ(std::string(v.what()),
            "Validation error: Validation isEmail on username failed,\nuser.name cannot be null");
}

TEST(Errors, MigrationErrorNamesMigrationAndDirection) {
  MigrationError m("20211209_00_initialize", MigrationError::Direction::Down, "no such table");
  EXPECT_EQ(std::string(m.what()), "Migration 20211209_00_initialize failed (down): no such table");
}
