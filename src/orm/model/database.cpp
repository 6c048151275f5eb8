#include "junction/database.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "junction/dialects.hpp"
#include "junction/sql/replacements.hpp"
#include "orm/internal.hpp"

namespace junction {

namespace {

// The calling thread's managed transactions, innermost last, per Database.
thread_local std::map<const Database*, std::vector<Transaction*>> tlsTransactions;

PoolOptions poolOptionsFor(const ConnectionUrl& url, PoolOptions p) {
  // Each connection to sqlite::memory: is a separate database: use one.
  if (url.isMemory()) {
    p.max = 1;
    p.min = 1;  // never reaped: closing it would lose the data
  }
  if (p.max == 0) throw UsageError("pool.max must be at least 1");
  if (p.min > p.max)
    throw UsageError(fmt::format("pool.min ({}) exceeds pool.max ({})", p.min, p.max));
  return p;
}

}  // namespace

Database::Database(std::string_view url, DatabaseOptions options)
    : url_(ConnectionUrl::parse(url)), options_(std::move(options)) {
  registerBuiltinDialects();
  // An unknown scheme fails on first use (connect, dialect()), as a server
  // that cannot be reached does: defining models needs no engine.
  try {
    dialect_ = &dialectFor(url_.scheme);
  } catch (const InvalidUrlError&) {
  }
  observer_ = [this](const QueryEvent& e) {
    queryCount_.fetch_add(1, std::memory_order_relaxed);
    if (options_.logging) options_.logging(e);
  };
  ConnectionUrl u = url_;
  pool_ = std::make_unique<Pool>(
      [this, u] {
        auto c = connect(u);
        c->setObserver(&observer_);
        return c;
      },
      poolOptionsFor(url_, options_.pool));
}

Database::~Database() {
  tlsTransactions.erase(this);
}

void Database::authenticate() {
  auto lease = pool_->acquire();
  lease->query("SELECT 1");
}

Model& Database::define(std::string modelName, AttributeList attributes, ModelOptions options) {
  if (isDefined(modelName))
    throw UsageError(fmt::format("model \"{}\" is already defined", modelName));
  for (const auto& m : models_)
    if (m->tableName() == (options.tableName.empty()
                               ? (options.freezeTableName ? modelName : pluralize(modelName))
                               : options.tableName))
      throw UsageError(fmt::format("model \"{}\" would share table \"{}\" with model \"{}\"",
                                   modelName, m->tableName(), m->name()));
  models_.push_back(std::unique_ptr<Model>(
      new Model(*this, std::move(modelName), std::move(attributes), std::move(options))));
  return *models_.back();
}

Model& Database::model(std::string_view name) const {
  for (const auto& m : models_)
    if (m->name() == name) return *m;
  throw UsageError(fmt::format("no model named \"{}\" is defined", name));
}

bool Database::isDefined(std::string_view name) const noexcept {
  for (const auto& m : models_)
    if (m->name() == name) return true;
  return false;
}

std::vector<Model*> Database::models() const {
  std::vector<Model*> out;
  for (const auto& m : models_) out.push_back(m.get());
  return out;
}

namespace {
// Models ordered so that referenced tables come before the tables referencing them.
std::vector<const Model*> dependencyOrder(const std::vector<std::unique_ptr<Model>>& models) {
  std::vector<const Model*> out;
  std::set<const Model*> done, visiting;
  std::function<void(const Model*)> visit = [&](const Model* m) {
    if (done.count(m) || visiting.count(m)) return;  // cycles: keep definition order
    visiting.insert(m);
    for (const auto& a : m->attributes()) {
      if (!a.spec.referencesOption()) continue;
      for (const auto& other : models)
        if (other.get() != m && other->tableName() == a.spec.referencesOption()->table)
          visit(other.get());
    }
    visiting.erase(m);
    done.insert(m);
    out.push_back(m);
  };
  for (const auto& m : models) visit(m.get());
  return out;
}
}  // namespace

void Database::sync(SyncOptions options) {
  auto order = dependencyOrder(models_);
  auto run = [&](Transaction& t) {
    if (options.force)
      for (auto it = order.rbegin(); it != order.rend(); ++it) (*it)->drop(&t);
    for (const Model* m : order) m->sync({.force = false, .transaction = &t});
  };
  detail::atomically(*this, options.transaction, run);
}

void Database::drop() {
  auto order = dependencyOrder(models_);
  transaction([&](Transaction& t) {
    for (auto it = order.rbegin(); it != order.rend(); ++it) (*it)->drop(&t);
  });
}

ResultSet Database::query(std::string_view sqlText, QueryOptions options) {
  detail::ConnectionScope scope(*this, options.transaction);
  const sql::Dialect& d = scope.conn().dialect();
  if (!options.replacements.empty() && !options.named.empty())
    throw UsageError("query: give either positional replacements or named ones, not both");
  if (!options.named.empty()) return scope.run(sql::bindReplacements(d, sqlText, options.named));
  return scope.run(sql::bindReplacements(d, sqlText, options.replacements));
}

Transaction Database::transaction(TransactionOptions options) {
  if (Transaction* outer = currentTransaction()) return outer->nested();
  return Transaction(*pool_, options);
}

const sql::Dialect& Database::dialect() const {
  return dialect_ ? *dialect_ : dialectFor(url_.scheme);
}

void Database::close() {
  pool_->close();
}

Transaction* Database::currentTransaction() const noexcept {
  auto it = tlsTransactions.find(this);
  if (it == tlsTransactions.end() || it->second.empty()) return nullptr;
  return it->second.back();
}

void Database::pushTransaction(Transaction* t) {
  tlsTransactions[this].push_back(t);
}

void Database::popTransaction(Transaction* t) noexcept {
  auto it = tlsTransactions.find(this);
  if (it == tlsTransactions.end()) return;
  auto& stack = it->second;
  if (!stack.empty() && stack.back() == t) stack.pop_back();
  if (stack.empty()) tlsTransactions.erase(it);
}

namespace detail {

ConnectionScope::ConnectionScope(Database& db, Transaction* explicitTransaction) {
  Transaction* t = explicitTransaction ? explicitTransaction : db.currentTransaction();
  if (t) {
    if (t->finished())
      throw UsageError("the transaction has already been committed or rolled back");
    conn_ = &t->connection();
    return;
  }
  lease_ = db.pool().acquire();
  conn_ = lease_.get();
}

}  // namespace detail
}  // namespace junction
