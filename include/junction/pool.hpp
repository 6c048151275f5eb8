// junction/pool.hpp — a bounded, thread-safe connection pool.
//
// acquire() hands out an idle connection, opens a new one while fewer than
// `max` exist, or waits up to `acquireTimeout` and then throws
// ConnectionAcquireTimeoutError. A Lease returns its connection on
// destruction; a connection that is no longer usable, or is returned inside
// an open transaction (rolled back first), is not reused. Idle connections
// beyond `min` are closed after `idleTimeout`.
//
// Thread-safety: every member is safe to call from any thread. The pool must
// outlive its leases.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "junction/connection.hpp"

namespace junction {

struct PoolOptions {
  std::size_t max = 5;
  std::size_t min = 0;
  std::chrono::milliseconds acquireTimeout{30000};
  std::chrono::milliseconds idleTimeout{10000};
};

class Pool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;

  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& o) noexcept;
    Lease& operator=(Lease&& o) noexcept;
    ~Lease();
    Connection& operator*() const noexcept { return *conn_; }
    Connection* operator->() const noexcept { return conn_.get(); }
    Connection* get() const noexcept { return conn_.get(); }
    explicit operator bool() const noexcept { return conn_ != nullptr; }
    // Returns the connection now (same as destruction).
    void release();

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<Connection> c) noexcept : pool_(pool), conn_(std::move(c)) {}
    Pool* pool_ = nullptr;
    std::unique_ptr<Connection> conn_;
  };

  Pool(Factory factory, PoolOptions options);
  ~Pool();  // closes idle connections; leases must be gone
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Lease acquire();
  // Closes idle connections and refuses further acquire() calls (ConnectionError).
  void close();

  std::size_t size() const;     // open connections (idle + leased)
  std::size_t idle() const;
  const PoolOptions& options() const noexcept { return options_; }

 private:
  struct Idle {
    std::unique_ptr<Connection> conn;
    std::chrono::steady_clock::time_point since;
  };
  void giveBack(std::unique_ptr<Connection> c) noexcept;
  void reapIdleLocked();

  Factory factory_;
  PoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Idle> idle_;
  std::size_t open_ = 0;  // idle + leased + being opened
  bool closed_ = false;
};

}  // namespace junction
