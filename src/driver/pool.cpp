#include "junction/pool.hpp"

#include <fmt/format.h>

#include "junction/errors.hpp"

namespace junction {

using Clock = std::chrono::steady_clock;

namespace {

// Whether `elapsed` has reached `timeout`. Compared in milliseconds: the
// clock's nanoseconds cannot hold a huge timeout (milliseconds::max()
// overflows on conversion), which must mean "never".
bool reached(Clock::duration elapsed, std::chrono::milliseconds timeout) {
  return std::chrono::floor<std::chrono::milliseconds>(elapsed) >= timeout;
}

// now + timeout, saturating at the clock's end for a timeout too large to add.
Clock::time_point deadlineAfter(std::chrono::milliseconds timeout) {
  const auto now = Clock::now();
  const auto room = std::chrono::floor<std::chrono::milliseconds>(Clock::time_point::max() - now);
  if (timeout >= room) return Clock::time_point::max();
  return now + timeout;
}

}  // namespace

// ---------------------------------------------------------------- Lease

Pool::Lease::Lease(Lease&& o) noexcept : pool_(o.pool_), conn_(std::move(o.conn_)) {
  o.pool_ = nullptr;
}

Pool::Lease& Pool::Lease::operator=(Lease&& o) noexcept {
  if (this != &o) {
    release();
    pool_ = o.pool_;
    conn_ = std::move(o.conn_);
    o.pool_ = nullptr;
  }
  return *this;
}

Pool::Lease::~Lease() {
  release();
}

void Pool::Lease::release() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->giveBack(std::move(conn_));
  pool_ = nullptr;
  conn_.reset();
}

// ---------------------------------------------------------------- Pool

Pool::Pool(Factory factory, PoolOptions options) : factory_(std::move(factory)), options_(options) {
  if (!factory_) throw UsageError("Pool: the connection factory is empty");
  if (options_.max == 0) throw UsageError("Pool: max must be at least 1");
  if (options_.min > options_.max)
    throw UsageError(
        fmt::format("Pool: min ({}) must not exceed max ({})", options_.min, options_.max));
}

Pool::~Pool() {
  close();
}

Pool::Lease Pool::acquire() {
  std::unique_lock lock(mu_);
  const auto deadline = deadlineAfter(options_.acquireTimeout);
  while (true) {
    if (closed_) throw ConnectionError("Pool: acquire() on a closed pool");
    reapIdleLocked();

    if (!idle_.empty()) {
      // Most recently returned first: it is the least likely to have gone stale,
      // and the oldest ones age out through idleTimeout.
      std::unique_ptr<Connection> c = std::move(idle_.back().conn);
      idle_.pop_back();
      if (c->isUsable()) return Lease(this, std::move(c));
      --open_;
      lock.unlock();
      c.reset();  // close outside the lock
      lock.lock();
      continue;
    }

    if (open_ < options_.max) {
      ++open_;  // reserve the slot, then open without holding the lock
      lock.unlock();
      std::unique_ptr<Connection> c;
      try {
        c = factory_();
      } catch (...) {
        lock.lock();
        --open_;
        cv_.notify_one();
        throw;
      }
      if (!c) {
        lock.lock();
        --open_;
        cv_.notify_one();
        throw ConnectionError("Pool: the connection factory returned no connection");
      }
      return Lease(this, std::move(c));
    }

    bool ready = cv_.wait_until(lock, deadline,
                                [&] { return closed_ || !idle_.empty() || open_ < options_.max; });
    if (!ready)
      throw ConnectionAcquireTimeoutError(fmt::format(
          "Pool: no connection became available within {} ms (max {} connections, all in use)",
          options_.acquireTimeout.count(), options_.max));
  }
}

void Pool::giveBack(std::unique_ptr<Connection> c) noexcept {
  if (!c) return;
  bool reusable = true;
  try {
    // A connection must come back clean: unwind every open level.
    while (c->transactionDepth() > 0) c->rollback();
  } catch (...) {
    reusable = false;
  }
  if (reusable && !c->isUsable()) reusable = false;

  std::unique_lock lock(mu_);
  if (closed_ || !reusable) {
    --open_;
    lock.unlock();
    c.reset();  // close outside the lock
    cv_.notify_one();
    return;
  }
  idle_.push_back(Idle{std::move(c), Clock::now()});
  reapIdleLocked();
  lock.unlock();
  cv_.notify_one();
}

void Pool::reapIdleLocked() {
  // idle_ is ordered by return time, oldest first. Closing happens under the
  // lock: reaping only touches connections idle for idleTimeout, which is rare,
  // and closing an idle connection does not block on a server reply.
  const auto now = Clock::now();
  std::size_t expired = 0;
  while (expired < idle_.size() && open_ - expired > options_.min &&
         reached(now - idle_[expired].since, options_.idleTimeout))
    ++expired;
  if (expired == 0) return;
  idle_.erase(idle_.begin(), idle_.begin() + static_cast<std::ptrdiff_t>(expired));
  open_ -= expired;
}

void Pool::close() {
  std::vector<Idle> doomed;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    doomed.swap(idle_);
    open_ -= doomed.size();
  }
  cv_.notify_all();
  // `doomed` closes its connections here, outside the lock.
}

std::size_t Pool::size() const {
  std::lock_guard lock(mu_);
  return open_;
}

std::size_t Pool::idle() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

}  // namespace junction
