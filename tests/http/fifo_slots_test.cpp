// bloglist's password-hash gate (apps/bloglist/auth/fifo_slots.hpp): at most
// N holders, admitted in the order they arrived. No server or database here.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/fifo_slots.hpp"

namespace bloglist {
namespace {

void waitUntil(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "timed out";
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

TEST(FifoSlots, AdmitsWaitersInArrivalOrder) {
  FifoSlots slots(1);
  slots.acquire();  // everyone below queues behind this holder
  std::mutex m;
  std::vector<int> order;
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      SlotGuard g(slots);
      std::lock_guard lock(m);
      order.push_back(i);
    });
    // Thread i holds its ticket before thread i+1 starts.
    waitUntil([&] { return slots.waiting() == static_cast<std::size_t>(i + 1); });
  }
  slots.release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(slots.waiting(), 0u);
}

TEST(FifoSlots, NeverAdmitsMoreThanItsSlots) {
  FifoSlots slots(2);
  std::atomic<int> inside{0}, most{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 50; ++k) {
        SlotGuard g(slots);
        int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(most.load(), 2);
  EXPECT_EQ(inside.load(), 0);
}

}  // namespace
}  // namespace bloglist
