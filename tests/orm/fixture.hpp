// The ORM suite's fixture: a Database on this process's isolated database
// (SQLite file or PostgreSQL schema) with the blog list's models.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

}  // namespace junction::test
