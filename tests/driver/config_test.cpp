// sequelize-cli's config/config.json and a .junctionrc, read without a
// database: each environment's URL, how the environment is chosen, and a
// clear error for everything the loader cannot use. (The CLI's round trips
// on both engines are in tests/migrate/cli_config_test.cpp.)
#include "junction/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "junction/errors.hpp"
#include "junction/url.hpp"

namespace junction::test {
namespace {

namespace fs = std::filesystem;

class driverConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("junction-config-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "config");
    ::unsetenv("JUNCTION_ENV");
    ::unsetenv("NODE_ENV");
  }
  void TearDown() override {
    fs::remove_all(dir_);
    ::unsetenv("JUNCTION_ENV");
    ::unsetenv("NODE_ENV");
    ::unsetenv("JUNCTION_CONFIG_TEST_URL");
  }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  fs::path configFile(const std::string& text) { return write("config/config.json", text); }
  std::string urlOf(const std::string& envJson, const std::string& env = "development") {
    return loadDatabaseConfig({configFile("{\"" + env + "\": " + envJson + "}"), env}).url;
  }
  // The message of the UsageError loading `text` throws.
  std::string errorOf(const std::string& text, const std::string& env = "development") {
    try {
      loadDatabaseConfig({configFile(text), env});
    } catch (const UsageError& e) {
      return e.what();
    }
    return "(no error)";
  }
  fs::path dir_;
};

TEST_F(driverConfig, EachFormBecomesAUrl) {
  EXPECT_EQ(urlOf(R"({"dialect": "sqlite", "storage": "data/dev.db"})"), "sqlite://data/dev.db");
  EXPECT_EQ(urlOf(R"({"dialect": "sqlite", "storage": "/var/lib/x.db", "logging": false})"),
            "sqlite:///var/lib/x.db");
  EXPECT_EQ(urlOf(R"({"dialect": "sqlite", "storage": ":memory:"})"), "sqlite::memory:");
  EXPECT_EQ(urlOf(R"({"dialect": "postgres", "host": "127.0.0.1", "port": 5433,
                      "database": "blog_dev", "username": "blog", "password": null})"),
            "postgres://blog@127.0.0.1:5433/blog_dev");
  // sequelize-cli's init writes ports as strings too; user, password and
  // database are percent-encoded, and decode back to what the file says.
  auto url = urlOf(R"({"dialect": "postgres", "host": "db", "port": "6543",
                       "database": "a b/c", "username": "me@x", "password": "p:@/?#%"})");
  EXPECT_EQ(url, "postgres://me%40x:p%3A%40%2F%3F%23%25@db:6543/a%20b%2Fc");
  auto parsed = ConnectionUrl::parse(url);
  EXPECT_EQ(parsed.user, "me@x");
  EXPECT_EQ(parsed.password, "p:@/?#%");
  EXPECT_EQ(parsed.database, "a b/c");
  EXPECT_EQ(parsed.port, 6543);
  EXPECT_EQ(urlOf(R"({"dialect": "postgres", "database": "d"})"), "postgres://localhost/d");
  EXPECT_EQ(urlOf(R"({"url": "postgres://u@h/d?sslmode=require"})"),
            "postgres://u@h/d?sslmode=require");
  ::setenv("JUNCTION_CONFIG_TEST_URL", "sqlite://from-env.db", 1);
  EXPECT_EQ(urlOf(R"({"use_env_variable": "JUNCTION_CONFIG_TEST_URL", "dialect": "postgres"})"),
            "sqlite://from-env.db");
}

TEST_F(driverConfig, TheEnvironmentComesFromTheSelectionThenJunctionEnvThenNodeEnv) {
  auto file = configFile(R"({"development": {"dialect": "sqlite", "storage": "dev.db"},
                             "test": {"dialect": "sqlite", "storage": "test.db"},
                             "production": {"dialect": "sqlite", "storage": "prod.db",
                                            "migrationStorageTableName": "SequelizeMeta"}})");
  auto dev = loadDatabaseConfig({file, ""});
  EXPECT_EQ(dev.env, "development");
  EXPECT_EQ(dev.url, "sqlite://dev.db");
  EXPECT_EQ(dev.migrationStorageTableName, "");
  ::setenv("NODE_ENV", "test", 1);
  EXPECT_EQ(loadDatabaseConfig({file, ""}).url, "sqlite://test.db");
  ::setenv("JUNCTION_ENV", "production", 1);
  auto prod = loadDatabaseConfig({file, ""});
  EXPECT_EQ(prod.url, "sqlite://prod.db");
  EXPECT_EQ(prod.migrationStorageTableName, "SequelizeMeta");
  EXPECT_EQ(loadDatabaseConfig({file, "development"}).url, "sqlite://dev.db");
}

TEST_F(driverConfig, TheFileComesFromJunctionrcElseConfigConfigJson) {
  auto paths = loadProjectPaths(dir_);
  EXPECT_EQ(paths.config, dir_ / "config/config.json");
  EXPECT_EQ(paths.migrations, dir_ / "migrations");
  EXPECT_EQ(paths.seeders, dir_ / "seeders");
  EXPECT_EQ(paths.models, dir_ / "models");
  write(".junctionrc", R"({"config": "db/settings.json", "migrations-path": "db/migrate",
                            "seeders-path": "/abs/seeds"})");
  paths = loadProjectPaths(dir_);
  EXPECT_EQ(paths.config, dir_ / "db/settings.json");
  EXPECT_EQ(paths.migrations, dir_ / "db/migrate");
  EXPECT_EQ(paths.seeders, "/abs/seeds");
  EXPECT_EQ(paths.models, dir_ / "models");
  write(".junctionrc", R"({"migrations_path": "x"})");
  EXPECT_THROW(loadProjectPaths(dir_), UsageError);
  write(".junctionrc", R"({"config": 3})");
  EXPECT_THROW(loadProjectPaths(dir_), UsageError);
}

TEST_F(driverConfig, WhatItCannotUseIsAnErrorNamingIt) {
  auto has = [](const std::string& message, const std::string& part) {
    return message.find(part) != std::string::npos;
  };
  EXPECT_TRUE(has(errorOf(R"({"test": {}})"), "no environment \"development\" (it has: test)"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"dialect": "mysql", "database": "d"}})"),
                  "development.dialect: \"mysql\" is not supported"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"dialect": "sqlite"}})"), "development.storage"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"dialect": "postgres", "host": "h"}})"),
                  "development.database: is missing"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"host": "h", "database": "d"}})"),
                  "development.dialect: is missing"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"dialect": "postgres", "database": "d",
                                              "dialectOptions": {"ssl": true}}})"),
                  "development.dialectOptions: is not a setting junction reads"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"dialect": "postgres", "database": "d",
                                              "port": 70000}})"),
                  "development.port: 70000 is not a TCP port"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"dialect": "postgres", "database": "d",
                                              "host": "/run/postgresql"}})"),
                  "development.host"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"use_env_variable": "JUNCTION_UNSET_VARIABLE"}})"),
                  "$JUNCTION_UNSET_VARIABLE is not set"));
  EXPECT_TRUE(has(errorOf(R"({"development": {"dialect": "sqlite", "storage": 5}})"),
                  "development.storage: must be a string"));
  EXPECT_TRUE(has(errorOf("{\"development\": "), "is not valid JSON"));
  EXPECT_THROW(loadDatabaseConfig({dir_ / "missing.json", ""}), UsageError);
}

}  // namespace
}  // namespace junction::test
