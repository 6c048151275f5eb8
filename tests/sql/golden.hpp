// Golden-SQL helpers shared by the sql tests: compile one statement with both
// dialects and compare text and parameters exactly (sqlpp11's style).
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "junction/dialects.hpp"
#include "junction/sql/compiler.hpp"

namespace junction {
// Readable failure output for parameter lists.
inline void PrintTo(const Value& v, std::ostream* os) {
  *os << v.toDebugString();
}
}  // namespace junction

namespace junction::sql::testing {

template <class Stmt>
Compiled lite(const Stmt& s) {
  return compile(sqliteDialect(), s);
}

template <class Stmt>
Compiled pg(const Stmt& s) {
  return compile(postgresDialect(), s);
}

// Both dialects bind the same parameters in the same order; only the text
// differs.
template <class Stmt>
void expectSql(const Stmt& s, const std::string& sqliteSql, const std::string& postgresSql,
               const std::vector<Value>& params = {}) {
  auto a = lite(s);
  auto b = pg(s);
  EXPECT_EQ(a.sql, sqliteSql);
  EXPECT_EQ(b.sql, postgresSql);
  EXPECT_EQ(a.params, params);
  EXPECT_EQ(b.params, params);
}

// For statements whose text is the same on both engines.
template <class Stmt>
void expectSameSql(const Stmt& s, const std::string& sql, const std::vector<Value>& params = {}) {
  expectSql(s, sql, sql, params);
}

inline std::shared_ptr<const Select> selectPtr(Select s) {
  return std::make_shared<const Select>(std::move(s));
}

}  // namespace junction::sql::testing
