// The libpq connection: extended protocol through a bounded cache of named
// prepared statements, text results decoded per column type, and SQLSTATE
// mapped to the typed errors of junction/errors.hpp.
#include "dialects/postgres/pg_connection.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>

#include <charconv>
#include <chrono>
#include <cstring>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "dialects/postgres/pg_codec.hpp"
#include "dialects/postgres/pg_errors.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"

namespace junction::postgres {

namespace {

struct ConnDeleter {
  void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Built-in type OIDs (catalog/pg_type.h; fixed since PostgreSQL 7.x, not
// shipped with libpq's client headers).
constexpr Oid kUnknownOid = 0;
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kNameOid = 19;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kOidOid = 26;
constexpr Oid kJsonOid = 114;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kBpcharOid = 1042;
constexpr Oid kVarcharOid = 1043;
constexpr Oid kDateOid = 1082;
constexpr Oid kTimestampOid = 1114;
constexpr Oid kTimestampTzOid = 1184;
constexpr Oid kNumericOid = 1700;
constexpr Oid kUuidOid = 2950;
constexpr Oid kJsonbOid = 3802;

constexpr std::size_t kStatementCacheCapacity = 256;

enum class Decoder : std::uint8_t { Text, Bool, Int, Double, Timestamp, Date, Json, Bytea };

Decoder decoderFor(Oid oid) noexcept {
  switch (oid) {
    case kBoolOid:
      return Decoder::Bool;
    case kInt8Oid:
    case kInt2Oid:
    case kInt4Oid:
    case kOidOid:
      return Decoder::Int;
    case kFloat4Oid:
    case kFloat8Oid:
      return Decoder::Double;
    case kTimestampOid:
    case kTimestampTzOid:
      return Decoder::Timestamp;
    case kDateOid:
      return Decoder::Date;
    case kJsonOid:
    case kJsonbOid:
      return Decoder::Json;
    case kByteaOid:
      return Decoder::Bytea;
    // numeric stays text so DECIMAL is exact, as Sequelize returns it.
    case kNumericOid:
    case kTextOid:
    case kVarcharOid:
    case kBpcharOid:
    case kNameOid:
    case kUuidOid:
    default:
      return Decoder::Text;
  }
}

// Signature characters: the parameter OIDs a statement was prepared with.
constexpr char kSigUnknown = 'u';
constexpr char kSigInt = 'i';
constexpr char kSigDouble = 'd';
constexpr char kSigBool = 'b';
constexpr char kSigBlob = 'x';

std::string_view trimmed(const char* text) noexcept {
  std::string_view s = text ? text : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// libpq's connection messages span lines ("...failed: Connection refused\n\tIs
// the server running..."); messages and logs want one.
std::string oneLine(const char* text) {
  std::string out;
  bool space = false;
  for (char c : trimmed(text)) {
    if (c == '\n' || c == '\t' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty() && out.back() != ' ') out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

using Clock = std::chrono::steady_clock;

std::chrono::nanoseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start);
}

class PgConnection final : public Connection {
 public:
  PgConnection(ConnPtr conn, std::string redactedUrl)
      : conn_(std::move(conn)), redactedUrl_(std::move(redactedUrl)) {}

  const sql::Dialect& dialect() const noexcept override { return postgresDialect(); }

  ResultSet query(std::string_view sql, std::span<const Value> params) override {
    const auto start = Clock::now();
    ResultSet rs;
    try {
      rs = decode(run(sql, params).get());
    } catch (...) {
      notify(sql, params, since(start), true);
      throw;
    }
    notify(sql, params, since(start), false);
    return rs;
  }

  // Decodes each row into one buffer reused across rows. The statement is
  // reported to the observer before rows are handed out, so an exception from
  // the sink is not logged as a failed statement. Scratch is local, so a sink
  // may run other statements on this connection.
  std::int64_t stream(std::string_view sql, std::span<const Value> params, RowSink& sink) override {
    const auto start = Clock::now();
    ResultPtr r;
    try {
      r = run(sql, params);
    } catch (...) {
      notify(sql, params, since(start), true);
      throw;
    }
    notify(sql, params, since(start), false);
    const PGresult* res = r.get();
    const int cols = PQnfields(res);
    const int rows = PQntuples(res);
    std::vector<std::string> names;
    std::vector<Decoder> decoders;
    names.reserve(static_cast<std::size_t>(cols));
    decoders.reserve(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      names.emplace_back(PQfname(res, c));
      decoders.push_back(decoderFor(PQftype(res, c)));
    }
    sink.columns(names);
    sink.expectRows(static_cast<std::size_t>(rows));
    std::vector<Value> row(static_cast<std::size_t>(cols));
    for (int i = 0; i < rows; ++i) {
      for (int c = 0; c < cols; ++c) {
        auto& slot = row[static_cast<std::size_t>(c)];
        if (PQgetisnull(res, i, c)) {
          slot.storage().emplace<std::monostate>();
        } else {
          decodeInto(decoders[static_cast<std::size_t>(c)], PQgetvalue(res, i, c),
                     static_cast<std::size_t>(PQgetlength(res, i, c)), slot);
        }
      }
      sink.row(row);
    }
    return rowsAffected(res);
  }

  void execute(std::string_view script) override {
    const auto start = Clock::now();
    try {
      runScript(script);
    } catch (...) {
      notify(script, {}, since(start), true);
      throw;
    }
    notify(script, {}, since(start), false);
  }

  bool isUsable() noexcept override {
    if (usable_ && PQstatus(conn_.get()) != CONNECTION_OK) usable_ = false;
    if (!usable_) return false;
    // The server's transaction state must match ours, so the pool never
    // hands out a connection inside a transaction nobody tracks (or outside
    // one its holder thinks is open). An aborted transaction at depth > 0
    // is fine: its owner's rollback ends it.
    switch (PQtransactionStatus(conn_.get())) {
      case PQTRANS_IDLE:
        return transactionDepth() == 0;
      case PQTRANS_INTRANS:
      case PQTRANS_INERROR:
        return transactionDepth() > 0;
      case PQTRANS_ACTIVE:  // a command still running between calls
      case PQTRANS_UNKNOWN:
        return false;
    }
    return false;
  }

  std::size_t cachedStatements() const noexcept override { return lru_.size(); }

 protected:
  void beginOutermost(IsolationLevel level) override {
    switch (level) {
      case IsolationLevel::Default:
        execute("BEGIN");
        return;
      case IsolationLevel::ReadUncommitted:
        execute("BEGIN ISOLATION LEVEL READ UNCOMMITTED");
        return;
      case IsolationLevel::ReadCommitted:
        execute("BEGIN ISOLATION LEVEL READ COMMITTED");
        return;
      case IsolationLevel::RepeatableRead:
        execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
        return;
      case IsolationLevel::Serializable:
        execute("BEGIN ISOLATION LEVEL SERIALIZABLE");
        return;
    }
    throw UsageError("unknown isolation level");
  }

 private:
  // Cache entry: key is the SQL text, a NUL, then one signature char per
  // parameter (the OIDs are fixed at prepare time, so they are part of the key).
  struct Statement {
    std::string key;
    std::string name;
  };
  using Lru = std::list<Statement>;  // front: most recently used

  void ensureUsable() {
    if (!usable_)
      throw ConnectionLostError(
          fmt::format("connection to {} is no longer usable (it was lost earlier)", redactedUrl_));
  }

  // Executes through the statement cache; returns the successful result.
  ResultPtr run(std::string_view sql, std::span<const Value> params) {
    ensureUsable();
    key_.assign(sql);
    key_.push_back('\0');
    bind(params);
    const int n = static_cast<int>(params.size());
    for (int attempt = 0;; ++attempt) {
      Lru::iterator st = statementFor(sql, params.size());
      ResultPtr r(PQexecPrepared(conn_.get(), st->name.c_str(), n, values_.data(), lengths_.data(),
                                 formats_.data(), 0));
      const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
      if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK || status == PGRES_EMPTY_QUERY)
        return r;
      if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
        abandonCopy(status);
        throw UsageError(fmt::format("COPY ... STDIN/STDOUT is not supported: {}", sql));
      }
      if (attempt == 0 && isStalePlan(r.get()) && PQstatus(conn_.get()) == CONNECTION_OK &&
          PQtransactionStatus(conn_.get()) == PQTRANS_IDLE) {
        // The statement failed as a whole outside any transaction, so running
        // it again under a fresh plan cannot apply it twice.
        forget(st, sqlState(r.get()) != "26000");
        continue;
      }
      fail(r.get(), sql);
    }
  }

  static std::string_view sqlState(const PGresult* r) noexcept {
    const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    return s ? s : "";
  }

  // 0A000: "cached plan must not change result type" after DDL;
  // 26000: the server no longer knows the name (DISCARD ALL, DEALLOCATE ALL).
  static bool isStalePlan(const PGresult* r) noexcept {
    auto s = sqlState(r);
    return s == "0A000" || s == "26000";
  }

  // Fills oids_/values_/lengths_/formats_ for `params` and appends their
  // signature to key_. Text forms live in arena_; pointers are fixed up last
  // because arena_ may grow.
  void bind(std::span<const Value> params) {
    const std::size_t n = params.size();
    oids_.assign(n, kUnknownOid);
    values_.assign(n, nullptr);
    lengths_.assign(n, 0);
    formats_.assign(n, 0);
    arena_.clear();
    arenaRefs_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      auto toArena = [&](auto&& append) {
        arenaRefs_.emplace_back(i, arena_.size());
        append();
        arena_.push_back('\0');
      };
      char sig = kSigUnknown;
      std::visit(
          [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              // NULL: unknown type, so it never forces a plan of its own.
            } else if constexpr (std::is_same_v<T, bool>) {
              oids_[i] = kBoolOid;
              sig = kSigBool;
              values_[i] = x ? "t" : "f";
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              oids_[i] = kInt8Oid;
              sig = kSigInt;
              toArena([&] {
                char buf[24];
                auto res = std::to_chars(buf, buf + sizeof buf, x);
                arena_.append(buf, res.ptr);
              });
            } else if constexpr (std::is_same_v<T, double>) {
              oids_[i] = kFloat8Oid;
              sig = kSigDouble;
              toArena([&] { appendDouble(arena_, x); });
            } else if constexpr (std::is_same_v<T, std::string>) {
              checkNoNul(x, i);
              values_[i] = x.c_str();
            } else if constexpr (std::is_same_v<T, JsonText>) {
              checkNoNul(x.text, i);
              values_[i] = x.text.c_str();
            } else if constexpr (std::is_same_v<T, Blob>) {
              oids_[i] = kByteaOid;
              sig = kSigBlob;
              formats_[i] = 1;
              lengths_[i] = static_cast<int>(x.size());
              // A null pointer would mean SQL NULL, so an empty blob needs a real address.
              static const char kEmpty = 0;
              values_[i] = x.empty() ? &kEmpty : reinterpret_cast<const char*>(x.data());
            } else if constexpr (std::is_same_v<T, Timestamp>) {
              toArena([&] { arena_ += x.toSql(); });
            } else if constexpr (std::is_same_v<T, Date>) {
              toArena([&] { arena_ += x.toIso(); });
            } else {
              static_assert(sizeof(T) == 0, "unhandled Value alternative");
            }
          },
          params[i].storage());
      key_.push_back(sig);
    }
    for (auto [index, offset] : arenaRefs_) values_[index] = arena_.data() + offset;
  }

  static void checkNoNul(const std::string& s, std::size_t index) {
    if (s.find('\0') != std::string::npos)
      throw UsageError(fmt::format(
          "parameter ${} contains a NUL byte, which PostgreSQL text cannot store (use a Blob)",
          index + 1));
  }

  // The cached statement for key_, preparing (and evicting) on a miss.
  Lru::iterator statementFor(std::string_view sql, std::size_t given) {
    if (auto hit = index_.find(std::string_view(key_)); hit != index_.end()) {
      lru_.splice(lru_.begin(), lru_, hit->second);
      return hit->second;
    }
    if (sql.find('\0') != std::string_view::npos) throw UsageError("SQL text contains a NUL byte");
    // A statement that never got cached was never checked, so the count is
    // checked once per (SQL, signature), before anything reaches the server.
    if (std::size_t expected = countPlaceholders(sql); expected != given)
      throw UsageError(fmt::format("statement expects {} parameter{}, {} given: {}", expected,
                                   expected == 1 ? "" : "s", given, sql));
    flushDeallocations();
    std::string name = fmt::format("j{}", nextStatement_++);
    // key_ holds the SQL followed by a NUL, so its c_str() is the SQL text.
    ResultPtr r(
        PQprepare(conn_.get(), name.c_str(), key_.c_str(), static_cast<int>(given), oids_.data()));
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r.get(), sql);
    lru_.push_front(Statement{key_, std::move(name)});
    index_.emplace(std::string_view(lru_.front().key), lru_.begin());
    if (lru_.size() > kStatementCacheCapacity) forget(std::prev(lru_.end()), true);
    return lru_.begin();
  }

  // Drops a statement from the cache; `deallocate` also frees it on the server.
  void forget(Lru::iterator it, bool deallocate) {
    if (deallocate) pendingDeallocate_.push_back(std::move(it->name));
    index_.erase(std::string_view(it->key));
    lru_.erase(it);
    flushDeallocations();
  }

  // DEALLOCATE only outside transactions: a failing DEALLOCATE inside one
  // would abort the caller's transaction. Prepared statements are not
  // transactional, so deferring loses nothing. Failures are ignored: the
  // server frees everything when the session ends anyway.
  void flushDeallocations() noexcept {
    if (pendingDeallocate_.empty() || PQstatus(conn_.get()) != CONNECTION_OK ||
        PQtransactionStatus(conn_.get()) != PQTRANS_IDLE)
      return;
    // One statement each: in a multi-statement script the first failure
    // (a name the server already dropped) would skip the rest.
    for (const auto& name : pendingDeallocate_) {
      char sql[48];
      auto res = fmt::format_to_n(sql, sizeof sql - 1, "DEALLOCATE {}", name);
      *res.out = '\0';
      ResultPtr r(PQexec(conn_.get(), sql));
    }
    pendingDeallocate_.clear();
  }

  void runScript(std::string_view script) {
    ensureUsable();
    std::string text(script);
    if (text.find('\0') != std::string::npos) throw UsageError("SQL script contains a NUL byte");
    ResultPtr r(PQexec(conn_.get(), text.c_str()));
    const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    switch (status) {
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
      case PGRES_EMPTY_QUERY:
        return;
      case PGRES_COPY_IN:
      case PGRES_COPY_OUT:
      case PGRES_COPY_BOTH:
        abandonCopy(status);
        throw UsageError(fmt::format("COPY ... STDIN/STDOUT is not supported: {}", script));
      default:
        fail(r.get(), script);
    }
  }

  // Leaves COPY mode so the connection stays usable.
  void abandonCopy(ExecStatusType status) noexcept {
    PGconn* c = conn_.get();
    if (status == PGRES_COPY_IN) {
      PQputCopyEnd(c, "COPY FROM STDIN is not supported by junction");
    } else {
      char* buf = nullptr;
      while (PQgetCopyData(c, &buf, 0) > 0) PQfreemem(buf);
    }
    while (PGresult* r = PQgetResult(c)) PQclear(r);
  }

  ResultSet decode(const PGresult* r) {
    ResultSet rs;
    const int cols = PQnfields(r);
    const int rows = PQntuples(r);
    rs.columns.reserve(static_cast<std::size_t>(cols));
    decoders_.resize(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      rs.columns.emplace_back(PQfname(r, c));
      decoders_[static_cast<std::size_t>(c)] = decoderFor(PQftype(r, c));
    }
    rs.values.reserve(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (int row = 0; row < rows; ++row) {
      for (int c = 0; c < cols; ++c) {
        if (PQgetisnull(r, row, c)) {
          rs.values.emplace_back();
          continue;
        }
        const char* v = PQgetvalue(r, row, c);
        const auto len = static_cast<std::size_t>(PQgetlength(r, row, c));
        decodeInto(decoders_[static_cast<std::size_t>(c)], v, len, rs.values.emplace_back());
      }
    }
    rs.rowsAffected = rowsAffected(r);
    return rs;
  }

  static std::int64_t rowsAffected(const PGresult* r) noexcept {
    // A SELECT's tag counts rows read, not changed.
    const char* tag = PQcmdStatus(const_cast<PGresult*>(r));
    if (std::strncmp(tag, "SELECT", 6) == 0) return 0;
    std::string_view count = PQcmdTuples(const_cast<PGresult*>(r));
    std::int64_t n = 0;
    std::from_chars(count.data(), count.data() + count.size(), n);
    return n;
  }

  // Decodes one non-NULL field into `slot`, constructing the value in place
  // (no temporary Value): stream() refills one row buffer this way.
  static void decodeInto(Decoder d, const char* v, std::size_t len, Value& slot) {
    Value::Storage& out = slot.storage();
    switch (d) {
      case Decoder::Text:
        break;
      case Decoder::Bool:
        out.emplace<bool>(v[0] == 't');
        return;
      case Decoder::Int: {
        std::int64_t i = 0;
        auto res = std::from_chars(v, v + len, i);
        if (res.ec == std::errc() && res.ptr == v + len) {
          out.emplace<std::int64_t>(i);
          return;
        }
        break;
      }
      case Decoder::Double: {
        double x = 0;
        auto res = std::from_chars(v, v + len, x);
        if (res.ec == std::errc() && res.ptr == v + len) {
          out.emplace<double>(x);
          return;
        }
        break;
      }
      case Decoder::Timestamp:
        // 'infinity' and years beyond 9999 or BC have no Timestamp: keep the text.
        if (auto t = parseTimestamp(std::string_view(v, len))) {
          out.emplace<Timestamp>(*t);
          return;
        }
        break;
      case Decoder::Date:
        if (auto dt = Date::tryParse(std::string_view(v, len))) {
          out.emplace<Date>(*dt);
          return;
        }
        break;
      case Decoder::Json:
        out.emplace<JsonText>(JsonText{std::string(v, len)});
        return;
      case Decoder::Bytea: {
        if (auto b = decodeByteaHex(std::string_view(v, len))) {
          out.emplace<Blob>(std::move(*b));
          return;
        }
        // bytea_output = escape (set by the user): libpq understands both forms.
        std::size_t n = 0;
        unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &n);
        if (!raw) throw std::bad_alloc();
        Blob b(raw, raw + n);
        PQfreemem(raw);
        out.emplace<Blob>(std::move(b));
        return;
      }
    }
    // stream() refills one row buffer: a text column the sink left in place
    // (a joined parent's, repeated on every row) keeps its allocation.
    if (auto* text = std::get_if<std::string>(&out))
      text->assign(v, len);
    else
      out.emplace<std::string>(v, len);
  }

  // Throws the typed error for a failed result (r may be null: libpq then
  // has the reason on the connection).
  [[noreturn]] void fail(const PGresult* r, std::string_view sql) {
    auto field = [r](int code) -> std::string_view {
      const char* v = r ? PQresultErrorField(r, code) : nullptr;
      return v ? v : "";
    };
    const std::string_view state = field(PG_DIAG_SQLSTATE);
    std::string message(field(PG_DIAG_MESSAGE_PRIMARY));
    if (message.empty() && r) message = oneLine(PQresultErrorMessage(r));
    if (message.empty()) message = oneLine(PQerrorMessage(conn_.get()));
    if (message.empty()) message = "unknown error";
    if (PQstatus(conn_.get()) == CONNECTION_BAD || sessionLost(state)) {
      usable_ = false;
      throw ConnectionLostError(fmt::format("connection to {} lost: {}", redactedUrl_, message));
    }
    throwError({.sqlState = state,
                .message = message,
                .detail = field(PG_DIAG_MESSAGE_DETAIL),
                .constraint = field(PG_DIAG_CONSTRAINT_NAME),
                .table = field(PG_DIAG_TABLE_NAME)},
               sql);
  }

  ConnPtr conn_;
  std::string redactedUrl_;
  bool usable_ = true;
  std::uint64_t nextStatement_ = 1;
  Lru lru_;
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views into lru_ keys
  std::vector<std::string> pendingDeallocate_;

  // Scratch reused by every query, so a cache hit allocates nothing for binding.
  std::string key_;
  std::string arena_;
  std::vector<std::pair<std::size_t, std::size_t>> arenaRefs_;  // (param, arena offset)
  std::vector<Oid> oids_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<Decoder> decoders_;
};

void discardNotice(void*, const char*) {}

std::string quotedIdentifier(std::string_view ident) {
  std::string out = "\"";
  for (char c : ident) {
    out.push_back(c);
    if (c == '"') out.push_back('"');
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::unique_ptr<Connection> open(const ConnectionUrl& url) {
  const std::string redacted = url.redacted();
  std::vector<std::pair<std::string, std::string>> options;
  auto set = [&](std::string_view key, std::string value) {
    for (auto& [k, v] : options) {
      if (k == key) {
        v = std::move(value);
        return;
      }
    }
    options.emplace_back(std::string(key), std::move(value));
  };
  if (!url.host.empty()) set("host", url.host);
  if (url.port != 0) set("port", std::to_string(url.port));
  if (!url.user.empty()) set("user", url.user);
  if (!url.password.empty()) set("password", url.password);
  if (!url.database.empty()) set("dbname", url.database);
  set("application_name", "junction");
  set("connect_timeout", "10");
  for (const auto& [k, v] : url.params) {
    if (k != "schema") set(k, v);
  }
  // Every decoder assumes UTF-8, so the URL cannot override it.
  set("client_encoding", "UTF8");

  std::vector<const char*> keys, values;
  for (const auto& [k, v] : options) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);

  ConnPtr conn(PQconnectdbParams(keys.data(), values.data(), 0));
  if (!conn) throw ConnectionError(fmt::format("cannot connect to {}: out of memory", redacted));
  if (PQstatus(conn.get()) != CONNECTION_OK)
    throw ConnectionError(
        fmt::format("cannot connect to {}: {}", redacted, oneLine(PQerrorMessage(conn.get()))));
  PQsetNoticeProcessor(conn.get(), discardNotice, nullptr);

  // Decoding relies on these output formats, whatever the server's defaults.
  std::string setup =
      "SET TIME ZONE 'UTC'; SET datestyle TO ISO; SET extra_float_digits TO 3; "
      "SET bytea_output TO hex";
  if (auto schema = url.params.find("schema"); schema != url.params.end()) {
    if (schema->second.empty() || schema->second.find('\0') != std::string::npos)
      throw InvalidUrlError(fmt::format("{}: schema must be a non-empty name", redacted));
    setup += "; SET search_path TO " + quotedIdentifier(schema->second);
  }
  ResultPtr r(PQexec(conn.get(), setup.c_str()));
  if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
    throw ConnectionError(fmt::format("cannot set up the session on {}: {}", redacted,
                                      oneLine(PQerrorMessage(conn.get()))));
  return std::make_unique<PgConnection>(std::move(conn), redacted);
}

}  // namespace junction::postgres
