// A counting gate that admits waiters in arrival order. std::counting_
// semaphore promises no order, and under a burst of logins some waited
// seconds while later arrivals hashed (bench-http's p99 for login was 3 s
// against a 0.3 s median). Header-only so the tests can drive it directly.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace bloglist {

class FifoSlots {
 public:
  explicit FifoSlots(std::size_t slots) : free_(slots) {}
  FifoSlots(const FifoSlots&) = delete;
  FifoSlots& operator=(const FifoSlots&) = delete;

  void acquire() {
    std::unique_lock lock(mutex_);
    const std::uint64_t ticket = nextTicket_++;
    changed_.wait(lock, [&] { return ticket == serving_ && free_ > 0; });
    ++serving_;
    --free_;
    lock.unlock();
    changed_.notify_all();  // the next ticket may fit a free slot too
  }

  void release() {
    {
      std::lock_guard lock(mutex_);
      ++free_;
    }
    changed_.notify_all();
  }

  // Callers queued behind the slots, for tests and diagnostics.
  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(nextTicket_ - serving_);
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t free_;
  std::uint64_t nextTicket_ = 0;  // the ticket the next caller takes
  std::uint64_t serving_ = 0;     // the ticket admitted next
};

// RAII: holds one slot for its lifetime.
class SlotGuard {
 public:
  explicit SlotGuard(FifoSlots& slots) : slots_(slots) { slots_.acquire(); }
  ~SlotGuard() { slots_.release(); }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  FifoSlots& slots_;
};

}  // namespace bloglist
