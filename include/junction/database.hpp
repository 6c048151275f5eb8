// junction/database.hpp — the entry point: Sequelize's `new Sequelize(url)`.
//
//   junction::Database db{"sqlite://blog.db"};            // or postgres://...
//   auto& User = db.define("user", {...}, {...});
//   db.sync({.force = true});                               // tests only
//   db.transaction([&](Transaction& t) {                    // managed:
//     User.create({{"name", "a"}}, {.transaction = &t});    //   commit on return,
//   });                                                     //   rollback on throw
//   auto rows = db.query("SELECT * FROM users WHERE id = ?", {.replacements = {1}});
//
// Every statement goes through a thread-safe bounded pool. A query that names
// no transaction runs inside the calling thread's current managed
// transaction of this Database if there is one (what Sequelize users get
// with CLS enabled), else on a connection leased for that one call.
// `sqlite::memory:` databases use a single connection (each SQLite memory
// connection would otherwise be a different database).
//
// Thread-safety: define models and associations first, then share the
// Database freely; every query method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "junction/config.hpp"  // env_or
#include "junction/connection.hpp"
#include "junction/model.hpp"
#include "junction/pool.hpp"
#include "junction/transaction.hpp"

namespace junction {

// How an association names itself and its keys when `as`, `foreignKey` or
// `otherKey` is not given. Both rules camelize the key ("blog_author" + "id"
// → "blogAuthorId").
//  - Sequelize7 (the default; seed 004): names start lower-case, keys follow
//    the association's target/source key: belongsTo(Project) is "project"
//    with "projectId", belongsToMany(Project) is "projects" with "userId" and
//    "projectId".
//  - Sequelize6 (seeds 000–003, most code in the wild): names keep the model
//    name's case: "Project" / "ProjectId", "Projects" / "UserId" and
//    "ProjectId"; belongsTo, hasOne and hasMany keys are named after the
//    primary key even when targetKey/sourceKey names another column.
enum class Naming { Sequelize7, Sequelize6 };

struct DatabaseOptions {
  // Sequelize's `logging`: called after each statement with its SQL, bound
  // parameters and duration. Empty: no logging.
  std::function<void(const QueryEvent&)> logging;
  PoolOptions pool{};
  // Instance::related() of an association that was not eagerly loaded
  // throws instead of querying: catches N+1 loops in tests.
  bool strictLoading = false;
  Naming naming = Naming::Sequelize7;
};

struct QueryOptions {
  std::vector<Value> replacements;                  // `?` placeholders
  std::map<std::string, Value, std::less<>> named;  // `:name` placeholders
  Transaction* transaction = nullptr;
};

class Database {
 public:
  // Connects lazily: the URL is parsed now (InvalidUrlError), the first
  // statement opens the first connection. DATABASE_URL is not read here; see
  // env_or().
  explicit Database(std::string_view url, DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Opens a connection and runs SELECT 1 (ConnectionError when unreachable).
  void authenticate();

  Model& define(std::string modelName, AttributeList attributes, ModelOptions options = {});
  Model& model(std::string_view name) const;  // UsageError if not defined
  bool isDefined(std::string_view name) const noexcept;
  // Defined models, in definition order.
  std::vector<Model*> models() const;

  // CREATE TABLE for every model, referenced tables first (force: drop first,
  // dependents first). For tests and prototypes; use migrations otherwise.
  void sync(SyncOptions options = {});
  void drop();

  // A raw statement with bound replacements (never spliced into the SQL).
  ResultSet query(std::string_view sql, QueryOptions options = {});

  // Managed transaction: commits when fn returns, rolls back and rethrows
  // when it throws. Nested calls on the same thread become savepoints.
  template <class F>
  auto transaction(F&& fn, TransactionOptions options = {})
      -> std::invoke_result_t<F, Transaction&>;
  // Unmanaged: the caller commits or rolls back (destruction rolls back).
  Transaction transaction(TransactionOptions options = {});

  // The engine's dialect, from the registry by the URL's scheme;
  // InvalidUrlError when no engine is registered for it.
  const sql::Dialect& dialect() const;
  const ConnectionUrl& url() const noexcept { return url_; }
  Pool& pool() noexcept { return *pool_; }

  const DatabaseOptions& options() const noexcept { return options_; }

  // Statements run since construction or the last reset (for N+1 tests).
  std::uint64_t queryCount() const noexcept { return queryCount_.load(); }
  void resetQueryCount() noexcept { queryCount_.store(0); }

  // Closes idle connections; later queries throw ConnectionError.
  void close();

  // ---- internal: used by models (not part of the stable API) ----
  class Scope;  // a connection for one operation (see src/orm/session.hpp)
  Transaction* currentTransaction() const noexcept;

 private:
  void pushTransaction(Transaction* t);
  void popTransaction(Transaction* t) noexcept;

  ConnectionUrl url_;
  const sql::Dialect* dialect_ = nullptr;  // null: no engine for the scheme (yet)
  DatabaseOptions options_;
  QueryObserver observer_;
  std::atomic<std::uint64_t> queryCount_{0};
  std::unique_ptr<Pool> pool_;
  std::vector<std::unique_ptr<Model>> models_;
};


template <class F>
auto Database::transaction(F&& fn, TransactionOptions options)
    -> std::invoke_result_t<F, Transaction&> {
  Transaction* outer = currentTransaction();
  Transaction t = outer ? outer->nested() : Transaction(*pool_, options);
  pushTransaction(&t);
  struct Pop {
    Database* db;
    Transaction* t;
    ~Pop() { db->popTransaction(t); }
  } pop{this, &t};
  if constexpr (std::is_void_v<std::invoke_result_t<F, Transaction&>>) {
    std::forward<F>(fn)(t);
    if (!t.finished()) t.commit();
  } else {
    auto result = std::forward<F>(fn)(t);
    if (!t.finished()) t.commit();
    return result;
  }
}

}  // namespace junction
