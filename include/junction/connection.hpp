// junction/connection.hpp — one open connection to one database.
//
// A Connection executes statements with bound parameters only, through a
// per-connection prepared-statement cache keyed by SQL text, and maps native
// errors to the typed errors of junction/errors.hpp. Transactions nest: the
// first begin() is BEGIN (SQLite: BEGIN IMMEDIATE), deeper ones are
// SAVEPOINTs.
//
// Thread-safety: a Connection is used by one thread at a time. Share
// connections between threads through a Pool.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "junction/result.hpp"
#include "junction/sql/compiler.hpp"
#include "junction/url.hpp"

namespace junction {

// What an observer (Sequelize's `logging`) sees after each statement.
struct QueryEvent {
  std::string_view sql;
  std::span<const Value> params;
  std::chrono::nanoseconds duration{};
  std::string_view dialect;
  bool failed = false;
};
using QueryObserver = std::function<void(const QueryEvent&)>;

enum class IsolationLevel { Default, ReadUncommitted, ReadCommitted, RepeatableRead, Serializable };

// Receives rows one at a time from Connection::stream(): columns() once,
// expectRows() when the engine knows the count before the first row
// (PostgreSQL does, SQLite does not), then row() per row. The values passed
// to row() belong to the connection's row buffer and may be moved from;
// they are overwritten by the next row.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual void columns(std::span<const std::string> names) { (void)names; }
  virtual void expectRows(std::size_t count) { (void)count; }
  virtual void row(std::span<Value> values) = 0;
};

class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual const sql::Dialect& dialect() const noexcept = 0;

  // Runs one statement. Parameters bind positionally. Throws DatabaseError
  // (or a constraint subclass) naming the statement, ConnectionLostError when
  // the link dropped, UsageError for a parameter count mismatch.
  virtual ResultSet query(std::string_view sql, std::span<const Value> params = {}) = 0;
  ResultSet query(const sql::Compiled& c) { return query(c.sql, c.params); }

  // Like query(), but hands each row to `sink` instead of building a
  // ResultSet, so large reads need no intermediate copy (the ORM hydrates
  // instances this way). Returns the rows affected. The default runs query()
  // and replays its rows; engines override it to decode straight into a
  // reused row buffer.
  virtual std::int64_t stream(std::string_view sql, std::span<const Value> params, RowSink& sink);
  std::int64_t stream(const sql::Compiled& c, RowSink& sink) {
    return stream(c.sql, c.params, sink);
  }

  // Runs a script of one or more statements without parameters (DDL, .sql
  // migration files). Throws as query() does.
  virtual void execute(std::string_view script) = 0;

  // False once the connection is known to be broken; the pool then discards it.
  virtual bool isUsable() noexcept = 0;
  // Number of prepared statements currently cached.
  virtual std::size_t cachedStatements() const noexcept = 0;

  // ---- transactions (depth 0: none; 1: BEGIN; >1: SAVEPOINT) ----
  void begin(IsolationLevel level = IsolationLevel::Default);
  void commit();
  void rollback();
  int transactionDepth() const noexcept { return depth_; }

  // Called after every statement, failed or not. Not owned; may be null.
  void setObserver(const QueryObserver* observer) noexcept { observer_ = observer; }

 protected:
  Connection() = default;
  // Opens the outermost transaction (engines differ: BEGIN IMMEDIATE, ISOLATION LEVEL).
  virtual void beginOutermost(IsolationLevel level) = 0;
  void notify(std::string_view sql, std::span<const Value> params, std::chrono::nanoseconds elapsed,
              bool failed) const;

 private:
  int depth_ = 0;
  const QueryObserver* observer_ = nullptr;
};

using DriverFactory = std::function<std::unique_ptr<Connection>(const ConnectionUrl&)>;

// Registers a driver for a URL scheme (junction/dialects.hpp registers the
// built-in "sqlite" and "postgres"). Thread-safe.
void registerDriver(std::string scheme, DriverFactory factory);

// Registers an engine: its URL scheme, its SQL dialect (with its
// capability flags) and its connections. Adding an engine is one folder
// under src/dialects and one call here (registerBuiltinDialects makes the
// built-in ones'). Thread-safe.
void registerEngine(std::string scheme, const sql::Dialect& dialect, DriverFactory factory);

// The dialect of the engine registered for `scheme` ("postgresql" is
// "postgres"). InvalidUrlError naming the scheme and the registered ones.
const sql::Dialect& dialectFor(std::string_view scheme);

// Opens a connection through the driver registered for url.scheme. Throws
// InvalidUrlError for an unknown scheme, ConnectionError when the server
// cannot be reached (the message names the redacted URL and the cause).
std::unique_ptr<Connection> connect(const ConnectionUrl& url);

}  // namespace junction
