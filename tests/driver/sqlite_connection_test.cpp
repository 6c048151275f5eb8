// SQLite specifics that need no server: open options, pragmas, coercion by
// declared type, the statement cache's limit.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "driver_test_util.hpp"
#include "junction/dialects.hpp"
#include "junction/errors.hpp"

namespace junction::test {
namespace {

namespace fs = std::filesystem;

class TempDb {
 public:
  TempDb() {
    std::random_device rd;
    path_ = (fs::temp_directory_path() /
             ("junction-sqlite-unit-" + std::to_string(rd()) + std::to_string(rd()) + ".db"))
                .string();
  }
  ~TempDb() {
    std::error_code ec;
    for (const char* ext : {"", "-wal", "-shm", "-journal"}) fs::remove(path_ + ext, ec);
  }
  const std::string& path() const { return path_; }
  std::string url() const { return "sqlite://" + path_; }

 private:
  std::string path_;
};

TEST(driverSqlite, FilesUseWalForeignKeysAndCaseSensitiveLike) {
  TempDb db;
  auto c = openConnection(db.url());
  EXPECT_EQ(c->dialect().name(), "sqlite");
  EXPECT_EQ(c->query("PRAGMA journal_mode").at(0, 0), Value("wal"));
  EXPECT_EQ(c->query("PRAGMA foreign_keys").at(0, 0), Value(1));
  EXPECT_EQ(c->query("PRAGMA synchronous").at(0, 0), Value(1)) << "NORMAL";
  EXPECT_EQ(c->query("SELECT 'A' LIKE 'a'").at(0, 0), Value(0));
  EXPECT_EQ(c->query("PRAGMA busy_timeout").at(0, 0), Value(5000));
}

TEST(driverSqlite, BusyTimeoutComesFromTheUrl) {
  TempDb db;
  auto c = openConnection(db.url() + "?busy_timeout=250");
  EXPECT_EQ(c->query("PRAGMA busy_timeout").at(0, 0), Value(250));
  expectThrow<InvalidUrlError>([&] { openConnection(db.url() + "?busy_timeout=soon"); },
                               {"busy_timeout", "soon"});
  expectThrow<InvalidUrlError>([&] { openConnection(db.url() + "?cache=shared"); }, {"cache"});
}

TEST(driverSqlite, MemoryDatabasesArePrivate) {
  auto a = openConnection("sqlite::memory:");
  auto b = openConnection("sqlite::memory:");
  a->execute("CREATE TABLE t (x INTEGER)");
  EXPECT_THROW(b->query("SELECT * FROM t"), DatabaseError);
  EXPECT_EQ(a->query("PRAGMA foreign_keys").at(0, 0), Value(1));
}

TEST(driverSqlite, OpenFailuresNameThePath) {
  auto e = expectThrow<ConnectionError>(
      [] { openConnection("sqlite:///nonexistent-junction-dir/sub/x.db"); },
      {"/nonexistent-junction-dir/sub/x.db"});
  TempDb notADb;
  {
    std::ofstream f(notADb.path());
    f << std::string(4096, 'z');
  }
  expectThrow<ConnectionError>([&] { openConnection(notADb.url()); }, {notADb.path()});
}

TEST(driverSqlite, UnparsableTypedValuesStayAsStored) {
  auto c = openConnection("sqlite::memory:");
  c->execute(
      "CREATE TABLE t (ts DATETIME, d DATE, b BOOLEAN, j JSON);"
      "INSERT INTO t VALUES ('not a time', 'someday', 7, '{\"a\":1}');"
      "INSERT INTO t VALUES ('2024-05-06 07:08:09.5+02:00', '2024-05-06', 0, '[]')");
  auto rs = c->query("SELECT ts, d, b, j FROM t ORDER BY rowid");
  EXPECT_EQ(rs.at(0, "ts"), Value("not a time"));
  EXPECT_EQ(rs.at(0, "d"), Value("someday"));
  EXPECT_EQ(rs.at(0, "b"), Value(7));
  EXPECT_EQ(rs.at(0, "j"), Value(JsonText{"{\"a\":1}"}));
  EXPECT_EQ(rs.at(1, "ts"), Value(Timestamp::parse("2024-05-06T05:08:09.5Z")));
  EXPECT_EQ(rs.at(1, "d"), Value(Date::parse("2024-05-06")));
  EXPECT_EQ(rs.at(1, "b"), Value(false));
  // Expressions have no declared type: no coercion.
  EXPECT_EQ(c->query("SELECT b + 0 AS n FROM t ORDER BY rowid").at(1, 0), Value(0));
}

TEST(driverSqlite, TimestampsAreStoredAsSortableText) {
  auto c = openConnection("sqlite::memory:");
  c->execute("CREATE TABLE t (ts DATETIME)");
  std::vector<Value> p{Value(Timestamp::parse("2024-01-02T03:04:05.678Z"))};
  c->query("INSERT INTO t VALUES (?)", p);
  EXPECT_EQ(c->query("SELECT CAST(ts AS TEXT) FROM t").at(0, 0),
            Value("2024-01-02 03:04:05.678000+00:00"));
}

TEST(driverSqlite, StatementCacheEvictsAtCapacity) {
  auto c = openConnection("sqlite::memory:");
  EXPECT_EQ(c->cachedStatements(), 0u);
  for (int i = 0; i < 300; ++i) c->query("SELECT " + std::to_string(i));
  EXPECT_EQ(c->cachedStatements(), 256u);
  EXPECT_EQ(c->query("SELECT 0").at(0, 0), Value(0));  // evicted, prepared again
  EXPECT_EQ(c->cachedStatements(), 256u);
}

TEST(driverSqlite, QueryRunsExactlyOneStatement) {
  auto c = openConnection("sqlite::memory:");
  c->execute("CREATE TABLE t (x INTEGER)");
  expectThrow<UsageError>([&] { c->query("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)"); },
                          {"execute()"});
  EXPECT_EQ(c->query("SELECT COUNT(*) FROM t").at(0, 0), Value(0));
  EXPECT_EQ(c->query("SELECT 1; -- comment").at(0, 0), Value(1));
  EXPECT_THROW(c->query("   "), UsageError);
}

TEST(driverSqlite, AbandonedReadDoesNotHoldLocks) {
  // A failed or partially consumed statement must be reset, or it would
  // keep a read transaction open and block checkpoints and DROP TABLE.
  TempDb db;
  auto c = openConnection(db.url());
  c->execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  EXPECT_THROW(c->query("SELECT x, 1 / (x - 2) + abs(-9223372036854775807 - x) FROM t"),
               DatabaseError);
  c->execute("DROP TABLE t");
  EXPECT_TRUE(c->isUsable());
}

TEST(driverSqlite, StreamStepErrorAfterSomeRowsIsTypedAndResetsTheStatement) {
  // SQLite computes rows as they are stepped, so an error can come after the
  // sink has seen rows: abs() overflows on the second row here.
  TempDb db;
  auto c = openConnection(db.url());
  c->execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  std::vector<bool> failed;
  QueryObserver observer = [&](const QueryEvent& e) { failed.push_back(e.failed); };
  c->setObserver(&observer);
  struct Counting : RowSink {
    int rows = 0;
    void row(std::span<Value>) override { ++rows; }
  } sink;
  // No ORDER BY: a sort would compute every row before the first is returned.
  const std::string sql = "SELECT abs(-9223372036854775806 - x) FROM t";
  expectThrow<DatabaseError>([&] { c->stream(sql, {}, sink); }, {"integer overflow", "abs("});
  EXPECT_EQ(sink.rows, 1);
  EXPECT_EQ(failed, std::vector<bool>{true});
  c->setObserver(nullptr);
  // Reset, not left mid-step holding a read lock on t.
  c->execute("DROP TABLE t");
  EXPECT_TRUE(c->isUsable());
}

TEST(driverSqlite, BusyWriterTimesOutWithTimeoutError) {
  TempDb db;
  auto a = openConnection(db.url());
  auto b = openConnection(db.url() + "?busy_timeout=50");
  a->execute("CREATE TABLE t (x INTEGER)");
  a->begin();
  auto start = std::chrono::steady_clock::now();
  expectThrow<TimeoutError>([&] { b->begin(); }, {"BEGIN IMMEDIATE"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_EQ(b->transactionDepth(), 0);
  a->commit();
  b->begin();
  b->commit();
}

// Opening switches the file to WAL, which needs an exclusive lock; while
// another connection holds a shared lock on a database still in rollback
// mode, SQLite answers SQLITE_BUSY at once without calling the busy handler.
// Eight processes opening a new database together met exactly that (a CI
// run of migrateConcurrency). The open now retries within busy_timeout.
TEST(driverSqlite, OpeningWaitsForTheWalSwitchWithinTheBusyTimeout) {
  TempDb db;
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t (x INTEGER); BEGIN; SELECT * FROM t;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);  // a shared lock, in rollback-journal mode
  std::thread release([raw] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  });
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Connection> c;
  EXPECT_NO_THROW(c = openConnection(db.url() + "?busy_timeout=5000"));
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  release.join();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->query("PRAGMA journal_mode", {}).values[0].toString(), "wal");
  sqlite3_close(raw);
  // Held past the timeout: a clear error, not a hang.
  TempDb other;
  ASSERT_EQ(sqlite3_open(other.path().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t (x INTEGER); BEGIN; SELECT * FROM t;", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  EXPECT_THROW(openConnection(other.url() + "?busy_timeout=100"), Error);
  sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(raw);
}

TEST(driverSqlite, UntrackedTransactionMakesTheConnectionUnusable) {
  auto c = openConnection("sqlite::memory:");
  EXPECT_TRUE(c->isUsable());
  c->execute("BEGIN");  // behind the depth counter's back
  EXPECT_FALSE(c->isUsable());
  c->execute("ROLLBACK");
  EXPECT_TRUE(c->isUsable());
}

TEST(driverSqlite, UniqueOnSeveralColumnsListsThemAll) {
  auto c = openConnection("sqlite::memory:");
  c->execute(
      "CREATE TABLE m (a INTEGER, b INTEGER, UNIQUE (a, b));"
      "CREATE TABLE n (s TEXT);"
      "CREATE UNIQUE INDEX lower_name ON n (lower(s));"
      "INSERT INTO m VALUES (1, 2);"
      "INSERT INTO n VALUES ('Ada')");
  auto e = expectThrow<UniqueConstraintError>([&] { c->execute("INSERT INTO m VALUES (1, 2)"); });
  EXPECT_EQ(e.fields(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(e.table(), "m");
  auto byIndex =
      expectThrow<UniqueConstraintError>([&] { c->execute("INSERT INTO n VALUES ('ADA')"); });
  EXPECT_EQ(byIndex.constraint(), "lower_name");
  EXPECT_TRUE(byIndex.fields().empty());
}

}  // namespace
}  // namespace junction::test
