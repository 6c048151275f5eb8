// Transactions and savepoints, raw and through the RAII Transaction.
#include <gtest/gtest.h>

#include "driver_test_util.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/pool.hpp"
#include "junction/transaction.hpp"
#include "support/engine.hpp"

namespace junction::test {
namespace {

class TransactionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conn_ = openConnection(databaseUrl());
    conn_->execute("CREATE TABLE items (name VARCHAR(50) PRIMARY KEY)");
  }

  void add(Connection& c, const std::string& name) {
    std::vector<Value> p{Value(name)};
    c.query("INSERT INTO items (name) VALUES (" + ph(c, 1) + ")", p);
  }

  // Names as seen from a different connection (committed data only).
  std::vector<std::string> committed() {
    auto other = openConnection(databaseUrl());
    auto rs = other->query("SELECT name FROM items ORDER BY name");
    std::vector<std::string> out;
    for (const auto& v : rs.values) out.push_back(v.as<std::string>());
    return out;
  }

  std::unique_ptr<Pool> makePool(std::size_t max = 2) {
    return std::make_unique<Pool>(
        [] { return openConnection(databaseUrl()); },
        PoolOptions{.max = max, .acquireTimeout = std::chrono::seconds(10)});
  }

  std::unique_ptr<Connection> conn_;
};

using Names = std::vector<std::string>;

// Suite names start with "driver" so `ctest -R driver` selects this suite.
using driverTransactions = TransactionsTest;

TEST_F(driverTransactions, CommitMakesWorkVisible) {
  conn_->begin();
  EXPECT_EQ(conn_->transactionDepth(), 1);
  add(*conn_, "a");
  EXPECT_EQ(committed(), Names{}) << "uncommitted work leaked to another connection";
  conn_->commit();
  EXPECT_EQ(conn_->transactionDepth(), 0);
  EXPECT_EQ(committed(), Names{"a"});
}

TEST_F(driverTransactions, RollbackDiscardsWork) {
  conn_->begin();
  add(*conn_, "a");
  conn_->rollback();
  EXPECT_EQ(conn_->transactionDepth(), 0);
  EXPECT_EQ(committed(), Names{});
}

TEST_F(driverTransactions, InnerSavepointRollbackKeepsOuterWork) {
  conn_->begin();
  add(*conn_, "outer");
  conn_->begin();
  EXPECT_EQ(conn_->transactionDepth(), 2);
  add(*conn_, "inner");
  conn_->begin();
  add(*conn_, "innermost");
  conn_->commit();  // RELEASE: folds into "inner"
  conn_->rollback();
  EXPECT_EQ(conn_->transactionDepth(), 1);
  add(*conn_, "after");
  conn_->commit();
  EXPECT_EQ(committed(), (Names{"after", "outer"}));
}

TEST_F(driverTransactions, CommittedSavepointsCommitWithTheOuterTransaction) {
  conn_->begin();
  conn_->begin();
  add(*conn_, "inner");
  conn_->commit();
  EXPECT_EQ(committed(), Names{});
  conn_->commit();
  EXPECT_EQ(committed(), Names{"inner"});
}

TEST_F(driverTransactions, SavepointRollbackRecoversFromAnError) {
  // On PostgreSQL an error aborts the whole transaction unless a savepoint
  // is rolled back; the same code must work on both engines.
  conn_->begin();
  add(*conn_, "a");
  conn_->begin();
  EXPECT_THROW(add(*conn_, "a"), UniqueConstraintError);
  conn_->rollback();
  add(*conn_, "b");
  conn_->commit();
  EXPECT_EQ(committed(), (Names{"a", "b"}));
}

TEST_F(driverTransactions, CommitOrRollbackWithoutTransactionIsAUsageError) {
  EXPECT_THROW(conn_->commit(), UsageError);
  EXPECT_THROW(conn_->rollback(), UsageError);
  conn_->begin();
  EXPECT_THROW(conn_->begin(IsolationLevel::Serializable), UsageError);
  EXPECT_EQ(conn_->transactionDepth(), 1);
  conn_->rollback();
}

TEST_F(driverTransactions, FailedCommitRollsBackAndLeavesNoTransaction) {
  conn_->execute(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER "
      "REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
  conn_->begin();
  add(*conn_, "doomed");
  conn_->execute("INSERT INTO child (id, parent_id) VALUES (1, 42)");  // checked at COMMIT
  EXPECT_THROW(conn_->commit(), ForeignKeyConstraintError);
  EXPECT_EQ(conn_->transactionDepth(), 0);
  EXPECT_TRUE(conn_->isUsable());
  EXPECT_EQ(committed(), Names{});
  // The connection works normally afterwards, transactions included.
  conn_->begin();
  add(*conn_, "fine");
  conn_->commit();
  EXPECT_EQ(committed(), Names{"fine"});
}

TEST_F(driverTransactions, RaiiRollsBackOnException) {
  auto pool = makePool();
  try {
    Transaction t(*pool);
    add(t.connection(), "a");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(committed(), Names{});
  EXPECT_EQ(pool->idle(), 1u) << "the connection goes back to the pool";
  auto lease = pool->acquire();
  EXPECT_EQ(lease->transactionDepth(), 0);
}

TEST_F(driverTransactions, RaiiCommitAndNestedRollback) {
  auto pool = makePool();
  {
    Transaction t(*pool);
    add(t.connection(), "outer");
    {
      Transaction inner = t.nested();
      add(inner.connection(), "inner");
      inner.rollback();
      EXPECT_TRUE(inner.finished());
      EXPECT_THROW(inner.rollback(), UsageError);
    }
    {
      Transaction inner = t.nested();
      add(inner.connection(), "kept");
      inner.commit();
    }
    {
      Transaction abandoned = t.nested();
      add(abandoned.connection(), "abandoned");
    }  // destructor rolls back to the savepoint only
    EXPECT_EQ(t.connection().transactionDepth(), 1);
    t.commit();
    EXPECT_TRUE(t.finished());
    EXPECT_THROW(t.commit(), UsageError);
    EXPECT_THROW(t.rollback(), UsageError);
    EXPECT_THROW(t.nested(), UsageError);
  }
  EXPECT_EQ(committed(), (Names{"kept", "outer"}));
}

TEST_F(driverTransactions, FinishedTransactionReturnsItsConnectionAtOnce) {
  auto pool = makePool(1);
  Transaction t(*pool);
  add(t.connection(), "a");
  t.commit();
  // With max 1, this would time out if t still held the connection.
  auto lease = pool->acquire();
  EXPECT_EQ(lease->transactionDepth(), 0);
}

TEST_F(driverTransactions, MovedTransactionKeepsOwnership) {
  auto pool = makePool();
  {
    Transaction t(*pool);
    add(t.connection(), "a");
    Transaction moved(std::move(t));
    EXPECT_TRUE(t.finished());
    moved.commit();
  }
  EXPECT_EQ(committed(), Names{"a"});
}

}  // namespace
}  // namespace junction::test
