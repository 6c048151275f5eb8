#include "dialects/sqlite/sqlite_connection.hpp"

#include <fmt/format.h>
#include <sqlite3.h>

#include <charconv>
#include <chrono>
#include <algorithm>
#include <climits>
#include <thread>
#include <type_traits>
#include <variant>

#include "dialects/sqlite/sqlite_errors.hpp"
#include "dialects/sqlite/statement_cache.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"

namespace junction::sqlite {

namespace {

struct DbCloser {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

using Clock = std::chrono::steady_clock;

bool isBlank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') return false;
  return true;
}

std::string_view trimmed(std::string_view s) {
  auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Resets and unbinds a statement when a query leaves scope, however it
// leaves: a cached statement is never left mid-step or holding a read lock.
class ResetGuard {
 public:
  explicit ResetGuard(sqlite3_stmt* s) noexcept : s_(s) {}
  ~ResetGuard() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  sqlite3_stmt* s_;
};

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(DbPtr db, std::string path) : db_(std::move(db)), path_(std::move(path)) {}

  ~SqliteConnection() override {
    // Statements must be finalized before the handle closes.
    cache_.clear();
  }

  const sql::Dialect& dialect() const noexcept override { return sqliteDialect(); }

  using Connection::query;

  ResultSet query(std::string_view sql, std::span<const Value> params) override {
    auto start = Clock::now();
    ResultSet rs;
    try {
      rs = run(sql, params);
    } catch (...) {
      notify(sql, params, Clock::now() - start, true);
      throw;
    }
    notify(sql, params, Clock::now() - start, false);
    return rs;
  }

  // SQLite produces rows lazily, so the sink runs between steps. Meanwhile
  // the statement is out of the cache: the sink may run other statements on
  // this connection (the same SQL included) without resetting or evicting
  // it. However the call ends, the statement is reset and cached again and
  // the observer is told once; its duration includes the sink's time. A step
  // error is a failed statement even after some rows were delivered; an
  // exception from the sink is not (as on PostgreSQL).
  std::int64_t stream(std::string_view sql, std::span<const Value> params, RowSink& sink) override {
    const auto start = Clock::now();
    bool inSink = false;
    std::int64_t affected = 0;
    try {
      affected = runStreaming(sql, params, sink, inSink);
    } catch (...) {
      notify(sql, params, Clock::now() - start, !inSink);
      throw;
    }
    notify(sql, params, Clock::now() - start, false);
    return affected;
  }

  void execute(std::string_view script) override {
    ensureOpen(script);
    while (!isBlank(script)) {
      auto start = Clock::now();
      sqlite3_stmt* raw = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v2(db_.get(), script.data(), static_cast<int>(script.size()), &raw,
                                  &tail);
      StmtPtr stmt(raw);
      std::size_t consumed = tail ? static_cast<std::size_t>(tail - script.data()) : script.size();
      // The statement as logged and reported: its own text, without the
      // whitespace that separates it from its neighbours.
      std::string_view text = trimmed(script.substr(0, consumed));
      script.remove_prefix(consumed);
      if (rc != SQLITE_OK) {
        fail(rc, text, start, {});
      }
      if (!stmt) continue;  // only whitespace or comments
      while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) fail(sqlite3_extended_errcode(db_.get()), text, start, {});
      notify(text, {}, Clock::now() - start, false);
    }
  }

  bool isUsable() noexcept override {
    if (!db_ || broken_) return false;
    // The engine's transaction state must match ours: a connection that is
    // inside a transaction nobody tracks must not be handed out again.
    bool engineInTx = sqlite3_get_autocommit(db_.get()) == 0;
    return engineInTx == (transactionDepth() > 0);
  }

  std::size_t cachedStatements() const noexcept override { return cache_.size(); }

  // Drops every cached statement (open() uses it after its setup pragmas).
  void clearStatementCache() noexcept { cache_.clear(); }

 protected:
  void beginOutermost(IsolationLevel) override {
    // IMMEDIATE takes the write lock up front: a deferred transaction that
    // reads and then writes can fail with SQLITE_BUSY without waiting when
    // another writer got in between. SQLite is always serializable, so the
    // isolation level has nothing to select.
    query("BEGIN IMMEDIATE", {});
  }

 private:
  void ensureOpen(std::string_view sql) const {
    if (!db_) throw ConnectionError(fmt::format("SQLite connection to \"{}\" is closed", path_));
    if (broken_)
      throw ConnectionError(fmt::format(
          "SQLite connection to \"{}\" is unusable after an earlier I/O or corruption error; "
          "statement: {}",
          path_, sql));
  }

  [[noreturn]] void fail(int code, std::string_view sql, Clock::time_point start,
                         std::span<const Value> params) {
    if (isFatal(code)) broken_ = true;
    std::string message = sqlite3_errmsg(db_.get());
    notify(sql, params, Clock::now() - start, true);
    throwError(code, message, sql);
  }

  CachedStatement& prepare(std::string_view sql) {
    if (auto* cached = cache_.find(sql)) return *cached;
    return cache_.insert(sql, prepareNew(sql));
  }

  // Compiles `sql` (exactly one statement) without caching it.
  CachedStatement prepareNew(std::string_view sql) {
    if (sql.size() > static_cast<std::size_t>(INT_MAX))
      throw UsageError(fmt::format("statement of {} bytes is too long for SQLite", sql.size()));
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, &tail);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) {
      if (isFatal(rc)) broken_ = true;
      throwError(sqlite3_extended_errcode(db_.get()), sqlite3_errmsg(db_.get()), sql);
    }
    if (!stmt) throw UsageError(fmt::format("query() was given no statement: \"{}\"", sql));
    std::string_view rest =
        tail ? sql.substr(static_cast<std::size_t>(tail - sql.data())) : std::string_view{};
    if (!isBlank(rest)) {
      // Only comments may follow; SQLite would otherwise silently ignore the
      // remaining statements.
      sqlite3_stmt* next = nullptr;
      sqlite3_prepare_v2(db_.get(), rest.data(), static_cast<int>(rest.size()), &next, nullptr);
      StmtPtr nextStmt(next);
      if (nextStmt)
        throw UsageError(
            fmt::format("query() runs exactly one statement; use execute() for scripts: {}", sql));
    }
    CachedStatement st;
    st.readonly = sqlite3_stmt_readonly(stmt.get()) != 0;
    st.paramCount = sqlite3_bind_parameter_count(stmt.get());
    st.stmt = std::move(stmt);
    return st;
  }

  // Refreshes column metadata when SQLite has re-prepared the statement
  // (schema change) or it was never computed.
  static void refreshColumns(CachedStatement& st) {
    sqlite3_stmt* s = st.stmt.get();
    int reprepares = sqlite3_stmt_status(s, SQLITE_STMTSTATUS_REPREPARE, 0);
    int n = sqlite3_column_count(s);
    if (reprepares == st.reprepareCount && static_cast<std::size_t>(n) == st.columnNames.size())
      return;
    st.reprepareCount = reprepares;
    st.columnNames.clear();
    st.columnKinds.clear();
    for (int i = 0; i < n; ++i) {
      const char* name = sqlite3_column_name(s, i);
      st.columnNames.emplace_back(name ? name : "");
      st.columnKinds.push_back(columnKindOf(sqlite3_column_decltype(s, i)));
    }
  }

  static int bindOne(sqlite3_stmt* s, int i, const Value& v) {
    return std::visit(
        [&](const auto& x) -> int {
          using T = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<T, std::monostate>) {
            return sqlite3_bind_null(s, i);
          } else if constexpr (std::is_same_v<T, bool>) {
            return sqlite3_bind_int(s, i, x ? 1 : 0);
          } else if constexpr (std::is_same_v<T, std::int64_t>) {
            return sqlite3_bind_int64(s, i, x);
          } else if constexpr (std::is_same_v<T, double>) {
            return sqlite3_bind_double(s, i, x);
          } else if constexpr (std::is_same_v<T, std::string>) {
            // Parameters outlive the statement's use: no copy needed.
            return sqlite3_bind_text64(s, i, x.data(), x.size(), SQLITE_STATIC, SQLITE_UTF8);
          } else if constexpr (std::is_same_v<T, Blob>) {
            // A null data pointer would bind NULL, not an empty blob.
            if (x.empty()) return sqlite3_bind_zeroblob(s, i, 0);
            return sqlite3_bind_blob64(s, i, x.data(), x.size(), SQLITE_STATIC);
          } else if constexpr (std::is_same_v<T, Timestamp>) {
            std::string t = x.toSql();
            return sqlite3_bind_text64(s, i, t.data(), t.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          } else if constexpr (std::is_same_v<T, Date>) {
            std::string t = x.toIso();
            return sqlite3_bind_text64(s, i, t.data(), t.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
          } else {
            static_assert(std::is_same_v<T, JsonText>);
            return sqlite3_bind_text64(s, i, x.text.data(), x.text.size(), SQLITE_STATIC,
                                       SQLITE_UTF8);
          }
        },
        v.storage());
  }

  // Decodes column i of the current row into `slot`, constructing the value
  // in place (no temporary Value): stream() refills one row buffer this way.
  // One sqlite3_column_* call per field: type and content are read from the
  // column's sqlite3_value, where each further sqlite3_column_* call would
  // repeat the statement's mutex and error bookkeeping. The value is
  // "unprotected", i.e. read without the connection's mutex: a NOMUTEX
  // connection has none (sqlite3_db_mutex() is NULL) and is used by one
  // thread at a time, so that is what sqlite3_column_* do here anyway.
  static void readColumnInto(sqlite3_stmt* s, int i, ColumnKind kind, Value& slot) {
    Value::Storage& out = slot.storage();
    sqlite3_value* v = sqlite3_column_value(s, i);
    switch (sqlite3_value_type(v)) {
      case SQLITE_NULL:
        out.emplace<std::monostate>();
        return;
      case SQLITE_INTEGER: {
        std::int64_t n = sqlite3_value_int64(v);
        if (kind == ColumnKind::Boolean && (n == 0 || n == 1))
          out.emplace<bool>(n == 1);
        else
          out.emplace<std::int64_t>(n);
        return;
      }
      case SQLITE_FLOAT:
        out.emplace<double>(sqlite3_value_double(v));
        return;
      case SQLITE_BLOB: {
        const auto* p = static_cast<const std::uint8_t*>(sqlite3_value_blob(v));
        auto n = static_cast<std::size_t>(sqlite3_value_bytes(v));
        if (p)
          out.emplace<Blob>(p, p + n);
        else
          out.emplace<Blob>();
        return;
      }
      default: {
        const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
        // Typed text is parsed in place; only text that stays text is copied.
        const std::string_view text(p ? p : "", static_cast<std::size_t>(sqlite3_value_bytes(v)));
        switch (kind) {
          case ColumnKind::Timestamp:
            if (auto t = Timestamp::tryParse(text)) {
              out.emplace<Timestamp>(*t);
              return;
            }
            break;
          case ColumnKind::Date:
            if (auto d = Date::tryParse(text)) {
              out.emplace<Date>(*d);
              return;
            }
            break;
          case ColumnKind::Json:
            out.emplace<JsonText>(JsonText{std::string(text)});
            return;
          default:
            break;
        }
        // A text column the sink left in the reused row keeps its allocation.
        if (auto* kept = std::get_if<std::string>(&out))
          kept->assign(text);
        else
          out.emplace<std::string>(text);
        return;
      }
    }
  }

  void bindAll(const CachedStatement& st, std::string_view sql, std::span<const Value> params) {
    if (static_cast<std::size_t>(st.paramCount) != params.size())
      throw UsageError(fmt::format("statement expects {} parameter(s), {} given: {}", st.paramCount,
                                   params.size(), sql));
    sqlite3_stmt* s = st.stmt.get();
    for (std::size_t i = 0; i < params.size(); ++i) {
      int rc = bindOne(s, static_cast<int>(i + 1), params[i]);
      if (rc != SQLITE_OK)
        throwError(rc,
                   fmt::format("cannot bind parameter {} ({}): {}", i + 1,
                               params[i].toDebugString(), sqlite3_errmsg(db_.get())),
                   sql);
    }
  }

  // Throws the typed error for a failed step.
  [[noreturn]] void failStep(std::string_view sql) {
    int code = sqlite3_extended_errcode(db_.get());
    if (isFatal(code)) broken_ = true;
    throwError(code, sqlite3_errmsg(db_.get()), sql);
  }

  // Rows changed by the statement that just finished, 0 for a read.
  std::int64_t changesOf(const CachedStatement& st, sqlite3_int64 totalBefore) const {
    // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE, so
    // only report it when this statement actually changed rows.
    if (!st.readonly && sqlite3_total_changes64(db_.get()) != totalBefore)
      return sqlite3_changes64(db_.get());
    return 0;
  }

  // Holds a statement taken out of the cache for one stream(); resets it
  // and caches it again (replacing any copy the sink prepared meanwhile)
  // however the stream ends.
  class Checkout {
   public:
    Checkout(StatementCache& cache, std::string_view sql, CachedStatement st) noexcept
        : cache_(cache), sql_(sql), st_(std::move(st)) {}
    ~Checkout() {
      sqlite3_reset(st_.stmt.get());
      sqlite3_clear_bindings(st_.stmt.get());
      try {
        cache_.insert(sql_, std::move(st_));
      } catch (...) {
        // Out of memory: the statement is finalized and prepared again when
        // next needed.
      }
    }
    Checkout(const Checkout&) = delete;
    Checkout& operator=(const Checkout&) = delete;
    CachedStatement& operator*() noexcept { return st_; }

   private:
    StatementCache& cache_;
    std::string_view sql_;
    CachedStatement st_;
  };

  std::int64_t runStreaming(std::string_view sql, std::span<const Value> params, RowSink& sink,
                            bool& inSink) {
    ensureOpen(sql);
    CachedStatement taken = cache_.take(sql);
    Checkout checkout(cache_, sql, taken.stmt ? std::move(taken) : prepareNew(sql));
    CachedStatement& st = *checkout;
    sqlite3_stmt* s = st.stmt.get();
    bindAll(st, sql, params);

    const auto changesBefore = sqlite3_total_changes64(db_.get());
    // Column metadata is only final after the first step (which re-prepares
    // the statement after a schema change).
    int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) failStep(sql);
    refreshColumns(st);
    inSink = true;
    sink.columns(st.columnNames);
    inSink = false;
    const std::size_t width = st.columnKinds.size();
    std::vector<Value> row(width);
    while (rc == SQLITE_ROW) {
      for (std::size_t i = 0; i < width; ++i)
        readColumnInto(s, static_cast<int>(i), st.columnKinds[i], row[i]);
      inSink = true;
      sink.row(row);
      inSink = false;
      rc = sqlite3_step(s);
    }
    if (rc != SQLITE_DONE) failStep(sql);
    return changesOf(st, changesBefore);
  }

  ResultSet run(std::string_view sql, std::span<const Value> params) {
    ensureOpen(sql);
    CachedStatement& st = prepare(sql);
    sqlite3_stmt* s = st.stmt.get();
    ResetGuard guard(s);
    bindAll(st, sql, params);

    ResultSet rs;
    const auto changesBefore = sqlite3_total_changes64(db_.get());
    bool columnsKnown = false;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      if (!columnsKnown) {
        refreshColumns(st);
        rs.columns = st.columnNames;
        columnsKnown = true;
      }
      const int n = static_cast<int>(st.columnKinds.size());
      for (int i = 0; i < n; ++i)
        readColumnInto(s, i, st.columnKinds[static_cast<std::size_t>(i)], rs.values.emplace_back());
    }
    if (rc != SQLITE_DONE) failStep(sql);
    if (!columnsKnown) {
      refreshColumns(st);
      rs.columns = st.columnNames;
    }
    rs.rowsAffected = changesOf(st, changesBefore);
    return rs;
  }

  DbPtr db_;  // declared first: destroyed after the cache's statements
  std::string path_;
  StatementCache cache_;
  bool broken_ = false;
};

int busyTimeoutOf(const ConnectionUrl& url) {
  auto it = url.params.find("busy_timeout");
  if (it == url.params.end()) return 5000;
  const std::string& s = it->second;
  int ms = -1;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), ms);
  if (ec != std::errc{} || ptr != s.data() + s.size() || ms < 0)
    throw InvalidUrlError(fmt::format(
        "busy_timeout must be a non-negative number of milliseconds, not \"{}\" in \"{}\"", s,
        url.redacted()));
  return ms;
}

}  // namespace

std::unique_ptr<Connection> open(const ConnectionUrl& url) {
  if (url.path.empty())
    throw InvalidUrlError(fmt::format("SQLite URL \"{}\" has no database path", url.redacted()));
  for (const auto& [key, value] : url.params)
    if (key != "busy_timeout")
      throw InvalidUrlError(
          fmt::format("unknown SQLite URL parameter \"{}\" in \"{}\"", key, url.redacted()));
  const int busyTimeout = busyTimeoutOf(url);

  sqlite3* raw = nullptr;
  // NOMUTEX: a Connection is used by one thread at a time (connection.hpp).
  int rc = sqlite3_open_v2(
      url.path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  DbPtr db(raw);  // sqlite3_open_v2 allocates a handle even when it fails
  if (rc != SQLITE_OK)
    throw ConnectionError(fmt::format("cannot open SQLite database \"{}\": {}", url.path,
                                      raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  sqlite3_extended_result_codes(db.get(), 1);
  sqlite3_busy_timeout(db.get(), busyTimeout);

  auto conn = std::make_unique<SqliteConnection>(std::move(db), url.path);
  try {
    // case_sensitive_like: LIKE matches case as on PostgreSQL (the compiler
    // renders ILIKE as LOWER(a) LIKE LOWER(b)).
    conn->execute("PRAGMA foreign_keys=ON; PRAGMA case_sensitive_like=ON");
    if (!url.isMemory()) {
      // WAL lets readers run alongside the single writer; NORMAL is durable
      // across application crashes in WAL mode and avoids an fsync per commit.
      // The switch needs an exclusive lock, and SQLite answers SQLITE_BUSY at
      // once, without the busy handler, while another connection holds a
      // shared one (waiting could deadlock): several processes opening a
      // new database together all meet it. The mode is persistent, so read
      // it first, and retry the switch within the busy timeout.
      const auto deadline =
          std::chrono::steady_clock::now() + std::chrono::milliseconds(busyTimeout);
      for (int attempt = 1;; ++attempt) {
        try {
          auto mode = conn->query("PRAGMA journal_mode", {});
          if (mode.empty() || mode.values[0].toString() != "wal")
            mode = conn->query("PRAGMA journal_mode=WAL", {});
          if (mode.empty() || mode.values[0].toString() != "wal")
            throw ConnectionError(
                fmt::format("cannot switch to WAL journaling (journal_mode is {})",
                            mode.empty() ? "unknown" : mode.values[0].toString()));
          break;
        } catch (const TimeoutError&) {
          if (std::chrono::steady_clock::now() >= deadline) throw;
          std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempt * 5, 50)));
        }
      }
      conn->execute("PRAGMA synchronous=NORMAL");
    }
    conn->clearStatementCache();
  } catch (const Error& e) {
    throw ConnectionError(
        fmt::format("cannot open SQLite database \"{}\": {}", url.path, e.what()));
  }
  return conn;
}

}  // namespace junction::sqlite
