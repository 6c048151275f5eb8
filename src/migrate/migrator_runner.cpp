// The runner: plans a run from the sources and the storage table, takes the
// database lock, and applies each migration in its own transaction together
// with its storage row (contracts in junction/migrate/migrator.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <thread>

#include "junction/dialects.hpp"
#include "junction/migrate/migrator.hpp"
#include "junction/migrate/query_interface.hpp"
#include "junction/migrate/source.hpp"

namespace junction::migrate {

namespace {

using Clock = std::chrono::steady_clock;

// Engines with advisory locks hold the migration lock for the whole run;
// the others (SQLite) serialise runners by each migration's write lock.
bool hasAdvisoryLocks(const Connection& c) {
  return c.dialect().capabilities().advisoryLocks;
}

// Rolls back an open transaction unless committed: an exception anywhere in
// a migration leaves schema and storage as they were.
class TxGuard {
 public:
  explicit TxGuard(Connection& c) : conn_(c) {}
  TxGuard(const TxGuard&) = delete;
  TxGuard& operator=(const TxGuard&) = delete;
  ~TxGuard() {
    if (conn_.transactionDepth() == 0) return;
    try {
      conn_.rollback();
    } catch (...) {
      // The depth stays open, so the pool discards the connection (pool.hpp).
    }
  }
  void commit() { conn_.commit(); }

 private:
  Connection& conn_;
};

std::int64_t advisoryKey(std::string_view schema, std::string_view table) {
  // A fixed key per (schema, table): runners of one storage table exclude
  // each other; distinct schemas (test databases, tenants) do not.
  std::string digest = sha256Hex(fmt::format("junction.migrate:{}.{}", schema, table));
  std::uint64_t key = std::stoull(digest.substr(0, 16), nullptr, 16);
  std::int64_t out;
  std::memcpy(&out, &key, sizeof out);
  return out;
}

}  // namespace

std::string_view stateName(MigrationStatus::State s) noexcept {
  switch (s) {
    case MigrationStatus::State::Applied:
      return "applied";
    case MigrationStatus::State::Pending:
      return "pending";
    case MigrationStatus::State::Changed:
      return "changed";
    case MigrationStatus::State::Missing:
      return "missing";
  }
  return "unknown";
}

// Engines with advisory locks (PostgreSQL): the session lock on a
// connection leased for the whole run. The others (SQLite): nothing here;
// runOne() serialises with each migration's write lock (BEGIN IMMEDIATE).
class Migrator::RunLock {
 public:
  RunLock(Pool& pool, const MigrationStorage& storage) {
    lease_ = pool.acquire();
    if (!hasAdvisoryLocks(*lease_)) {
      lease_.release();
      return;
    }
    const sql::AdvisoryLockStatements sql = lease_->dialect().advisoryLock();
    auto schema = lease_->query(sql.currentSchema);
    key_ =
        advisoryKey(schema.empty() || schema.at(0, 0).isNull() ? std::string("public")
                                                               : schema.at(0, 0).as<std::string>(),
                    storage.table());
    Value key(key_);
    lease_->query(sql.lock, std::span<const Value>(&key, 1));
    unlock_ = sql.unlock;
  }
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock() {
    if (!lease_) return;
    try {
      Value key(key_);
      lease_->query(unlock_, std::span<const Value>(&key, 1));
    } catch (...) {
      // A broken connection is discarded by the pool, and the server drops
      // a session's advisory locks with the session.
    }
  }

 private:
  Pool::Lease lease_;
  std::int64_t key_ = 0;
  std::string_view unlock_;  // the dialect's statement (static storage)
};

Migrator::Migrator(Pool& pool, std::vector<Migration> migrations, MigratorOptions options)
    : pool_(&pool),
      migrations_(mergeMigrations({std::move(migrations)})),
      options_(std::move(options)),
      storage_(options_.table) {}

Migrator::Migrator(std::string_view url, std::vector<Migration> migrations, MigratorOptions options)
    : ownedPool_(makePool(url)),
      pool_(ownedPool_.get()),
      migrations_(mergeMigrations({std::move(migrations)})),
      options_(std::move(options)),
      storage_(options_.table) {}

std::unique_ptr<Pool> Migrator::makePool(std::string_view url) {
  registerBuiltinDialects();
  auto parsed = ConnectionUrl::parse(url);
  // Two connections: the lock and the work (PostgreSQL). A memory database
  // must keep its single connection, or each lease would see another database.
  const bool memory = parsed.isMemory();
  return std::make_unique<Pool>([parsed] { return connect(parsed); },
                                PoolOptions{.max = memory ? 1u : 2u, .min = memory ? 1u : 0u});
}

Migrator::~Migrator() = default;

const Migration* Migrator::find(std::string_view name) const noexcept {
  auto pos = std::lower_bound(migrations_.begin(), migrations_.end(), name,
                              [](const Migration& m, std::string_view n) { return m.name < n; });
  return pos != migrations_.end() && pos->name == name ? &*pos : nullptr;
}

std::vector<AppliedMigration> Migrator::readApplied() {
  auto lease = pool_->acquire();
  return storage_.executed(*lease);
}

void Migrator::ensureStorage() {
  const auto deadline = Clock::now() + options_.lockTimeout;
  for (;;) {
    auto lease = pool_->acquire();
    try {
      storage_.ensureTable(*lease);
      return;
    } catch (const TimeoutError&) {
      // SQLite: another runner holds the write lock longer than busy_timeout.
      if (hasAdvisoryLocks(*lease) || Clock::now() >= deadline) throw;
    }
    lease.release();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void Migrator::checkIntegrity(const std::vector<AppliedMigration>& applied) const {
  std::vector<std::string> problems;
  std::string first;
  for (const auto& a : applied) {
    const Migration* m = find(a.name);
    std::string problem;
    if (!m)
      problem = "is applied but missing from the migration sources";
    else if (a.checksum && a.checksum != m->checksum)
      problem = fmt::format("changed since it was applied ({}: checksum {}, applied as {})",
                            m->origin, m->checksum.value_or("none"), *a.checksum);
    else
      continue;
    if (first.empty()) first = a.name;
    problems.push_back(a.name + " " + problem);
  }
  if (problems.empty()) return;
  std::string cause = problems.front();
  if (problems.size() > 1) cause += fmt::format(" (and {} more)", problems.size() - 1);
  throw MigrationError(first, Direction::Up, cause + "; refusing to migrate without force");
}

bool Migrator::runOne(const Migration& m, Direction d) {
  const auto deadline = Clock::now() + options_.lockTimeout;
  for (;;) {
    auto lease = pool_->acquire();
    Connection& conn = *lease;
    // SQLite: table rebuilds need foreign key enforcement off, which can
    // only change outside a transaction; check() re-verifies before COMMIT.
    ForeignKeysOff foreignKeysOff(conn);
    try {
      conn.begin();  // SQLite: BEGIN IMMEDIATE, the write lock
    } catch (const TimeoutError&) {
      if (hasAdvisoryLocks(conn) || Clock::now() >= deadline)
        throw MigrationError(m.name, d,
                             fmt::format("could not take the database write lock: waited {} ms",
                                         options_.lockTimeout.count()));
      lease.release();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    TxGuard tx(conn);
    try {
      // Checked inside the transaction that applies it: on SQLite this is
      // what makes concurrent runners apply each migration once.
      if (storage_.isApplied(conn, m.name) == (d == Direction::Up)) return false;
      QueryInterface qi(conn);
      (d == Direction::Up ? m.up : m.down)(qi);
      foreignKeysOff.check();
      if (d == Direction::Up)
        storage_.logMigration(conn, m.name, m.checksum);
      else
        storage_.unlogMigration(conn, m.name);
      tx.commit();
      return true;
    } catch (const MigrationError&) {
      throw;
    } catch (const std::exception& e) {
      throw MigrationError(m.name, d, e.what());
    }
  }
}

// One QueryInterface serves the whole dry run: it remembers the tables the
// earlier migrations would have created, so later ones can be planned.
class Migrator::DryRun {
 public:
  DryRun(Pool& pool, const MigratorOptions& options)
      : options_(options),
        lease_(pool.acquire()),
        qi_(
            *lease_, [this](const sql::Compiled& c) { emit(formatStatement(c)); },
            QueryInterface::Mode::DryRun) {}

  void emit(std::string_view text) const {
    if (options_.onStatement) options_.onStatement(text);
  }

  void run(const Migration& m, Direction d, const MigrationStorage& storage) {
    emit(fmt::format("-- {} ({})", m.name, directionName(d)));
    try {
      (d == Direction::Up ? m.up : m.down)(qi_);
    } catch (const MigrationError&) {
      throw;
    } catch (const std::exception& e) {
      throw MigrationError(m.name, d, e.what());
    }
    emit(d == Direction::Up ? storage.describeLog(lease_->dialect(), m.name, m.checksum)
                            : storage.describeUnlog(lease_->dialect(), m.name));
  }

  Connection& connection() const { return *lease_; }

 private:
  const MigratorOptions& options_;
  Pool::Lease lease_;
  QueryInterface qi_;
};

std::vector<std::string> Migrator::up(const UpOptions& options) {
  if (options.step && *options.step < 1)
    throw UsageError(fmt::format("step must be at least 1, not {}", *options.step));
  if (options.to && !find(*options.to))
    throw UsageError(fmt::format("no migration named {}", *options.to));
  if (options.only && !find(*options.only))
    throw UsageError(fmt::format("no migration named {}", *options.only));
  if (options.only && (options.to || options.step))
    throw UsageError("only cannot be combined with to or step");

  std::optional<RunLock> lock;
  if (!options_.dryRun) {
    lock.emplace(*pool_, storage_);
    ensureStorage();
  }
  auto applied = readApplied();
  if (!options_.force) checkIntegrity(applied);

  std::set<std::string, std::less<>> done;
  for (const auto& a : applied) done.insert(a.name);
  std::vector<const Migration*> plan;
  for (const auto& m : migrations_) {
    if (options.to && m.name > *options.to) break;
    if (options.step && plan.size() >= static_cast<std::size_t>(*options.step)) break;
    if (options.only && m.name != *options.only) continue;
    if (!done.contains(m.name)) plan.push_back(&m);
  }
  std::optional<DryRun> dry;
  if (options_.dryRun && !plan.empty()) {
    dry.emplace(*pool_, options_);
    if (!storage_.exists(dry->connection()))
      dry->emit(storage_.describeCreate(dry->connection().dialect()));
  }

  std::vector<std::string> ran;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Migration* m = plan[i];
    auto start = Clock::now();
    if (options_.onStart) options_.onStart({m->name, Direction::Up, {}, i + 1, plan.size()});
    if (dry)
      dry->run(*m, Direction::Up, storage_);
    else if (!runOne(*m, Direction::Up))
      continue;  // a concurrent runner applied it
    ran.push_back(m->name);
    if (options_.onProgress)
      options_.onProgress(
          {m->name, Direction::Up,
           std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start), i + 1,
           plan.size()});
  }
  return ran;
}

std::vector<std::string> Migrator::down(const DownOptions& options) {
  int chosen = (options.to ? 1 : 0) + (options.step ? 1 : 0) + (options.name ? 1 : 0) +
               (options.all ? 1 : 0);
  if (chosen > 1) throw UsageError("down takes at most one of to, step, name and all");
  if (options.step && *options.step < 1)
    throw UsageError(fmt::format("step must be at least 1, not {}", *options.step));

  std::optional<RunLock> lock;
  if (!options_.dryRun) {
    lock.emplace(*pool_, storage_);
    ensureStorage();
  }
  auto applied = readApplied();
  auto isApplied = [&](std::string_view name) {
    return std::any_of(applied.begin(), applied.end(),
                       [&](const AppliedMigration& a) { return a.name == name; });
  };

  std::vector<std::string> plan;  // newest first
  if (options.name) {
    if (!isApplied(*options.name))
      throw UsageError(fmt::format("migration {} is not applied", *options.name));
    plan.push_back(*options.name);
  } else if (options.to) {
    if (!isApplied(*options.to))
      throw UsageError(fmt::format("migration {} is not applied", *options.to));
    for (auto it = applied.rbegin(); it != applied.rend() && it->name >= *options.to; ++it)
      plan.push_back(it->name);
  } else {
    std::size_t n =
        options.all ? applied.size() : static_cast<std::size_t>(options.step.value_or(1));
    for (auto it = applied.rbegin(); it != applied.rend() && plan.size() < n; ++it)
      plan.push_back(it->name);
  }

  // Refuse the whole plan up front rather than stop halfway through it.
  for (const auto& name : plan) {
    const Migration* m = find(name);
    if (!m)
      throw MigrationError(name, Direction::Down,
                           "cannot undo: the migration is missing from the migration sources");
    if (!m->down)
      throw MigrationError(name, Direction::Down,
                           fmt::format("irreversible: {} has no down migration{}", m->origin,
                                       m->checksum ? " (.down.sql file)" : ""));
  }

  std::optional<DryRun> dry;
  if (options_.dryRun && !plan.empty()) dry.emplace(*pool_, options_);
  std::vector<std::string> ran;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Migration& m = *find(plan[i]);
    auto start = Clock::now();
    if (options_.onStart) options_.onStart({m.name, Direction::Down, {}, i + 1, plan.size()});
    if (dry)
      dry->run(m, Direction::Down, storage_);
    else if (!runOne(m, Direction::Down))
      continue;  // a concurrent runner undid it
    ran.push_back(m.name);
    if (options_.onProgress)
      options_.onProgress(
          {m.name, Direction::Down,
           std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start), i + 1,
           plan.size()});
  }
  return ran;
}

std::vector<std::string> Migrator::pending() {
  std::vector<std::string> out;
  for (const auto& s : status())
    if (s.state == MigrationStatus::State::Pending) out.push_back(s.name);
  return out;
}

std::vector<AppliedMigration> Migrator::executed() {
  return readApplied();
}

std::vector<MigrationStatus> Migrator::status() {
  auto applied = readApplied();
  std::vector<MigrationStatus> out;
  auto a = applied.begin();
  auto m = migrations_.begin();
  // Both lists are in name order: merge them.
  while (a != applied.end() || m != migrations_.end()) {
    if (m == migrations_.end() || (a != applied.end() && a->name < m->name)) {
      out.push_back({a->name, MigrationStatus::State::Missing, a->appliedAt});
      ++a;
    } else if (a == applied.end() || m->name < a->name) {
      out.push_back({m->name, MigrationStatus::State::Pending, std::nullopt});
      ++m;
    } else {
      bool changed = a->checksum && a->checksum != m->checksum;
      out.push_back({m->name,
                     changed ? MigrationStatus::State::Changed : MigrationStatus::State::Applied,
                     a->appliedAt});
      ++a;
      ++m;
    }
  }
  return out;
}

}  // namespace junction::migrate
