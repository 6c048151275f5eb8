// Pool logic over fake connections: limits, waiting, returns, reaping.
#include "junction/pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "driver_test_util.hpp"
#include "fake_connection.hpp"
#include "junction/transaction.hpp"

namespace junction::test {
namespace {

using namespace std::chrono_literals;

struct PoolFixture : ::testing::Test {
  std::shared_ptr<FakeState> state = std::make_shared<FakeState>();
  std::atomic<int> factoryCalls{0};
  std::atomic<bool> factoryThrows{false};

  Pool::Factory factory() {
    return [this]() -> std::unique_ptr<Connection> {
      ++factoryCalls;
      if (factoryThrows) throw ConnectionError("server down");
      return std::make_unique<FakeConnection>(state);
    };
  }
};

// Suite names start with "driver" so `ctest -R driver` selects this suite.
using driverPool = PoolFixture;

TEST_F(driverPool, ReusesIdleConnections) {
  Pool pool(factory(), {.max = 2});
  Connection* first = nullptr;
  {
    auto a = pool.acquire();
    first = a.get();
    EXPECT_EQ(pool.size(), 1u);
    EXPECT_EQ(pool.idle(), 0u);
  }
  EXPECT_EQ(pool.idle(), 1u);
  auto b = pool.acquire();
  EXPECT_EQ(b.get(), first);
  EXPECT_EQ(factoryCalls.load(), 1);
}

TEST_F(driverPool, InvalidOptionsAreUsageErrors) {
  EXPECT_THROW(Pool(factory(), {.max = 0}), UsageError);
  EXPECT_THROW(Pool(factory(), {.max = 1, .min = 2}), UsageError);
  EXPECT_THROW(Pool(Pool::Factory{}, {}), UsageError);
}

TEST_F(driverPool, NeverOpensMoreThanMaxUnderContention) {
  Pool pool(factory(), {.max = 3, .acquireTimeout = 10s});
  std::atomic<int> leased{0}, maxLeased{0}, errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        try {
          auto lease = pool.acquire();
          int now = ++leased;
          int seen = maxLeased.load();
          while (now > seen && !maxLeased.compare_exchange_weak(seen, now)) {
          }
          if (pool.size() > 3) ++errors;
          lease->query("SELECT 1", {});
          --leased;
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_LE(maxLeased.load(), 3);
  EXPECT_LE(factoryCalls.load(), 3);
  EXPECT_EQ(pool.size(), pool.idle());
}

TEST_F(driverPool, AcquireTimesOut) {
  Pool pool(factory(), {.max = 1, .acquireTimeout = 100ms});
  auto held = pool.acquire();
  auto start = std::chrono::steady_clock::now();
  expectThrow<ConnectionAcquireTimeoutError>([&] { pool.acquire(); }, {"100 ms", "max 1"});
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 90ms);
  EXPECT_LT(elapsed, 2s);
}

TEST_F(driverPool, WaiterGetsTheReturnedConnection) {
  Pool pool(factory(), {.max = 1, .acquireTimeout = 5s});
  auto held = pool.acquire();
  Connection* c = held.get();
  std::thread returner([&] {
    std::this_thread::sleep_for(50ms);
    held.release();
  });
  auto got = pool.acquire();
  returner.join();
  EXPECT_EQ(got.get(), c);
  EXPECT_EQ(factoryCalls.load(), 1);
}

TEST_F(driverPool, FactoryFailureReleasesTheSlot) {
  Pool pool(factory(), {.max = 1, .acquireTimeout = 100ms});
  factoryThrows = true;
  expectThrow<ConnectionError>([&] { pool.acquire(); }, {"server down"});
  EXPECT_EQ(pool.size(), 0u);
  factoryThrows = false;
  EXPECT_TRUE(static_cast<bool>(pool.acquire())) << "the failed open must not leak its slot";
}

TEST_F(driverPool, ReturnInsideATransactionRollsBackEveryLevel) {
  Pool pool(factory(), {.max = 1});
  {
    auto lease = pool.acquire();
    lease->begin();
    lease->begin();
  }
  auto log = state->statements();
  ASSERT_GE(log.size(), 3u);
  EXPECT_EQ(log.back(), "ROLLBACK");
  EXPECT_EQ(pool.idle(), 1u);
  EXPECT_EQ(pool.acquire()->transactionDepth(), 0);
  EXPECT_EQ(state->closed.load(), 0);
}

TEST_F(driverPool, ConnectionWhoseRollbackFailsIsDiscarded) {
  Pool pool(factory(), {.max = 1});
  state->failing = {"ROLLBACK"};
  {
    auto lease = pool.acquire();
    lease->begin();
  }
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(state->closed.load(), 1);
  state->failing.clear();
  EXPECT_EQ(pool.acquire()->transactionDepth(), 0);
  EXPECT_EQ(factoryCalls.load(), 2);
}

TEST_F(driverPool, BrokenConnectionIsDiscarded) {
  Pool pool(factory(), {.max = 1});
  {
    auto lease = pool.acquire();
    static_cast<FakeConnection&>(*lease).usable = false;
  }
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.idle(), 0u);
  EXPECT_EQ(state->closed.load(), 1);
  auto fresh = pool.acquire();
  EXPECT_TRUE(fresh->isUsable());
}

TEST_F(driverPool, IdleConnectionThatBrokeIsNotHandedOut) {
  Pool pool(factory(), {.max = 2});
  Connection* first;
  {
    auto lease = pool.acquire();
    first = lease.get();
  }
  static_cast<FakeConnection*>(first)->usable = false;  // e.g. the server went away
  auto lease = pool.acquire();
  EXPECT_TRUE(lease->isUsable());
  EXPECT_EQ(state->closed.load(), 1);
  EXPECT_EQ(pool.size(), 1u);
}

TEST_F(driverPool, IdleConnectionsBeyondMinAreReaped) {
  Pool pool(factory(), {.max = 3, .min = 1, .idleTimeout = 20ms});
  {
    auto a = pool.acquire();
    auto b = pool.acquire();
    auto c = pool.acquire();
  }
  EXPECT_EQ(pool.idle(), 3u);
  std::this_thread::sleep_for(60ms);
  auto lease = pool.acquire();  // reaps first: two closed, `min` kept
  EXPECT_EQ(state->closed.load(), 2);
  EXPECT_EQ(pool.size(), 1u);
  EXPECT_EQ(factoryCalls.load(), 3);
}

TEST_F(driverPool, HugeIdleTimeoutsNeverReap) {
  // Neither fits in the clock's nanoseconds.
  for (std::chrono::milliseconds timeout :
       {std::chrono::milliseconds::max(),
        std::chrono::milliseconds(std::chrono::hours(24 * 365 * 1000))}) {
    Pool pool(factory(), {.max = 2, .idleTimeout = timeout});
    {
      auto a = pool.acquire();
      auto b = pool.acquire();
    }
    EXPECT_EQ(pool.idle(), 2u) << timeout.count();
    std::this_thread::sleep_for(20ms);
    auto lease = pool.acquire();
    EXPECT_EQ(pool.idle(), 1u) << timeout.count();
    EXPECT_EQ(pool.size(), 2u) << timeout.count();
  }
  EXPECT_EQ(factoryCalls.load(), 4);
  EXPECT_EQ(state->closed.load(), 4) << "closed by the pools' destructors only";
}

TEST_F(driverPool, HugeAcquireTimeoutWaitsForAReturn) {
  Pool pool(factory(), {.max = 1, .acquireTimeout = std::chrono::milliseconds::max()});
  auto held = pool.acquire();
  Connection* c = held.get();
  std::thread returner([&] {
    std::this_thread::sleep_for(50ms);
    held.release();
  });
  auto got = pool.acquire();
  returner.join();
  EXPECT_EQ(got.get(), c);
}

TEST_F(driverPool, CloseClosesIdleAndRefusesAcquire) {
  auto pool = std::make_unique<Pool>(factory(), PoolOptions{.max = 2});
  auto kept = pool->acquire();
  pool->acquire();  // returned at once: idle
  EXPECT_EQ(pool->idle(), 1u);
  pool->close();
  EXPECT_EQ(state->closed.load(), 1);
  expectThrow<ConnectionError>([&] { pool->acquire(); }, {"closed"});
  kept.release();  // returned after close: closed, not pooled
  EXPECT_EQ(state->closed.load(), 2);
  EXPECT_EQ(pool->size(), 0u);
}

TEST_F(driverPool, CloseWakesWaiters) {
  Pool pool(factory(), {.max = 1, .acquireTimeout = 10s});
  auto held = pool.acquire();
  std::thread closer([&] {
    std::this_thread::sleep_for(50ms);
    pool.close();
  });
  auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(pool.acquire(), ConnectionError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  closer.join();
}

TEST_F(driverPool, DestructorClosesIdleConnections) {
  {
    Pool pool(factory(), {.max = 2});
    auto a = pool.acquire();
    auto b = pool.acquire();
  }
  EXPECT_EQ(state->opened.load(), 2);
  EXPECT_EQ(state->closed.load(), 2);
}

TEST_F(driverPool, LeaseMoveTransfersTheReturn) {
  Pool pool(factory(), {.max = 1});
  Pool::Lease outer;
  EXPECT_FALSE(outer);
  {
    auto inner = pool.acquire();
    outer = std::move(inner);
  }
  EXPECT_EQ(pool.idle(), 0u) << "the moved-from lease returns nothing";
  outer = Pool::Lease();
  EXPECT_EQ(pool.idle(), 1u);
}

TEST_F(driverPool, TransactionDestructorRollsBackAndNeverThrows) {
  Pool pool(factory(), {.max = 1});
  state->failing = {"ROLLBACK"};
  {
    Transaction t(pool);
    EXPECT_EQ(t.connection().transactionDepth(), 1);
  }  // ROLLBACK fails: swallowed, and the pool discards the connection
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(state->closed.load(), 1);
}

TEST_F(driverPool, EndedOutermostTransactionHasNoConnection) {
  Pool pool(factory(), {.max = 1});
  {
    Transaction t(pool);
    Connection& c = t.connection();
    {
      Transaction inner = t.nested();
      inner.commit();
      EXPECT_EQ(&inner.connection(), &c) << "the enclosing transaction still holds it";
    }
    t.commit();
    EXPECT_EQ(pool.idle(), 1u) << "returned at commit, not at destruction";
    expectThrow<UsageError>([&] { t.connection(); }, {"went back to the pool"});
    Transaction moved(std::move(t));
    EXPECT_THROW(moved.connection(), UsageError);
  }
  {
    Transaction t(pool);
    Transaction moved(std::move(t));
    EXPECT_THROW(t.connection(), UsageError) << "moved-from";
    moved.rollback();
    EXPECT_THROW(moved.connection(), UsageError);
  }
  state->failing = {"COMMIT"};
  Transaction t(pool);
  EXPECT_THROW(t.commit(), DatabaseError);
  EXPECT_TRUE(t.finished()) << "a failed COMMIT rolls back and ends the transaction";
  EXPECT_THROW(t.connection(), UsageError);
}

TEST_F(driverPool, FailedBeginReturnsTheLease) {
  Pool pool(factory(), {.max = 1});
  state->failing = {"BEGIN"};
  EXPECT_THROW(Transaction t(pool), DatabaseError);
  EXPECT_EQ(pool.idle(), 1u);
}

}  // namespace
}  // namespace junction::test
