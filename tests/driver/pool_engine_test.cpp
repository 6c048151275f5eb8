// The pool against a real engine: concurrency, timeouts, clean returns.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "driver_test_util.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"
#include "junction/pool.hpp"
#include "junction/transaction.hpp"
#include "support/engine.hpp"

namespace junction::test {
namespace {

using namespace std::chrono_literals;

Pool::Factory factory() {
  return [] { return openConnection(databaseUrl()); };
}

TEST(driverPoolEngine, EightThreadsShareThreeConnections) {
  Pool pool(factory(), {.max = 3, .acquireTimeout = 30s});
  {
    auto setup = pool.acquire();
    setup->execute("CREATE TABLE counter (n INTEGER)");
  }
  std::atomic<int> errors{0};
  std::atomic<std::size_t> maxSize{0};
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        try {
          auto lease = pool.acquire();
          std::vector<Value> p{Value(t * 1000 + i)};
          auto rs = lease->query("SELECT " + ph(*lease, 1) + " AS n", p);
          if (rs.at(0, 0).as<int>() != t * 1000 + i) ++errors;
          ++done;
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
          ++errors;
        }
        std::size_t s = pool.size();
        std::size_t seen = maxSize.load();
        while (s > seen && !maxSize.compare_exchange_weak(seen, s)) {
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(done.load(), 1600);
  EXPECT_LE(maxSize.load(), 3u);
  EXPECT_LE(pool.size(), 3u);
  EXPECT_EQ(pool.idle(), pool.size());
}

TEST(driverPoolEngine, AcquireTimesOutWhenAllConnectionsAreLeased) {
  Pool pool(factory(), {.max = 1, .acquireTimeout = 300ms});
  auto held = pool.acquire();
  auto start = std::chrono::steady_clock::now();
  expectThrow<ConnectionAcquireTimeoutError>([&] { pool.acquire(); }, {"300", "max 1"});
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 250ms);
  EXPECT_LT(elapsed, 3s);
  held.release();
  EXPECT_TRUE(static_cast<bool>(pool.acquire()));
}

TEST(driverPoolEngine, ConnectionReturnedInsideATransactionIsRolledBack) {
  Pool pool(factory(), {.max = 1, .acquireTimeout = 5s});
  {
    auto lease = pool.acquire();
    lease->execute("CREATE TABLE t (x INTEGER)");
    lease->begin();
    lease->execute("INSERT INTO t (x) VALUES (1)");
    lease->begin();
    lease->execute("INSERT INTO t (x) VALUES (2)");
  }  // returned at depth 2
  auto lease = pool.acquire();
  EXPECT_EQ(pool.size(), 1u) << "the rolled-back connection is reused";
  EXPECT_EQ(lease->transactionDepth(), 0);
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM t").at(0, 0).as<int>(), 0);
}

TEST(driverPoolEngine, ConcurrentWritersDoNotFail) {
  // SQLite: one file, WAL, BEGIN IMMEDIATE and the busy timeout serialise
  // writers instead of failing them with SQLITE_BUSY.
  Pool pool(factory(), {.max = 4, .acquireTimeout = 30s});
  pool.acquire()->execute("CREATE TABLE log (writer INTEGER, seq INTEGER)");
  constexpr int kWriters = 4, kTransactions = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kTransactions; ++i) {
        try {
          Transaction t(pool);
          auto& c = t.connection();
          std::vector<Value> p{Value(w), Value(i)};
          c.query("INSERT INTO log (writer, seq) VALUES (" + ph(c, 1) + ", " + ph(c, 2) + ")", p);
          c.query("SELECT COUNT(*) FROM log");
          t.commit();
        } catch (const std::exception& e) {
          ADD_FAILURE() << e.what();
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(pool.acquire()->query("SELECT COUNT(*) FROM log").at(0, 0).as<int>(),
            kWriters * kTransactions);
}

TEST(driverPoolEngine, ClosedPoolRefusesAcquire) {
  Pool pool(factory(), {.max = 2});
  pool.acquire();
  EXPECT_EQ(pool.idle(), 1u);
  pool.close();
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_THROW(pool.acquire(), ConnectionError);
}

}  // namespace
}  // namespace junction::test
