// The Connection base class: transaction nesting and its SQL, the registry.
#include <gtest/gtest.h>

#include "dialects/postgres/pg_connection.hpp"
#include "driver_test_util.hpp"
#include "fake_connection.hpp"

namespace junction::test {
namespace {

using Log = std::vector<std::string>;

TEST(driverConnectionBase, NestingUsesNumberedSavepoints) {
  auto state = std::make_shared<FakeState>();
  FakeConnection c(state);
  c.begin();
  c.begin();
  c.begin();
  EXPECT_EQ(c.transactionDepth(), 3);
  c.commit();
  c.rollback();
  c.commit();
  EXPECT_EQ(c.transactionDepth(), 0);
  EXPECT_EQ(state->statements(),
            (Log{"BEGIN", "SAVEPOINT \"junction_sp_1\"", "SAVEPOINT \"junction_sp_2\"",
                 "RELEASE SAVEPOINT \"junction_sp_2\"", "ROLLBACK TO SAVEPOINT \"junction_sp_1\"",
                 "RELEASE SAVEPOINT \"junction_sp_1\"", "COMMIT"}));
}

TEST(driverConnectionBase, OutermostRollback) {
  auto state = std::make_shared<FakeState>();
  FakeConnection c(state);
  c.begin();
  c.rollback();
  EXPECT_EQ(state->statements(), (Log{"BEGIN", "ROLLBACK"}));
  EXPECT_THROW(c.rollback(), UsageError);
  EXPECT_THROW(c.commit(), UsageError);
}

TEST(driverConnectionBase, FailedCommitRollsBackAndEndsTheTransaction) {
  auto state = std::make_shared<FakeState>();
  state->failing = {"COMMIT"};
  FakeConnection c(state);
  c.begin();
  EXPECT_THROW(c.commit(), DatabaseError);
  EXPECT_EQ(c.transactionDepth(), 0);
  EXPECT_EQ(state->statements(), (Log{"BEGIN", "COMMIT", "ROLLBACK"}));
}

TEST(driverConnectionBase, FailedCommitReportsTheCommitErrorEvenIfRollbackFails) {
  auto state = std::make_shared<FakeState>();
  state->failing = {"COMMIT", "ROLLBACK"};
  FakeConnection c(state);
  c.begin();
  auto e = expectThrow<DatabaseError>([&] { c.commit(); });
  EXPECT_EQ(e.sql(), "COMMIT");
  EXPECT_EQ(c.transactionDepth(), 0);
}

TEST(driverConnectionBase, FailedRollbackKeepsTheDepthSoThePoolDiscards) {
  auto state = std::make_shared<FakeState>();
  state->failing = {"ROLLBACK"};
  FakeConnection c(state);
  c.begin();
  EXPECT_THROW(c.rollback(), DatabaseError);
  EXPECT_EQ(c.transactionDepth(), 1);
}

TEST(driverConnectionBase, FailedSavepointReleaseKeepsTheSavepoint) {
  auto state = std::make_shared<FakeState>();
  state->failing = {"RELEASE SAVEPOINT \"junction_sp_1\""};
  FakeConnection c(state);
  c.begin();
  c.begin();
  EXPECT_THROW(c.commit(), DatabaseError);
  EXPECT_EQ(c.transactionDepth(), 2);
}

TEST(driverConnectionBase, FailedBeginLeavesNoTransaction) {
  auto state = std::make_shared<FakeState>();
  state->failing = {"BEGIN"};
  FakeConnection c(state);
  EXPECT_THROW(c.begin(), DatabaseError);
  EXPECT_EQ(c.transactionDepth(), 0);
}

TEST(driverConnectionBase, IsolationLevelOnlyOnTheOutermostTransaction) {
  auto state = std::make_shared<FakeState>();
  FakeConnection c(state);
  c.begin(IsolationLevel::Serializable);
  EXPECT_THROW(c.begin(IsolationLevel::ReadCommitted), UsageError);
  c.begin();  // Default is fine
  EXPECT_EQ(c.transactionDepth(), 2);
}

TEST(driverConnectionBase, ObserverSeesEveryStatementIncludingFailures) {
  auto state = std::make_shared<FakeState>();
  state->failing = {"BAD"};
  FakeConnection c(state);
  std::vector<std::pair<std::string, bool>> seen;
  QueryObserver obs = [&](const QueryEvent& e) { seen.emplace_back(e.sql, e.failed); };
  c.setObserver(&obs);
  c.begin();
  EXPECT_THROW(c.query("BAD", {}), DatabaseError);
  c.commit();
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, bool>>{
                      {"BEGIN", false}, {"BAD", true}, {"COMMIT", false}}));
}

TEST(driverRegistry, UnknownSchemeIsAnInvalidUrl) {
  auto e = expectThrow<InvalidUrlError>(
      [] { connect(ConnectionUrl::parse("mysql://root:secret@localhost/db")); },
      {"no driver for scheme", "mysql"});
  EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
}

TEST(driverRegistry, RegisteredDriversAreFoundAndPostgresqlIsAnAlias) {
  auto state = std::make_shared<FakeState>();
  std::string seenHost;
  registerDriver("fakedb", [&](const ConnectionUrl& u) {
    seenHost = u.host;
    return std::make_unique<FakeConnection>(state);
  });
  auto c = connect(ConnectionUrl::parse("fakedb://somehost/x"));
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(seenHost, "somehost");
  EXPECT_EQ(state->opened.load(), 1);

  // A hand-built URL with the long scheme name reaches the "postgres" driver.
  registerDriver("postgresql",
                 [&](const ConnectionUrl&) { return std::make_unique<FakeConnection>(state); });
  ConnectionUrl longName;
  longName.scheme = "postgresql";
  connect(longName);
  EXPECT_EQ(state->opened.load(), 2);
  // Restore the real driver for tests that run later in this process.
  registerDriver("postgres", [](const ConnectionUrl& u) { return postgres::open(u); });
}

TEST(driverRegistry, FactoryReturningNothingIsAConnectionError) {
  registerDriver("nulldb", [](const ConnectionUrl&) { return std::unique_ptr<Connection>(); });
  EXPECT_THROW(connect(ConnectionUrl::parse("nulldb://h/x")), ConnectionError);
}

}  // namespace
}  // namespace junction::test
