// Shared fixture: a fresh database per test process, a raw connection and a
// QueryInterface on it; helpers that read what a user would check.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

#include "junction/data_types.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/migrate/query_interface.hpp"
#include "support/engine.hpp"

namespace junction::test {

class QiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn = openConnection(databaseUrl());
    qi = std::make_unique<migrate::QueryInterface>(*conn);
  }

  bool sqlite() const { return !isPostgres(); }

  std::int64_t count(const std::string& table) {
    return conn->query("SELECT COUNT(*) FROM \"" + table + "\"").at(0, 0).as<std::int64_t>();
  }

  std::vector<std::string> indexNames(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& ix : qi->describeTable(table).indexes) out.push_back(ix.name);
    return out;
  }

  static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    return s;
  }

  // The type each engine reports for DataTypes.X.
  std::string varchar255() const { return sqlite() ? "VARCHAR(255)" : "CHARACTER VARYING(255)"; }
  std::string dateType() const { return sqlite() ? "DATETIME" : "TIMESTAMP WITH TIME ZONE"; }

  std::unique_ptr<Connection> conn;
  std::unique_ptr<migrate::QueryInterface> qi;
};

}  // namespace junction::test
