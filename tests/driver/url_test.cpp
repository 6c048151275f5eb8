#include "junction/url.hpp"

#include <gtest/gtest.h>

#include "driver_test_util.hpp"
#include "junction/errors.hpp"

namespace junction::test {
namespace {

TEST(driverUrl, SqliteMemory) {
  auto u = ConnectionUrl::parse("sqlite::memory:");
  EXPECT_EQ(u.scheme, "sqlite");
  EXPECT_EQ(u.path, ":memory:");
  EXPECT_TRUE(u.isMemory());
  EXPECT_EQ(u.redacted(), "sqlite::memory:");
  EXPECT_TRUE(ConnectionUrl::parse("sqlite://:memory:").isMemory());
}

TEST(driverUrl, SqliteRelativeAndAbsolutePaths) {
  auto rel = ConnectionUrl::parse("sqlite://data/blog.db");
  EXPECT_EQ(rel.path, "data/blog.db");
  EXPECT_FALSE(rel.isMemory());
  auto abs = ConnectionUrl::parse("sqlite:///var/lib/blog.db?busy_timeout=100");
  EXPECT_EQ(abs.path, "/var/lib/blog.db");
  EXPECT_EQ(abs.params.at("busy_timeout"), "100");
  EXPECT_EQ(abs.redacted(), "sqlite:///var/lib/blog.db?busy_timeout=100");
  EXPECT_EQ(ConnectionUrl::parse("sqlite:///tmp/my%20db.db").path, "/tmp/my db.db");
}

TEST(driverUrl, PostgresWithEverything) {
  auto u = ConnectionUrl::parse(
      "postgres://app%20user:p%40ss%3Aword@db.example.com:6543/blog%2Dprod?sslmode=disable&"
      "schema=app");
  EXPECT_EQ(u.scheme, "postgres");
  EXPECT_EQ(u.user, "app user");
  EXPECT_EQ(u.password, "p@ss:word");
  EXPECT_EQ(u.host, "db.example.com");
  EXPECT_EQ(u.port, 6543);
  EXPECT_EQ(u.database, "blog-prod");
  EXPECT_EQ(u.params.at("sslmode"), "disable");
  EXPECT_EQ(u.params.at("schema"), "app");
  std::string r = u.redacted();
  EXPECT_EQ(r.find("p@ss"), std::string::npos);
  EXPECT_EQ(r.find("word"), std::string::npos);
  EXPECT_NE(r.find("***"), std::string::npos);
  EXPECT_NE(r.find("db.example.com:6543"), std::string::npos);
}

TEST(driverUrl, PostgresqlIsNormalisedAndDefaultsStayEmpty) {
  auto u = ConnectionUrl::parse("postgresql://localhost/blog");
  EXPECT_EQ(u.scheme, "postgres");
  EXPECT_EQ(u.port, 0);
  EXPECT_EQ(u.user, "");
  EXPECT_EQ(u.database, "blog");
  EXPECT_EQ(ConnectionUrl::parse("POSTGRES://h").scheme, "postgres");
  EXPECT_EQ(ConnectionUrl::parse("postgres://u@h:5432").database, "");
}

TEST(driverUrl, Ipv6Hosts) {
  auto u = ConnectionUrl::parse("postgres://u:pw@[::1]:5433/db");
  EXPECT_EQ(u.host, "::1");
  EXPECT_EQ(u.port, 5433);
  EXPECT_EQ(u.redacted(), "postgres://u:***@[::1]:5433/db");
  EXPECT_EQ(ConnectionUrl::parse("postgres://[fe80::1]/db").host, "fe80::1");
}

// libpq's form for a Unix-domain socket: the directory, percent-encoded.
TEST(driverUrl, SocketDirectoryHosts) {
  auto u = ConnectionUrl::parse("postgres://app@%2Fvar%2Frun%2Fpostgresql:5433/blog");
  EXPECT_EQ(u.host, "/var/run/postgresql");
  EXPECT_EQ(u.port, 5433);
  EXPECT_EQ(u.database, "blog");
  EXPECT_EQ(u.redacted(), "postgres://app@%2Fvar%2Frun%2Fpostgresql:5433/blog");
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://%2/db"); }, {"host"});
}

TEST(driverUrl, UnknownSchemesParseForTheRegistryToReject) {
  auto u = ConnectionUrl::parse("mysql://root@localhost/db");
  EXPECT_EQ(u.scheme, "mysql");
  EXPECT_EQ(u.host, "localhost");
}

TEST(driverUrl, BadUrlsNameWhatIsWrong) {
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse(""); }, {"empty"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("blog.db"); }, {"blog.db", "scheme"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("://host/db"); }, {"scheme"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("1http://x"); }, {"scheme"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://h:abc/db"); },
                               {"port", "abc"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://h:/db"); }, {"port"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://h:70000/db"); },
                               {"70000", "range"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://h:0/db"); }, {"range"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://h:99999999999999/db"); },
                               {"range"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://[::1/db"); }, {"IPv6"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres:h/db"); }, {"postgres://"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("sqlite://"); }, {"path"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("sqlite:"); }, {"sqlite:"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("sqlite:blog.db"); }, {"sqlite://"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://u@h/db%zz"); },
                               {"%zz", "database"});
  expectThrow<InvalidUrlError>([] { ConnectionUrl::parse("postgres://u@h/db%4"); },
                               {"percent-escape"});
}

TEST(driverUrl, ErrorsNeverShowThePassword) {
  auto e = expectThrow<InvalidUrlError>(
      [] { ConnectionUrl::parse("postgres://admin:hunter2@h:99999/db"); }, {"admin", "***"});
  EXPECT_EQ(std::string(e.what()).find("hunter2"), std::string::npos) << e.what();
  auto e2 = expectThrow<InvalidUrlError>(
      [] { ConnectionUrl::parse("postgres://h:x/db?password=hunter2"); });
  EXPECT_EQ(std::string(e2.what()).find("hunter2"), std::string::npos) << e2.what();
  auto u = ConnectionUrl::parse("postgres://h/db?password=hunter2");
  EXPECT_EQ(u.params.at("password"), "hunter2");
  EXPECT_EQ(u.redacted().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace junction::test
