// The migrator on each engine: the seed's migrations applied and undone one
// by one from both sources, every operation, failure atomicity, checksums,
// missing and irreversible migrations, dry runs and progress.
#include "junction/migrate/migrator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <set>
#include <string>
#include <thread>

#include "junction/data_types.hpp"
#include "junction/errors.hpp"
#include "junction/migrate/query_interface.hpp"
#include "junction/migrate/source.hpp"
#include "support.hpp"
#include "support/engine.hpp"

namespace junction::migrate::test {
namespace {

namespace fs = std::filesystem;
using namespace junction::DataTypes;
using junction::test::databaseUrl;

std::vector<std::string> names(const std::vector<AppliedMigration>& applied) {
  std::vector<std::string> out;
  for (const auto& a : applied) out.push_back(a.name);
  return out;
}

std::vector<std::string> seedPrefix(int n) {
  return {kSeedNames.begin(), kSeedNames.begin() + n};
}

// A copy of this engine's seed SQL files that a test may edit.
fs::path seedSqlCopy() {
  fs::path dir = scratchDir("sql");
  for (const auto& e : fs::directory_iterator(seedSqlDir()))
    fs::copy_file(e.path(), dir / e.path().filename());
  return dir;
}

void stepThroughSeed(const std::vector<Migration>& migrations) {
  Migrator migrator(databaseUrl(), migrations);
  auto conn = connectTest();
  EXPECT_TRUE(QueryInterface(*conn).showAllTables().empty());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(migrator.up({.step = 1}), std::vector<std::string>{kSeedNames[i]});
    expectSeedSchema(*conn, i + 1);
    EXPECT_EQ(names(migrator.executed()), seedPrefix(i + 1));
  }
  EXPECT_TRUE(migrator.up().empty());
  for (int i = 3; i >= 0; --i) {
    EXPECT_EQ(migrator.down(), std::vector<std::string>{kSeedNames[i]});
    expectSeedSchema(*conn, i);
    EXPECT_EQ(names(migrator.executed()), seedPrefix(i));
  }
  EXPECT_TRUE(migrator.down().empty());
  // And all the way again in one run each way.
  EXPECT_EQ(migrator.up(), kSeedNames);
  expectSeedSchema(*conn, 4);
  EXPECT_EQ(migrator.down({.all = true}),
            std::vector<std::string>(kSeedNames.rbegin(), kSeedNames.rend()));
  expectSeedSchema(*conn, 0);
}

TEST(migrateSeed, CppMigrationsStepUpAndDownWithTheSchemaCheckedEachStep) {
  stepThroughSeed(seedRegistry().migrations());
}

TEST(migrateSeed, SqlFileMigrationsStepUpAndDownWithTheSchemaCheckedEachStep) {
  auto migrations = sqlDirectoryMigrations(seedSqlDir());
  ASSERT_EQ(migrations.size(), 4u);
  stepThroughSeed(migrations);
}

TEST(migrateSeed, SqlAndCppSourcesMixAndARowsSurviveLaterMigrations) {
  // 00-01 from SQL files, 02-03 compiled in: one ordered list.
  auto sql = sqlDirectoryMigrations(seedSqlDir());
  sql.resize(2);
  auto cpp = seedRegistry().migrations();
  std::vector<Migration> tail(cpp.begin() + 2, cpp.end());
  Migrator migrator(databaseUrl(), mergeMigrations({sql, tail}));
  EXPECT_EQ(migrator.up({.to = kSeedNames[1]}), seedPrefix(2));
  auto conn = connectTest();
  conn->execute("INSERT INTO users (username, name) VALUES ('mluukkai', 'Matti')");
  EXPECT_EQ(migrator.up(), (std::vector<std::string>{kSeedNames[2], kSeedNames[3]}));
  expectSeedSchema(*conn, 4);
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM users").at(0, 0).as<int>(), 1);
  auto applied = migrator.executed();
  ASSERT_EQ(applied.size(), 4u);
  EXPECT_EQ(applied[0].checksum, sha256Hex(readFile(seedSqlDir() / (kSeedNames[0] + ".up.sql"))));
  EXPECT_FALSE(applied[3].checksum.has_value());
}

TEST(migrateOps, UpToStepDownToStepAllAndTheirQueries) {
  Migrator migrator(databaseUrl(), seedRegistry().migrations());
  EXPECT_EQ(migrator.pending(), kSeedNames);
  EXPECT_TRUE(migrator.executed().empty());

  EXPECT_EQ(migrator.up({.to = kSeedNames[1]}), seedPrefix(2));
  EXPECT_EQ(migrator.pending(), (std::vector<std::string>{kSeedNames[2], kSeedNames[3]}));
  auto status = migrator.status();
  ASSERT_EQ(status.size(), 4u);
  EXPECT_EQ(status[0].state, MigrationStatus::State::Applied);
  EXPECT_TRUE(status[0].appliedAt.has_value());
  EXPECT_EQ(status[2].state, MigrationStatus::State::Pending);
  EXPECT_FALSE(status[2].appliedAt.has_value());
  auto now = Timestamp::now();
  for (const auto& a : migrator.executed()) {
    EXPECT_LE(a.appliedAt, now);
    EXPECT_GT(a.appliedAt.millis(), now.millis() - 60'000);
  }

  EXPECT_EQ(migrator.up({.step = 1}), std::vector<std::string>{kSeedNames[2]});
  EXPECT_EQ(migrator.up({.step = 5}), std::vector<std::string>{kSeedNames[3]});
  EXPECT_TRUE(migrator.pending().empty());

  // Down to a name: everything after it and it, newest first.
  EXPECT_EQ(migrator.down({.to = kSeedNames[1]}),
            (std::vector<std::string>{kSeedNames[3], kSeedNames[2], kSeedNames[1]}));
  EXPECT_EQ(names(migrator.executed()), seedPrefix(1));
  auto conn = connectTest();
  expectSeedSchema(*conn, 1);

  migrator.up();
  EXPECT_EQ(migrator.down({.step = 2}), (std::vector<std::string>{kSeedNames[3], kSeedNames[2]}));
  expectSeedSchema(*conn, 2);
  EXPECT_EQ(migrator.down({.all = true}), (std::vector<std::string>{kSeedNames[1], kSeedNames[0]}));
  EXPECT_TRUE(migrator.executed().empty());
  EXPECT_EQ(migrator.pending(), kSeedNames);
}

TEST(migrateOps, UndoByNameRevertsExactlyThatMigration) {
  Migrator migrator(databaseUrl(), seedRegistry().migrations());
  migrator.up();
  EXPECT_EQ(migrator.down({.name = kSeedNames[3]}), std::vector<std::string>{kSeedNames[3]});
  EXPECT_EQ(names(migrator.executed()), seedPrefix(3));
}

TEST(migrateOps, WrongArgumentsAreUsageErrorsAndChangeNothing) {
  Migrator migrator(databaseUrl(), seedRegistry().migrations());
  EXPECT_THROW(migrator.up({.to = "20990101_nope"}), UsageError);
  EXPECT_THROW(migrator.up({.step = 0}), UsageError);
  EXPECT_THROW(migrator.down({.to = kSeedNames[0]}), UsageError);  // not applied
  EXPECT_THROW(migrator.down({.name = kSeedNames[0]}), UsageError);
  EXPECT_THROW(migrator.down({.step = 1, .name = kSeedNames[0]}), UsageError);
  EXPECT_EQ(migrator.pending(), kSeedNames);

  MigrationRegistry r;
  r.add("a", [](QueryInterface&) {});
  EXPECT_THROW(r.add("a", [](QueryInterface&) {}), UsageError);
  EXPECT_THROW(r.add("", [](QueryInterface&) {}), UsageError);
  EXPECT_THROW(mergeMigrations({seedRegistry().migrations(), sqlDirectoryMigrations(seedSqlDir())}),
               UsageError);
}

TEST(migrateOps, RegistryOrdersByNameBytesNotInsertionOrder) {
  MigrationRegistry r;
  auto noop = [](QueryInterface&) {};
  r.add("20211209_10_b", noop).add("20211209_02_a", noop).add("20211209_1_c", noop);
  std::vector<std::string> order;
  for (const auto& m : r.migrations()) order.push_back(m.name);
  EXPECT_EQ(order, (std::vector<std::string>{"20211209_02_a", "20211209_10_b", "20211209_1_c"}));
  EXPECT_TRUE(r.contains("20211209_10_b"));
  EXPECT_FALSE(r.contains("20211209_10"));
}

TEST(migrateOps, ConfigurableStorageTable) {
  Migrator migrator(databaseUrl(), seedRegistry().migrations(), {.table = "SequelizeMeta"});
  migrator.up();
  auto conn = connectTest();
  expectSeedSchema(*conn, 4, "SequelizeMeta");
  EXPECT_EQ(countWhereName(*conn, "SequelizeMeta", kSeedNames[2]), 1);
}

TEST(migrateOps, ProgressReportsEachMigrationWithDirectionAndTime) {
  std::vector<std::pair<std::string, Direction>> seen;
  Migrator migrator(databaseUrl(), seedRegistry().migrations(),
                    {.onProgress = [&](const MigrationProgress& p) {
                      EXPECT_GE(p.elapsed.count(), 0);
                      seen.emplace_back(std::string(p.name), p.direction);
                    }});
  migrator.up({.step = 2});
  migrator.down();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_pair(kSeedNames[0], Direction::Up));
  EXPECT_EQ(seen[1], std::make_pair(kSeedNames[1], Direction::Up));
  EXPECT_EQ(seen[2], std::make_pair(kSeedNames[1], Direction::Down));
}

// ---- failure atomicity ----

MigrationRegistry failingRegistry() {
  auto r = seedRegistry();
  r.add(
      "20211209_04_fails_halfway",
      [](QueryInterface& queryInterface) {
        queryInterface.createTable("half_done", {{"id", INTEGER.primaryKey()}});
        queryInterface.addColumn("users", "nickname", STRING);
        queryInterface.bulkInsert("users", {{{"username", Value("u")}, {"name", Value("n")}}});
        queryInterface.query("INSERT INTO no_such_table (x) VALUES (1)");
      },
      [](QueryInterface& queryInterface) { queryInterface.dropTable("half_done"); });
  r.add("20211209_05_after", [](QueryInterface& queryInterface) {
    queryInterface.createTable("after_failure", {{"id", INTEGER.primaryKey()}});
  });
  return r;
}

TEST(migrateFailure, AMigrationFailingHalfwayChangesNothingAndLaterOnesDoNotRun) {
  Migrator migrator(databaseUrl(), failingRegistry().migrations());
  migrator.up({.step = 2});
  auto conn = connectTest();
  auto before = names(migrator.executed());
  try {
    migrator.up();
    FAIL() << "expected MigrationError";
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.migration(), "20211209_04_fails_halfway");
    EXPECT_EQ(e.direction(), Direction::Up);
    EXPECT_NE(e.cause().find("no_such_table"), std::string::npos) << e.cause();
    EXPECT_NE(std::string(e.what()).find("Migration 20211209_04_fails_halfway failed (up)"),
              std::string::npos)
        << e.what();
  }
  // 02 and 03 of the same run stay applied: each had its own transaction.
  EXPECT_EQ(names(migrator.executed()), kSeedNames);
  expectSeedSchema(*conn, 4);  // no half_done, no users.nickname, no after_failure
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM users").at(0, 0).as<int>(), 0);
  EXPECT_EQ(migrator.pending(),
            (std::vector<std::string>{"20211209_04_fails_halfway", "20211209_05_after"}));
  (void)before;
}

TEST(migrateFailure, AFailingDownLeavesTheMigrationAppliedAndItsSchema) {
  auto r = seedRegistry();
  r.add(
      "20211209_04_bad_down",
      [](QueryInterface& queryInterface) {
        queryInterface.createTable("kept", {{"id", INTEGER.primaryKey()}});
      },
      [](QueryInterface& queryInterface) {
        queryInterface.dropTable("kept");
        throw std::runtime_error("down refuses");
      });
  Migrator migrator(databaseUrl(), r.migrations());
  migrator.up();
  try {
    migrator.down();
    FAIL() << "expected MigrationError";
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.migration(), "20211209_04_bad_down");
    EXPECT_EQ(e.direction(), Direction::Down);
    EXPECT_EQ(e.cause(), "down refuses");
  }
  auto conn = connectTest();
  QueryInterface qi(*conn);
  auto tables = qi.showAllTables();
  EXPECT_NE(std::find(tables.begin(), tables.end(), "kept"), tables.end());
  EXPECT_EQ(countWhereName(*conn, "migrations", "20211209_04_bad_down"), 1);
}

TEST(migrateFailure, ASqlFileMigrationFailingHalfwayChangesNothing) {
  fs::path dir = seedSqlCopy();
  writeFile(dir / "20211209_04_bad.up.sql",
            "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n"
            "INSERT INTO half_done (id) VALUES (1);\n"
            "INSERT INTO half_done (id) VALUES (1);\n");
  Migrator migrator(databaseUrl(), sqlDirectoryMigrations(dir));
  EXPECT_THROW(migrator.up(), MigrationError);
  auto conn = connectTest();
  expectSeedSchema(*conn, 4);
  EXPECT_EQ(names(migrator.executed()), kSeedNames);
}

// ---- changed, missing, irreversible ----

TEST(migrateIntegrity, AChangedSqlFileIsReportedAndRefusedUnlessForced) {
  fs::path dir = seedSqlCopy();
  {
    Migrator migrator(databaseUrl(), sqlDirectoryMigrations(dir));
    migrator.up({.to = kSeedNames[1]});
  }
  writeFile(dir / (kSeedNames[1] + ".up.sql"),
            readFile(dir / (kSeedNames[1] + ".up.sql")) + "-- edited after it ran\n");
  Migrator migrator(databaseUrl(), sqlDirectoryMigrations(dir));
  auto status = migrator.status();
  ASSERT_EQ(status.size(), 4u);
  EXPECT_EQ(status[0].state, MigrationStatus::State::Applied);
  EXPECT_EQ(status[1].state, MigrationStatus::State::Changed);
  EXPECT_EQ(status[2].state, MigrationStatus::State::Pending);
  try {
    migrator.up();
    FAIL() << "expected MigrationError";
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.migration(), kSeedNames[1]);
    EXPECT_NE(e.cause().find("changed"), std::string::npos) << e.cause();
  }
  EXPECT_EQ(names(migrator.executed()), seedPrefix(2));

  Migrator forced(databaseUrl(), sqlDirectoryMigrations(dir), {.force = true});
  EXPECT_EQ(forced.up(), (std::vector<std::string>{kSeedNames[2], kSeedNames[3]}));
}

TEST(migrateIntegrity, AMissingAppliedMigrationIsReportedAndRefusedUnlessForced) {
  fs::path dir = seedSqlCopy();
  {
    Migrator migrator(databaseUrl(), sqlDirectoryMigrations(dir));
    migrator.up({.to = kSeedNames[2]});
  }
  fs::remove(dir / (kSeedNames[2] + ".up.sql"));
  fs::remove(dir / (kSeedNames[2] + ".down.sql"));
  Migrator migrator(databaseUrl(), sqlDirectoryMigrations(dir));
  auto status = migrator.status();
  ASSERT_EQ(status.size(), 4u);
  EXPECT_EQ(status[2].name, kSeedNames[2]);
  EXPECT_EQ(status[2].state, MigrationStatus::State::Missing);
  EXPECT_TRUE(status[2].appliedAt.has_value());
  EXPECT_EQ(status[3].state, MigrationStatus::State::Pending);
  try {
    migrator.up();
    FAIL() << "expected MigrationError";
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.migration(), kSeedNames[2]);
    EXPECT_NE(e.cause().find("missing"), std::string::npos) << e.cause();
  }
  // It cannot be undone either: there is no down to run.
  EXPECT_THROW(migrator.down(), MigrationError);
  Migrator forced(databaseUrl(), sqlDirectoryMigrations(dir), {.force = true});
  EXPECT_EQ(forced.up(), std::vector<std::string>{kSeedNames[3]});
}

TEST(migrateIntegrity, AMissingDownFileMakesTheMigrationIrreversible) {
  fs::path dir = seedSqlCopy();
  fs::remove(dir / (kSeedNames[2] + ".down.sql"));
  Migrator migrator(databaseUrl(), sqlDirectoryMigrations(dir));
  migrator.up();
  try {
    migrator.down({.all = true});
    FAIL() << "expected MigrationError";
  } catch (const MigrationError& e) {
    EXPECT_EQ(e.migration(), kSeedNames[2]);
    EXPECT_EQ(e.direction(), Direction::Down);
    EXPECT_NE(e.cause().find("irreversible"), std::string::npos) << e.cause();
  }
  // Refused before anything ran: 03 is still applied.
  EXPECT_EQ(names(migrator.executed()), kSeedNames);
  EXPECT_EQ(migrator.down(), std::vector<std::string>{kSeedNames[3]});
}

TEST(migrateIntegrity, ADownFileWithoutItsUpFileIsAUsageError) {
  fs::path dir = scratchDir("orphan");
  writeFile(dir / "20211209_00_x.down.sql", "DROP TABLE x;\n");
  EXPECT_THROW(sqlDirectoryMigrations(dir), UsageError);
  EXPECT_TRUE(sqlDirectoryMigrations(dir / "absent").empty());
}

// ---- dry run ----

TEST(migrateDryRun, PrintsTheStatementsAndChangesNothing) {
  std::vector<std::string> lines;
  Migrator dry(databaseUrl(), seedRegistry().migrations(),
               {.dryRun = true, .onStatement = [&](std::string_view s) { lines.emplace_back(s); }});
  EXPECT_EQ(dry.up(), kSeedNames);
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("-- 20211209_00_initialize_notes_and_users (up)"), std::string::npos) << all;
  EXPECT_NE(all.find("CREATE TABLE"), std::string::npos) << all;
  EXPECT_NE(all.find("\"user_notes\""), std::string::npos) << all;
  EXPECT_NE(all.find("INSERT INTO \"migrations\""), std::string::npos) << all;
  auto conn = connectTest();
  QueryInterface qi(*conn);
  EXPECT_TRUE(qi.showAllTables().empty());  // not even the storage table

  // A dry undo after a real run prints the downs and changes nothing.
  Migrator real(databaseUrl(), sqlDirectoryMigrations(seedSqlDir()));
  real.up();
  lines.clear();
  Migrator dryDown(
      databaseUrl(), sqlDirectoryMigrations(seedSqlDir()),
      {.dryRun = true, .onStatement = [&](std::string_view s) { lines.emplace_back(s); }});
  EXPECT_EQ(dryDown.down({.all = true}).size(), 4u);
  all.clear();
  for (const auto& l : lines) all += l + "\n";
  EXPECT_NE(all.find("DROP TABLE user_notes"), std::string::npos) << all;  // the file's text
  EXPECT_NE(all.find("DELETE FROM \"migrations\""), std::string::npos) << all;
  expectSeedSchema(*conn, 4);
  EXPECT_EQ(names(real.executed()), kSeedNames);
}

// ---- locking within one process ----

// Runner B starts while runner A is inside migration 00 (A holds the lock or
// the write lock), so B's plan still lists 00 as pending. B must wait, then
// find 00 recorded and skip it; with neither the PostgreSQL run lock nor the
// SQLite in-transaction check, B would run 00 again and fail.
TEST(migrateLock, ARunnerThatWaitedSkipsWhatAnotherAppliedMeanwhile) {
  std::atomic<int> applied{0};
  std::vector<std::string> b;
  std::exception_ptr bError;
  std::thread tb;
  MigrationRegistry r;
  r.add("20240101_00_log", [&](QueryInterface& queryInterface) {
    queryInterface.createTable("run_log", {{"name", STRING.allowNull(false)}});
    queryInterface.bulkInsert("run_log", {{{"name", Value("20240101_00_log")}}});
    ++applied;
    if (!tb.joinable()) {
      tb = std::thread([&] {
        try {
          b = Migrator(databaseUrl(), r.migrations()).up();
        } catch (...) {
          bError = std::current_exception();
        }
      });
      // Long enough for B to read the storage table and block on the lock.
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  });
  for (int i = 1; i <= 5; ++i) {
    std::string name = "20240101_0" + std::to_string(i) + "_step";
    r.add(name, [&applied, name](QueryInterface& queryInterface) {
      queryInterface.bulkInsert("run_log", {{{"name", Value(name)}}});
      ++applied;
    });
  }
  auto a = Migrator(databaseUrl(), r.migrations()).up();
  ASSERT_TRUE(tb.joinable());
  tb.join();
  if (bError) std::rethrow_exception(bError);
  EXPECT_EQ(applied.load(), 6);
  EXPECT_EQ(a.size() + b.size(), 6u);
  EXPECT_EQ(std::find(b.begin(), b.end(), "20240101_00_log"), b.end());
  auto conn = connectTest();
  for (const auto& m : r.migrations())
    EXPECT_EQ(countWhereName(*conn, "run_log", m.name), 1) << m.name;
}

// #15: a migrator killed with SIGKILL right after any statement of a run —
// the migrations', the storage table's, BEGIN and COMMIT — leaves a whole
// number of migrations applied: the storage table and the schema agree, and
// the next run completes the rest. Every statement of a four-migration run,
// from both kinds of source.
TEST(MigratorFaults, SigkillAfterEveryStatementLeavesWholeMigrations) {
  const std::string url = junction::test::databaseUrl();
  auto reset = [] {
    auto conn = connectTest();
    for (const char* t : {"user_notes", "memberships", "teams", "notes", "users", "migrations"})
      conn->execute(std::string("DROP TABLE IF EXISTS ") + t);
  };
  auto check = [](const std::string& label) {
    auto conn = connectTest();
    QueryInterface qi(*conn);
    auto tables = qi.showAllTables();
    if (std::find(tables.begin(), tables.end(), "migrations") == tables.end()) {
      EXPECT_TRUE(tables.empty()) << label << ": tables without a storage table";
      return 0;
    }
    auto applied = static_cast<int>(
        conn->query("SELECT COUNT(*) FROM migrations").at(0, 0).as<std::int64_t>());
    expectSeedSchema(*conn, applied);
    return applied;
  };
  for (const std::string kind : {"cpp", "sql"}) {
    reset();
    auto full = runProcess({JUNCTION_MIGRATE_KILL_HELPER, url, kind, "0"});
    ASSERT_EQ(full.exitCode, 0) << full.err;
    const long statements = std::stol(full.out);
    ASSERT_GT(statements, 8) << "a run of four migrations";
    std::set<int> seen;
    for (long k = 1; k <= statements; ++k) {
      const std::string label = kind + " killed after statement " + std::to_string(k);
      reset();
      auto killed = runProcess({JUNCTION_MIGRATE_KILL_HELPER, url, kind, std::to_string(k)});
      ASSERT_EQ(killed.exitCode, 128 + SIGKILL) << label << ": " << killed.err;
      seen.insert(check(label));
      auto again = runProcess({JUNCTION_MIGRATE_KILL_HELPER, url, kind, "0"});
      ASSERT_EQ(again.exitCode, 0) << label << ", then run again: " << again.err;
      EXPECT_EQ(check(label + ", then run again"), 4);
    }
    // The kills landed between every pair of migrations, not only at the ends.
    for (int applied : {0, 1, 2, 3}) EXPECT_TRUE(seen.count(applied)) << kind << ": " << applied;
  }
}

}  // namespace
}  // namespace junction::migrate::test
