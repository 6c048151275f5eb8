// The real `junction` binary: exit codes, one-line failures, the status
// table, dry runs, generators (their C++ output compiles), --help; and N
// processes migrating one database at once.
#include "junction/migrate/cli.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "junction/dialects.hpp"
#include "junction/migrate/query_interface.hpp"
#include "support.hpp"
#include "support/engine.hpp"

namespace junction::migrate::test {
namespace {

namespace fs = std::filesystem;
using junction::test::databaseUrl;

ProcessResult cli(std::vector<std::string> args, const fs::path& cwd = {},
                  std::map<std::string, std::string> env = {{"DATABASE_URL", ""}}) {
  args.insert(args.begin(), JUNCTION_CLI_PATH);
  return runProcess(args, env, cwd);
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    out.push_back(text.substr(start, nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

std::vector<std::string> tables() {
  auto conn = connectTest();
  return QueryInterface(*conn).showAllTables();
}

TEST(migrateCli, MigrateStatusUndoAndUndoAllOnTheSeedSqlFiles) {
  const std::string dir = seedSqlDir().string();
  auto r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir, "--step", "2"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("== 20211209_00_initialize_notes_and_users: migrated ("), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("== 20211209_01_admin_and_disabled_to_users: migrated ("),
            std::string::npos);
  EXPECT_NE(r.out.find("Applied 2 migration(s)."), std::string::npos) << r.out;

  // DATABASE_URL stands in for --url.
  r = cli({"db:migrate:status", "--migrations-dir", dir}, {}, {{"DATABASE_URL", databaseUrl()}});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto rows = lines(r.out);
  ASSERT_EQ(rows.size(), 5u) << r.out;
  EXPECT_EQ(rows[0].substr(0, 4), "name");
  EXPECT_NE(rows[0].find("state"), std::string::npos);
  EXPECT_NE(rows[0].find("applied at"), std::string::npos);
  EXPECT_EQ(rows[1].rfind(kSeedNames[0], 0), 0u);
  EXPECT_NE(rows[1].find(" applied "), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("Z"), std::string::npos) << rows[1];  // an ISO time
  EXPECT_NE(rows[3].find(" pending "), std::string::npos) << rows[3];

  r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir, "--to", kSeedNames[2]});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  {
    auto conn = connectTest();
    expectSeedSchema(*conn, 4);
  }
  r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("already up to date"), std::string::npos) << r.out;

  r = cli({"db:migrate:undo", "--url", databaseUrl(), "--migrations-dir", dir});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("== 20211209_03_add_user_notes: reverted ("), std::string::npos) << r.out;
  r = cli({"db:migrate:undo", "--url", databaseUrl(), "--migrations-dir", dir, "--name",
           kSeedNames[2]});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  {
    auto conn = connectTest();
    expectSeedSchema(*conn, 2);
  }
  r = cli({"db:migrate:undo:all", "--url", databaseUrl(), "--migrations-dir", dir, "--to",
           kSeedNames[1]});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  {
    auto conn = connectTest();
    expectSeedSchema(*conn, 1);
  }
  r = cli({"db:migrate:undo:all", "--url", databaseUrl(), "--migrations-dir", dir});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto conn = connectTest();
  expectSeedSchema(*conn, 0);
}

TEST(migrateCli, AFailingMigrationExitsNonZeroWithOneLineNamingIt) {
  fs::path dir = scratchDir("clifail");
  for (const auto& e : fs::directory_iterator(seedSqlDir()))
    fs::copy_file(e.path(), dir / e.path().filename());
  writeFile(dir / "20211209_04_broken.up.sql",
            "CREATE TABLE ok_so_far (id INTEGER);\nSELECT * FROM nowhere;\n");
  auto r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir.string()});
  EXPECT_EQ(r.exitCode, 1);
  auto errLines = lines(r.err);
  ASSERT_EQ(errLines.size(), 1u) << r.err;
  EXPECT_EQ(
      errLines[0].rfind("junction: MigrationError: Migration 20211209_04_broken failed (up): ", 0),
      0u)
      << r.err;
  EXPECT_NE(errLines[0].find("nowhere"), std::string::npos);
  auto t = tables();
  EXPECT_EQ(std::find(t.begin(), t.end(), "ok_so_far"), t.end());
  auto conn = connectTest();
  expectSeedSchema(*conn, 4);  // the four before it stay applied
}

TEST(migrateCli, ChangedFilesAreShownAndRefusedUnlessForced) {
  fs::path dir = scratchDir("clichanged");
  for (const auto& e : fs::directory_iterator(seedSqlDir()))
    fs::copy_file(e.path(), dir / e.path().filename());
  ASSERT_EQ(
      cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir.string(), "--step", "1"})
          .exitCode,
      0);
  writeFile(dir / (kSeedNames[0] + ".up.sql"),
            "-- rewritten\n" + readFile(dir / (kSeedNames[0] + ".up.sql")));
  auto r = cli({"db:migrate:status", "--url", databaseUrl(), "--migrations-dir", dir.string()});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(lines(r.out).at(1).find(" changed "), std::string::npos) << r.out;
  r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir.string()});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("junction: MigrationError: Migration " + kSeedNames[0] + " failed (up)"),
            std::string::npos)
      << r.err;
  r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir.string(), "--force"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Applied 3 migration(s)."), std::string::npos) << r.out;
}

TEST(migrateCli, DryRunPrintsTheSqlAndChangesNothing) {
  const std::string dir = seedSqlDir().string();
  auto r = cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir, "--dry-run"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  // The files' own text, each under a header naming the migration.
  EXPECT_NE(r.out.find("-- 20211209_02_add_teams_and_memberships (up)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("CREATE TABLE memberships ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nothing was changed"), std::string::npos) << r.out;
  EXPECT_TRUE(tables().empty());

  ASSERT_EQ(cli({"db:migrate", "--url", databaseUrl(), "--migrations-dir", dir}).exitCode, 0);
  r = cli({"db:migrate:undo:all", "--url", databaseUrl(), "--migrations-dir", dir, "--dry-run"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("DROP TABLE notes;"), std::string::npos) << r.out;
  auto conn = connectTest();
  expectSeedSchema(*conn, 4);
}

TEST(migrateCli, UsageErrorsExitNonZeroWithOneLine) {
  auto r = cli({"db:migrate"});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("DATABASE_URL"), std::string::npos) << r.err;

  r = cli({"db:migrate", "--url", databaseUrl(), "--step", "zero"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;

  r = cli({"db:migrate:undo", "--url", databaseUrl(), "--step", "1", "--name", "x"});
  EXPECT_EQ(r.exitCode, 2) << r.err;

  r = cli({"db:migrate", "--url", databaseUrl(), "--to", "20990101_unknown", "--migrations-dir",
           seedSqlDir().string()});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("junction: UsageError: no migration named 20990101_unknown"),
            std::string::npos)
      << r.err;

  r = cli({"db:frobnicate"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("unknown command \"db:frobnicate\""), std::string::npos) << r.err;

  r = cli({"db:migrate", "--url", "nosuchscheme://x"});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
}

TEST(migrateCli, HelpOnEveryVerb) {
  auto r = cli({"--help"});
  ASSERT_EQ(r.exitCode, 0);
  for (const char* verb : {"db:migrate", "db:migrate:undo", "db:migrate:undo:all",
                           "db:migrate:status", "migration:generate", "model:generate"}) {
    EXPECT_NE(r.out.find(verb), std::string::npos) << verb;
    auto h = cli({verb, "--help"});
    EXPECT_EQ(h.exitCode, 0) << verb << h.err;
    EXPECT_NE(h.out.find(std::string("junction ") + verb), std::string::npos) << h.out;
    EXPECT_NE(h.out.find("--help"), std::string::npos) << h.out;
  }
  auto h = cli({"db:migrate", "--help"});
  for (const char* opt :
       {"--url", "--migrations-dir", "--table", "--dry-run", "--force", "--to", "--step"})
    EXPECT_NE(h.out.find(opt), std::string::npos) << opt << "\n" << h.out;
  h = cli({"db:migrate:undo", "--help"});
  EXPECT_NE(h.out.find("--name"), std::string::npos) << h.out;
}

// Compiles a generated file as a user would, warnings fatal.
void expectCompiles(const fs::path& file) {
  auto r = runProcess({JUNCTION_CXX_COMPILER, "-std=c++20", "-fsyntax-only", "-Wall", "-Wextra",
                       "-Werror", "-Wno-missing-field-initializers",
                       "-I" + std::string(JUNCTION_INCLUDE_DIR), file.string()});
  EXPECT_EQ(r.exitCode, 0) << file << "\n" << r.err;
}

TEST(migrateCli, MigrationGenerateWritesTimestampedFilesThatWork) {
  fs::path project = scratchDir("gen");
  auto r = cli({"migration:generate", "--name", "add_admin_to_users", "--sql"}, project);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(project / "migrations")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files.size(), 2u);
  std::string down = files[0].filename().string(), up = files[1].filename().string();
  ASSERT_EQ(up.size(), 14 + std::string("_add_admin_to_users.up.sql").size()) << up;
  EXPECT_TRUE(std::all_of(up.begin(), up.begin() + 14, [](char c) { return c >= '0' && c <= '9'; }))
      << up;
  EXPECT_EQ(up.substr(14), "_add_admin_to_users.up.sql");
  EXPECT_EQ(down.substr(14), "_add_admin_to_users.down.sql");
  EXPECT_EQ(up.substr(0, 4) >= "2024", true);
  EXPECT_NE(r.out.find(up), std::string::npos) << r.out;
  EXPECT_NE(readFile(files[1]).find("write the schema change here"), std::string::npos);

  // Filled in, the generated pair runs both ways through the CLI.
  writeFile(files[1], "CREATE TABLE generated_t (id INTEGER);\n");
  writeFile(files[0], "DROP TABLE generated_t;\n");
  EXPECT_EQ(cli({"db:migrate", "--url", databaseUrl()}, project).exitCode, 0);
  auto t = tables();
  EXPECT_NE(std::find(t.begin(), t.end(), "generated_t"), t.end());
  EXPECT_EQ(cli({"db:migrate:undo", "--url", databaseUrl()}, project).exitCode, 0);
  t = tables();
  EXPECT_EQ(std::find(t.begin(), t.end(), "generated_t"), t.end());

  // The C++ skeleton compiles as written and carries no unfinished-work marker.
  r = cli({"migration:generate", "--name", "cpp_step", "--migrations-dir", "db/migrations"},
          project);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  std::vector<fs::path> cpp;
  for (const auto& e : fs::directory_iterator(project / "db/migrations")) cpp.push_back(e.path());
  ASSERT_EQ(cpp.size(), 1u);
  EXPECT_EQ(cpp[0].extension(), ".cpp");
  std::string text = readFile(cpp[0]);
  EXPECT_NE(text.find("write the schema change here"), std::string::npos);
  const std::string marker = std::string("TO") + "DO";  // spelled apart: not a marker itself
  EXPECT_EQ(text.find(marker), std::string::npos);
  EXPECT_NE(text.find("RegisterMigration"), std::string::npos);
  expectCompiles(cpp[0]);

  r = cli({"migration:generate", "--name", "bad name!"}, project);
  EXPECT_EQ(r.exitCode, 1);
  r = cli({"migration:generate"}, project);
  EXPECT_EQ(r.exitCode, 2);
}

TEST(migrateCli, ModelGenerateWritesAModelAndItsMigration) {
  fs::path project = scratchDir("model");
  auto r = cli({"model:generate", "--name", "User", "--attributes",
                "name:string,username:string,admin:boolean,bio:text,born:dateonly,score:double,"
                "meta:json,uid:uuid,visits:bigint,ratio:float,price:decimal,age:integer,"
                "lastLogin:date"},
               project);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  fs::path model = project / "models" / "user.cpp";
  ASSERT_TRUE(fs::exists(model)) << r.out;
  std::string m = readFile(model);
  EXPECT_NE(m.find("defineUser"), std::string::npos);
  EXPECT_NE(m.find("{\"username\", STRING}"), std::string::npos) << m;
  EXPECT_NE(m.find("{\"admin\", BOOLEAN}"), std::string::npos) << m;
  EXPECT_NE(m.find("{\"lastLogin\", DATE}"), std::string::npos) << m;
  EXPECT_NE(m.find(".tableName = \"users\""), std::string::npos) << m;
  std::vector<fs::path> migrations;
  for (const auto& e : fs::directory_iterator(project / "migrations"))
    migrations.push_back(e.path());
  ASSERT_EQ(migrations.size(), 1u);
  EXPECT_EQ(migrations[0].filename().string().substr(14), "_create_user.cpp");
  std::string mig = readFile(migrations[0]);
  for (const char* piece :
       {"createTable(\"users\"", "{\"last_login\", DATE}", "{\"bio\", TEXT}",
        "{\"born\", DATEONLY}", "{\"score\", DOUBLE}", "{\"meta\", JSON}", "{\"uid\", UUID}",
        "{\"visits\", BIGINT}", "{\"ratio\", FLOAT}", "{\"price\", DECIMAL}", "{\"age\", INTEGER}",
        "dropTable(\"users\")", "created_at", "updated_at"})
    EXPECT_NE(mig.find(piece), std::string::npos) << piece << "\n" << mig;
  expectCompiles(model);
  expectCompiles(migrations[0]);

  r = cli({"model:generate", "--name", "Team", "--attributes", "name:varchar"}, project);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(lines(r.err).size(), 1u) << r.err;
  EXPECT_NE(r.err.find("unknown attribute type \"varchar\" for attribute name"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(project / "models" / "team.cpp"));
}

// What an application binary does: its own argv, its compiled-in registry.
TEST(migrateCli, RunCliIsALibraryCallOverCompiledInMigrations) {
  auto registry = seedRegistry();
  fs::path empty = scratchDir("nosql");
  std::string url = databaseUrl(), dir = empty.string();
  auto run = [&](std::vector<std::string> args, std::string& out, std::string& err) {
    args.insert(args.begin(), "bloglist");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream o, e;
    int code = runCli(static_cast<int>(argv.size()), argv.data(), &registry, o, e);
    out = o.str();
    err = e.str();
    return code;
  };
  std::string out, err;
  ASSERT_EQ(
      run({"db:migrate", "--url", url, "--migrations-dir", dir, "--to", kSeedNames[2]}, out, err),
      0)
      << err;
  EXPECT_NE(out.find("== " + kSeedNames[2] + ": migrated"), std::string::npos) << out;
  ASSERT_EQ(run({"db:migrate:status", "--url", url, "--migrations-dir", dir}, out, err), 0) << err;
  auto rows = lines(out);
  ASSERT_EQ(rows.size(), 5u) << out;
  EXPECT_NE(rows[3].find(" applied "), std::string::npos) << out;
  EXPECT_NE(rows[4].find(" pending "), std::string::npos) << out;

  // A migration both compiled in and on disk is refused, naming it.
  fs::copy(seedSqlDir(), empty / "dup");
  EXPECT_EQ(
      run({"db:migrate", "--url", url, "--migrations-dir", (empty / "dup").string()}, out, err), 1);
  EXPECT_NE(err.find("bloglist: UsageError: migration " + kSeedNames[0] + " is defined twice"),
            std::string::npos)
      << err;
  auto conn = connectTest();
  expectSeedSchema(*conn, 3);
}

// ---- N processes at once ----

TEST(migrateConcurrency, EightProcessesApplyEachMigrationExactlyOnce) {
  fs::path dir = scratchDir("race");
  writeFile(dir / "20240101_00_side_table.up.sql",
            "CREATE TABLE side (name VARCHAR(100) NOT NULL);\n"
            "INSERT INTO side (name) VALUES ('20240101_00_side_table');\n");
  const int kMigrations = 12;
  for (int i = 1; i < kMigrations; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "20240101_%02d_step", i);
    std::string body = "INSERT INTO side (name) VALUES ('" + std::string(name) + "');\n" +
                       "CREATE TABLE t" + std::to_string(i) + " (id INTEGER);\n";
    // Busy work on both engines, so the runners' lifetimes overlap.
    body +=
        "SELECT COUNT(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
        "WHERE x < 100000) SELECT x FROM c) AS busy;\n";
    writeFile(dir / (std::string(name) + ".up.sql"), body);
  }
  const int kProcesses = 8;
  std::vector<int> pids;
  for (int p = 0; p < kProcesses; ++p)
    pids.push_back(spawnProcess(
        {JUNCTION_CLI_PATH, "db:migrate", "--url", databaseUrl(), "--migrations-dir", dir.string()},
        dir / ("out" + std::to_string(p)), dir / ("err" + std::to_string(p))));
  int applied = 0;
  for (int p = 0; p < kProcesses; ++p) {
    EXPECT_EQ(waitProcess(pids[p]), 0) << readFile(dir / ("err" + std::to_string(p)));
    std::string out = readFile(dir / ("out" + std::to_string(p)));
    for (std::size_t pos = 0; (pos = out.find(": migrated (", pos)) != std::string::npos; ++pos)
      ++applied;
  }
  EXPECT_EQ(applied, kMigrations);  // across all processes' progress lines
  auto conn = connectTest();
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM side").at(0, 0).as<int>(), kMigrations);
  EXPECT_EQ(countWhereName(*conn, "side", "20240101_00_side_table"), 1);
  for (int i = 1; i < kMigrations; ++i) {
    char name[64];
    std::snprintf(name, sizeof name, "20240101_%02d_step", i);
    EXPECT_EQ(countWhereName(*conn, "side", name), 1) << name;
    EXPECT_EQ(countWhereName(*conn, "migrations", name), 1) << name;
  }
}

// sequelize-cli's config/config.json: the environment picked by --env, by
// $JUNCTION_ENV and by $NODE_ENV (in that order), --url and DATABASE_URL
// still winning, use_env_variable, migrationStorageTableName, and a
// .junctionrc naming the file and the migrations. The "test" environment is
// this engine's test database; the others are SQLite files in the project,
// so which one a run used shows in the files it created.
TEST(migrateCli, ConfigEnvironmentsPickTheDatabase) {
  fs::path project = scratchDir("config");
  fs::create_directories(project / "config");
  fs::copy(seedSqlDir(), project / "migrations");
  writeFile(project / "config/config.json",
            nlohmann::json{{"development", {{"dialect", "sqlite"}, {"storage", "dev.db"}}},
                           {"test", {{"url", databaseUrl()}}},
                           {"staging", {{"use_env_variable", "JUNCTION_TEST_STAGING_URL"}}},
                           {"production",
                            {{"dialect", "sqlite"},
                             {"storage", "prod.db"},
                             {"migrationStorageTableName", "SequelizeMeta"}}}}
                .dump(2));
  // Nothing inherited from the runner's environment decides.
  const std::map<std::string, std::string> clean{
      {"DATABASE_URL", ""}, {"JUNCTION_ENV", ""}, {"NODE_ENV", ""}};
  auto with = [&](std::map<std::string, std::string> extra) {
    auto env = clean;
    for (auto& [k, v] : extra) env[k] = v;
    return env;
  };

  auto r = cli({"db:migrate", "--env", "test", "--step", "1"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Applied 1 migration(s)."), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(project / "dev.db"));
  r = cli({"db:migrate", "--step", "1"}, project, with({{"JUNCTION_ENV", "test"}}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = cli({"db:migrate", "--step", "1"}, project, with({{"NODE_ENV", "test"}}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  {
    auto conn = connectTest();
    expectSeedSchema(*conn, 3);
  }
  EXPECT_FALSE(fs::exists(project / "dev.db"));
  EXPECT_FALSE(fs::exists(project / "prod.db"));

  // --env beats $JUNCTION_ENV, which beats $NODE_ENV; without any, development.
  r = cli({"db:migrate:status", "--env", "test"}, project,
          with({{"JUNCTION_ENV", "production"}, {"NODE_ENV", "production"}}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find(" pending "), std::string::npos) << r.out;  // the 4th, on the test db
  EXPECT_FALSE(fs::exists(project / "prod.db"));
  r = cli({"db:migrate"}, project, with({{"JUNCTION_ENV", "production"}, {"NODE_ENV", "test"}}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Applied 4 migration(s)."), std::string::npos) << r.out;
  {
    auto prod = openConnection("sqlite://" + (project / "prod.db").string());
    auto names = QueryInterface(*prod).showAllTables();
    EXPECT_NE(std::find(names.begin(), names.end(), "SequelizeMeta"), names.end());
    EXPECT_EQ(std::find(names.begin(), names.end(), "migrations"), names.end());
  }
  r = cli({"db:migrate:status"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(fs::exists(project / "dev.db"));

  // use_env_variable; then --url and DATABASE_URL win over the file.
  r = cli({"db:migrate"}, project,
          with({{"NODE_ENV", "staging"}, {"JUNCTION_TEST_STAGING_URL", databaseUrl()}}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Applied 1 migration(s)."), std::string::npos) << r.out;
  r = cli({"db:migrate:undo", "--url", databaseUrl()}, project, with({{"NODE_ENV", "production"}}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = cli({"db:migrate:status"}, project,
          with({{"NODE_ENV", "production"}, {"DATABASE_URL", databaseUrl()}}));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find(" pending "), std::string::npos) << r.out;
  {
    auto conn = connectTest();
    expectSeedSchema(*conn, 3);
  }

  // A .junctionrc moves the file and the migrations.
  fs::create_directories(project / "db");
  fs::rename(project / "config/config.json", project / "db/settings.json");
  fs::rename(project / "migrations", project / "db/migrate");
  writeFile(project / ".junctionrc",
            R"({"config": "db/settings.json", "migrations-path": "db/migrate"})");
  r = cli({"db:migrate", "--env", "test"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Applied 1 migration(s)."), std::string::npos) << r.out;

  // Errors name what is wrong.
  r = cli({"db:migrate", "--env", "qa"}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("no environment \"qa\""), std::string::npos) << r.err;
  r = cli({"db:migrate", "--env", "staging"}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("$JUNCTION_TEST_STAGING_URL is not set"), std::string::npos) << r.err;
  fs::remove(project / ".junctionrc");
  r = cli({"db:migrate:status"}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("pass --url, set DATABASE_URL, or write config/config.json"),
            std::string::npos)
      << r.err;
}

// db:create and db:drop: PostgreSQL's CREATE / DROP DATABASE on the
// server's maintenance database (with --encoding and --template), SQLite's
// file; each refuses what is already there, or not there.
TEST(migrateCli, DbCreateAndDropMakeAndRemoveTheDatabase) {
  fs::path project = scratchDir("createdb");
  const std::map<std::string, std::string> clean{
      {"DATABASE_URL", ""}, {"JUNCTION_ENV", ""}, {"NODE_ENV", ""}};
  const bool pg = junction::test::isPostgres();
  std::string url, name;
  std::vector<std::string> createArgs;
  if (pg) {
    const std::string& server = junction::test::serverUrl();
    name = "jt_created_" + std::to_string(::getpid());
    const auto path = server.find('/', server.find("://") + 3);
    url = server.substr(0, std::min(path, server.find('?'))) + "/" + name;
    createArgs = {"--encoding", "UTF8", "--template", "template0"};
  } else {
    name = (project / "made.db").string();
    url = "sqlite://" + name;
  }
  auto exists = [&] {
    if (!pg) return fs::exists(name);
    auto conn = openConnection(junction::test::serverUrl());
    const std::vector<Value> params{Value(name)};
    return conn->query("SELECT COUNT(*) FROM pg_database WHERE datname = $1", params)
               .at(0, 0)
               .as<int>() == 1;
  };
  std::vector<std::string> args{"db:create", "--url", url};
  args.insert(args.end(), createArgs.begin(), createArgs.end());
  auto r = cli(args, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find(" created."), std::string::npos) << r.out;
  EXPECT_TRUE(exists());
  r = cli({"db:migrate", "--url", url, "--migrations-dir", seedSqlDir().string()}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = cli({"db:create", "--url", url}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  r = cli({"db:drop", "--url", url}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find(" dropped."), std::string::npos) << r.out;
  EXPECT_FALSE(exists());
  r = cli({"db:drop", "--url", url}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("not exist"), std::string::npos) << r.err;
  // DDL options cannot be bound: anything but a word is refused before SQL;
  // on SQLite they mean nothing, and are refused too.
  r = cli({"db:create", "--url", url, "--encoding", pg ? "UTF8' TEMPLATE x --" : "UTF8"}, project,
          clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("--encoding"), std::string::npos) << r.err;
  EXPECT_FALSE(exists());
}

// init lays out a project the other verbs then read: config/config.json
// (development and test on SQLite files, production from $DATABASE_URL),
// migrations/, seeders/, models/.
TEST(migrateCli, InitWritesAConfigTheOtherVerbsRead) {
  fs::path project = scratchDir("init");
  const std::map<std::string, std::string> clean{
      {"DATABASE_URL", ""}, {"JUNCTION_ENV", ""}, {"NODE_ENV", ""}};
  auto r = cli({"init"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  for (const char* dir : {"migrations", "seeders", "models"})
    EXPECT_TRUE(fs::is_directory(project / dir)) << dir;
  EXPECT_NE(r.out.find("Created config/config.json"), std::string::npos) << r.out;
  r = cli({"init"}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("config/config.json already exists"), std::string::npos) << r.err;
  r = cli({"init", "--force"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  for (const auto& e : fs::directory_iterator(seedSqlDir()))
    fs::copy(e.path(), project / "migrations" / e.path().filename());
  r = cli({"db:migrate"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Applied 4 migration(s)."), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(project / "development.sqlite"));
  r = cli({"db:migrate", "--env", "production"}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("$DATABASE_URL is not set"), std::string::npos) << r.err;
}

// On a terminal a run keeps one live line (n of m, the migration, seconds
// so far) and ends each migration with its plain line; piped, there are
// only the plain lines. script(1) gives the CLI a pseudo-terminal.
TEST(migrateCli, ProgressIsALiveLineOnATerminalOnly) {
  fs::path project = scratchDir("progress");
  const std::string dir = seedSqlDir().string();
  const std::string command = std::string(JUNCTION_CLI_PATH) + " db:migrate --url '" +
                              databaseUrl() + "' --migrations-dir " + dir;
  auto r = runProcess({"/usr/bin/script", "-qec", command, "/dev/null"}, {{"DATABASE_URL", ""}}, project);
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\r\033[K== [1/4] 20211209_00_initialize_notes_and_users: migrating"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("== [4/4] 20211209_03_add_user_notes: migrating"), std::string::npos);
  EXPECT_NE(r.out.find("\r\033[K== 20211209_03_add_user_notes: migrated ("), std::string::npos);
  EXPECT_NE(r.out.find(") [4/4]"), std::string::npos) << r.out;

  r = cli({"db:migrate:undo:all", "--url", databaseUrl(), "--migrations-dir", dir}, project);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out.find('\r'), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\033"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("== 20211209_00_initialize_notes_and_users: reverted ("), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(") [4/4]"), std::string::npos) << r.out;
}

// `eval "$(junction completion)"` completes verbs (across bash's ':' word
// breaks) and each verb's options, generated from the verbs themselves.
TEST(migrateCli, BashCompletionCompletesVerbsAndTheirOptions) {
  auto complete = [](const std::string& line) {
    const std::string script = std::string("eval \"$(") + JUNCTION_CLI_PATH +
                               " completion)\"; COMP_LINE='" + line +
                               "'; COMP_POINT=${#COMP_LINE}; _junction; "
                               "printf '%s\\n' \"${COMPREPLY[@]}\"";
    auto r = runProcess({"/bin/bash", "-c", script});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    auto out = lines(r.out);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(complete("junction db:mi"),
            (std::vector<std::string>{"migrate", "migrate:status", "migrate:undo",
                                      "migrate:undo:all"}));
  EXPECT_EQ(complete("junction in"), (std::vector<std::string>{"init"}));
  EXPECT_EQ(complete("junction db:migrate --dr"), (std::vector<std::string>{"--dry-run"}));
  auto all = complete("junction db:create --");
  for (const char* o : {"--url", "--config", "--env", "--encoding", "--owner", "--template"})
    EXPECT_NE(std::find(all.begin(), all.end(), o), all.end()) << o;
  EXPECT_EQ(std::find(all.begin(), all.end(), "--migrations-dir"), all.end());
}

// Seeders: SQL files in seeders/ run by the migrator's machinery with their
// own storage table ("seeders"): each once, in name order, each in one
// transaction with its row; db:seed runs one, the undo verbs revert the last,
// a named one or all; --dry-run changes nothing.
TEST(migrateCli, SeedersRunOnceEachWithTheirOwnTable) {
  fs::path project = scratchDir("seeders");
  const std::map<std::string, std::string> clean{
      {"DATABASE_URL", databaseUrl()}, {"JUNCTION_ENV", ""}, {"NODE_ENV", ""}};
  auto r = cli({"db:migrate", "--migrations-dir", seedSqlDir().string()}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;

  r = cli({"seed:generate", "--name", "demo_users"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("New seed was created at seeders/"), std::string::npos) << r.out;
  for (const auto& e : fs::directory_iterator(project / "seeders")) fs::remove(e.path());
  writeFile(project / "seeders/20240101_00_demo_users.up.sql",
            "INSERT INTO users (username, name) VALUES ('a@example.com', 'A');\n"
            "INSERT INTO users (username, name) VALUES ('b@example.com', 'B');\n");
  writeFile(project / "seeders/20240101_00_demo_users.down.sql",
            "DELETE FROM users WHERE username IN ('a@example.com', 'b@example.com');\n");
  writeFile(project / "seeders/20240102_00_more_users.up.sql",
            "INSERT INTO users (username, name) VALUES ('c@example.com', 'C');\n");
  writeFile(project / "seeders/20240102_00_more_users.down.sql",
            "DELETE FROM users WHERE username = 'c@example.com';\n");
  auto users = [] {
    auto conn = connectTest();
    return conn->query("SELECT COUNT(*) FROM users").at(0, 0).as<int>();
  };

  r = cli({"db:seed:all", "--dry-run"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("INSERT INTO users"), std::string::npos) << r.out;
  EXPECT_EQ(users(), 0);
  r = cli({"db:seed:all"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("Applied 2 seeder(s)."), std::string::npos) << r.out;
  EXPECT_EQ(users(), 3);
  r = cli({"db:seed:all"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("every seeder has run"), std::string::npos) << r.out;
  EXPECT_EQ(users(), 3);
  r = cli({"db:seed:undo"}, project, clean);  // the last: more_users
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(users(), 2);
  r = cli({"db:seed", "--seed", "20240102_00_more_users"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(users(), 3);
  r = cli({"db:seed:undo", "--seed", "20240101_00_demo_users"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(users(), 1);
  r = cli({"db:seed", "--seed", "20240109_00_nothing"}, project, clean);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("20240109_00_nothing"), std::string::npos) << r.err;
  r = cli({"db:seed:undo:all"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(users(), 0);

  auto names = tables();
  EXPECT_NE(std::find(names.begin(), names.end(), "seeders"), names.end());
  auto conn = connectTest();
  EXPECT_EQ(conn->query("SELECT COUNT(*) FROM migrations").at(0, 0).as<int>(), 4);
}

// A C++ migration file in the migrations directory is compiled into an
// application; the CLI's status names it and says what to do instead.
TEST(migrateCli, StatusNamesCppMigrationsItCannotRun) {
  fs::path project = scratchDir("cppstatus");
  const std::map<std::string, std::string> clean{
      {"DATABASE_URL", databaseUrl()}, {"JUNCTION_ENV", ""}, {"NODE_ENV", ""}};
  auto r = cli({"migration:generate", "--name", "add_admin_to_users"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  r = cli({"db:migrate:status"}, project, clean);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("_add_admin_to_users.cpp: a C++ migration this CLI cannot run"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("migration:generate --sql"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace junction::migrate::test
