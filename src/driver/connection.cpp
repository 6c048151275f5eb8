#include "junction/connection.hpp"

#include <fmt/format.h>

#include <cctype>
#include <map>
#include <mutex>

#include "junction/errors.hpp"
#include "junction/sql/dialect.hpp"

namespace junction {

namespace {

// Savepoint for the transaction level that `depth` (>= 1) opens on top of.
std::string savepointName(int depth) {
  return fmt::format("\"junction_sp_{}\"", depth);
}

}  // namespace

void Connection::begin(IsolationLevel level) {
  if (depth_ == 0) {
    beginOutermost(level);
    depth_ = 1;
    return;
  }
  // A savepoint cannot change the isolation of the enclosing transaction;
  // saying so beats silently running at a different level than asked for.
  if (level != IsolationLevel::Default)
    throw UsageError("an isolation level can only be set on the outermost transaction");
  query("SAVEPOINT " + savepointName(depth_));
  ++depth_;
}

void Connection::commit() {
  if (depth_ == 0) throw UsageError("commit() without an open transaction");
  if (depth_ > 1) {
    // On failure the savepoint still exists: the depth stays, so the caller
    // (or the pool) can still roll it back.
    query("RELEASE SAVEPOINT " + savepointName(depth_ - 1));
    --depth_;
    return;
  }
  try {
    query("COMMIT");
  } catch (...) {
    // A failed COMMIT may have ended the transaction (PostgreSQL deferred
    // constraints) or left it open (SQLite: busy, deferred foreign keys).
    // Either way the contract is: a failed commit rolls back and the
    // connection is left outside any transaction. A ROLLBACK that fails
    // here means there was nothing left to roll back (or the link is gone,
    // which isUsable() reports to the pool), so its error is not the news.
    try {
      query("ROLLBACK");
    } catch (...) {
    }
    depth_ = 0;
    throw;
  }
  depth_ = 0;
}

void Connection::rollback() {
  if (depth_ == 0) throw UsageError("rollback() without an open transaction");
  if (depth_ > 1) {
    // ROLLBACK TO keeps the savepoint open; RELEASE removes it. If either
    // fails the depth stays, so a later rollback (or the pool) unwinds it.
    const std::string name = savepointName(depth_ - 1);
    query("ROLLBACK TO SAVEPOINT " + name);
    query("RELEASE SAVEPOINT " + name);
    --depth_;
    return;
  }
  // If ROLLBACK itself fails the engine may still hold the transaction; the
  // depth stays at 1 so the pool does not hand the connection out as clean.
  query("ROLLBACK");
  depth_ = 0;
}

void Connection::notify(std::string_view sql, std::span<const Value> params,
                        std::chrono::nanoseconds elapsed, bool failed) const {
  if (observer_ == nullptr || !*observer_) return;
  (*observer_)(QueryEvent{.sql = sql,
                          .params = params,
                          .duration = elapsed,
                          .dialect = dialect().name(),
                          .failed = failed});
}

// ------------------------------------------------------------------ registry

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, DriverFactory, std::less<>> drivers;
  std::map<std::string, const sql::Dialect*, std::less<>> dialects;
};

// Never destroyed: connections may be opened from atexit handlers and other
// static destructors (test cleanup drops its schemas that way), which can run
// after a function-local static registry would already be gone.
Registry& registry() {
  static Registry* r = new Registry;
  return *r;
}

std::string normaliseScheme(std::string scheme) {
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "postgresql") return "postgres";
  return scheme;
}

}  // namespace

void registerDriver(std::string scheme, DriverFactory factory) {
  if (scheme.empty()) throw UsageError("registerDriver: empty scheme");
  if (!factory) throw UsageError(fmt::format("registerDriver(\"{}\"): empty factory", scheme));
  auto& r = registry();
  std::lock_guard lock(r.mu);
  r.drivers[normaliseScheme(std::move(scheme))] = std::move(factory);
}

void registerEngine(std::string scheme, const sql::Dialect& dialect, DriverFactory factory) {
  registerDriver(scheme, std::move(factory));
  auto& r = registry();
  std::lock_guard lock(r.mu);
  r.dialects[normaliseScheme(std::move(scheme))] = &dialect;
}

const sql::Dialect& dialectFor(std::string_view scheme) {
  auto& r = registry();
  std::lock_guard lock(r.mu);
  auto it = r.dialects.find(normaliseScheme(std::string(scheme)));
  if (it != r.dialects.end()) return *it->second;
  std::string known;
  for (const auto& [name, d] : r.dialects) known += (known.empty() ? "" : ", ") + name;
  throw InvalidUrlError(fmt::format("no engine registered for scheme \"{}\" (registered: {})",
                                    scheme, known.empty() ? "none" : known));
}

std::unique_ptr<Connection> connect(const ConnectionUrl& url) {
  DriverFactory factory;
  {
    auto& r = registry();
    std::lock_guard lock(r.mu);
    auto it = r.drivers.find(normaliseScheme(url.scheme));
    if (it == r.drivers.end()) {
      std::string known;
      for (const auto& [name, f] : r.drivers) known += (known.empty() ? "" : ", ") + name;
      throw InvalidUrlError(fmt::format("no driver for scheme \"{}\" in \"{}\" (registered: {})",
                                        url.scheme, url.redacted(),
                                        known.empty() ? "none" : known));
    }
    factory = it->second;
  }
  // Opening may block on the network: never under the registry lock.
  auto conn = factory(url);
  if (!conn)
    throw ConnectionError(fmt::format("driver for \"{}\" returned no connection for \"{}\"",
                                      url.scheme, url.redacted()));
  return conn;
}

}  // namespace junction
