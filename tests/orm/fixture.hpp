// The ORM suite's fixture: a Database on this process's isolated database
// (SQLite file or PostgreSQL schema) with the blog list's models.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "junction/json.hpp"
#include "junction/junction.hpp"
#include "support/engine.hpp"

namespace junction::test {

class OrmTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Statements seen by the logging hook since the last clearLog().
  std::vector<std::string> log;
  std::mutex logMutex;
  void clearLog() { log.clear(); }

  std::unique_ptr<Database> db;
  Model* User = nullptr;  // users: id, username (email, unique), name, admin, disabled, timestamps
  Model* Blog = nullptr;  // blogs: id, author, url, title, likes, year, userId → users, timestamps
};

// Rows as a JSON array of their toJSON().
Json jsonOf(const std::vector<Instance>& rows);

// An ISO-8601 string with milliseconds, as toJSON renders timestamps.
bool isIsoTimestamp(const Json& v);

// Timestamps differ from run to run: each of `keys` whose value is an
// ISO-8601 string with milliseconds becomes "<ts>", at every level (anything
// else stays, so a wrong value still fails the comparison).
Json withoutTimes(Json j, const std::vector<std::string>& keys = {"createdAt", "updatedAt"});

}  // namespace junction::test
