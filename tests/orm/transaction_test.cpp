// Managed and unmanaged transactions, nesting, and the thread's current transaction.
#include <thread>

#include "fixture.hpp"

using namespace junction;
using junction::test::OrmTest;

TEST_F(OrmTest, ManagedTransactionCommitsOnReturn) {
  auto id = db->transaction([&](Transaction& t) {
    return User->create({{"username", "a@x.fi"}, {"name", "A"}}, {.transaction = &t})["id"];
  });
  EXPECT_TRUE(User->findByPk(id));
}

TEST_F(OrmTest, ManagedTransactionRollsBackOnThrow) {
  EXPECT_THROW(db->transaction([&](Transaction& t) {
    User->create({{"username", "a@x.fi"}, {"name", "A"}}, {.transaction = &t});
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  EXPECT_EQ(User->count(), 0);
}

TEST_F(OrmTest, QueriesInsideAManagedTransactionUseItImplicitly) {
  db->transaction([&](Transaction&) {
    User->create({{"username", "a@x.fi"}, {"name", "A"}});  // no .transaction: uses the current one
    EXPECT_EQ(User->count(), 1);
    // Another thread does not see uncommitted work (and is not blocked from reading).
    std::int64_t seen = -1;
    std::thread([&] { seen = User->count(); }).join();
    EXPECT_EQ(seen, 0);
  });
  EXPECT_EQ(User->count(), 1);
}

TEST_F(OrmTest, NestedTransactionsAreSavepoints) {
  db->transaction([&](Transaction&) {
    User->create({{"username", "outer@x.fi"}, {"name", "O"}});
    EXPECT_THROW(db->transaction([&](Transaction&) {
      User->create({{"username", "inner@x.fi"}, {"name", "I"}});
      throw std::runtime_error("inner fails");
    }),
                 std::runtime_error);
    EXPECT_EQ(User->count(), 1);
  });
  EXPECT_EQ(User->count(), 1);
  EXPECT_TRUE(User->findOne({.where = {{"username", "outer@x.fi"}}}));
}

TEST_F(OrmTest, UnmanagedTransaction) {
  {
    Transaction t = db->transaction();
    User->create({{"username", "a@x.fi"}, {"name", "A"}}, {.transaction = &t});
    t.rollback();
    EXPECT_THROW(t.commit(), UsageError);
    EXPECT_THROW(User->count({.transaction = &t}), UsageError);
  }
  EXPECT_EQ(User->count(), 0);
  {
    Transaction t = db->transaction();
    User->create({{"username", "a@x.fi"}, {"name", "A"}}, {.transaction = &t});
    t.commit();
  }
  EXPECT_EQ(User->count(), 1);
  {
    Transaction t = db->transaction();
    User->create({{"username", "b@x.fi"}, {"name", "B"}}, {.transaction = &t});
  }  // destroyed unfinished: rolled back
  EXPECT_EQ(User->count(), 1);
}

TEST_F(OrmTest, ConstraintErrorInsideTransactionRollsBackEverything) {
  EXPECT_THROW(db->transaction([&](Transaction& t) {
    User->create({{"username", "a@x.fi"}, {"name", "A"}}, {.transaction = &t});
    User->create({{"username", "a@x.fi"}, {"name", "B"}}, {.transaction = &t});
  }),
               UniqueConstraintError);
  EXPECT_EQ(User->count(), 0);
}

TEST_F(OrmTest, ConcurrentCreatesThroughThePool) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i)
        User->create({{"username", "u" + std::to_string(t) + "_" + std::to_string(i) + "@x.fi"},
                      {"name", "N"}});
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(User->count(), 100);
}
