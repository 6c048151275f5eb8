// A Connection that runs nothing: it records statements and fails on
// request, for testing the connection base class and the pool without an
// engine.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "junction/connection.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"

namespace junction::test {

// Shared between a test and the fakes it creates (they may outlive a lease).
struct FakeState {
  std::mutex mu;
  std::vector<std::string> log;   // every statement, in order
  std::set<std::string> failing;  // statements that throw DatabaseError
  std::atomic<int> opened{0};
  std::atomic<int> closed{0};

  void record(std::string_view sql) {
    std::lock_guard lock(mu);
    log.emplace_back(sql);
  }
  bool fails(std::string_view sql) {
    std::lock_guard lock(mu);
    return failing.count(std::string(sql)) > 0;
  }
  std::vector<std::string> statements() {
    std::lock_guard lock(mu);
    return log;
  }
};

class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(std::shared_ptr<FakeState> s) : state_(std::move(s)) { ++state_->opened; }
  ~FakeConnection() override { ++state_->closed; }

  const sql::Dialect& dialect() const noexcept override { return sqliteDialect(); }
  using Connection::query;
  ResultSet query(std::string_view sql, std::span<const Value> params) override {
    state_->record(sql);
    bool failed = state_->fails(sql);
    notify(sql, params, std::chrono::nanoseconds(1), failed);
    if (failed) throw DatabaseError("fake failure", "XX000", std::string(sql));
    return {};
  }
  void execute(std::string_view script) override { query(script, {}); }
  bool isUsable() noexcept override { return usable; }
  std::size_t cachedStatements() const noexcept override { return 0; }

  bool usable = true;

 protected:
  void beginOutermost(IsolationLevel) override { query("BEGIN", {}); }

 private:
  std::shared_ptr<FakeState> state_;
};

}  // namespace junction::test
